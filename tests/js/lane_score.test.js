import assert from "node:assert/strict";
import { test } from "node:test";

import { laneScores, scoreLine } from "../../runs/static/podviz/lane_score.js";

const lane = (requests, errors, pods = []) => ({ totals: { requests, errors }, pods });

test("the lane with the fewest failed requests is marked; the others say how far behind", () => {
  const scores = laneScores([lane(1000, 128), lane(1000, 111), lane(0, 0)], true);
  assert.deepEqual(
    scores.map((score) => scoreLine(score).rank),
    ["behind", "best", "none"],
  );
  assert.equal(scoreLine(scores[0]).text, "12.8 % failed · +1.7 pts vs best");
  assert.equal(scoreLine(scores[1]).text, "✓ fewest errors: 11.1 % failed");
  assert.equal(scoreLine(scores[0]).title, "128 of 1000 requests failed so far");
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
  assert.equal(lines[0].text, "✓ fewest errors: 6.9 % failed");
  assert.equal(lines[2].text, "7.8 % failed · +0.9 pts vs best");
  assert.ok(lines.every((line) => !line.text.includes("+0.0")));
});

test("lanes that all print the same rate are even", () => {
  const scores = laneScores([lane(90000, 6206), lane(90000, 6192)], true);
  assert.deepEqual(
    scores.map((score) => scoreLine(score).rank),
    ["even", "even"],
  );
});
