// The live run page: one WebSocket, one buffer per lane, at most one redraw per animation frame.
import { Classroom } from "./classroom.js";
import { Status, RunConnection } from "./connection.js";
import { Controls } from "./controls.js";
import { EventsPanel } from "./events_panel.js";
import { download, laneSeries, legendOf, pagePng, runExport, seriesCsv } from "./export.js";
import { clock } from "./format.js";
import { format, gettext, localized } from "./i18n.js";
import { LaneBuffer } from "./lane_buffer.js";
import { laneRows, laneScales, runHasTraffic, sharedRows } from "./lane_chart.js";
import { laneScores } from "./lane_score.js";
import { LaneView } from "./lane_view.js";
import { renderPodLegend } from "./legend.js";
import { laneMarkers } from "./markers.js";
import { Narration } from "./narration.js";
import { Notices } from "./notices.js";
import { PodStyles } from "./palette.js";
import { lanePredictions, measuredShown, shownPredictions } from "./prediction_band.js";
import { installShortcuts } from "./shortcuts.js";
import { renderSummary } from "./summary_table.js";
import { chartTheme } from "./theme.js";
import { TimeWindow } from "./time_window.js";

const root = document.getElementById("run");
const lanesElement = document.getElementById("lanes");
const laneTemplate = document.getElementById("lane-template");
const statusBadge = document.getElementById("connection");
const summaryTable = document.getElementById("summary");

const styles = new PodStyles();
const timeWindow = new TimeWindow();
const notices = new Notices(document.getElementById("notices"));
const run = { time: 0, duration: 0, playing: false, speed: 1, finished: false, injected: [], scenario: null };
let predictions = []; // each fault's predicted damage (run.prediction), once the server knows it
let buffers = [];
let views = [];

const scheme = location.protocol === "https:" ? "wss" : "ws";
const handlers = { onMessage, onStatus: showStatus };
// A published lesson gives the page its recorded run (recorded_run.js); live, the run's WebSocket.
const connection =
  globalThis.podvizSource?.(handlers) ??
  new RunConnection(`${scheme}://${location.host}/ws/runs/${root.dataset.runId}/`, handlers);
const controls = new Controls(root, {
  send,
  onShowAll: (showAll) => {
    timeWindow.setShowAll(showAll);
    controls.setZoomed(false);
    scheduleRedraw();
  },
  onFollow: follow,
});
const eventsPanel = new EventsPanel(document.getElementById("events"));
eventsPanel.onChange = () => scheduleRedraw();
const classroom = new Classroom(document.getElementById("classroom"), { send, onChange: () => scheduleRedraw() });
const narration = new Narration(document.getElementById("story"), { seek: (time) => send({ type: "seek", time }) });

// Test and debugging hooks: the state a browser test can wait on.
const hooks = {
  framesReceived: 0,
  statesReceived: 0,
  heartbeatsReceived: 0,
  redraws: 0,
  drawnTime: null,
  time: 0,
  duration: 0,
  playing: false,
  speed: 1,
  finished: false,
  injected: [],
  lanes: [],
  errors: [],
  statusHistory: [],
  send,
  // Drops the connection as a network failure would; the page reconnects by itself.
  disconnect: () => connection.resync(),
  series: (index) => buffers[index]?.seriesSnapshot() ?? null,
  pods: (index) => buffers[index]?.pods ?? null,
  nodes: (index) => buffers[index]?.nodes ?? null,
  events: (index) => (buffers[index] ? [...buffers[index].events.values()] : null),
  markers: (index) => (buffers[index] ? markersOf(buffers[index]) : null),
  totals: (index) => buffers[index]?.totals ?? null,
  probes: (index) => (buffers[index] ? buffers[index].probes.map((attempt) => ({ ...attempt })) : null),
  get status() {
    return connection.status;
  },
  get scenario() {
    return run.scenario;
  },
  get connected() {
    return connection.connected;
  },
  get role() {
    return classroom.role;
  },
  get followers() {
    return classroom.followers;
  },
  get question() {
    return classroom.question;
  },
  get reveal() {
    return classroom.reveal;
  },
  get lastSeq() {
    return connection.lastSeq;
  },
};
window.podviz = hooks;

function send(command) {
  const sent = connection.send(command);
  if (!sent) notices.show(gettext("Not connected: the command was not sent. The page reconnects by itself."));
  return sent;
}

