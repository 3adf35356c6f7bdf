// One lane's figure: five stacked panels on one time axis.
//   traffic share per pod (stacked to 100 %) · errors per second by cause · ready endpoints ·
//   pod state (container running / Ready / in endpoints) · probe results
// Every panel shares the x axis, so a zoom in one panel (or in one lane) moves them all.
import { CAUSES, STATE_KINDS } from "./lane_buffer.js";
import { CAUSE_COLOURS, PROBE_RESULT_STYLES, STATE_COLOURS, translucent } from "./palette.js";
import { format, gettext } from "./i18n.js";

const PROBE_TYPES = ["startup", "readiness", "liveness"];
const PX = { share: 140, errors: 80, ready: 40, stateRow: 9, probeRow: 11, gap: 20, top: 64, bottom: 34, left: 58 };
const PANELS = ["share", "errors", "ready", "states", "probes"]; // top to bottom

// The Plotly figure, and what the HTML overlay draws on it (titles, pod names, markers): text in
// Plotly is slow to lay out, and as HTML it is also plain, selectable, accessible text.
// `scales` holds the largest errors per second and ready endpoints of all lanes in the range, so
// that every lane uses the same y axes and compares at a glance.
export function laneFigure({ buffer, range, scales, styles, markers, theme, revision, width }) {
  const scale = theme.scale;
  const view = visibleSlice(buffer.time, range);
  const states = stateRows(buffer, styles, theme, view);
  const probes = probeRows(buffer, styles, theme, range);
  const heights = {
    share: PX.share * scale,
    errors: PX.errors * scale,
    ready: PX.ready * scale,
    states: Math.max(1, states.rows.length) * PX.stateRow * scale,
    probes: Math.max(2, probes.rows.length) * PX.probeRow * scale,
  };
  const margin = { l: PX.left * scale, r: 10, t: PX.top * scale, b: PX.bottom * scale };
  const panels = stackPanels(heights, PX.gap * scale, margin.t);
  const plot = { left: margin.l, right: width - margin.r, top: margin.t, bottom: panels.bottom };
  const data = [
    ...shareTraces(buffer, styles, theme, view),
    ...errorTraces(buffer, view),
    readyTrace(buffer, theme, view),
    states.trace,
    probes.trace,
  ];
  const layout = figureLayout({ width, height: plot.bottom + margin.b, margin, range, revision, theme });
  const domain = (key) => [
    (plot.bottom - panels[key].bottom) / (plot.bottom - plot.top),
    (plot.bottom - panels[key].top) / (plot.bottom - plot.top),
  ];
  const axis = { gridcolor: theme.grid, zeroline: false, fixedrange: true, tickfont: { size: 9 * scale } };
  const readyMax = Math.max(1, scales.ready);
  Object.assign(layout, {
    yaxis: { ...axis, domain: domain("share"), range: [0, 100], ticksuffix: "%", dtick: 50 },
    yaxis2: { ...axis, domain: domain("errors"), range: [0, niceMax(scales.errors)], nticks: 3 },
    yaxis3: { ...axis, domain: domain("ready"), range: [0, readyMax + 0.5], dtick: readyMax > 4 ? undefined : 1 },
    yaxis4: categoryAxis(axis, domain("states"), states.rows),
    yaxis5: categoryAxis(axis, domain("probes"), probes.rows),
  });
  const overlay = {
    plot,
    range,
    titles: panelTitles(panels),
    podNames: [
      ...rowLabels(states.names, panels.states, states.rows.length),
      ...rowLabels(probes.names, panels.probes, probes.rows.length),
    ],
    note: probes.rows.length
      ? null
      : { text: gettext("No probes configured in this lane"), top: (panels.probes.top + panels.probes.bottom) / 2 },
    markers: markers.filter((marker) => marker.time >= range[0] && marker.time <= range[1]),
  };
  return { data, layout, overlay };
}

// The layout without its y axes. `xaxis.uirevision` changes with the shared time window, so that
// every lane takes a zoom made in any of them; otherwise a user's zoom survives updates.
function figureLayout({ width, height, margin, range, revision, theme }) {
  const font = 11 * theme.scale;
  return {
    width,
    height,
    margin,
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { family: theme.fontFamily, size: font, color: theme.fg },
    showlegend: false,
    hovermode: "x unified",
    hoverlabel: { bgcolor: theme.bg, bordercolor: theme.grid, font: { size: font, color: theme.fg } },
    dragmode: "zoom",
    uirevision: "lane",
    xaxis: {
      range,
      autorange: false,
      uirevision: `x-${revision}`,
      anchor: "y5",
      gridcolor: theme.grid,
      zeroline: false,
      ticksuffix: " s",
      title: { text: gettext("simulated time"), standoff: 4, font: { size: font * 0.9 } },
    },
  };
}

// The indexes of the points inside the visible range (one second of slack on each side).
function visibleSlice(time, [start, end]) {
  let from = 0;
  while (from < time.length && time[from] < start - 1) from += 1;
  let to = from;
  while (to < time.length && time[to] <= end + 1) to += 1;
  return { from, to, time: time.slice(from, to) };
}

