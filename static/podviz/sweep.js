// The sweep page: one heatmap per lane (error %, detection time or restarts); a click on a
// square submits that cell to /sweep/cell, which opens its run beside the baseline.

const sweepData = document.getElementById("sweep-data");
// Before the first sweep the page is only the form.
const sweep = sweepData ? JSON.parse(sweepData.textContent) : null;
const container = document.getElementById("heatmaps");
const cellForm = document.getElementById("cell-form");

const METRICS = {
  errorShare: (cell) => (cell.totals.requests ? (100 * cell.totals.errors) / cell.totals.requests : 0),
  detectionSeconds: (cell) => cell.detectionSeconds,
  restarts: (cell) => cell.restarts,
};

function lanes() {
  const names = [];
  for (const cell of sweep.cells) {
    if (!names.includes(cell.variant)) names.push(cell.variant);
  }
  return names;
}

function key(values) {
  return JSON.stringify(sweep.axes.map((axis) => values[axis.field]));
}

function metricRange(metric) {
  const values = sweep.cells.map((cell) => METRICS[metric](cell)).filter((v) => v != null);
  return values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
}

function trace(variant, metric, range) {
  const [xAxis, yAxis] = sweep.axes;
  const byKey = new Map(
    sweep.cells.filter((cell) => cell.variant === variant).map((cell) => [key(cell.values), cell]),
  );
  const yValues = yAxis ? yAxis.values : [""];
  const z = [];
  const customdata = [];
  for (const y of yValues) {
    const row = [];
    const rowData = [];
    for (const x of xAxis.values) {
      const values = { [xAxis.field]: x };
      if (yAxis) values[yAxis.field] = y;
      const cell = byKey.get(key(values));
      row.push(cell ? METRICS[metric](cell) : null);
      rowData.push(JSON.stringify(values));
    }
    z.push(row);
    customdata.push(rowData);
  }
  return {
    type: "heatmap",
    x: xAxis.values.map(String),
    y: yValues.map(String),
    z,
    customdata,
    colorscale: "YlOrRd",
    // One colour scale for every lane, so the same colour means the same value everywhere.
    zmin: range[0],
    zmax: range[1],
    hovertemplate: "%{x}, %{y}: %{z}<extra></extra>",
  };
}

function draw(metric) {
  const [xAxis, yAxis] = sweep.axes;
  const range = metricRange(metric);
  for (const variant of lanes()) {
    const openable = sweep.openable.includes(variant);
    let div = document.getElementById(`heatmap-${variant}`);
    if (!div) {
      const figure = document.createElement("figure");
      const caption = document.createElement("figcaption");
      caption.textContent = openable
        ? variant
        : `${variant} — ${gettext("the varied settings are not in this lane: every square is the same run")}`;
      div = document.createElement("div");
      div.id = `heatmap-${variant}`;
      div.className = "heatmap";
      div.dataset.variant = variant;
      figure.append(caption, div);
      container.append(figure);
    }
    const layout = {
      margin: { t: 10, r: 10, b: 50, l: 70 },
      xaxis: { title: { text: xAxis.field }, type: "category" },
      yaxis: { title: { text: yAxis ? yAxis.field : "" }, type: "category" },
    };
    window.Plotly.react(div, [trace(variant, metric, range)], layout, { displaylogo: false, responsive: true });
    if (openable && !div.dataset.listening) {
      div.dataset.listening = "1";
      div.on("plotly_click", (event) => open(variant, event.points[0].customdata));
    }
  }
}

function open(variant, values) {
  cellForm.elements.variant.value = variant;
  cellForm.elements.values.value = values;
  cellForm.submit();
}

if (sweep) {
  for (const input of document.querySelectorAll("#metric input")) {
    input.addEventListener("change", () => draw(input.value));
  }
  draw("errorShare");
}