function follow() {
  timeWindow.follow();
  controls.setZoomed(false);
  scheduleRedraw();
}

function laneTitle(buffer) {
  return localized(buffer.title) || buffer.name;
}

// Frames ------------------------------------------------------------------------------------

function onMessage(message) {
  if (message.type === "run.state") onState(message);
  else if (message.type === "run.frame") onFrame(message);
  else if (message.type === "run.heartbeat") onHeartbeat(message);
  else if (message.type === "run.narration") onNarrationTimes(message);
  else if (message.type === "run.prediction") onPredictions(message.predictions);
  else if (message.type === "error") onError(message);
  else if (message.type.startsWith("class.")) classroom.onMessage(message);
}

function applyHeader(message) {
  for (const key of ["time", "duration", "playing", "speed", "finished", "injected"]) {
    if (key in message) run[key] = message[key];
  }
  Object.assign(hooks, {
    time: run.time,
    duration: run.duration,
    playing: run.playing,
    speed: run.speed,
    finished: run.finished,
    injected: run.injected,
  });
  controls.update(run);
}

function notePods(lanes) {
  const firstSeen = new Map();
  for (const lane of lanes) {
    for (const pod of lane.pods ?? []) {
      firstSeen.set(pod.name, Math.min(firstSeen.get(pod.name) ?? Infinity, pod.createdAt ?? Infinity));
    }
    for (const name of Object.keys(lane.series?.requests ?? {})) if (!firstSeen.has(name)) firstSeen.set(name, Infinity);
  }
  styles.noteAll(firstSeen);
}

function onState(message) {
  run.scenario = message.scenario ?? run.scenario;
  document.getElementById("run-description").textContent = localized(run.scenario?.description);
  narration.setScenario(run.scenario);
  if (run.scenario?.predictions) predictions = run.scenario.predictions;
  notePods(message.lanes);
  buffers = message.lanes.map((lane) => {
    const buffer = new LaneBuffer(lane.name);
    buffer.apply(lane, { full: true });
    return buffer;
  });
  const names = buffers.map((buffer) => buffer.name);
  if (names.join("\n") !== hooks.lanes.join("\n")) buildViews();
  hooks.lanes = names;
  hooks.statesReceived += 1;
  countFrame(message);
}

function buildViews() {
  for (const view of views) view.remove();
  views = buffers.map(
    (buffer, index) =>
      new LaneView(lanesElement, laneTemplate, index, {
        title: laneTitle(buffer),
        name: buffer.name,
        onZoom: (start, end) => {
          timeWindow.zoom(start, end);
          controls.setZoomed(true);
          scheduleRedraw();
        },
        onFollow: follow,
      }),
  );
  lanesElement.style.setProperty("--lane-count", String(views.length));
  eventsPanel.setLanes(buffers.map(laneTitle));
}

function onFrame(message) {
  if (message.lanes?.length !== buffers.length) return;
  notePods(message.lanes);
  const continuous = message.lanes.every((lane, index) => buffers[index].apply(lane, { full: false }));
  if (!continuous) {
    // Points were missed: the clock stays with the data until the new run.state.
    connection.resync();
    return;
  }
  countFrame(message);
}

function countFrame(message) {
  applyHeader(message);
  hooks.framesReceived += 1;
  scheduleRedraw();
}

// A heartbeat tells the clock as of its frame: applied only when that frame is the last one this
// page holds, so the clock never runs ahead of the drawn data (a state still arriving in parts)
// nor back behind it (a heartbeat that crossed a newer frame).
function onHeartbeat(message) {
  hooks.heartbeatsReceived += 1;
  if (message.seq === connection.lastSeq) applyHeader(message);
}

function onNarrationTimes(message) {
  narration.setTimes(message.times);
  scheduleRedraw();
}

function onPredictions(received) {
  predictions = received ?? [];
  scheduleRedraw();
}

function onError(message) {
  hooks.errors.push(message);
  if (message.code === "run_not_found") return; // the socket closes next: see runGone()
  notices.show(`${message.detail ?? message.code ?? gettext("The server refused the command.")}`);
}

// Status ------------------------------------------------------------------------------------

