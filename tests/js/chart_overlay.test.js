import assert from "node:assert/strict";
import { test } from "node:test";

import { MAX_LABELS, capGroups, joinGroups, mergeMarkers, xScale } from "../../runs/static/podviz/chart_overlay.js";

const marker = (time, label, kind = "kubernetes") => ({ time, label, kind, title: label, explanation: "" });
const xOf = xScale({ left: 0, right: 400 }, [0, 400]); // one pixel per second

test("repeats of one event close together become one label with a count", () => {
  const markers = Array.from({ length: 12 }, (_, i) => marker(100 + 2 * i, "AppHang web-1", "injected"));
  const groups = mergeMarkers(markers, xOf, 44);
  assert.equal(groups.length, 1);
  assert.equal(groups[0].label, "AppHang web-1 ×12");
  assert.equal(groups[0].kind, "injected");
  assert.equal(groups[0].markers.length, 12);
});

test("the same reason on different objects keeps the reason and the count", () => {
  const groups = mergeMarkers([marker(10, "Killing web-1"), marker(20, "Killing web-2")], xOf, 44);
  assert.deepEqual(
    groups.map((group) => group.label),
    ["Killing ×2"],
  );
});

test("different events close together name the first and how many more", () => {
  const groups = mergeMarkers([marker(30, "Create web-3"), marker(10, "NotReady node2", "scenario")], xOf, 44);
  assert.equal(groups[0].label, "NotReady node2 +1");
  assert.equal(groups[0].kind, "scenario");
});

test("a fault injected by hand beside the scenario's event names the group", () => {
  const groups = mergeMarkers([marker(60, "NodeDown node2", "scenario"), marker(61, "NodeDown node1", "injected"), marker(62, "NotReady node2")], xOf, 44);
  assert.equal(groups.length, 1);
  assert.equal(groups[0].label, "NodeDown node1 +2");
  assert.equal(groups[0].kind, "injected");
});

test("markers further apart than the distance keep their own labels", () => {
  const groups = mergeMarkers([marker(10, "A x"), marker(60, "A x"), marker(100, "B y")], xOf, 44);
  assert.deepEqual(
    groups.map((group) => group.label),
    ["A x", "A x +1"],
  );
});

test("a group joined to its neighbour keeps every marker and says how many", () => {
  const groups = mergeMarkers([marker(10, "Killing web-1"), marker(100, "Killing web-2"), marker(300, "B y")], xOf, 44);
  assert.equal(groups.length, 3);
  const joined = joinGroups(groups, 0);
  assert.deepEqual(
    joined.map((group) => group.label),
    ["Killing ×2", "B y"],
  );
  assert.equal(joined[0].markers.length, 2);
});

test("a lesson with a hundred events shows at most a dozen labels: the closest in time share one", () => {
  const wide = xScale({ left: 0, right: 100000 }, [0, 1000]); // room for every label apart
  const many = Array.from({ length: 183 }, (_, index) => marker(60 + 2 * index + (index % 3), `Killing web-${index % 3}`));
  const groups = capGroups(mergeMarkers(many, wide, 44), MAX_LABELS);
  assert.equal(MAX_LABELS, 12);
  assert.equal(groups.length, 12);
  assert.equal(groups.reduce((sum, group) => sum + group.markers.length, 0), 183);
  const few = mergeMarkers([marker(10, "A x"), marker(500, "B y")], wide, 44);
  assert.equal(capGroups(few, MAX_LABELS).length, 2);
});
