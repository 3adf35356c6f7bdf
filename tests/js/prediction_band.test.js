import assert from "node:assert/strict";
import { test } from "node:test";

import { laneFigure, laneRows, sharedRows } from "../../runs/static/podviz/lane_chart.js";
import { PodStyles } from "../../runs/static/podviz/palette.js";
import {
  bandOf,
  hoverText,
  labelLines,
  lanePredictions,
  measuredShown,
  predictionLayout,
} from "../../runs/static/podviz/prediction_band.js";
import { buffer, lane, pod } from "./fixtures.js";

// As Prediction.as_dict() gives them for the seed story's readiness lane.
const nodeDown = {
  variant: "readiness",
  action: "NodeDown",
  at: 60,
  pods: ["web-2"],
  decidedBy: "nodeMonitorGracePeriod",
  detectionWindow: [40, 60],
  expectedErrors: [1953, 3219],
  measuredErrors: 2585,
  inBand: true,
  caveats: [],
};
const hangUnseen = {
  variant: "no-probes",
  action: "AppHang",
  at: 600,
  pods: ["web-3"],
  decidedBy: "nothing (no probe sees it)",
  detectionWindow: null,
  expectedErrors: [14740, 15260],
  measuredErrors: 14951,
  inBand: true,
  caveats: [],
};
const hangOutside = {
  ...nodeDown,
  variant: "liveness",
  action: "AppHang",
  at: 600,
  detectionWindow: [20, 30],
  expectedErrors: [981, 1685],
  measuredErrors: 1900,
  inBand: false,
  caveats: ["liveness restarts the container and, with no readinessProbe, it gets traffic again while it boots", "second"],
};
const domain = [0.4, 0.6];

test("a band covers the fault's time plus the detection window, over the errors panel only", () => {
  assert.deepEqual(bandOf(nodeDown), [100, 120]);
  assert.equal(bandOf(hangUnseen), null);
  const { shapes, annotations } = predictionLayout({ predictions: [nodeDown], domain, range: [0, 300], showMeasured: false, fontSize: 9, plotWidth: 400 });
  assert.equal(shapes.length, 1);
  assert.deepEqual(
    { type: shapes[0].type, xref: shapes[0].xref, yref: shapes[0].yref, x: [shapes[0].x0, shapes[0].x1], y: [shapes[0].y0, shapes[0].y1] },
    { type: "rect", xref: "x", yref: "paper", x: [100, 120], y: domain },
  );
  assert.equal(annotations.length, 1);
  assert.equal(annotations[0].x, 100);
  assert.equal(annotations[0].y, domain[1]);
  assert.equal(annotations[0].text, "predicted errors<br>1,953–3,219");
});

test("a fault nothing detects gets no band, only a label at its time", () => {
  const { shapes, annotations } = predictionLayout({ predictions: [hangUnseen], domain, range: [500, 700], showMeasured: false, fontSize: 9, plotWidth: 400 });
  assert.deepEqual(shapes, []);
  assert.equal(annotations[0].x, 600);
  assert.equal(annotations[0].text, "never detected<br>predicted errors<br>14,740–15,260");
  assert.match(annotations[0].hovertext, /no probe or controller detects it/);
});

test("bands outside the visible window are left out; a label sits at the band's visible start", () => {
  const before = predictionLayout({ predictions: [nodeDown], domain, range: [121, 300], showMeasured: false, fontSize: 9, plotWidth: 400 });
  assert.deepEqual(before, { shapes: [], annotations: [] });
  const after = predictionLayout({ predictions: [nodeDown], domain, range: [0, 99], showMeasured: false, fontSize: 9, plotWidth: 400 });
  assert.deepEqual(after, { shapes: [], annotations: [] });
  const cut = predictionLayout({ predictions: [nodeDown], domain, range: [110, 300], showMeasured: false, fontSize: 9, plotWidth: 400 });
  assert.deepEqual([cut.shapes[0].x0, cut.shapes[0].x1], [100, 120]);
  assert.equal(cut.annotations[0].x, 110);
});

