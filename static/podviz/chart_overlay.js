// The text drawn over a lane's chart as HTML: panel titles, pod names beside their rows, and the
// markers (a vertical line and a label whose tooltip says why it happened). Rebuilt only when
// what it shows changes.
import { MarkerKind } from "./markers.js";

const MARKER_LEVELS = 4;

export class ChartOverlay {
  constructor(container) {
    this.root = document.createElement("div");
    this.root.className = "chart-overlay";
    container.append(this.root);
    this.signature = "";
  }

  render(overlay, podSwatch) {
    const signature = JSON.stringify(overlay);
    if (signature === this.signature) return;
    this.signature = signature;
    const { plot, range } = overlay;
    const xOf = (time) => plot.left + ((time - range[0]) / Math.max(range[1] - range[0], 1e-9)) * (plot.right - plot.left);
    const markers = overlay.markers.map((marker) => markerElements(marker, xOf(marker.time), plot));
    // Lines first, so that titles and names (with a background) stay readable over them.
    const elements = [
      ...markers.map(({ line }) => line),
      ...overlay.titles.map(({ text, top }) => positioned("panel-title", text, { left: plot.left, top })),
      ...overlay.podNames.map(({ pod, top }) => podName(pod, podSwatch(pod), { left: plot.left + 2, top })),
    ];
    if (overlay.note) {
      elements.push(positioned("panel-note", overlay.note.text, { left: (plot.left + plot.right) / 2, top: overlay.note.top }));
    }
    elements.push(...markers.map(({ label }) => label));
    this.root.replaceChildren(...elements);
    placeLabels(markers.map(({ label }) => label), plot, this.root.clientWidth);
  }
}

function positioned(className, text, { left, top }) {
  const element = document.createElement("div");
  element.className = className;
  element.textContent = text;
  element.style.left = `${left}px`;
  element.style.top = `${top}px`;
  return element;
}

function podName(pod, background, position) {
  const element = positioned("row-pod", "", position);
  const swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.style.background = background;
  const name = document.createElement("b");
  name.textContent = pod;
  element.append(swatch, name);
  return element;
}

function markerElements(marker, x, plot) {
  const kind = Object.values(MarkerKind).includes(marker.kind) ? marker.kind : MarkerKind.SCENARIO;
  const line = document.createElement("div");
  line.className = "marker-line";
  line.dataset.kind = kind;
  line.style.left = `${x}px`;
  line.style.top = `${plot.top}px`;
  line.style.height = `${plot.bottom - plot.top}px`;
  const label = document.createElement("span");
  label.className = "marker-label";
  label.dataset.kind = kind;
  label.dataset.time = String(marker.time);
  label.dataset.x = String(x);
  label.tabIndex = 0;
  const text = document.createElement("span");
  text.className = "marker-text";
  text.textContent = marker.label;
  const tip = document.createElement("span");
  tip.className = "marker-tip";
  tip.setAttribute("role", "tooltip");
  const heading = document.createElement("b");
  heading.textContent = `${marker.title} · t = ${Math.round(marker.time)} s`;
  tip.append(heading, document.createElement("br"), marker.explanation);
  label.append(text, tip);
  return { line, label };
}

// Labels sit above the plot on up to MARKER_LEVELS levels, so that neighbours do not overlap;
// near the right edge a label ends at its line instead of starting there. A label that finds no
// room keeps only its first word ("Killing web-3" becomes "Killing"; the tooltip has the rest).
function placeLabels(labels, plot, width) {
  const levelEnds = new Array(MARKER_LEVELS).fill(-Infinity);
  const spot = (label, x) => {
    const labelWidth = label.querySelector(".marker-text").offsetWidth + 4;
    const from = x + labelWidth > width ? x - labelWidth : x;
    return { from, labelWidth, level: levelEnds.findIndex((end) => end < from) };
  };
  for (const label of labels) {
    const x = Number(label.dataset.x);
    let place = spot(label, x);
    if (place.level < 0) {
      const text = label.querySelector(".marker-text");
      text.textContent = text.textContent.split(" ")[0];
      place = spot(label, x);
    }
    if (place.level < 0) place.level = levelEnds.indexOf(Math.min(...levelEnds));
    levelEnds[place.level] = place.from + place.labelWidth;
    label.classList.toggle("right-half", x > width / 2);
    label.style.left = `${place.from}px`;
    label.style.top = `${plot.top - (place.level + 1) * label.offsetHeight - 2}px`;
  }
}
