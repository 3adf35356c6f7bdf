// One lane's figure: panels stacked on one time axis.
//   With a Service: traffic share per pod (stacked to 100 %) · errors per second by cause ·
//   with a serving model in any lane, latency of served requests and requests in each pod ·
//   ready endpoints · pod state (container running / Ready / in endpoints) · probe results.
//   Without traffic (a Job): pods running, succeeded and failed · each pod's phase · probes.
// The line panels are Plotly's; the per-pod strips are drawn on a canvas (lane_strips.js) over
// the same x axis. Every lane gets the same panels with the same pixel heights (sharedRows), so
// that the lanes line up row by row and compare at a glance.
import { CAUSE_COLOURS, STATE_KINDS } from "./vocabulary.js";
import { runsOf } from "./lane_strips.js";
import { STATE_COLOURS, translucent } from "./palette.js";
import { format, gettext } from "./i18n.js";
import { predictionLayout } from "./prediction_band.js";
import { scoreWindowShapes } from "./lane_score.js";

const PROBE_TYPES = ["startup", "readiness", "liveness"];
// In projector mode the share panel is shorter, so that the errors panel stays in a 720 px screen.
const PROJECTOR_SHARE = 90;
const PX = { share: 140, errors: 80, latency: 90, inSystem: 60, ready: 40, jobPods: 110, stateRow: 9, probeRow: 11, gap: 26, top: 44, left: 62 };
// Below the x axis: its tick labels, a standoff, then its title, each about 1.2 times the tick
// font's size high. Plotly keeps the title inside this margin, over the tick labels if the margin
// is too small for both.
const X_TITLE_STANDOFF = 6;
const bottomMargin = (tick) => Math.ceil(4 + 2.4 * tick + X_TITLE_STANDOFF);
const TRAFFIC_PANELS = ["share", "errors", "ready", "states", "probes"]; // top to bottom
const SERVING_PANELS = ["share", "errors", "latency", "inSystem", "ready", "states", "probes"];
const JOB_PANELS = ["jobPods", "states", "probes"];
const LINE_PANELS = ["share", "errors", "latency", "inSystem", "ready", "jobPods"]; // drawn by Plotly, in axis order
// The latency axis (log) starts at 10 ms: the served requests' p50 sits above it.
const LATENCY_FLOOR = 0.01;

// Sizes in CSS pixels: ordinary, and in projector mode, read from the back of a room (≥ 16 px).
export function chartSizes(theme) {
  const projector = theme.scale > 1;
  // Fewer time ticks when large, so that they stay level (Plotly tilts labels that collide).
  return { font: projector ? 17 : 11, tick: projector ? 16 : 10, rowScale: projector ? 1.9 : 1, xTicks: projector ? 4 : 6 };
}

// What a lane shows in `range`: the visible slice of its series and its strip rows.
// `traffic` is false for runs without a Service's traffic (a Job): pods are drawn by phase.
export function laneRows({ buffer, styles, range, traffic }) {
  const view = visibleSlice(buffer.time, range);
  const pods = stripPods(buffer, styles, view);
  return {
    view,
    states: traffic ? stateRows(buffer, view, pods) : phaseRows(buffer, view, pods),
    probes: probeRows(buffer, styles, pods, range),
  };
}

// Whether a run has traffic to show: any lane with requests per second above zero (a Job's
// lessons have no Service and no traffic).
export function runHasTraffic(buffers) {
  return buffers.some((buffer) => (buffer.traffic?.requestsPerSecond ?? 1) > 0);
}

// The most strip rows of any lane, so that every lane has the same height.
export function sharedRows(buffers, rowsOfLanes) {
  return {
    traffic: runHasTraffic(buffers),
    // Any lane with a serving model: every lane gets the latency panels' room, to line up.
    serving: runHasTraffic(buffers) && buffers.some((buffer) => buffer.serving),
    states: Math.max(1, ...rowsOfLanes.map((rows) => rows.states.rows.length)),
    probes: Math.max(2, ...rowsOfLanes.map((rows) => rows.probes.rows.length)),
  };
}

