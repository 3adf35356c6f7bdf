// A lane with a serving model: its extra causes, latencies and requests in each pod, in the
// buffer and in the chart; a lane without one stays as it was.
import assert from "node:assert/strict";
import { test } from "node:test";

import { laneFigure, laneRows, laneScales, queuedProbeTimeouts, sharedRows } from "../../runs/static/podviz/lane_chart.js";
import { laneSeries, seriesCsv } from "../../runs/static/podviz/export.js";
import { PodStyles } from "../../runs/static/podviz/palette.js";
import { CAUSES, SERVING_ONLY_CAUSES } from "../../core/static/podviz/vocabulary.js";
import { buffer, lane, pod } from "./fixtures.js";

const theme = { name: "light", scale: 1, fontFamily: "sans-serif", fg: "#000", bg: "#fff", grid: "#ddd", off: "#eee" };
const range = [0, 60];

const liveness = (timeoutSeconds, waitsWithClients) => ({ type: "liveness", failureThreshold: 3, timeoutSeconds, waitsWithClients });

// A serving lane of 4 s: QueueFull errors in seconds 2 and 3, p99 above 1 s from second 2.
function servingLane({ name = "served", probes = [liveness(1, true)] } = {}) {
  const state = lane({ name, seconds: 4, pods: [pod("web-1", { probes })] });
  const zeros = [0, 0, 0, 0];
  state.series.errorsByCause = {
    ...state.series.errorsByCause,
    QueueFull: [0, 0, 3, 5],
    ClientTimeout: [0, 0, 0, 2],
    ConnectionReset: zeros,
  };
  state.series.latencyP50 = [0.04, 0.04, 0.5, null];
  state.series.latencyP99 = [0.2, 0.2, 2.5, null];
  state.series.inSystem = { "web-1": [1, 2, 900, 1000] };
  return state;
}

function figures(buffers) {
  const styles = new PodStyles();
  const rows = buffers.map((b) => laneRows({ buffer: b, styles, range, traffic: true }));
  const shared = sharedRows(buffers, rows);
  const maxima = buffers.map((b) => laneScales(b, range));
  const scales = Object.fromEntries(
    ["errors", "ready", "pods", "latency", "inSystem"].map((key) => [key, Math.max(0, ...maxima.map((m) => m[key]))]),
  );
  return buffers.map((b, i) =>
    laneFigure({ buffer: b, rows: rows[i], shared, range, scales, styles, markers: [], theme, revision: 0, width: 400 }),
  );
}

const traces = (figure, kind) => figure.data.filter((trace) => trace.meta.kind === kind);

test("a serving lane keeps every one of its causes; a lane without keeps the four", () => {
  const served = buffer(servingLane());
  const plain = buffer(lane({ name: "plain" }));
  assert.equal(served.serving, true);
  assert.equal(plain.serving, false);
  assert.deepEqual([...served.errorsByCause.keys()], [...CAUSES, ...SERVING_ONLY_CAUSES]);
  assert.deepEqual([...plain.errorsByCause.keys()], [...CAUSES]);
  assert.deepEqual(served.errorsByCause.get("QueueFull"), [0, 0, 3, 5]);
  assert.deepEqual(served.latencyP99, [0.2, 0.2, 2.5, null]);
});

test("a frame appends latencies and in-system counts; a frame without them pads with null", () => {
  const served = buffer(servingLane());
  served.apply(
    { name: "served", seriesStart: 4, series: { time: [4], latencyP99: [3.1], errorsByCause: { QueueFull: [7] } } },
    { full: false },
  );
  assert.deepEqual(served.latencyP99, [0.2, 0.2, 2.5, null, 3.1]);
  assert.deepEqual(served.latencyP50, [0.04, 0.04, 0.5, null, null]);
  assert.deepEqual(served.inSystem.get("web-1"), [1, 2, 900, 1000, null]);
  assert.deepEqual(served.errorsByCause.get("QueueFull"), [0, 0, 3, 5, 7]);
  assert.deepEqual(served.errorsByCause.get("ClientTimeout"), [0, 0, 0, 2, 0]);
});

