import assert from "node:assert/strict";
import { test } from "node:test";

import { laneScores, scoreLine, scoreWindowShapes } from "../../runs/static/podviz/lane_score.js";

// A lane whose score window (the server's `score`) opened at 20 s and is counted up to 100 s.
const lane = (requests, errors, rank = "none", pods = []) => ({
  totals: { requests: requests + 500, errors: errors + 400 }, // the boot's failures: not counted
  score: {
    window: [20, 120],
    counted: [20, 100],
    requests,
    errors,
    failedPercent: requests ? (100 * errors) / requests : null,
    rank, // the server's (simulator/results/score.py)
  },
  pods,
});

test("the lane the server ranks best is marked; the others say how far behind", () => {
  const scores = laneScores([lane(1000, 128, "behind"), lane(1000, 111, "best"), lane(0, 0)], true);
  assert.deepEqual(
    scores.map((score) => scoreLine(score).rank),
    ["behind", "best", "none"],
  );
  assert.equal(scoreLine(scores[0]).text, "12.8 % failed · +1.7 pts vs best");
  assert.equal(scoreLine(scores[1]).text, "✓ fewest errors: 11.1 % failed");
  assert.equal(scoreLine(scores[0]).title, "128 of 1000 requests failed from 0:20 to 1:40");
});

test("the element's data gives the number shown and the seconds counted", () => {
  const [line] = laneScores([lane(1000, 128, "behind"), lane(1000, 0, "best")], true).map(scoreLine);
  assert.equal(line.failedPercent, "12.8");
  assert.equal(line.window, "20-100");
});

test("the boot's failures are not counted: a lane without failures in the window is at 0.0 %", () => {
  const [line] = laneScores([lane(1000, 0, "even")], true).map(scoreLine);
  assert.equal(line.text, "0.0 % failed");
  assert.equal(line.failedPercent, "0.0");
});

test("before the window opens the score says when counting starts, with no number", () => {
  const waiting = { totals: { requests: 300, errors: 300 }, score: { window: [20, 120], counted: null, requests: 0, errors: 0, failedPercent: null }, pods: [] };
  const [line] = laneScores([waiting], true).map(scoreLine);
  assert.equal(line.text, "Counted from 0:20");
  assert.equal(line.failedPercent, "");
  assert.equal(line.window, "");
});

test("lanes that fail alike are even: no lane is called best", () => {
  const scores = laneScores([lane(100, 5, "even"), lane(200, 11, "even")], true);
  assert.deepEqual(
    scores.map((score) => scoreLine(score).rank),
    ["even", "even"],
  );
});

test("a Job's lane counts its pods' outcomes", () => {
  const pods = [{ phase: "Failed" }, { phase: "Failed" }, { phase: "Succeeded" }, { phase: "Pending" }];
  const [score] = laneScores([lane(0, 0, "none", pods)], false);
  assert.equal(scoreLine(score).text, "Pods Succeeded 1 · Failed 2");
});

test("a lane within chance of the best is marked best too; the gap is measured from the lowest best", () => {
  const scores = laneScores([lane(90000, 6206, "best"), lane(90000, 6192, "best"), lane(90000, 7000, "behind")], true);
  const lines = scores.map(scoreLine);
  assert.deepEqual(
    lines.map((line) => line.rank),
    ["best", "best", "behind"],
  );
  assert.equal(lines[0].text, "✓ fewest errors: 6.9 % failed");
  assert.equal(lines[2].text, "7.8 % failed · +0.9 pts vs best");
});

test("the seconds outside the window are greyed on the errors panel, within the range shown", () => {
  const shapes = scoreWindowShapes({ window: [20, 80], domain: [0.5, 0.7], range: [0, 100] });
  assert.deepEqual(
    shapes.map((shape) => [shape.x0, shape.x1, shape.y0, shape.y1]),
    [
      [0, 20, 0.5, 0.7],
      [80, 100, 0.5, 0.7],
    ],
  );
  assert.deepEqual(scoreWindowShapes({ window: [20, 80], domain: [0, 1], range: [30, 70] }), []);
});
