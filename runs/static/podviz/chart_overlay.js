// The text drawn over a lane's chart as HTML: panel titles, pod names and row labels beside the
// strips, the clock cursor, and the markers (a vertical line and a label whose tooltip says why
// it happened). Rebuilt only when what it shows changes; the cursor moves on its own.
import { MarkerKind } from "./markers.js";

const MARKER_LEVELS = 2;
const TITLE_LEFT = 4; // px
const MERGE_PIXELS = 44; // markers closer than this share one label
// At most this many labels on one chart, however many events a lesson has: the closest groups
// in time share a label until they fit (each line stays; the label's tooltip lists them all).
export const MAX_LABELS = 12;
// A shared label takes the style of its most telling marker: a fault injected by hand first.
const KIND_PRIORITY = [MarkerKind.INJECTED, MarkerKind.SCENARIO, MarkerKind.KUBERNETES];

export class ChartOverlay {
  constructor(container) {
    this.root = document.createElement("div");
    this.root.className = "chart-overlay";
    this.cursor = document.createElement("div");
    this.cursor.className = "now-line";
    this.cursor.hidden = true;
    container.append(this.root, this.cursor);
    this.signature = "";
    this.geometry = null;
  }

  render(overlay, podSwatch) {
    const signature = JSON.stringify(overlay);
    if (signature === this.signature) return;
    this.signature = signature;
    const { plot, range } = overlay;
    this.geometry = { plot, range };
    const xOf = xScale(plot, range);
    let groups = capGroups(mergeMarkers(overlay.markers, xOf, MERGE_PIXELS), MAX_LABELS);
    const lines = overlay.markers.map((marker) => markerLine(marker, xOf(marker.time), plot));
    // Lines first, so that titles and names (with a background) stay readable over them.
    const elements = [
      ...lines,
      // Titles start at the figure's left edge, over the y axis' labels: the room they need.
      ...overlay.titles.map(({ text, top, key }) => {
        const title = positioned("panel-title", text, { left: TITLE_LEFT, top });
        for (const entry of key ?? []) title.append(keyEntry(entry));
        title.style.maxWidth = `${this.root.clientWidth - TITLE_LEFT}px`;
        return title;
      }),
      ...overlay.rowLabels.map((row) =>
        row.pod ? podName(row.pod, podSwatch(row.pod), { left: plot.left + 2, top: row.top }) : rowLabel(row, plot),
      ),
    ];
    for (const note of [overlay.note, ...(overlay.notes ?? [])].filter(Boolean)) {
      elements.push(positioned("panel-note", note.text, { left: (plot.left + plot.right) / 2, top: note.top }));
    }
    this.root.replaceChildren(...elements);
    // A label that finds no room joins its left neighbour's group, until every one has room.
    for (;;) {
      const labels = groups.map((group) => markerLabel(group, xOf(group.markers[0].time)));
      this.root.append(...labels);
      const crowded = placeLabels(labels, plot, this.root.clientWidth);
      if (crowded < 1) break;
      labels.forEach((label) => label.remove());
      groups = joinGroups(groups, crowded - 1);
    }
  }

  // The clock as a vertical line across every panel (hidden outside the visible range).
  setNow(time) {
    if (!this.geometry) return;
    const { plot, range } = this.geometry;
    const inside = time >= range[0] && time <= range[1];
    this.cursor.hidden = !inside;
    if (!inside) return;
    this.cursor.dataset.time = String(time);
    this.cursor.style.left = `${xScale(plot, range)(time)}px`;
    this.cursor.style.top = `${plot.top}px`;
    this.cursor.style.height = `${plot.bottom - plot.top}px`;
  }
}

export function xScale(plot, range) {
  return (time) => plot.left + ((time - range[0]) / Math.max(range[1] - range[0], 1e-9)) * (plot.right - plot.left);
}

// Joins the two neighbouring groups closest in time until at most `max` are left.
export function capGroups(groups, max) {
  let capped = groups;
  while (capped.length > max) {
    let closest = 0;
    for (let index = 1; index < capped.length - 1; index += 1) {
      const gap = (i) => capped[i + 1].markers[0].time - capped[i].markers[capped[i].markers.length - 1].time;
      if (gap(index) < gap(closest)) closest = index;
    }
    capped = joinGroups(capped, closest);
  }
  return capped;
}

// Groups the markers (sorted by time) whose lines stand within `pixels` of the group's first one:
// one label per group, styled as its most telling kind of marker. Repeats of one event read
// "AppHang ×12"; a mixed group names its most telling event (a fault injected by hand before
// the scenario's events, those before Kubernetes'), the first of its kind, and how many more
// ("NotReady node-1 +3"). Each group's tooltip lists them all.
export function mergeMarkers(markers, xOf, pixels) {
  const groups = [];
  for (const marker of [...markers].sort((a, b) => a.time - b.time)) {
    const last = groups[groups.length - 1];
    if (last && xOf(marker.time) - xOf(last.markers[0].time) < pixels) last.markers.push(marker);
    else groups.push({ markers: [marker] });
  }
  return groups.map((group) => describeGroup(group.markers));
}