test("the errors panel stacks the serving causes with their counts; a plain lane draws the four", () => {
  const [served, plain] = figures([buffer(servingLane()), buffer(lane({ name: "plain" }))]);
  const queueFull = traces(served, "errors").find((trace) => trace.meta.cause === "QueueFull");
  assert.deepEqual(queueFull.y, [0, 0, 3, 5]);
  assert.equal(queueFull.line.color, "#0072B2");
  assert.deepEqual(
    traces(plain, "errors").map((trace) => trace.meta.cause),
    [...CAUSES],
  );
});

test("a serving lane draws p50, p99 and its queued probe's timeout on a log axis", () => {
  const [served] = figures([buffer(servingLane())]);
  const latency = traces(served, "latency");
  assert.deepEqual(
    latency.map((trace) => trace.meta.quantile),
    ["p50", "p99"],
  );
  assert.deepEqual(latency[1].y, [0.2, 0.2, 2.5, null]);
  const [timeout] = traces(served, "probeTimeout");
  assert.deepEqual(timeout.y, [1, 1]);
  assert.deepEqual(timeout.x, range);
  const [label] = served.layout.annotations;
  assert.equal(label.text, "liveness timeout 1 s");
  assert.equal(label.yref, latency[0].yaxis);
  assert.equal(label.y, 0); // log10 of 1 s on the log axis
  const axisName = `yaxis${latency[0].yaxis.slice(1)}`;
  assert.equal(served.layout[axisName].type, "log");
  assert.ok(served.layout[axisName].range[1] >= Math.log10(2.5), "the axis reaches the highest p99");
  assert.deepEqual(traces(served, "inSystem")[0].y, [1, 2, 900, 1000]);
  assert.ok(served.overlay.titles.some((title) => title.text === "Latency"));
});

test("a probe served apart, or a tcp probe, draws no timeout line", () => {
  const apart = buffer(servingLane({ probes: [liveness(1, false), { type: "readiness", timeoutSeconds: 1 }] }));
  assert.deepEqual(queuedProbeTimeouts(apart), []);
  const [figure] = figures([apart]);
  assert.equal(traces(figure, "probeTimeout").length, 0);
  assert.deepEqual(figure.layout.annotations ?? [], []);
});

test("a lane without a serving model gets no latency traces, but the same rows and a note", () => {
  const [served, plain] = figures([buffer(servingLane()), buffer(lane({ name: "plain" }))]);
  assert.equal(traces(plain, "latency").length + traces(plain, "inSystem").length, 0);
  assert.equal(served.layout.height, plain.layout.height);
  assert.match(plain.overlay.notes[0].text, /No serving model/);
  const [alone] = figures([buffer(lane({ name: "plain" }))]);
  assert.equal(alone.overlay.titles.some((title) => title.text === "Latency"), false);
  assert.deepEqual(alone.overlay.notes, []);
});

test("the exports carry the serving causes and latencies; a plain lane's do not", () => {
  const csv = seriesCsv([laneSeries(buffer(servingLane()), "served"), laneSeries(buffer(lane({ name: "plain" })), "plain")]);
  assert.match(csv, /served,2,errorsByCause,QueueFull,3\r\n/);
  assert.match(csv, /served,2,latencyP99,,2.5\r\n/);
  assert.match(csv, /served,3,latencyP99,,\r\n/);
  assert.match(csv, /served,3,inSystem,web-1,1000\r\n/);
  assert.doesNotMatch(csv, /plain,\d+,(latencyP|inSystem|errorsByCause,QueueFull)/);
  const json = laneSeries(buffer(servingLane()), "served");
  assert.deepEqual(json.errorsByCause.ClientTimeout, [0, 0, 0, 2]);
  assert.equal("latencyP50" in laneSeries(buffer(lane({ name: "plain" })), "plain"), false);
});
