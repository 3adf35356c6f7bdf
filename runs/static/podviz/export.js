// Take the run away: the lanes' series as CSV or JSON (what the charts show, per simulated
// second), and the whole page's charts as one PNG with the title, the legend and each lane's
// title. Everything is made in the browser; nothing leaves the machine but the download.
import { STATE_KINDS } from "./vocabulary.js";

// One lane's series as plain data: {name, title, time: [...], requests: {pod: [...]}, ...}.
export function laneSeries(buffer, title) {
  const perKey = (map) => Object.fromEntries([...map].map(([key, points]) => [key, [...points]]));
  return {
    name: buffer.name,
    title,
    time: [...buffer.time],
    requests: perKey(buffer.requests),
    errors: perKey(buffer.errors),
    noEndpointErrors: [...buffer.noEndpointErrors],
    readyEndpoints: [...buffer.readyEndpoints],
    errorsByCause: perKey(buffer.errorsByCause),
    podStates: Object.fromEntries(
      [...buffer.podStates].map(([pod, states]) => [
        pod,
        Object.fromEntries(STATE_KINDS.map((kind) => [kind, [...(states[kind] ?? [])]])),
      ]),
    ),
    probes: buffer.probes.map((attempt) => ({ ...attempt })),
    totals: buffer.totals ?? null,
    // A lane with a serving model: its latencies (seconds, null: nothing served) and requests
    // in each pod's app.
    ...(buffer.serving
      ? { latencyP50: [...buffer.latencyP50], latencyP99: [...buffer.latencyP99], inSystem: perKey(buffer.inSystem) }
      : {}),
  };
}

// Everything the charts show, for the JSON download.
export function runExport(run, lanes) {
  return {
    scenario: run.scenario?.name ?? null,
    seed: run.scenario?.seed ?? null,
    time: run.time,
    duration: run.duration,
    injected: run.injected ?? [],
    units: {
      time: "simulated seconds",
      requests: "per second",
      errors: "per second",
      latencyP50: "seconds",
      latencyP99: "seconds",
      inSystem: "requests",
    },
    lanes,
  };
}

function csvField(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Long form, one value per row: lane,time,series,key,value (key: the pod or the cause; states
// are 1 for yes, 0 for no; a latency where nothing was served has an empty value). Probe
// attempts are in the JSON only.
export function seriesCsv(lanes) {
  const rows = [["lane", "time", "series", "key", "value"]];
  for (const lane of lanes) {
    const add = (series, key, points) => {
      lane.time.forEach((time, index) => {
        const value = points[index];
        if (value !== undefined) rows.push([lane.name, time, series, key, typeof value === "boolean" ? Number(value) : value]);
      });
    };
    for (const [pod, points] of Object.entries(lane.requests)) add("requests", pod, points);
    for (const [pod, points] of Object.entries(lane.errors)) add("errors", pod, points);
    add("noEndpointErrors", "", lane.noEndpointErrors);
    add("readyEndpoints", "", lane.readyEndpoints);
    for (const [cause, points] of Object.entries(lane.errorsByCause)) add("errorsByCause", cause, points);
    if (lane.latencyP50) {
      add("latencyP50", "", lane.latencyP50);
      add("latencyP99", "", lane.latencyP99);
      for (const [pod, points] of Object.entries(lane.inSystem)) add("inSystem", pod, points);
    }
    for (const [pod, states] of Object.entries(lane.podStates)) {
      for (const kind of STATE_KINDS) add(kind, pod, states[kind]);
    }
  }
  return rows.map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function loadImage(source) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("a chart could not be turned into an image"));
    image.src = source;
  });
}

// The page's key (its `.legend` element) as data: per group its title and entries, each with
// the colour of its sample, its mark (a probe result's symbol) or line (a marker's style), and
// its label, all as the page shows them, in the page's language.
export function legendOf(element) {
  return [...element.querySelectorAll(".legend-group")].map((group) => ({
    title: group.querySelector(".legend-title")?.textContent.trim() ?? "",
    // Entries the page hides (the serving model's causes in a run without one) stay out.
    entries: [...group.querySelectorAll(".legend-items > li:not([hidden])")].map((item) => {
      const sample = item.querySelector(".swatch, .probe-mark, .marker-sample");
      const style = sample ? getComputedStyle(sample) : null;
      const label = [...item.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent)
        .join("")
        .trim();
      if (sample?.classList.contains("probe-mark")) return { colour: style.color, mark: sample.textContent, label };
      if (sample?.classList.contains("marker-sample")) {
        return { colour: style.borderLeftColor, line: style.borderLeftStyle, label };
      }
      return { colour: (style && backgroundOf(style)) ?? "transparent", label };
    }),
  }));
}

