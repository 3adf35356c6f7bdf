// The sweep page: one heatmap per lane (error %, detection time or restarts); a click on a
// square submits that cell to /sweep/cell, which opens its run beside the baseline.
import { gettext } from "./i18n.js";
import { heatmapTrace, laneTitle, metricRange, sweepLanes } from "./sweep_heatmap.js";

const sweepData = document.getElementById("sweep-data");
// Before the first sweep the page is only the form.
const sweep = sweepData ? JSON.parse(sweepData.textContent) : null;
const container = document.getElementById("heatmaps");
const cellForm = document.getElementById("cell-form");

// The lane's title, and its name beside it when they differ (as the run page shows lanes).
function caption(variant, openable) {
  const element = document.createElement("figcaption");
  const title = laneTitle(sweep, variant);
  const titleElement = document.createElement("span");
  titleElement.className = "lane-title";
  titleElement.textContent = title;
  element.append(titleElement);
  if (title !== variant) {
    const name = document.createElement("code");
    name.className = "lane-name";
    name.textContent = variant;
    element.append(" ", name);
  }
  if (!openable) {
    element.append(` — ${gettext("the varied settings are not in this lane: every square is the same run")}`);
  }
  return element;
}

function draw(metric) {
  const [xAxis, yAxis] = sweep.axes;
  const range = metricRange(sweep, metric);
  for (const variant of sweepLanes(sweep)) {
    const openable = sweep.openable.includes(variant);
    let div = document.getElementById(`heatmap-${variant}`);
    if (!div) {
      const figure = document.createElement("figure");
      div = document.createElement("div");
      div.id = `heatmap-${variant}`;
      div.className = "heatmap";
      div.dataset.variant = variant;
      figure.append(caption(variant, openable), div);
      container.append(figure);
    }
    const layout = {
      margin: { t: 10, r: 10, b: 50, l: 70 },
      xaxis: { title: { text: xAxis.field }, type: "category" },
      yaxis: { title: { text: yAxis ? yAxis.field : "" }, type: "category" },
    };
    window.Plotly.react(div, [heatmapTrace(sweep, variant, metric, range)], layout, {
      displaylogo: false,
      responsive: true,
    });
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
