import assert from "node:assert/strict";
import { test } from "node:test";

import { TimeWindow } from "../../static/podviz/time_window.js";

test("a lesson up to 20 minutes keeps its whole duration in view, at its end too", () => {
  const window = new TimeWindow();
  // crashloop-backoff lasts 1000 s; its restarts at 0, 10, 30 and 70 s must stay visible.
  assert.deepEqual(window.range(1000, 1000), [0, 1000]);
  assert.deepEqual(window.range(0, 900), [0, 900]);
});

test("a longer run scrolls with the clock over the last 15 minutes", () => {
  const window = new TimeWindow();
  assert.deepEqual(window.range(3000, 3600), [2100, 3000]);
  assert.deepEqual(window.range(100, 3600), [0, 900]);
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