test("the run's count is shown with ✓ inside the band, or the first caveat, cut short, outside it", () => {
  assert.deepEqual(labelLines(nodeDown, true), ["predicted errors", "1,953–3,219", "measured 2,585 ✓"]);
  assert.deepEqual(labelLines(hangOutside, true), [
    "predicted errors",
    "981–1,685",
    "measured 1,900, outside:",
    "liveness restarts the container…",
  ]);
  assert.deepEqual(labelLines({ ...hangOutside, caveats: ["a short one"] }, true).slice(2), ["measured 1,900, outside:", "a short one"]);
  assert.deepEqual(labelLines({ ...hangOutside, caveats: [] }, true)[2], "measured 1,900, outside the band");
  assert.deepEqual(labelLines(hangOutside, false), ["predicted errors", "981–1,685"]);
  assert.deepEqual(labelLines(hangUnseen, false), ["never detected", "predicted errors", "14,740–15,260"]);
});

test("a label in the window's right half ends at its band; labels that would overlap go one under the other", () => {
  const late = { ...nodeDown, at: 600, detectionWindow: [20, 30] };
  const wide = predictionLayout({ predictions: [late, nodeDown], domain, range: [0, 900], showMeasured: false, fontSize: 9, plotWidth: 2000 });
  assert.deepEqual(
    wide.annotations.map((a) => [a.x, a.xanchor, a.yshift]),
    [
      [100, "left", -0],
      [630, "right", -0],
    ],
  );
  const narrow = predictionLayout({ predictions: [nodeDown, late], domain, range: [0, 900], showMeasured: true, fontSize: 10, plotWidth: 230 });
  assert.deepEqual(narrow.annotations.map((a) => a.yshift), [-0, -39]);
  assert.deepEqual(narrow.annotations[0].text, "predicted errors<br>1,953–3,219<br>measured 2,585 ✓");
});

test("the measured count shows only at the end of a run without faults injected by hand", () => {
  assert.equal(measuredShown({ time: 899, duration: 900, finished: false, injected: [] }), false);
  assert.equal(measuredShown({ time: 900, duration: 900, finished: true, injected: [] }), true);
  assert.equal(measuredShown({ time: 900, duration: 900, finished: true, injected: [{ at: 5, action: "AppCrash", pod: "web-1" }] }), false);
});

test("the hover text says what the band is and that injected faults are not predicted", () => {
  const text = hoverText(hangOutside);
  assert.match(text, /AppHang at 600 s on web-2: Kubernetes' timing says nodeMonitorGracePeriod acts 20–30 s after it\./);
  assert.match(text, /• second/);
  assert.match(text, /Faults injected by hand are not predicted\.$/);
});

test("each lane draws its own variant's predictions", () => {
  const all = [nodeDown, hangUnseen, hangOutside];
  assert.deepEqual(lanePredictions(all, "readiness"), [nodeDown]);
  assert.deepEqual(lanePredictions(undefined, "readiness"), []);
});

test("the lane's figure puts the band on its errors panel's y domain", () => {
  const theme = { name: "light", scale: 1, fontFamily: "sans-serif", fg: "#000", bg: "#fff", grid: "#ddd", off: "#eee" };
  const styles = new PodStyles();
  const b = buffer(lane({ name: "readiness", pods: [pod("web-1"), pod("web-2")] }));
  const range = [0, 200];
  const rows = laneRows({ buffer: b, styles, range, traffic: true });
  const shared = sharedRows([b], [rows]);
  const args = { buffer: b, rows, shared, range, scales: { errors: 0, ready: 2, pods: 2 }, styles, markers: [], theme, revision: 0, width: 300 };
  const figure = laneFigure({ ...args, predictions: [nodeDown] });
  assert.equal(figure.data.find((trace) => trace.meta.kind === "errors").yaxis, "y2");
  assert.deepEqual([figure.layout.shapes[0].y0, figure.layout.shapes[0].y1], figure.layout.yaxis2.domain);
  assert.equal(figure.layout.annotations[0].y, figure.layout.yaxis2.domain[1]);
  assert.deepEqual(laneFigure(args).layout.shapes, []);
});

test("a prediction shows once its fault has happened, and never while it would answer the open question", async () => {
  const { shownPredictions } = await import("../../runs/static/podviz/prediction_band.js");
  const node = { at: 60, spoils: ["node-down"] };
  const hang = { at: 600, spoils: [] };
  const both = [node, hang];
  assert.deepEqual(shownPredictions(both, { time: 30 }), []);
  assert.deepEqual(shownPredictions(both, { time: 70 }), [node]);
  assert.deepEqual(shownPredictions(both, { time: 700, openQuestion: "node-down" }), [hang]);
  assert.deepEqual(shownPredictions(both, { time: 700, openQuestion: "node-down", show: "always" }), both);
  assert.deepEqual(shownPredictions(both, { time: 700, show: "off" }), []);
});