// Each panel's top and bottom in pixels, the first one below the top margin.
function stackPanels(heights, gap, top) {
  const panels = {};
  let y = top;
  for (const key of PANELS) {
    y += gap; // room for the panel's title
    panels[key] = { top: y, bottom: y + heights[key] };
    y += heights[key];
  }
  panels.bottom = y;
  return panels;
}

function shareTraces(buffer, styles, theme, view) {
  const pods = [...buffer.requests.keys()].sort((a, b) => styles.names().indexOf(a) - styles.names().indexOf(b));
  const totals = view.time.map((_, k) => {
    const i = view.from + k;
    return pods.reduce((sum, pod) => sum + buffer.requests.get(pod)[i], 0) + (buffer.noEndpointErrors[i] ?? 0);
  });
  const share = (points) =>
    totals.map((total, k) => (total > 0 ? (100 * (points[view.from + k] ?? 0)) / total : null));
  const traces = pods.map((pod) => {
    const style = styles.style(pod, theme.name);
    return {
      type: "scatter",
      mode: "lines",
      name: pod,
      meta: { kind: "share", pod },
      x: view.time,
      y: share(buffer.requests.get(pod)),
      stackgroup: "share",
      line: { color: style.color, width: 0 },
      fillcolor: style.fill,
      fillpattern: { shape: style.pattern, fgcolor: style.color, bgcolor: style.fill, size: 6, solidity: 0.2 },
      hovertemplate: `${pod}: %{y:.1f}%<extra></extra>`,
      yaxis: "y",
    };
  });
  const noEndpoint = gettext("no endpoint");
  traces.push({
    type: "scatter",
    mode: "lines",
    name: noEndpoint,
    meta: { kind: "share", pod: null },
    x: view.time,
    y: share(buffer.noEndpointErrors),
    stackgroup: "share",
    line: { color: CAUSE_COLOURS.NoEndpoints, width: 0.5 },
    fillcolor: translucent(CAUSE_COLOURS.NoEndpoints, 0.45),
    hovertemplate: `${noEndpoint}: %{y:.1f}%<extra></extra>`,
    yaxis: "y",
  });
  return traces;
}

function errorTraces(buffer, view) {
  return CAUSES.map((cause) => ({
    type: "scatter",
    mode: "lines",
    name: cause,
    meta: { kind: "errors", cause },
    x: view.time,
    y: buffer.errorsByCause.get(cause).slice(view.from, view.to),
    stackgroup: "errors",
    line: { color: CAUSE_COLOURS[cause], width: 0.8 },
    fillcolor: translucent(CAUSE_COLOURS[cause], 0.7),
    hovertemplate: `${cause}: %{y}/s<extra></extra>`,
    yaxis: "y2",
  }));
}

// The largest errors per second (all causes together) and ready endpoints within the range.
export function laneScales(buffer, range) {
  const view = visibleSlice(buffer.time, range);
  let errors = 0;
  let ready = 0;
  for (let i = view.from; i < view.to; i += 1) {
    let total = 0;
    for (const points of buffer.errorsByCause.values()) total += points[i] ?? 0;
    errors = Math.max(errors, total);
    ready = Math.max(ready, buffer.readyEndpoints[i] ?? 0);
  }
  return { errors, ready };
}

// A round axis end a little above `value`: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten.
function niceMax(value) {
  if (value <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(value * 1.05));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((factor) => factor * magnitude >= value * 1.05);
  return step * magnitude;
}

function readyTrace(buffer, theme, view) {
  const label = gettext("Ready endpoints");
  return {
    type: "scatter",
    mode: "lines",
    name: label,
    meta: { kind: "readyEndpoints" },
    x: view.time,
    y: buffer.readyEndpoints.slice(view.from, view.to),
    line: { color: theme.fg, width: 2, shape: "hv" },
    hovertemplate: `${label}: %{y}<extra></extra>`,
    yaxis: "y3",
  };
}