// An element's background: its colour, or the first colour of its background image (a pod's
// swatch is a gradient of one colour); null when it has none.
function backgroundOf(style) {
  if (!/^(transparent|rgba\(0, 0, 0, 0\))$/.test(style.backgroundColor)) return style.backgroundColor;
  return style.backgroundImage.match(/rgba?\([^)]*\)/)?.[0] ?? null;
}

const DASHES = { dashed: [5, 3], dotted: [2, 2] };

// The key drawn on the canvas, wrapped to `maxWidth`: each group's title in bold, then its
// entries, a sample and a label each. Returns the bottom of the last row.
function drawLegend(context, groups, x, y, maxWidth, fontFamily) {
  const font = `14px ${fontFamily}`;
  const bold = `bold 14px ${fontFamily}`;
  const rowHeight = 22;
  context.textBaseline = "middle";
  let left = x;
  let top = y;
  const room = (width) => {
    if (left + width > x + maxWidth && left > x) {
      left = x;
      top += rowHeight;
    }
  };
  for (const { title, entries } of groups) {
    context.font = bold;
    const titleWidth = context.measureText(title).width + 10;
    room(titleWidth + 100);
    context.fillStyle = context.ink;
    context.fillText(title, left, top);
    left += titleWidth;
    context.font = font;
    for (const entry of entries) {
      const width = 16 + context.measureText(entry.label).width + 16;
      room(width);
      drawSample(context, entry, left, top);
      context.fillStyle = context.ink;
      context.font = font;
      context.fillText(entry.label, left + 16, top);
      left += width;
    }
    left += 14;
  }
  return top + rowHeight;
}

function drawSample(context, { colour, mark, line }, left, top) {
  context.fillStyle = colour;
  context.strokeStyle = colour;
  if (mark) {
    context.font = `bold 13px ${context.fontFamily}`;
    context.fillText(mark, left, top);
  } else if (line) {
    context.lineWidth = 2;
    context.setLineDash(DASHES[line] ?? []);
    context.beginPath();
    context.moveTo(left + 5, top - 7);
    context.lineTo(left + 5, top + 7);
    context.stroke();
    context.setLineDash([]);
  } else {
    context.fillRect(left, top - 6, 12, 12);
  }
}

// What the page draws over a Plotly chart, drawn on the canvas at (x, y), the chart's top left
// corner: the strips' canvas, the marker lines and the clock, then the text (panel titles, pod
// names with their swatches, row labels, marker labels) where the browser laid it out, in its
// computed font and colour.
function drawOverlay(context, figure, chartBox, x, y) {
  const at = (rect) => ({ left: x + rect.left - chartBox.left, top: y + rect.top - chartBox.top });
  const strips = figure.querySelector(".lane-strips");
  if (strips?.width) {
    const rect = strips.getBoundingClientRect();
    const { left, top } = at(rect);
    context.drawImage(strips, left, top, rect.width, rect.height);
  }
  for (const line of figure.querySelectorAll(".marker-line, .now-line")) {
    const rect = line.getBoundingClientRect();
    if (!rect.height) continue;
    const style = getComputedStyle(line);
    const width = parseFloat(style.borderLeftWidth) || 1;
    const { left, top } = at(rect);
    context.globalAlpha = Number(style.opacity) || 1;
    context.strokeStyle = style.borderLeftColor;
    context.lineWidth = width;
    context.setLineDash(DASHES[style.borderLeftStyle] ?? []);
    context.beginPath();
    context.moveTo(left + width / 2, top);
    context.lineTo(left + width / 2, top + rect.height);
    context.stroke();
    context.setLineDash([]);
    context.globalAlpha = 1;
  }
  const texts = ".panel-title, .panel-note, .row-pod, .row-label, .marker-label";
  for (const element of figure.querySelectorAll(texts)) {
    const rect = element.getBoundingClientRect();
    if (!rect.width || !rect.height) continue;
    const style = getComputedStyle(element);
    const background = backgroundOf(style);
    if (background) {
      const { left, top } = at(rect);
      context.fillStyle = background;
      context.fillRect(left, top, rect.width, rect.height);
    }
    for (const swatch of element.querySelectorAll(":scope > .swatch")) {
      const box = swatch.getBoundingClientRect();
      const { left, top } = at(box);
      context.fillStyle = backgroundOf(getComputedStyle(swatch)) ?? "transparent";
      context.fillRect(left, top, box.width, box.height);
    }
    drawTextNodes(context, element, at, rect);
  }
}