// The Plotly figure, and what the page draws over it: titles, row labels, markers (HTML) and
// the strips (canvas). `scales` holds the largest values of all lanes in the range, so that every
// lane uses the same y axes. `predictions` (this lane's, prediction_band.js) are drawn on the
// errors panel, with the run's own count when `showMeasured`.
export function laneFigure({
  buffer,
  rows,
  shared,
  range,
  scales,
  styles,
  markers,
  theme,
  revision,
  width,
  predictions = [],
  showMeasured = false,
}) {
  const sizes = chartSizes(theme);
  const scale = theme.scale;
  const keys = shared.traffic ? (shared.serving ? SERVING_PANELS : TRAFFIC_PANELS) : JOB_PANELS;
  const heights = {
    share: (theme.scale > 1 ? PROJECTOR_SHARE : PX.share) * scale,
    errors: PX.errors * scale,
    latency: PX.latency * scale,
    inSystem: PX.inSystem * scale,
    ready: PX.ready * scale,
    jobPods: PX.jobPods * scale,
    states: shared.states * PX.stateRow * sizes.rowScale,
    probes: shared.probes * PX.probeRow * sizes.rowScale,
  };
  const margin = { l: PX.left * scale, r: 10, t: PX.top * scale, b: bottomMargin(sizes.tick) };
  const panels = stackPanels(keys, heights, PX.gap * scale, margin.t);
  panels.states.rows = shared.states;
  panels.probes.rows = shared.probes;
  const plot = { left: margin.l, right: width - margin.r, top: margin.t, bottom: panels.bottom };
  const view = rows.view;
  const axisOf = {};
  LINE_PANELS.filter((key) => keys.includes(key)).forEach((key, index) => {
    axisOf[key] = index ? `y${index + 1}` : "y";
  });
  const serving = shared.serving && buffer.serving;
  const data = shared.traffic
    ? [
        ...shareTraces(buffer, styles, theme, view),
        ...errorTraces(buffer, view, axisOf.errors),
        ...(serving ? latencyTraces(buffer, theme, view, range, axisOf.latency) : []),
        ...(serving ? inSystemTraces(buffer, styles, theme, view, axisOf.inSystem) : []),
        readyTrace(buffer, theme, view, axisOf.ready),
      ]
    : jobTraces(buffer, view);
  const layout = figureLayout({ width, height: plot.bottom + margin.b, margin, range, revision, theme, sizes });
  const domain = (key) => [
    (plot.bottom - panels[key].bottom) / (plot.bottom - plot.top),
    (plot.bottom - panels[key].top) / (plot.bottom - plot.top),
  ];
  const axis = { gridcolor: theme.grid, zeroline: false, fixedrange: true, tickfont: { size: sizes.tick } };
  const readyMax = Math.max(1, scales.ready);
  const podsMax = Math.max(1, scales.pods);
  const axes = {
    share: { ...axis, range: [0, 100], ticksuffix: "%", dtick: 50 },
    errors: { ...axis, range: [0, niceMax(scales.errors)], nticks: 3 },
    ready: { ...axis, range: [0, readyMax + 0.5], dtick: readyMax > 4 ? undefined : 1 },
    jobPods: { ...axis, range: [0, podsMax + 0.5], dtick: podsMax > 4 ? undefined : 1 },
    latency: {
      ...axis,
      type: "log",
      // Headroom above the highest line for a timeout line's label.
      range: [Math.log10(LATENCY_FLOOR), Math.log10(Math.max(1, scales.latency ?? 0) * 3)],
      dtick: 1,
      ticksuffix: " s",
      visible: serving,
    },
    inSystem: { ...axis, range: [0, niceMax(scales.inSystem ?? 0)], nticks: 3, visible: serving },
  };
  for (const [key, name] of Object.entries(axisOf)) {
    layout[name === "y" ? "yaxis" : `yaxis${name.slice(1)}`] = { ...axes[key], domain: domain(key) };
  }
  if (shared.traffic) {
    const fontSize = Math.round(sizes.tick * 0.9);
    const plotWidth = plot.right - plot.left;
    const bands = predictionLayout({ predictions, domain: domain("errors"), range, showMeasured, fontSize, plotWidth });
    const uncounted = scoreWindowShapes({ window: buffer.score?.window, domain: domain("errors"), range });
    Object.assign(layout, bands, { shapes: [...uncounted, ...bands.shapes] });
  }
  if (serving) {
    const labels = timeoutAnnotations(buffer, range, axisOf.latency, theme, sizes);
    layout.annotations = [...(layout.annotations ?? []), ...labels];
  }
  const overlay = {
    plot,
    range,
    titles: panelTitles(keys, panels, shared.traffic, sizes, theme),
    rowLabels: [...stripLabels(rows.states.rows, panels.states), ...stripLabels(rows.probes.rows, panels.probes)],
    note: rows.probes.rows.length
      ? null
      : { text: gettext("No probes configured in this lane"), top: (panels.probes.top + panels.probes.bottom) / 2 },
    // A lane without a serving model in a run with one: its latency room says why it is empty.
    notes:
      shared.serving && !buffer.serving
        ? [
            {
              text: gettext("No serving model in this lane: latency and queues not modelled"),
              top: (panels.latency.top + panels.inSystem.bottom) / 2,
            },
          ]
        : [],
    markers: markers.filter((marker) => marker.time >= range[0] && marker.time <= range[1]),
  };
  const strips = {
    box: { left: plot.left, top: panels.states.top, width: plot.right - plot.left, height: panels.probes.bottom - panels.states.top },
    panels: { states: panels.states, probes: panels.probes },
    strips: { states: rows.states, probes: rows.probes },
  };
  return { data, layout, overlay, strips };
}