// Per pod, a row with its name, then three rows: container running, Ready, in the Service's
// endpoints. Ready=False while the container runs is drawn in the warning colour: the state the
// story is about. Seconds before the pod existed, or after it was gone, stay blank.
function stateRows(buffer, styles, theme, view) {
  const kinds = {
    running: gettext("running"),
    ready: gettext("Ready"),
    inEndpoints: gettext("endpoints"),
  };
  const yes = gettext("yes");
  const no = gettext("no");
  const runningNotReady = gettext("Running but not Ready");
  const order = styles.names();
  const pods = [...buffer.podStates.keys()]
    .filter((pod) => view.time.some((time) => buffer.existed(pod, time)))
    .sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const rows = [];
  const names = [];
  const z = [];
  const text = [];
  const blank = view.time.map(() => null);
  for (const pod of pods) {
    const states = buffer.podStates.get(pod);
    const alive = view.time.map((time) => buffer.existed(pod, time));
    const slice = (kind) => states[kind].slice(view.from, view.to);
    const running = slice("running");
    names.push({ row: rows.length, pod });
    rows.push("");
    z.push(blank);
    text.push(blank);
    for (const kind of STATE_KINDS) {
      const cells = slice(kind).map((value, k) => {
        if (value === null || !alive[k]) return null;
        if (kind === "ready" && !value && running[k]) return 2;
        return value ? 1 : 0;
      });
      const words = [`${pod} ${kinds[kind]}: ${no}`, `${pod} ${kinds[kind]}: ${yes}`, `${pod}: ${runningNotReady}`];
      rows.push(kinds[kind]);
      z.push(cells);
      text.push(cells.map((cell) => (cell === null ? null : words[cell])));
    }
  }
  const trace = {
    type: "heatmap",
    name: gettext("Pod state"),
    meta: { kind: "podStates", pods },
    x: view.time,
    y: rows.map((_, i) => i),
    z,
    text,
    zmin: 0,
    zmax: 2,
    colorscale: [
      [0, theme.off],
      [0.25, theme.off],
      [0.25, STATE_COLOURS.yes],
      [0.75, STATE_COLOURS.yes],
      [0.75, STATE_COLOURS.warning],
      [1, STATE_COLOURS.warning],
    ],
    showscale: false,
    ygap: 1,
    hoverongaps: false,
    hovertemplate: "%{text}<extra></extra>",
    yaxis: "y4",
  };
  return { rows, names, trace };
}

// Per pod with probes, a row with its name, then one row per probe type; each attempt is a mark
// at its time.
function probeRows(buffer, styles, theme, [start, end]) {
  const types = new Map(); // pod -> set of probe types
  const note = (pod, type) => {
    if (!types.has(pod)) types.set(pod, new Set());
    types.get(pod).add(type);
  };
  for (const attempt of buffer.probes) note(attempt.pod, attempt.probeType);
  for (const pod of buffer.pods) {
    for (const container of pod.containers ?? []) for (const probe of container.probes ?? []) note(pod.name, probe.type);
  }
  const order = styles.names();
  const rows = [];
  const names = [];
  const rowOf = new Map();
  for (const pod of [...types.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b))) {
    names.push({ row: rows.length, pod });
    rows.push("");
    for (const type of PROBE_TYPES.filter((type) => types.get(pod).has(type))) {
      rowOf.set(`${pod} ${type}`, rows.length);
      rows.push(type);
    }
  }
  const visible = buffer.probes.filter((a) => a.time >= start - 1 && a.time <= end + 1);
  const resultWords = { success: gettext("success"), failure: gettext("failure"), timeout: gettext("timeout") };
  const trace = {
    type: "scatter",
    mode: "markers",
    name: gettext("Probe results"),
    meta: { kind: "probes" },
    x: visible.map((a) => a.time),
    y: visible.map((a) => rowOf.get(`${a.pod} ${a.probeType}`)),
    marker: {
      size: 6 * theme.scale,
      color: visible.map((a) => (PROBE_RESULT_STYLES[a.result] ?? PROBE_RESULT_STYLES.failure).color),
      symbol: visible.map((a) => (PROBE_RESULT_STYLES[a.result] ?? PROBE_RESULT_STYLES.failure).symbol),
      line: { width: 0 },
    },
    text: visible.map((a) => probeHover(a, resultWords)),
    hovertemplate: "%{text}<extra></extra>",
    yaxis: "y5",
  };
  return { rows, names, trace };
}

function probeHover(attempt, resultWords) {
  const result = resultWords[attempt.result] ?? attempt.result;
  const counter =
    attempt.result === "success"
      ? format(gettext("%(count)s/%(threshold)s successes"), {
          count: attempt.consecutiveSuccesses,
          threshold: attempt.successThreshold,
        })
      : format(gettext("%(count)s/%(threshold)s failures"), {
          count: attempt.consecutiveFailures,
          threshold: attempt.failureThreshold,
        });
  return `${attempt.pod} ${attempt.probeType}: ${result} (${counter})`;
}

function categoryAxis(base, domain, rows) {
  return {
    ...base,
    domain,
    showgrid: false,
    tickvals: rows.map((_, i) => i),
    ticktext: rows,
    range: [Math.max(rows.length, 1) - 0.5, -0.5],
    ticks: "",
  };
}

function panelTitles(panels) {
  const titles = {
    share: gettext("Traffic share per pod"),
    errors: gettext("Errors per second, by cause"),
    ready: gettext("Ready endpoints"),
    states: gettext("Pod state"),
    probes: gettext("Probe results"),
  };
  return PANELS.map((key) => ({ text: titles[key], top: panels[key].top }));
}

// Where the name rows of a category panel sit, in pixels (rows are evenly spaced).
function rowLabels(names, panel, rows) {
  const rowHeight = (panel.bottom - panel.top) / Math.max(rows, 1);
  return names.map(({ row, pod }) => ({ pod, top: panel.top + (row + 0.5) * rowHeight }));
}
