import assert from "node:assert/strict";
import { test } from "node:test";

import { cellColour, runsOf } from "../../runs/static/podviz/lane_strips.js";
import { STATE_COLOURS } from "../../runs/static/podviz/palette.js";

test("cells become runs of equal values, each second ending where the next begins", () => {
  const time = [10, 11, 12, 13, 14, 15];
  assert.deepEqual(runsOf(time, [1, 1, 0, 0, 0, 1]), [
    { from: 10, to: 12, value: 1 },
    { from: 12, to: 15, value: 0 },
    { from: 15, to: 16, value: 1 },
  ]);
});

test("blank cells (the pod did not exist) make no run and split the runs around them", () => {
  assert.deepEqual(runsOf([0, 1, 2, 3], [null, 1, null, 1]), [
    { from: 1, to: 2, value: 1 },
    { from: 3, to: 4, value: 1 },
  ]);
  assert.deepEqual(runsOf([], []), []);
});

test("a gap in time splits a run even when the values are equal", () => {
  assert.deepEqual(runsOf([0, 1, 5], [1, 1, 1]), [
    { from: 0, to: 2, value: 1 },
    { from: 5, to: 6, value: 1 },
  ]);
});

test("states and phases have their colours; an unknown value is drawn as off", () => {
  const theme = { off: "#eee" };
  assert.equal(cellColour(1, theme), STATE_COLOURS.yes);
  assert.equal(cellColour(2, theme), STATE_COLOURS.warning);
  assert.equal(cellColour(0, theme), "#eee");
  assert.equal(cellColour("failed", theme), STATE_COLOURS.warning);
  assert.equal(cellColour("running", theme), STATE_COLOURS.running);
  assert.equal(cellColour("what", theme), "#eee");
});
