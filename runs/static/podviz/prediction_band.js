// Predicted damage on a lane's errors panel. For each fault of the scenario as written, the
// server sends (run.prediction, docs/protocol.md) the window after the fault in which
// Kubernetes' timing says the probes or controllers act, and the errors expected on the fault's
// pods meanwhile (simulator/advisor/prediction.py). Each becomes a light band over that window
// with a label; a fault nothing detects gets a label at its time instead. Faults injected by
// hand are not predicted.
import { format, gettext } from "./i18n.js";
import { translucent } from "./palette.js";

const BAND_COLOUR = "#0072B2";
const BAND_ALPHA = 0.14;
const CAVEAT_CHARS = 34;
// A label's size in pixels, estimated from its font size (Plotly measures it only when drawing):
// an average character's width, and a line's height.
const CHAR_WIDTH = 0.56;
const LINE_HEIGHT = 1.3;

// A count as it reads on the page: 1,953.
export function count(value) {
  return Number(value).toLocaleString("en-US");
}

// The predictions of one lane (its variant's name), in the order the server gave.
export function lanePredictions(predictions, variant) {
  return (predictions ?? []).filter((prediction) => prediction.variant === variant);
}

// When the run's own value may be shown beside a prediction: the prediction's `measuredErrors`
// comes from a headless run of the scenario as written, which is this run (the engine is
// deterministic) once it has reached its end, and only if no fault was injected by hand.
export function measuredShown({ time, duration, finished, injected }) {
  return (finished || (duration > 0 && time >= duration)) && !(injected ?? []).length;
}

// Where a prediction's band lies, in simulated seconds: [at + window[0], at + window[1]]; null
// when nothing detects the fault.
export function bandOf(prediction) {
  const window = prediction.detectionWindow;
  return window ? [prediction.at + window[0], prediction.at + window[1]] : null;
}

// The label's lines: the predicted errors (a heading and the range, two short lines that fit a
// narrow lane) and, when `showMeasured`, the run's count with ✓ inside the band, or outside it
// with the first caveat (cut short: the hover text has it whole).
export function labelLines(prediction, showMeasured) {
  const [low, high] = prediction.expectedErrors;
  const predicted = [gettext("predicted errors"), `${count(low)}–${count(high)}`];
  const lines = prediction.detectionWindow ? [...predicted] : [gettext("never detected"), ...predicted];
  if (showMeasured) {
    const measured = count(prediction.measuredErrors);
    const caveat = prediction.caveats?.[0];
    if (prediction.inBand) lines.push(format(gettext("measured %(count)s ✓"), { count: measured }));
    else if (caveat) lines.push(format(gettext("measured %(count)s, outside:"), { count: measured }), cut(caveat));
    else lines.push(format(gettext("measured %(count)s, outside the band"), { count: measured }));
  }
  return lines;
}

// At most CAVEAT_CHARS characters, cut after a whole word.
function cut(text) {
  if (text.length <= CAVEAT_CHARS) return text;
  const head = text.slice(0, CAVEAT_CHARS);
  const space = head.lastIndexOf(" ");
  return `${(space > 0 ? head.slice(0, space) : head).replace(/[,;:]$/, "")}…`;
}

// What hovering the label tells: what the band is, and that faults injected by hand are not in it.
export function hoverText(prediction) {
  const values = { action: prediction.action, at: prediction.at, pods: (prediction.pods ?? []).join(", ") || "—" };
  const window = prediction.detectionWindow;
  const what = window
    ? format(gettext("%(action)s at %(at)s s on %(pods)s: Kubernetes' timing says %(decidedBy)s acts %(from)s–%(to)s s after it."), {
        ...values,
        decidedBy: prediction.decidedBy,
        from: window[0],
        to: window[1],
      })
    : format(gettext("%(action)s at %(at)s s on %(pods)s: no probe or controller detects it."), values);
  const caveats = (prediction.caveats ?? []).map((caveat) => `• ${caveat}`);
  return [what, ...caveats, gettext("Faults injected by hand are not predicted.")].join("<br>");
}

// Plotly layout shapes and annotations for one lane's errors panel: `domain` is the panel's
// y domain in paper units, `range` the visible time window, `plotWidth` its width in pixels. A
// band outside the window is left out. A label starts at its band's visible start, or ends at
// its visible end in the right half of the window (so that it stays in the plot: Plotly hides
// annotations off the axis), and labels that would overlap go one under the other.
export function predictionLayout({ predictions, domain, range, showMeasured, fontSize, plotWidth }) {
  const shapes = [];
  const annotations = [];
  const [start, end] = range;
  const pxPerSecond = plotWidth / Math.max(end - start, 1e-9);
  const rows = []; // per row of labels, the pixel extents taken
  const sorted = [...predictions].sort((a, b) => a.at - b.at);
  const rowHeight = Math.max(1, ...sorted.map((p) => labelLines(p, showMeasured).length)) * fontSize * LINE_HEIGHT;
  for (const prediction of sorted) {
    const band = bandOf(prediction);
    const [from, to] = band ?? [prediction.at, prediction.at];
    if (to < start || from > end) continue;
    const name = `prediction ${prediction.action} ${prediction.at}`;
    if (band) {
      shapes.push({
        type: "rect",
        name,
        xref: "x",
        yref: "paper",
        x0: from,
        x1: to,
        y0: domain[0],
        y1: domain[1],
        fillcolor: translucent(BAND_COLOUR, BAND_ALPHA),
        line: { width: 0 },
        layer: "below",
      });
    }
    const lines = labelLines(prediction, showMeasured);
    const textWidth = Math.max(...lines.map((line) => line.length)) * fontSize * CHAR_WIDTH;
    const rightHalf = (from + to) / 2 > (start + end) / 2;
    const x = rightHalf ? Math.min(to, end) : Math.max(from, start);
    const left = (x - start) * pxPerSecond - (rightHalf ? textWidth : 0);
    const extent = [left, left + textWidth];
    let row = rows.findIndex((taken) => taken.every(([a, b]) => extent[1] < a || extent[0] > b));
    if (row < 0) row = rows.push([]) - 1;
    rows[row].push(extent);
    annotations.push({
      name,
      xref: "x",
      yref: "paper",
      x,
      y: domain[1],
      yshift: -row * rowHeight,
      xanchor: rightHalf ? "right" : "left",
      yanchor: "top",
      align: rightHalf ? "right" : "left",
      showarrow: false,
      text: lines.join("<br>"),
      hovertext: hoverText(prediction),
      font: { size: fontSize },
    });
  }
  return { shapes, annotations };
}

// The predictions a screen shows now: only faults that have happened by `time` (a prediction
// drawn before its fault tells the class what is coming), none when the presenter's switch
// `show` is "off", and with "afterReveal" (the default) none that would give away the open
// question (`spoils`: the server's list of the questions each prediction answers).
export function shownPredictions(predictions, { time, show = "afterReveal", openQuestion = null }) {
  if (show === "off") return [];
  return (predictions ?? []).filter(
    (prediction) =>
      prediction.at <= time &&
      (show === "always" || openQuestion === null || !(prediction.spoils ?? []).includes(openQuestion)),
  );
}
