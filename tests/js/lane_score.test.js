import assert from "node:assert/strict";
import { test } from "node:test";

import { laneScores, scoreLine, scoreWindowShapes } from "../../static/podviz/lane_score.js";

// A lane whose score window (the server's `score`) opened at 20 s and is counted up to 100 s.
const lane = (requests, errors, pods = []) => ({
  totals: { requests: requests + 500, errors: errors + 400 }, // the boot's failures: not counted
  score: {
    window: [20, 120],
    counted: [20, 100],
    requests,
    errors,
    failedPercent: requests ? (100 * errors) / requests : null,
  },
  pods,
});

test("the lane with the fewest failed requests in the window is marked; the others say how far behind", () => {
  const scores = laneScores([lane(1000, 128), lane(1000, 111), lane(0, 0)], true);
  assert.deepEqual(
    scores.map((score) => scoreLine(score).rank),
    ["behind", "best", "none"],
  );
  assert.equal(scoreLine(scores[0]).text, "12.8 % failed from 0:20 · +1.7 pts vs best");
  assert.equal(scoreLine(scores[1]).text, "✓ fewest errors: 11.1 % failed from 0:20");
  assert.equal(scoreLine(scores[0]).title, "128 of 1000 requests failed from 0:20 to 1:40");
});

test("the element's data gives the number shown and the seconds counted", () => {
  const [line] = laneScores([lane(1000, 128), lane(1000, 0)], true).map(scoreLine);
  assert.equal(line.failedPercent, "12.8");
  assert.equal(line.window, "20-100");
});

test("the boot's failures are not counted: a lane without failures in the window is at 0.0 %", () => {
  const [line] = laneScores([lane(1000, 0)], true).map(scoreLine);
  assert.equal(line.text, "0.0 % failed from 0:20");
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
  const scores = laneScores([lane(100, 5), lane(200, 10)], true);
  assert.deepEqual(
    scores.map((score) => scoreLine(score).rank),
    ["even", "even"],
  );
});

test("a Job's lane counts its pods' outcomes", () => {
  const pods = [{ phase: "Failed" }, { phase: "Failed" }, { phase: "Succeeded" }, { phase: "Pending" }];
  const [score] = laneScores([lane(0, 0, pods)], false);
  assert.equal(scoreLine(score).text, "Pods Succeeded 1 · Failed 2");
});

test("a lane whose rate prints as the best's is tied with it: same mark, never +0.0 pts", () => {
  // 6206 and 6192 failed of 90000: 6.896 % and 6.880 %, both shown as 6.9 %.
  const scores = laneScores([lane(90000, 6206), lane(90000, 6192), lane(90000, 7000)], true);
  const lines = scores.map(scoreLine);
  assert.deepEqual(
    lines.map((line) => line.rank),
    ["best", "best", "behind"],
  );
  assert.equal(lines[0].text, "✓ fewest errors: 6.9 % failed from 0:20");
  assert.equal(lines[2].text, "7.8 % failed from 0:20 · +0.9 pts vs best");
  assert.ok(lines.every((line) => !line.text.includes("+0.0")));
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
