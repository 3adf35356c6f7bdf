// One lane's heatmap on the sweep page: a square per combination of the varied fields, coloured
// by a metric for which more is always worse (failed requests, detection time, restarts).
import { format, gettext, localized } from "./i18n.js";

// value(cell) → number or null; title: the colour bar's (with the unit); unit after a value.
export const METRICS = {
  errorShare: {
    // In the scenario's score window (simulator/results/score.py), as the run page's lane score.
    value: (cell) => cell.score?.failedPercent ?? null,
    name: gettext("failed requests"),
    title: gettext("failed requests (%)"),
    unit: "%",
    decimals: 1,
  },
  detectionSeconds: {
    value: (cell) => cell.detectionSeconds,
    name: gettext("detection time"),
    title: gettext("detection time (s)"),
    unit: "s",
    decimals: 1,
  },
  restarts: {
    value: (cell) => cell.restarts,
    name: gettext("restarts"),
    title: gettext("container restarts"),
    unit: "",
    decimals: 0,
  },
};

// ColorBrewer's YlOrRd from pale (the lowest value, best) to dark red (the highest, worst).
// Written out rather than named: plotly.js's own "YlOrRd" runs the other way.
export const WORSE_IS_DARKER = [
  [0, "#ffffcc"],
  [0.25, "#fed976"],
  [0.5, "#fd8d3c"],
  [0.75, "#e31a1c"],
  [1, "#800026"],
];

// The lanes of a sweep, in the order their cells come.
export function sweepLanes(sweep) {
  return [...new Set(sweep.cells.map((cell) => cell.variant))];
}

// The lane's title as the scenario gives it (sweep.titles: {variant: {en, ko}}), else its name.
export function laneTitle(sweep, variant) {
  return localized(sweep.titles?.[variant]) || variant;
}

// [lowest, highest] of the metric over every cell of every lane: one scale for all lanes.
export function metricRange(sweep, metric) {
  const values = sweep.cells.map((cell) => METRICS[metric].value(cell)).filter((v) => v != null);
  return values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
}

function key(sweep, values) {
  return JSON.stringify(sweep.axes.map((axis) => values[axis.field]));
}

function shown(value, metric) {
  const { decimals, unit } = METRICS[metric];
  if (value == null) return gettext("not measured");
  return unit ? `${value.toFixed(decimals)} ${unit}` : value.toFixed(decimals);
}

// The Plotly heatmap trace of one lane: z[row][column] for the second field's values (rows) and
// the first field's (columns); customdata holds each square's {field: value} as JSON (for a
// click); text what the hover says about the square.
export function heatmapTrace(sweep, variant, metric, range) {
  const [xAxis, yAxis] = sweep.axes;
  const byKey = new Map(
    sweep.cells.filter((cell) => cell.variant === variant).map((cell) => [key(sweep, cell.values), cell]),
  );
  const yValues = yAxis ? yAxis.values : [""];
  const z = [];
  const customdata = [];
  const text = [];
  for (const y of yValues) {
    const row = [];
    const rowData = [];
    const rowText = [];
    for (const x of xAxis.values) {
      const values = { [xAxis.field]: x };
      if (yAxis) values[yAxis.field] = y;
      const cell = byKey.get(key(sweep, values));
      const value = cell ? METRICS[metric].value(cell) : null;
      row.push(value);
      rowData.push(JSON.stringify(values));
      const fields = sweep.axes.map((axis) => `${axis.field} = ${values[axis.field]}`);
      const measured = format(gettext("%(metric)s: %(value)s"), {
        metric: METRICS[metric].name,
        value: shown(value, metric),
      });
      rowText.push([...fields, measured].join("<br>"));
    }
    z.push(row);
    customdata.push(rowData);
    text.push(rowText);
  }
  return {
    type: "heatmap",
    x: xAxis.values.map(String),
    y: yValues.map(String),
    z,
    customdata,
    text,
    colorscale: WORSE_IS_DARKER,
    // One colour scale for every lane, so the same colour means the same value everywhere.
    zmin: range[0],
    zmax: range[1],
    colorbar: { title: { text: METRICS[metric].title, side: "right" } },
    hovertemplate: "%{text}<extra></extra>",
  };
}
