import assert from "node:assert/strict";
import { test } from "node:test";

import { heatmapTrace, laneTitle, metricRange } from "../../advisor/static/podviz/sweep_heatmap.js";

globalThis.document ??= { documentElement: { lang: "en" } };

const cell = (variant, period, threshold, errors, detectionSeconds, restarts) => ({
  variant,
  values: { "readinessProbe.periodSeconds": period, "readinessProbe.failureThreshold": threshold },
  totals: { requests: 1100, errors: errors + 50 },
  // The heatmap counts the score window (boot errors left out), not the totals.
  score: { requests: 1000, errors, failedPercent: errors / 10 },
  detectionSeconds,
  restarts,
});

const sweep = {
  axes: [
    { field: "readinessProbe.periodSeconds", values: [2, 10] },
    { field: "readinessProbe.failureThreshold", values: [1, 5] },
  ],
  cells: [
    cell("readiness", 2, 1, 10, 2, 0),
    cell("readiness", 10, 1, 40, 10, 1),
    cell("readiness", 2, 5, 30, 10, 1),
    cell("readiness", 10, 5, 120, 50, 3),
    cell("no-probes", 2, 1, 200, null, 0),
    cell("no-probes", 10, 1, 200, null, 0),
    cell("no-probes", 2, 5, 200, null, 0),
    cell("no-probes", 10, 5, 200, null, 0),
  ],
  titles: { readiness: { en: "Readiness probe", ko: "Readiness Probe 사용" } },
};

// Relative luminance of "#rrggbb" (0 black … 1 white).
function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// The colour Plotly gives a value: its place between zmin and zmax on the scale (no reversal).
function colourOf(trace, value) {
  assert.ok(!trace.reversescale);
  const place = (value - trace.zmin) / (trace.zmax - trace.zmin);
  return trace.colorscale.reduce((best, stop) => (Math.abs(stop[0] - place) < Math.abs(best[0] - place) ? stop : best))[1];
}

for (const metric of ["errorShare", "detectionSeconds", "restarts"]) {
  test(`${metric}: the worst square is the darkest, the best the palest`, () => {
    const range = metricRange(sweep, metric);
    const traces = ["readiness", "no-probes"].map((variant) => heatmapTrace(sweep, variant, metric, range));
    const values = traces.flatMap((trace) => trace.z.flat()).filter((value) => value !== null);
    const worst = colourOf(traces[0], Math.max(...values));
    const best = colourOf(traces[0], Math.min(...values));
    assert.ok(luminance(worst) < luminance(best) - 0.5, `${worst} vs ${best}`);
  });
}

test("the colour bar's title names the metric and its unit", () => {
  const title = (metric) => heatmapTrace(sweep, "readiness", metric, [0, 1]).colorbar.title.text;
  assert.equal(title("errorShare"), "failed requests (%)");
  assert.equal(title("detectionSeconds"), "detection time (s)");
  assert.equal(title("restarts"), "container restarts");
});

test("the hover names the varied fields, their values and the metric with its unit", () => {
  const trace = heatmapTrace(sweep, "readiness", "errorShare", [0, 20]);
  assert.equal(trace.hovertemplate, "%{text}<extra></extra>");
  // Row 1 is failureThreshold 5, column 1 periodSeconds 10: 120 of 1000 requests failed.
  assert.equal(
    trace.text[1][1],
    "readinessProbe.periodSeconds = 10<br>readinessProbe.failureThreshold = 5<br>failed requests: 12.0 %",
  );
  assert.equal(trace.z[1][1], 12);
  assert.deepEqual(JSON.parse(trace.customdata[1][1]), {
    "readinessProbe.periodSeconds": 10,
    "readinessProbe.failureThreshold": 5,
  });
  const detection = heatmapTrace(sweep, "no-probes", "detectionSeconds", [0, 50]);
  assert.match(detection.text[0][0], /detection time: not measured$/);
  const restarts = heatmapTrace(sweep, "readiness", "restarts", [0, 3]);
  assert.match(restarts.text[1][1], /restarts: 3$/);
});

test("a lane is titled as the scenario titles it, else by its name", () => {
  assert.equal(laneTitle(sweep, "readiness"), "Readiness probe");
  assert.equal(laneTitle(sweep, "no-probes"), "no-probes");
});
