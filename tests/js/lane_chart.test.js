import assert from "node:assert/strict";
import { test } from "node:test";

import { MAX_PODS_DRAWN, jobCounts, laneFigure, laneRows, niceMax, sharedRows, visibleSlice } from "../../runs/static/podviz/lane_chart.js";
import { PodStyles } from "../../runs/static/podviz/palette.js";
import { buffer, lane, pod } from "./fixtures.js";

const theme = { name: "light", scale: 1, fontFamily: "sans-serif", fg: "#000", bg: "#fff", grid: "#ddd", off: "#eee" };
const range = [0, 60];
const scales = { errors: 0, ready: 2, pods: 2 };

function figures(buffers, drawTheme = theme) {
  const styles = new PodStyles();
  const traffic = buffers.some((b) => (b.traffic?.requestsPerSecond ?? 1) > 0);
  const rows = buffers.map((b) => laneRows({ buffer: b, styles, range, traffic }));
  const shared = sharedRows(buffers, rows);
  return buffers.map((b, i) =>
    laneFigure({ buffer: b, rows: rows[i], shared, range, scales, styles, markers: [], theme: drawTheme, revision: 0, width: 300 }),
  );
}

const readiness = [{ type: "readiness", failureThreshold: 3 }];
const both = [...readiness, { type: "liveness", failureThreshold: 3 }];

test("lanes with and without probes get the same panels at the same pixel rows", () => {
  const lanes = [
    buffer(lane({ name: "none", pods: [pod("web-1"), pod("web-2")] })),
    buffer(lane({ name: "both", pods: [pod("web-1", { probes: both }), pod("web-2", { probes: both }), pod("web-3", { probes: both })] })),
  ];
  const [plain, probed] = figures(lanes);
  assert.equal(plain.layout.height, probed.layout.height);
  assert.deepEqual(plain.layout.yaxis.domain, probed.layout.yaxis.domain);
  assert.deepEqual(plain.strips.box, probed.strips.box);
  assert.deepEqual(
    plain.overlay.titles.map((t) => t.top),
    probed.overlay.titles.map((t) => t.top),
  );
  assert.ok(plain.overlay.note, "a lane without probes says so");
  assert.equal(probed.overlay.note, null);
});

test("the traffic share of every second adds up to 100 % with the no-endpoint band", () => {
  const [figure] = figures([buffer(lane({ pods: [pod("web-1"), pod("web-2")] }))]);
  const shares = figure.data.filter((trace) => trace.meta.kind === "share");
  assert.equal(shares.length, 3);
  const totals = shares[0].x.map((_, i) => shares.reduce((sum, trace) => sum + (trace.y[i] ?? 0), 0));
  assert.ok(totals.every((total) => Math.abs(total - 100) < 1e-9));
  assert.ok(shares.every((trace) => trace.fillpattern === undefined), "no SVG fill patterns");
});

test("a run without traffic (a Job) draws its pods, not empty traffic panels", () => {
  const states = {
    "report-1": { running: [0, 1, 1, 0, 0, 0], ready: [0, 1, 1, 0, 0, 0], inEndpoints: [0, 0, 0, 0, 0, 0] },
    "report-2": { running: [0, 0, 0, 0, 1, 1], ready: [0, 0, 0, 0, 1, 1], inEndpoints: [0, 0, 0, 0, 0, 0] },
  };
  const pods = [pod("report-1", { phase: "Failed", running: false }), pod("report-2")];
  const job = buffer(lane({ pods, seconds: 6, rate: 0, perPod: 0, states }));
  const [figure] = figures([job]);
  assert.deepEqual([...new Set(figure.data.map((trace) => trace.meta.kind))], ["jobPods"]);
  assert.ok(!figure.overlay.titles.some((title) => /Traffic/.test(title.text)));
  const counts = jobCounts(job, visibleSlice(job.time, range));
  assert.deepEqual(counts.running, [0, 1, 1, 0, 1, 1]);
  assert.deepEqual(counts.failed, [0, 0, 0, 1, 1, 1]);
  const phases = figure.strips.strips.states.rows.filter((row) => row.label === "phase");
  assert.deepEqual(
    phases[0].runs.map((run) => run.value),
    ["pending", "running", "failed"],
  );
});

test("projector mode draws tick and chart text at 16 px or more", () => {
  const [figure] = figures([buffer(lane({}))], { ...theme, scale: 1.5 });
  assert.ok(figure.layout.font.size >= 16);
  assert.ok(figure.layout.xaxis.tickfont.size >= 16);
  for (const axis of ["yaxis", "yaxis2", "yaxis3"]) assert.ok(figure.layout[axis].tickfont.size >= 16, axis);
});

test("axis ends are round numbers a little above the largest value", () => {
  assert.equal(niceMax(3), 5);
  assert.equal(niceMax(57), 60);
  assert.equal(niceMax(100), 120);
  assert.equal(niceMax(950), 1000);
});

test("a lane of many pods draws the busiest one by one and the rest as one band, still 100 %", () => {
  const pods = [...Array(20).keys()].map((n) => pod(`web-${n + 1}`, { probes: readiness }));
  const many = buffer(lane({ pods }));
  many.requests.get("web-20").fill(50);
  const [figure] = figures([many]);
  const shares = figure.data.filter((trace) => trace.meta.kind === "share");
  assert.equal(shares.length, MAX_PODS_DRAWN + 2);
  assert.ok(shares.some((trace) => trace.meta.pod === "web-20"), "the busiest pod is drawn on its own");
  const others = shares.find((trace) => trace.meta.others);
  assert.equal(others.meta.others, 20 - MAX_PODS_DRAWN);
  assert.match(others.name, /other pods \(12\)/);
  const totals = shares[0].x.map((_, i) => shares.reduce((sum, trace) => sum + (trace.y[i] ?? 0), 0));
  assert.ok(totals.every((total) => Math.abs(total - 100) < 1e-9));
  const rows = laneRows({ buffer: many, styles: new PodStyles(), range, traffic: true });
  assert.equal(rows.states.rows.length, (MAX_PODS_DRAWN + 1) * 4);
  assert.equal(rows.probes.rows.length, (MAX_PODS_DRAWN + 1) * 2);
  assert.equal(rows.states.rows.filter((row) => row.pod).length, MAX_PODS_DRAWN);
});