const STATUS_TEXT = {
  [Status.CONNECTING]: [gettext("Connecting…"), gettext("Opening the connection to the run.")],
  [Status.LIVE]: [gettext("LIVE"), gettext("Frames arrive as the simulation runs.")],
  [Status.PAUSED]: [gettext("PAUSED"), gettext("The simulated clock stands still; the server still answers.")],
  [Status.RECONNECTING]: [
    gettext("RECONNECTING"),
    gettext("The connection was lost. The page reconnects by itself and then redraws everything."),
  ],
  [Status.CLASS_SERVER]: [
    gettext("Reconnecting to the class server"),
    gettext(
      "The server lost the class server that carries the run between its processes. It reconnects by itself; the charts then redraw everything.",
    ),
  ],
  [Status.STALE]: [
    gettext("STALE"),
    gettext("Connected, but nothing arrived for over 3 seconds, or frames were missed: what you see may be old."),
  ],
  [Status.GONE]: [gettext("ENDED"), gettext("The server no longer runs this scenario.")],
};

// The server no longer has this run (it was stopped, or the server restarted): say so, stop the
// controls, and offer to start the same scenario again at the same moment and speed.
function runGone() {
  controls.setGone();
  narration.setGone();
  const slug = root.dataset.scenarioSlug;
  const text = gettext("This run is gone: the server restarted or stopped it. Its controls no longer work.");
  if (!slug) {
    notices.show(text, { link: { href: "/", text: gettext("Start a new one from the home page.") } });
    return;
  }
  const time = Math.floor(run.time);
  const url = `/scenarios/${encodeURIComponent(slug)}/play?t=${time}&speed=${run.speed}`;
  notices.show(text, {
    action: {
      text: format(gettext("Start it again at %(time)s, %(speed)s×"), { time: clock(time), speed: run.speed }),
      onClick: () => location.assign(url),
    },
  });
}

function showStatus(status) {
  hooks.statusHistory.push(status);
  if (status === Status.GONE) runGone();
  const [text, explanation] = STATUS_TEXT[status];
  statusBadge.textContent = text;
  statusBadge.title = explanation;
  statusBadge.dataset.status = status;
}

// Drawing -----------------------------------------------------------------------------------

let redrawPending = false;
let lastDrawAt = 0;
let lastDrawCost = 0;

// At most one redraw per animation frame, and a pause of a quarter of the last redraw's cost
// after it, so that input and sockets are served between redraws; a slow machine gets fewer,
// not later, redraws. Frames arriving meanwhile only fill buffers.
function scheduleRedraw() {
  if (redrawPending) return;
  redrawPending = true;
  const wait = Math.max(0, lastDrawAt + lastDrawCost / 4 - performance.now());
  setTimeout(() => requestAnimationFrame(draw), wait);
}

function markersOf(buffer) {
  return laneMarkers({
    scenarioEvents: run.scenario?.events ?? [],
    injected: run.injected ?? [],
    buffer,
    now: run.time,
  });
}

// A full redraw when what the lanes show changed (new points, a new state, the window, the
// theme, the size); otherwise only the clock cursors move, which costs next to nothing. Widths
// are read before anything is written, so that the browser lays the page out once per draw.
let drawnKey = null;

function draw() {
  redrawPending = false;
  const started = performance.now();
  const theme = chartTheme();
  const earliest = Math.min(...buffers.map((buffer) => buffer.time[0] ?? 0));
  const range = timeWindow.range(run.time, run.duration, Number.isFinite(earliest) ? earliest : 0);
  const widths = views.map((view) => view.width());
  const actionsSoFar = [...(run.scenario?.events ?? []), ...(run.injected ?? [])].filter((event) => event.at <= run.time);
  const plotly = typeof Plotly !== "undefined";
  const showMeasured = measuredShown(run);
  const visible = shownPredictions(predictions, {
    time: run.time,
    show: classroom.predictionsShow,
    openQuestion: classroom.openQuestion,
  });
  hooks.predictionsShown = visible.length;
  const key = JSON.stringify([
    buffers.map((buffer) => buffer.version),
    range,
    theme,
    timeWindow.revision,
    widths,
    actionsSoFar.length,
    plotly,
    visible.length,
    showMeasured,
  ]);
  if (key !== drawnKey) {
    drawnKey = key;
    drawLanes({ theme, range, widths, showMeasured, visible });
  }
  views.forEach((view) => view.moveClock(run.time));
  narration.update(run.time, buffers);
  hooks.redraws += 1;
  hooks.drawnTime = run.time;
  hooks.drawCost = performance.now() - started;
  lastDrawAt = performance.now();
  lastDrawCost = lastDrawAt - started;
}

