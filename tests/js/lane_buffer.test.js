import assert from "node:assert/strict";
import { test } from "node:test";

import { LaneBuffer } from "../../runs/static/podviz/lane_buffer.js";
import { buffer, lane } from "./fixtures.js";

test("a buffer built from a new run.state never repeats a version an earlier buffer had", () => {
  // Views skip a redraw when the version they drew is unchanged: after a seek, every lane gets
  // a new buffer, whose version must differ from anything drawn before.
  const before = buffer(lane({ seconds: 599 }));
  const after = buffer(lane({ seconds: 639 }));
  assert.notEqual(after.version, before.version);
  const seen = new Set([before.version, after.version]);
  for (let i = 0; i < 20; i += 1) {
    const fresh = buffer(lane({ seconds: 700 + i }));
    assert.ok(!seen.has(fresh.version), `version ${fresh.version} repeated`);
    seen.add(fresh.version);
  }
});

test("a frame that continues the series raises the version and appends its points", () => {
  const built = buffer(lane({ seconds: 3 }));
  const version = built.version;
  const frame = { name: "lane", seriesStart: 3, series: { time: [3], requests: { "web-1": [7] } } };
  assert.equal(built.apply(frame, { full: false }), true);
  assert.ok(built.version > version);
  assert.deepEqual(built.time, [0, 1, 2, 3]);
  assert.deepEqual(built.requests.get("web-1"), [5, 5, 5, 7]);
  assert.deepEqual(built.noEndpointErrors, [0, 0, 0, 0]); // a series left out does not shift
});

test("a frame that skips points is refused, so that the page asks for a fresh state", () => {
  const built = buffer(lane({ seconds: 3 }));
  const frame = { name: "lane", seriesStart: 5, series: { time: [5], requests: { "web-1": [1] } } };
  assert.equal(built.apply(frame, { full: false }), false);
  assert.deepEqual(built.time, [0, 1, 2]);
});

test("a frame without changes keeps the version", () => {
  const built = new LaneBuffer("lane");
  built.apply(lane({ seconds: 2 }), { full: true });
  const version = built.version;
  built.apply({ name: "lane", seriesStart: 2, series: { time: [] } }, { full: false });
  assert.equal(built.version, version);
});