// The layout without its y axes. The x axis sits at the bottom of the strips (`anchor: free`).
// `xaxis.uirevision` changes with the shared time window, so that every lane takes a zoom made
// in any of them; otherwise a user's zoom survives updates.
function figureLayout({ width, height, margin, range, revision, theme, sizes }) {
  return {
    width,
    height,
    margin,
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { family: theme.fontFamily, size: sizes.font, color: theme.fg },
    showlegend: false,
    hovermode: "x unified",
    hoverlabel: { bgcolor: theme.bg, bordercolor: theme.grid, font: { size: sizes.font, color: theme.fg } },
    dragmode: "zoom",
    uirevision: "lane",
    xaxis: {
      range,
      autorange: false,
      uirevision: `x-${revision}`,
      anchor: "free",
      position: 0,
      gridcolor: theme.grid,
      zeroline: false,
      ticksuffix: " s",
      nticks: sizes.xTicks,
      tickangle: 0,
      tickfont: { size: sizes.tick },
      title: { text: gettext("simulated time"), standoff: X_TITLE_STANDOFF, font: { size: sizes.tick } },
    },
  };
}

// The indexes of the points inside the visible range (one second of slack on each side).
export function visibleSlice(time, [start, end]) {
  let from = 0;
  while (from < time.length && time[from] < start - 1) from += 1;
  let to = from;
  while (to < time.length && time[to] <= end + 1) to += 1;
  return { from, to, time: time.slice(from, to) };
}

// Each panel's top and bottom in pixels, the first one below the top margin.
function stackPanels(keys, heights, gap, top) {
  const panels = {};
  let y = top;
  for (const key of keys) {
    y += gap; // room for the panel's title
    panels[key] = { top: y, bottom: y + heights[key] };
    y += heights[key];
  }
  panels.bottom = y;
  return panels;
}

// Above this many pods a lane draws the pods that matter most one by one and the rest as one
// "other pods (k)" band or strip row, so that a 200-pod run redraws about as fast as a small one
// (one filled trace per pod cost Plotly over a minute per redraw at 200 pods).
export const MAX_PODS_DRAWN = 8;
const OTHER_PODS_COLOUR = "#8c8c8c";