// The groups with the one at `index` and the next one made one.
export function joinGroups(groups, index) {
  const joined = describeGroup([...groups[index].markers, ...groups[index + 1].markers]);
  return [...groups.slice(0, index), joined, ...groups.slice(index + 2)];
}

function describeGroup(markers) {
  const [first] = markers;
  const count = markers.length;
  const sameLabel = markers.every((marker) => marker.label === first.label);
  const sameWord = markers.every((marker) => firstWord(marker.label) === firstWord(first.label));
  const kind = KIND_PRIORITY.find((candidate) => markers.some((marker) => marker.kind === candidate)) ?? first.kind;
  const lead = markers.find((marker) => marker.kind === kind) ?? first;
  let label = first.label;
  if (count > 1 && sameLabel) label = `${first.label} ×${count}`;
  else if (count > 1 && sameWord) label = `${firstWord(first.label)} ×${count}`;
  else if (count > 1) label = `${lead.label} +${count - 1}`;
  return { markers, kind, label };
}

function firstWord(text) {
  return text.split(" ")[0];
}

function positioned(className, text, { left, top }) {
  const element = document.createElement("div");
  element.className = className;
  element.textContent = text;
  element.style.left = `${left}px`;
  element.style.top = `${top}px`;
  return element;
}

// A line's sample and name, in a panel's title: "── running".
function keyEntry({ label, color, dash }) {
  const entry = document.createElement("span");
  entry.className = "title-key";
  const sample = document.createElement("span");
  sample.className = "title-key-line";
  sample.style.borderTopColor = color;
  sample.style.borderTopStyle = dash === "dot" ? "dotted" : dash === "dash" ? "dashed" : "solid";
  entry.append(sample, label);
  return entry;
}

function rowLabel({ text, top }, plot) {
  const element = positioned("row-label", text, { left: 0, top });
  element.style.width = `${plot.left - 4}px`;
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

function kindOf(marker) {
  return Object.values(MarkerKind).includes(marker.kind) ? marker.kind : MarkerKind.SCENARIO;
}

function markerLine(marker, x, plot) {
  const line = document.createElement("div");
  line.className = "marker-line";
  line.dataset.kind = kindOf(marker);
  line.style.left = `${x}px`;
  line.style.top = `${plot.top}px`;
  line.style.height = `${plot.bottom - plot.top}px`;
  return line;
}

function markerLabel(group, x) {
  const label = document.createElement("span");
  label.className = "marker-label";
  label.dataset.kind = kindOf(group);
  label.dataset.time = String(group.markers[0].time);
  label.dataset.times = group.markers.map((marker) => marker.time).join(" ");
  label.dataset.x = String(x);
  label.tabIndex = 0;
  const text = document.createElement("span");
  text.className = "marker-text";
  text.textContent = group.label;
  const tip = document.createElement("span");
  tip.className = "marker-tip";
  tip.setAttribute("role", "tooltip");
  group.markers.forEach((marker, index) => {
    if (index) tip.append(document.createElement("hr"));
    const heading = document.createElement("b");
    heading.textContent = `${marker.title} · t = ${Math.round(marker.time)} s`;
    tip.append(heading, document.createElement("br"), marker.explanation);
  });
  label.append(text, tip);
  return label;
}

// Labels sit above the plot on up to MARKER_LEVELS levels, so that neighbours do not overlap;
// near the right edge a label ends at its line instead of starting there. A label that finds no
// room keeps only its first word and count ("Killing web-3 ×2" becomes "Killing ×2"). Returns
// the index of the first label that still finds none (-1 when all are placed).
function placeLabels(labels, plot, width) {
  const levelEnds = new Array(MARKER_LEVELS).fill(-Infinity);
  const spot = (label, x) => {
    const labelWidth = label.querySelector(".marker-text").offsetWidth + 4;
    const from = Math.max(0, x + labelWidth > width ? x - labelWidth : x);
    return { from, labelWidth, level: levelEnds.findIndex((end) => end < from) };
  };
  for (const [index, label] of labels.entries()) {
    const x = Number(label.dataset.x);
    let place = spot(label, x);
    if (place.level < 0) {
      const text = label.querySelector(".marker-text");
      const words = text.textContent.split(" ");
      const count = words.find((word) => /^[×+]\d+$/.test(word));
      text.textContent = count ? `${words[0]} ${count}` : words[0];
      place = spot(label, x);
    }
    if (place.level < 0) return index;
    levelEnds[place.level] = place.from + place.labelWidth;
    label.classList.toggle("right-half", x > width / 2);
    label.style.left = `${place.from}px`;
    label.style.top = `${plot.top - (place.level + 1) * label.offsetHeight - 2}px`;
  }
  return -1;
}
