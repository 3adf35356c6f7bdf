// Take the run away: the lanes' series as CSV or JSON (what the charts show, per simulated
// second), and the whole page's charts as one PNG with the title, the legend and each lane's
// title. Everything is made in the browser; nothing leaves the machine but the download.
import { CAUSES } from "./lane_buffer.js";
import { CAUSE_COLOURS, PROBE_RESULT_STYLES } from "./palette.js";

const STATE_KINDS = ["running", "ready", "inEndpoints"];

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
    units: { time: "simulated seconds", requests: "per second", errors: "per second" },
    lanes,
  };
}

function csvField(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Long form, one value per row: lane,time,series,key,value (key: the pod or the cause; states
// are 1 for yes, 0 for no). Probe attempts are in the JSON only.
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
    for (const cause of CAUSES) add("errorsByCause", cause, lane.errorsByCause[cause] ?? []);
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

// The legend as the page shows it, drawn on the canvas: one swatch and name per entry.
function drawLegend(context, entries, x, y, maxWidth, font) {
  context.font = font;
  context.textBaseline = "middle";
  let left = x;
  let top = y;
  for (const { colour, label } of entries) {
    const width = 16 + context.measureText(label).width + 18;
    if (left + width > x + maxWidth) {
      left = x;
      top += 22;
    }
    context.fillStyle = colour;
    context.fillRect(left, top - 6, 12, 12);
    context.fillStyle = context.ink;
    context.fillText(label, left + 16, top);
    left += width;
  }
  return top + 22;
}

// One PNG of the page: the run's title and time, the legend, then each lane's title over its
// chart (Plotly.toImage), laid out as on the page.
export async function pagePng({ title, subtitle, views, laneTitles, podLegend, theme }) {
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

  const font = `14px ${theme.fontFamily}`;
  const legend = [
    ...podLegend,
    ...CAUSES.map((cause) => ({ colour: CAUSE_COLOURS[cause], label: cause })),
    ...Object.entries(PROBE_RESULT_STYLES).map(([result, style]) => ({ colour: style.color, label: `probe ${result}` })),
  ];
  // Measure the legend's height on a scratch canvas, then draw for real.
  const scratch = document.createElement("canvas").getContext("2d");
  scratch.ink = theme.fg;
  const legendBottom = drawLegend(scratch, legend, margin, 70, width - 2 * margin, font);
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
  context.fillStyle = theme.bg || "#ffffff";
  context.fillRect(0, 0, width, height);
  context.fillStyle = theme.fg;
  context.textBaseline = "alphabetic";
  context.font = `bold 22px ${theme.fontFamily}`;
  context.fillText(title, margin, 32, width - 2 * margin);
  context.font = font;
  context.fillText(subtitle, margin, 54, width - 2 * margin);
  drawLegend(context, legend, margin, 70, width - 2 * margin, font);
  images.forEach((image, index) => {
    const box = boxes[index];
    const x = margin + box.left - left;
    const y = chartsTop + box.top - top + rowOffset(box);
    context.fillStyle = theme.fg;
    context.font = `bold 16px ${theme.fontFamily}`;
    context.textBaseline = "alphabetic";
    const titleY = chartsTop + (rowOf.get(box) - 1) * laneTitleHeight + Math.min(...boxes.filter((other) => rowOf.get(other) === rowOf.get(box)).map((other) => other.top)) - top + laneTitleHeight - 8;
    context.fillText(laneTitles[index], x, titleY, box.width);
    context.drawImage(image, x, y, box.width, box.height);
  });
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}