// The pods in `order` (styles' order) with the largest `score` (compared element by element),
// at most MAX_PODS_DRAWN of them, still in `order`; and the rest.
function splitPods(order, score) {
  if (order.length <= MAX_PODS_DRAWN) return { shown: order, others: [] };
  const scores = new Map(order.map((pod) => [pod, score(pod)]));
  const byScore = [...order].sort((a, b) => {
    const [x, y] = [scores.get(a), scores.get(b)];
    const differs = x.findIndex((value, k) => value !== y[k]);
    return differs < 0 ? 0 : y[differs] - x[differs];
  });
  const kept = new Set(byScore.slice(0, MAX_PODS_DRAWN));
  return { shown: order.filter((pod) => kept.has(pod)), others: order.filter((pod) => !kept.has(pod)) };
}

function styleOrder(pods, styles) {
  const order = styles.names();
  return [...pods].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

// The traffic share per pod, stacked to 100 % with the no-endpoint band. With more than
// MAX_PODS_DRAWN pods: the pods with the most requests in view, then "other pods (k)" holding
// the exact sum of the others' requests, so the stack still totals 100 %.
function shareTraces(buffer, styles, theme, view) {
  const pods = styleOrder(buffer.requests.keys(), styles);
  const served = (pod) => {
    const points = buffer.requests.get(pod);
    let sum = 0;
    for (let i = view.from; i < view.to; i += 1) sum += points[i] ?? 0;
    return [sum];
  };
  const { shown, others } = splitPods(pods, served);
  const totals = view.time.map((_, k) => {
    const i = view.from + k;
    return pods.reduce((sum, pod) => sum + buffer.requests.get(pod)[i], 0) + (buffer.noEndpointErrors[i] ?? 0);
  });
  const share = (points) =>
    totals.map((total, k) => (total > 0 ? (100 * (points[view.from + k] ?? 0)) / total : null));
  // Solid fills with a thin edge in the page's colour between pods: SVG fill patterns over
  // these areas cost more than everything else in a redraw.
  const traces = shown.map((pod) => {
    const style = styles.style(pod, theme.name);
    return {
      type: "scatter",
      mode: "lines",
      name: pod,
      meta: { kind: "share", pod },
      x: view.time,
      y: share(buffer.requests.get(pod)),
      stackgroup: "share",
      line: { color: theme.bg, width: 0.6 },
      fillcolor: style.fill,
      hovertemplate: `${pod}: %{y:.1f}%<extra></extra>`,
      yaxis: "y",
    };
  });
  if (others.length) {
    const summed = buffer.time.map(() => 0);
    for (const pod of others) {
      const points = buffer.requests.get(pod);
      for (let i = view.from; i < view.to; i += 1) summed[i] += points[i] ?? 0;
    }
    const label = otherPodsLabel(others.length);
    traces.push({
      type: "scatter",
      mode: "lines",
      name: label,
      meta: { kind: "share", pod: null, others: others.length },
      x: view.time,
      y: share(summed),
      stackgroup: "share",
      line: { color: theme.bg, width: 0.6 },
      fillcolor: translucent(OTHER_PODS_COLOUR, 0.5),
      hovertemplate: `${label}: %{y:.1f}%<extra></extra>`,
      yaxis: "y",
    });
  }
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

function otherPodsLabel(count) {
  return format(gettext("other pods (%(count)s)"), { count });
}

// One stacked trace per cause the lane has (the serving model's causes only where there is one).
export function errorTraces(buffer, view, yaxis = "y2") {
  return [...buffer.errorsByCause.keys()].map((cause) => ({
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
    yaxis,
  }));
}

// The probes whose timeoutSeconds bound the clients' latency: http and grpc probes whose
// requests wait in the app's queue with the clients' (not served apart). One per probe type
// and timeout, from the lane's pods now: [{type, timeoutSeconds}].
export function queuedProbeTimeouts(buffer) {
  const found = new Map();
  for (const pod of buffer.pods ?? []) {
    for (const container of pod.containers ?? []) {
      for (const probe of container.probes ?? []) {
        if (!probe.waitsWithClients || !(probe.timeoutSeconds > 0)) continue;
        found.set(`${probe.type} ${probe.timeoutSeconds}`, { type: probe.type, timeoutSeconds: probe.timeoutSeconds });
      }
    }
  }
  return [...found.values()].sort((a, b) => a.timeoutSeconds - b.timeoutSeconds || a.type.localeCompare(b.type));
}

// The latency panel's lines: p50 and p99 of the requests served each second (log axis; no
// point where nothing was served), and each queued probe's timeout as a labelled level line.
export const LATENCY_LINES = [
  { key: "latencyP50", label: "p50", dash: "solid", width: 2 },
  { key: "latencyP99", label: "p99", dash: "solid", width: 2.5 },
];

export function latencyTraces(buffer, theme, view, range, yaxis) {
  const colours = { latencyP50: theme.fg, latencyP99: STATE_COLOURS.warning };
  const traces = LATENCY_LINES.map(({ key, label, dash, width }) => ({
    type: "scatter",
    mode: "lines",
    name: label,
    meta: { kind: "latency", quantile: label },
    x: view.time,
    y: buffer[key].slice(view.from, view.to).map((value) => (value > 0 ? value : null)),
    connectgaps: false,
    line: { color: colours[key], width, dash },
    hovertemplate: `${label}: %{y:.3f} s<extra></extra>`,
    yaxis,
  }));
  for (const { type, timeoutSeconds } of queuedProbeTimeouts(buffer)) {
    traces.push({
      type: "scatter",
      mode: "lines",
      name: timeoutLabel(type, timeoutSeconds),
      meta: { kind: "probeTimeout", probeType: type, timeoutSeconds },
      x: [range[0], range[1]],
      y: [timeoutSeconds, timeoutSeconds],
      line: { color: theme.fg, width: 1.5, dash: "dash" },
      hoverinfo: "skip",
      yaxis,
    });
  }
  return traces;
}

function timeoutLabel(type, seconds) {
  return format(gettext("%(probe)s timeout %(seconds)s s"), { probe: type, seconds });
}

// Each timeout line's label, just above the line at the right end of the panel, on the page's
// background so that the traces under it do not cross the text.
export function timeoutAnnotations(buffer, range, yaxis, theme, sizes) {
  return queuedProbeTimeouts(buffer).map(({ type, timeoutSeconds }) => ({
    text: timeoutLabel(type, timeoutSeconds),
    x: range[1],
    y: Math.log10(timeoutSeconds), // a log axis places annotations by the exponent
    xref: "x",
    yref: yaxis,
    xanchor: "right",
    yanchor: "bottom",
    yshift: 2,
    showarrow: false,
    bgcolor: translucent(theme.bg, 0.8),
    font: { size: Math.round(sizes.tick * 0.9), color: theme.fg },
  }));
}

// Requests in each pod's app (waiting in its queue or being served) at each second's end: the
// pods with the most, at most MAX_PODS_DRAWN, in their colours.
export function inSystemTraces(buffer, styles, theme, view, yaxis) {
  const pods = styleOrder(buffer.inSystem.keys(), styles);
  const most = (pod) => {
    const points = buffer.inSystem.get(pod);
    let top = 0;
    for (let i = view.from; i < view.to; i += 1) top = Math.max(top, points[i] ?? 0);
    return [top];
  };
  const { shown } = splitPods(pods, most);
  return shown.map((pod) => ({
    type: "scatter",
    mode: "lines",
    name: pod,
    meta: { kind: "inSystem", pod },
    x: view.time,
    y: buffer.inSystem.get(pod).slice(view.from, view.to),
    line: { color: styles.style(pod, theme.name).color, width: 1.5, shape: "hv" },
    hovertemplate: `${pod}: %{y} ${gettext("queued or in service")}<extra></extra>`,
    yaxis,
  }));
}

// The largest errors per second (all causes together), ready endpoints and Job pods (running,
// succeeded or failed) within the range.
export function laneScales(buffer, range) {
  const view = visibleSlice(buffer.time, range);
  let errors = 0;
  let ready = 0;
  let latency = 0;
  let inSystem = 0;
  for (let i = view.from; i < view.to; i += 1) {
    let total = 0;
    for (const points of buffer.errorsByCause.values()) total += points[i] ?? 0;
    errors = Math.max(errors, total);
    ready = Math.max(ready, buffer.readyEndpoints[i] ?? 0);
    if (!buffer.serving) continue;
    latency = Math.max(latency, buffer.latencyP99[i] ?? 0);
    for (const points of buffer.inSystem.values()) inSystem = Math.max(inSystem, points[i] ?? 0);
  }
  if (buffer.serving) {
    for (const { timeoutSeconds } of queuedProbeTimeouts(buffer)) latency = Math.max(latency, timeoutSeconds);
  }
  if ((buffer.traffic?.requestsPerSecond ?? 1) > 0) return { errors, ready, pods: 0, latency, inSystem };
  const counts = jobCounts(buffer, view);
  const pods = Math.max(0, ...counts.running, ...counts.succeeded, ...counts.failed);
  return { errors, ready, pods, latency, inSystem };
}

// A round axis end a little above `value`: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten.
export function niceMax(value) {
  if (value <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(value * 1.05));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((factor) => factor * magnitude >= value * 1.05);
  return step * magnitude;
}

function readyTrace(buffer, theme, view, yaxis = "y3") {
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
    yaxis,
  };
}

// A Job's pods second by second: how many run, and how many have ended Succeeded or Failed so
// far. A pod of a Job (restartPolicy Never or OnFailure) that stopped running for good is in its
// final phase from the second after it last ran.
export function jobCounts(buffer, view) {
  const running = view.time.map(() => 0);
  const succeeded = view.time.map(() => 0);
  const failed = view.time.map(() => 0);
  const phases = new Map(buffer.pods.map((pod) => [pod.name, pod.phase]));
  for (const [pod, states] of buffer.podStates) {
    const ran = states.running;
    const lastRan = ran.lastIndexOf(1);
    const phase = phases.get(pod);
    const finished = phase === "Succeeded" ? succeeded : phase === "Failed" ? failed : null;
    view.time.forEach((_, k) => {
      const i = view.from + k;
      if (ran[i] === 1) running[k] += 1;
      else if (finished && lastRan >= 0 && i > lastRan) finished[k] += 1;
    });
  }
  return { running, succeeded, failed };
}

// The Job panel's lines: how they look, and their names (translated when drawn).
const JOB_LINES = [
  { key: "running", label: () => gettext("pods running"), color: STATE_COLOURS.running, dash: "solid" },
  { key: "succeeded", label: () => gettext("Succeeded"), color: STATE_COLOURS.yes, dash: "dot" },
  { key: "failed", label: () => gettext("Failed"), color: STATE_COLOURS.warning, dash: "dash" },
];

function jobTraces(buffer, view) {
  const counts = jobCounts(buffer, view);
  return JOB_LINES.map(({ key, label, color, dash }) => ({
    type: "scatter",
    mode: "lines",
    name: label(),
    meta: { kind: "jobPods", phase: key },
    x: view.time,
    y: counts[key],
    line: { color, width: 2.5, shape: "hv", dash },
    hovertemplate: `${label()}: %{y}<extra></extra>`,
    yaxis: "y",
  }));
}

// The pods that existed in view, split into those drawn one by one and the others (drawn as one
// summary): with more than MAX_PODS_DRAWN, the pods with the most seconds in trouble in view (not
// Ready, or out of the endpoints), then the most requests served, are drawn one by one.
function stripPods(buffer, styles, view) {
  const pods = styleOrder(
    [...buffer.podStates.keys()].filter((pod) => view.time.some((time) => buffer.existed(pod, time))),
    styles,
  );
  return splitPods(pods, (pod) => {
    const states = buffer.podStates.get(pod);
    const requests = buffer.requests.get(pod) ?? [];
    let trouble = 0;
    let served = 0;
    view.time.forEach((time, k) => {
      const i = view.from + k;
      if (!buffer.existed(pod, time)) return;
      if (states.ready[i] === 0 || states.inEndpoints[i] === 0) trouble += 1;
      served += requests[i] ?? 0;
    });
    return [trouble, served];
  });
}

// Per pod, a row with its name, then three rows: container running, Ready, in the Service's
// endpoints. Ready=False while the container runs is drawn in the warning colour: the state the
// story is about. Seconds before the pod existed, or after it was gone, stay blank. Pods beyond
// MAX_PODS_DRAWN share one summary: per kind, yes when all of them are, the warning colour when
// some are, no when none is.
function stateRows(buffer, view, { shown, others }) {
  const labels = { running: gettext("running"), ready: gettext("Ready"), inEndpoints: gettext("endpoints") };
  const rows = [];
  for (const pod of shown) {
    const states = buffer.podStates.get(pod);
    const slice = (kind) => states[kind].slice(view.from, view.to);
    const running = slice("running");
    rows.push({ pod, label: "", runs: [] });
    for (const kind of STATE_KINDS) {
      const cells = slice(kind).map((value, k) => {
        if (value === null || !buffer.existed(pod, view.time[k])) return null;
        if (kind === "ready" && !value && running[k]) return 2;
        return value ? 1 : 0;
      });
      rows.push({ label: labels[kind], runs: runsOf(view.time, cells) });
    }
  }
  if (!others.length) return { rows };
  rows.push({ label: otherPodsLabel(others.length), runs: [] });
  for (const kind of STATE_KINDS) {
    const cells = view.time.map((time, k) => {
      const i = view.from + k;
      let existing = 0;
      let yes = 0;
      for (const pod of others) {
        const value = buffer.podStates.get(pod)[kind][i];
        if (value === null || value === undefined || !buffer.existed(pod, time)) continue;
        existing += 1;
        if (value) yes += 1;
      }
      if (!existing) return null;
      return yes === existing ? 1 : yes ? 2 : 0;
    });
    rows.push({ label: labels[kind], runs: runsOf(view.time, cells) });
  }
  return { rows };
}

// Per pod of a Job, its name and its phase: Pending until its container first runs, Running,
// then Succeeded or Failed (the phase it has now) after it last ran. Pods beyond MAX_PODS_DRAWN
// share one row: the phase most of them are in.
function phaseRows(buffer, view, { shown, others }) {
  const phases = new Map(buffer.pods.map((pod) => [pod.name, pod.phase]));
  const finalPhase = { Succeeded: "succeeded", Failed: "failed" };
  const phaseCells = (pod) => {
    const ran = buffer.podStates.get(pod).running;
    const firstRan = ran.indexOf(1);
    const lastRan = ran.lastIndexOf(1);
    return view.time.map((time, k) => {
      const i = view.from + k;
      if (!buffer.existed(pod, time)) return null;
      if (ran[i] === 1) return "running";
      if (firstRan < 0 || i < firstRan) return "pending";
      return finalPhase[phases.get(pod)] ?? (i > lastRan ? "pending" : "running");
    });
  };
  const rows = [];
  for (const pod of shown) {
    rows.push({ pod, label: "", runs: [] });
    rows.push({ label: gettext("phase"), runs: runsOf(view.time, phaseCells(pod)) });
  }
  if (!others.length) return { rows };
  const cellsOfOthers = others.map(phaseCells);
  const most = view.time.map((_, k) => {
    const counts = new Map();
    for (const cells of cellsOfOthers) if (cells[k] !== null) counts.set(cells[k], (counts.get(cells[k]) ?? 0) + 1);
    return counts.size ? [...counts].sort((a, b) => b[1] - a[1])[0][0] : null;
  });
  rows.push({ label: otherPodsLabel(others.length), runs: [] });
  rows.push({ label: gettext("phase"), runs: runsOf(view.time, most) });
  return { rows };
}

// Per pod with probes, a row with its name, then one row per probe type; each attempt is a mark
// at its time. Pods beyond MAX_PODS_DRAWN (`others`, as in the state rows) share one row per
// probe type holding all their attempts.
function probeRows(buffer, styles, { shown, others }, [start, end]) {
  const types = new Map(); // pod -> set of probe types
  const note = (pod, type) => {
    if (!types.has(pod)) types.set(pod, new Set());
    types.get(pod).add(type);
  };
  for (const attempt of buffer.probes) note(attempt.pod, attempt.probeType);
  for (const pod of buffer.pods) {
    for (const container of pod.containers ?? []) for (const probe of container.probes ?? []) note(pod.name, probe.type);
  }
  // When pods are grouped, only the pods drawn one by one get their own rows.
  const own = others.length ? new Set(shown) : null;
  const rows = [];
  const rowOf = new Map();
  for (const pod of styleOrder(types.keys(), styles).filter((pod) => !own || own.has(pod))) {
    rows.push({ pod, label: "" });
    for (const type of PROBE_TYPES.filter((type) => types.get(pod).has(type))) {
      rowOf.set(`${pod} ${type}`, rows.length);
      rows.push({ label: type });
    }
  }
  const groupedTypes = PROBE_TYPES.filter((type) => others.some((pod) => types.get(pod)?.has(type)));
  if (groupedTypes.length) {
    rows.push({ label: otherPodsLabel(others.length) });
    for (const type of groupedTypes) {
      for (const pod of others) rowOf.set(`${pod} ${type}`, rows.length);
      rows.push({ label: type });
    }
  }
  const attempts = buffer.probes
    .filter((a) => a.time >= start - 1 && a.time <= end + 1 && rowOf.has(`${a.pod} ${a.probeType}`))
    .map((a) => ({ time: a.time, row: rowOf.get(`${a.pod} ${a.probeType}`), result: a.result }));
  return { rows, attempts };
}

// Each panel's title; the Job panel's names its three lines in their colours (its key).
// Titles end above the half of the top tick label that stands over the panel.
function panelTitles(keys, panels, traffic, sizes, theme) {
  const jobKey = JOB_LINES.map(({ label, color, dash }) => ({ label: label(), color, dash }));
  const latencyKey = [
    { label: "p50", color: theme.fg, dash: "solid" },
    { label: "p99", color: STATE_COLOURS.warning, dash: "solid" },
  ];
  const titles = {
    share: gettext("Traffic share per pod"),
    errors: gettext("Errors per second, by cause"),
    latency: gettext("Latency"),
    inSystem: gettext("Requests in each pod"),
    ready: gettext("Ready endpoints"),
    jobPods: gettext("Job pods"),
    states: traffic ? gettext("Pod state") : gettext("Pod phase"),
    probes: gettext("Probe results"),
  };
  const lift = sizes.tick * 0.6 + 1;
  const keyOf = { jobPods: jobKey, latency: latencyKey };
  return keys.map((key) => ({ text: titles[key], top: panels[key].top - lift, key: keyOf[key] ?? null }));
}

// Where each strip row's label sits, in pixels: a pod's name on its own row, the kind of the
// row (running, Ready, a probe type) beside the rows under it.
function stripLabels(rows, panel) {
  const rowHeight = (panel.bottom - panel.top) / Math.max(panel.rows, 1);
  return rows.map((row, index) => ({ pod: row.pod ?? null, text: row.label, top: panel.top + (index + 0.5) * rowHeight }));
}
