import assert from "node:assert/strict";
import { test } from "node:test";

import { laneMarkers } from "../../runs/static/podviz/markers.js";
import { buffer, lane } from "./fixtures.js";

const started = (time, count) => ({
  time,
  object: "Pod/crash-1",
  type: "Normal",
  reason: "Started",
  message: "Started container app",
  count,
  firstTime: 2.5,
});

test("a container started again is a restart marker; its first start is not", () => {
  const state = { ...lane({}), events: [started(2.5, 1), started(3, 2), started(13, 3)] };
  const markers = laneMarkers({ scenarioEvents: [], injected: [], buffer: buffer(state), now: 20 });
  assert.deepEqual(
    markers.map((marker) => [marker.time, marker.label]),
    [
      [3, "Restart crash-1"],
      [13, "Restart crash-1"],
    ],
  );
  assert.match(markers[1].explanation, /restart 2/);
});

test("markers wait for the clock: nothing after now, scenario events included", () => {
  const state = { ...lane({}), events: [started(3, 2), started(13, 3)] };
  const scenarioEvents = [{ at: 5, action: "AppHang", pod: "web-1" }];
  const markers = laneMarkers({ scenarioEvents, injected: [], buffer: buffer(state), now: 10 });
  assert.deepEqual(
    markers.map((marker) => [marker.time, marker.kind]),
    [
      [3, "kubernetes"],
      [5, "scenario"],
    ],
  );
});