function drawLanes({ theme, range, widths, showMeasured, visible }) {
  const laneMaxima = buffers.map((buffer) => laneScales(buffer, range));
  const scales = {
    errors: Math.max(0, ...laneMaxima.map((maxima) => maxima.errors)),
    ready: Math.max(0, ...laneMaxima.map((maxima) => maxima.ready)),
    pods: Math.max(0, ...laneMaxima.map((maxima) => maxima.pods)),
    latency: Math.max(0, ...laneMaxima.map((maxima) => maxima.latency)),
    inSystem: Math.max(0, ...laneMaxima.map((maxima) => maxima.inSystem)),
  };
  const traffic = runHasTraffic(buffers);
  const rows = buffers.map((buffer) => laneRows({ buffer, styles, range, traffic }));
  const shared = sharedRows(buffers, rows);
  const scores = laneScores(buffers, shared.traffic);
  views.forEach((view, index) => {
    const buffer = buffers[index];
    view.draw({
      buffer,
      rows: rows[index],
      shared,
      range,
      scales,
      styles,
      markers: markersOf(buffer),
      theme,
      revision: timeWindow.revision,
      width: widths[index],
      score: scores[index],
      predictions: lanePredictions(visible, buffer.name),
      showMeasured,
    });
  });
  renderSummary(summaryTable, buffers, laneTitle);
  eventsPanel.draw(buffers, buffers.map(laneTitle), run.time);
  renderPodLegend(document.getElementById("legend-pods"), styles, theme);
  // The serving model's causes are in the key only when a lane has them.
  const serving = buffers.some((buffer) => buffer.serving);
  document.querySelectorAll(".legend .serving-only").forEach((item) => {
    item.hidden = !serving;
  });
  controls.setTargets(unionOf((buffer) => buffer.nodes), unionOf((buffer) => buffer.pods));
}

function unionOf(items) {
  const names = new Set(buffers.flatMap((buffer) => (items(buffer) ?? []).map((item) => item.name)));
  return [...names].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

// Downloads ----------------------------------------------------------------------------------

function exportName(extension) {
  return `${run.scenario?.name ?? "podviz"}-${Math.floor(run.time)}s.${extension}`;
}

function exportedLanes() {
  return buffers.map((buffer) => laneSeries(buffer, laneTitle(buffer)));
}

document.getElementById("export-csv").addEventListener("click", () => {
  download(new Blob([seriesCsv(exportedLanes())], { type: "text/csv" }), exportName("csv"));
});
document.getElementById("export-json").addEventListener("click", () => {
  const text = JSON.stringify(runExport(run, exportedLanes()), null, 1);
  download(new Blob([text], { type: "application/json" }), exportName("json"));
});
document.getElementById("export-png").addEventListener("click", async () => {
  if (typeof Plotly === "undefined" || views.length === 0) return;
  const theme = chartTheme();
  const blob = await pagePng({
    title: document.querySelector(".run-head h1").textContent,
    subtitle: `${run.scenario?.name ?? ""} · seed ${run.scenario?.seed ?? ""} · ${clock(run.time)} / ${clock(run.duration)}`,
    views,
    laneTitles: buffers.map(laneTitle),
    legend: legendOf(document.querySelector(".legend")),
    theme,
  });
  download(blob, exportName("png"));
});

window.addEventListener("podviz:preferences", scheduleRedraw);
window.addEventListener("resize", scheduleRedraw);
installShortcuts({
  togglePlay: () => controls.togglePlay(),
  step: () => controls.step(),
  faster: () => controls.changeSpeed(1),
  slower: () => controls.changeSpeed(-1),
});
showStatus(Status.CONNECTING);
connection.start();
// plotly.js loads `async` (run.html): the WebSocket opens and the full state arrives while it is
// parsed and run; the lanes' charts are drawn as soon as it has run.
if (typeof Plotly === "undefined") document.getElementById("plotly-js").addEventListener("load", scheduleRedraw, { once: true });