// Every visible text node of `element` (not those inside a hidden tooltip) at the place the
// browser laid it out, clipped to the element's box as the page clips it.
function drawTextNodes(context, element, at, clip) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text) continue;
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (!rect.width || !rect.height) continue;
    const style = getComputedStyle(node.parentElement);
    const { left, top } = at(rect);
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    context.fillStyle = style.color;
    context.textBaseline = "middle";
    context.fillText(text, left, top + rect.height / 2, Math.max(1, clip.right - rect.left));
  }
}

// One PNG of the page: the run's title and time, the key as the page shows it, then each lane's
// title over its chart (Plotly.toImage) with what the page draws over the chart (strips, titles,
// names, markers), laid out as on the page.
export async function pagePng({ title, subtitle, views, laneTitles, legend, theme }) {
  const charts = views.map((view) => view.chart);
  const boxes = charts.map((chart) => chart.getBoundingClientRect());
  const left = Math.min(...boxes.map((box) => box.left));
  const top = Math.min(...boxes.map((box) => box.top));
  const right = Math.max(...boxes.map((box) => box.right));
  const bottom = Math.max(...boxes.map((box) => box.bottom));
  const margin = 16;
  const laneTitleHeight = 26;
  const width = Math.ceil(right - left + 2 * margin);

  const images = await Promise.all(
    charts.map(async (chart, index) => {
      const source = await Plotly.toImage(chart, {
        format: "png",
        width: Math.round(boxes[index].width),
        height: Math.round(boxes[index].height),
      });
      return loadImage(source);
    }),
  );

  // Measure the legend's height on a scratch canvas, then draw for real.
  const scratch = document.createElement("canvas").getContext("2d");
  scratch.ink = theme.fg;
  scratch.fontFamily = theme.fontFamily;
  const legendBottom = drawLegend(scratch, legend, margin, 70, width - 2 * margin, theme.fontFamily);
  const chartsTop = legendBottom + 8;
  // Lanes side by side (their charts overlap vertically) share one row of titles above them.
  const rowOf = new Map();
  let rowBottom = -Infinity;
  let rowCount = 0;
  for (const box of [...boxes].sort((a, b) => a.top - b.top)) {
    if (box.top >= rowBottom) {
      rowCount += 1;
      rowBottom = box.bottom;
    }
    rowOf.set(box, rowCount);
  }
  const rowOffset = (box) => rowOf.get(box) * laneTitleHeight;
  const height = Math.ceil(chartsTop + (bottom - top) + rowCount * laneTitleHeight + margin);

  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  context.ink = theme.fg;
  context.fontFamily = theme.fontFamily;
  context.fillStyle = theme.bg || "#ffffff";
  context.fillRect(0, 0, width, height);
  context.fillStyle = theme.fg;
  context.textBaseline = "alphabetic";
  context.font = `bold 22px ${theme.fontFamily}`;
  context.fillText(title, margin, 32, width - 2 * margin);
  context.font = `14px ${theme.fontFamily}`;
  context.fillText(subtitle, margin, 54, width - 2 * margin);
  drawLegend(context, legend, margin, 70, width - 2 * margin, theme.fontFamily);
  images.forEach((image, index) => {
    const box = boxes[index];
    const x = margin + box.left - left;
    const y = chartsTop + box.top - top + rowOffset(box);
    context.fillStyle = theme.fg;
    context.font = `bold 16px ${theme.fontFamily}`;
    context.textBaseline = "alphabetic";
    const rowTop = Math.min(...boxes.filter((other) => rowOf.get(other) === rowOf.get(box)).map((other) => other.top));
    const titleY = chartsTop + (rowOf.get(box) - 1) * laneTitleHeight + rowTop - top + laneTitleHeight - 8;
    context.fillText(laneTitles[index], x, titleY, box.width);
    context.drawImage(image, x, y, box.width, box.height);
    drawOverlay(context, charts[index].closest(".lane-figure"), box, x, y);
  });
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}
