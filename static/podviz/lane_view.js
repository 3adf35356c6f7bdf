// One lane on the page: its card (cloned from the page's <template>), its figure and its tables.
import { ChartOverlay } from "./chart_overlay.js";
import { laneFigure } from "./lane_chart.js";
import { renderPodTable, renderProbeCounters } from "./lane_tables.js";
import { swatchBackground } from "./palette.js";

const PLOTLY_CONFIG = {
  displaylogo: false,
  // This app works offline: no "send to the cloud" or "edit in Chart Studio" buttons.
  showSendToCloud: false,
  showEditInChartStudio: false,
  responsive: true,
  scrollZoom: false,
  // A double click returns every lane to the live window (see listen()).
  doubleClick: "autosize",
  modeBarButtonsToRemove: [
    "select2d",
    "lasso2d",
    "autoScale2d",
    "resetScale2d",
    "zoomIn2d",
    "zoomOut2d",
    "sendDataToCloud",
    "editInChartStudio",
  ],
};

export class LaneView {
  constructor(container, template, index, { title, name, onZoom, onFollow }) {
    const card = template.content.firstElementChild.cloneNode(true);
    card.dataset.lane = name;
    card.querySelector(".lane-title").textContent = title;
    const nameElement = card.querySelector(".lane-name");
    nameElement.textContent = name;
    nameElement.hidden = title === name;
    this.chart = card.querySelector(".lane-chart");
    this.chart.id = `lane-chart-${index}`;
    this.overlay = new ChartOverlay(card.querySelector(".lane-figure"));
    this.drawn = "";
    this.podRows = card.querySelector(".pod-table tbody");
    this.probeList = card.querySelector(".probe-counters ul");
    this.onZoom = onZoom;
    this.onFollow = onFollow;
    this.listening = false;
    this.card = card;
    container.append(card);
  }

  // Redraws only what changed since the last call: Plotly redraws cost tens of milliseconds.
  draw({ buffer, range, scales, styles, markers, theme, revision }) {
    const podSwatch = (pod) => swatchBackground(styles.style(pod, theme.name));
    const width = this.chart.clientWidth || 400;
    const key = JSON.stringify([buffer.version, range, scales, revision, width, theme, markers.length, styles.names().length]);
    if (key === this.drawn) return;
    this.drawn = key;
    if (typeof Plotly !== "undefined") {
      const figure = laneFigure({ buffer, range, scales, styles, markers, theme, revision, width });
      Plotly.react(this.chart, figure.data, figure.layout, PLOTLY_CONFIG);
      this.overlay.render(figure.overlay, podSwatch);
      this.listen();
    }
    renderProbeCounters(this.probeList, buffer.pods, podSwatch);
    renderPodTable(this.podRows, buffer.pods, podSwatch);
  }

  // A zoom (or a reset) in this figure becomes the shared time window of every lane. While
  // Plotly shows a hover label, the text overlay steps back so that the label stays readable.
  listen() {
    if (this.listening) return;
    this.listening = true;
    this.chart.on("plotly_hover", () => this.card.classList.add("hovering"));
    this.chart.on("plotly_unhover", () => this.card.classList.remove("hovering"));
    this.chart.on("plotly_relayout", (update) => {
      const start = update["xaxis.range[0]"] ?? update["xaxis.range"]?.[0];
      const end = update["xaxis.range[1]"] ?? update["xaxis.range"]?.[1];
      if (typeof start === "number" && typeof end === "number") this.onZoom(start, end);
      else if (update["xaxis.autorange"]) this.onFollow();
    });
  }

  remove() {
    if (typeof Plotly !== "undefined") Plotly.purge(this.chart);
    this.card.remove();
  }
}
