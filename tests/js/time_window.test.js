import assert from "node:assert/strict";
import { test } from "node:test";

import { TimeWindow } from "../../runs/static/podviz/time_window.js";

test("a lesson up to 20 minutes keeps its whole duration in view, at its end too", () => {
  const window = new TimeWindow();
  // crashloop-backoff lasts 1000 s; its restarts at 0, 10, 30 and 70 s must stay visible.
  assert.deepEqual(window.range(1000, 1000), [0, 1000]);
  assert.deepEqual(window.range(800, 900), [0, 900]);
});

test("early in a run the axis is short and grows in steps, the clock short of its right end", () => {
  const window = new TimeWindow();
  assert.deepEqual(window.range(0, 900), [0, 120]);
  assert.deepEqual(window.range(100, 900), [0, 120]);
  assert.deepEqual(window.range(130, 900), [0, 300]);
  assert.deepEqual(window.range(400, 900), [0, 900]);
  assert.deepEqual(window.range(400, 1200), [0, 1200]);
  // A lesson shorter than a step is shown whole.
  assert.deepEqual(window.range(100, 200), [0, 200]);
  // Seeking back shortens the axis again: it follows the clock, not the furthest point seen.
  assert.deepEqual(window.range(50, 900), [0, 120]);
  // A long run grows the same way up to its 15-minute window, from the earliest point held.
  assert.deepEqual(window.range(200, 3600), [0, 300]);
  assert.deepEqual(window.range(700, 3600), [0, 900]);
  assert.deepEqual(window.range(1300, 3600, 1200), [1200, 1320]);
  // Neither a zoom nor the whole run grows.
  window.setShowAll(true);
  assert.deepEqual(window.range(100, 900), [0, 900]);
});

test("a longer run scrolls with the clock over the last 15 minutes", () => {
  const window = new TimeWindow();
  assert.deepEqual(window.range(3000, 3600), [2100, 3000]);
  assert.deepEqual(window.range(800, 3600), [0, 900]);
});

test("the whole run on request, a zoom until the user follows the clock again", () => {
  const window = new TimeWindow();
  window.setShowAll(true);
  assert.deepEqual(window.range(3000, 3600, 0), [0, 3600]);
  const revision = window.revision;
  window.zoom(50, 20);
  assert.deepEqual(window.range(3000, 3600), [20, 50]);
  assert.ok(window.revision > revision);
  window.follow();
  assert.deepEqual(window.range(3000, 3600, 0), [0, 3600]);
});
