// One lane on the page: its card (cloned from the page's <template>), its figure and its tables.
import { ChartOverlay, xScale } from "./chart_overlay.js";
import { laneFigure } from "./lane_chart.js";
import { scoreLine } from "./lane_score.js";
import { drawStrips } from "./lane_strips.js";
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
    const titleElement = card.querySelector(".lane-title");
    titleElement.textContent = title;
    titleElement.title = title;
    const nameElement = card.querySelector(".lane-name");
    nameElement.textContent = name;
    nameElement.hidden = title === name;
    this.score = card.querySelector(".lane-score");
    this.chart = card.querySelector(".lane-chart");
    this.chart.id = `lane-chart-${index}`;
    const figure = card.querySelector(".lane-figure");
    this.strips = document.createElement("canvas");
    this.strips.className = "lane-strips";
    this.strips.setAttribute("aria-hidden", "true");
    figure.append(this.strips);
    this.overlay = new ChartOverlay(figure);
    this.drawn = null; // what the figure shows: the buffer drawn and the key of everything else
    this.podRows = card.querySelector(".pod-table tbody");
    this.probeList = card.querySelector(".probe-counters ul");
    this.onZoom = onZoom;
    this.onFollow = onFollow;
    this.listening = false;
    this.card = card;
    container.append(card);
  }

  // The width the figure can take, in CSS pixels.
  width() {
    return this.chart.clientWidth || 400;
  }

  // Redraws only what changed: the Plotly panels (tens of milliseconds) when the series, the
  // window or the look changed; the strips, the text over the chart and the tables (a few
  // milliseconds) when anything did. A new buffer (after any run.state) always counts as a
  // change, whatever its version.
  draw({ buffer, rows, shared, range, scales, styles, markers, theme, revision, width, score, predictions, showMeasured }) {
    const podSwatch = (pod) => swatchBackground(styles.style(pod, theme.name));
    const plotly = typeof Plotly !== "undefined";
    const look = [range, scales, shared, revision, width, theme, styles.names().length, plotly, predictions, showMeasured];
    const plotKey = JSON.stringify([buffer.seriesVersion, ...look]);
    const key = JSON.stringify([buffer.version, markers.length, ...look]);
    if (this.drawn?.buffer === buffer && this.drawn.key === key) return;
    const replot = this.drawn?.buffer !== buffer || this.drawn.plotKey !== plotKey;
    this.drawn = { buffer, key, plotKey };
    if (plotly) {
      const figure = laneFigure({
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
        predictions,
        showMeasured,
      });
      if (replot) this.plot(figure, { buffer, look: JSON.stringify(look), from: rows.view.from, traffic: shared.traffic });
      this.overlay.render(figure.overlay, podSwatch);
      const xOf = xScale(figure.overlay.plot, range);
      drawStrips(this.strips, { ...figure.strips, xOf: (time) => xOf(time) - figure.strips.box.left, theme });
      this.listen();
    }
    renderProbeCounters(this.probeList, buffer.pods, podSwatch);
    renderPodTable(this.podRows, buffer.pods, podSwatch);
    const line = scoreLine(score);
    if (this.score.textContent !== line.text || this.score.dataset.window !== line.window) {
      this.score.textContent = line.text;
      this.score.dataset.rank = line.rank;
      this.score.dataset.failedPercent = line.failedPercent;
      this.score.dataset.window = line.window;
      this.score.title = line.title;
    }
  }

  // New points only extend the traces (Plotly.extendTraces) when nothing else changed: the same
  // buffer and look, the same traces, the same first point, no point held rewritten. A Job's
  // counts can change behind the last point (a pod's final phase), so they are always replotted.
  // Anything else replots the figure (Plotly.react), given the config only the first time:
  // Plotly reads the div's size whenever it is given one, which forces a layout mid-redraw.
  plot(figure, { buffer, look, from, traffic }) {
    const lengths = figure.data.map((trace) => trace.x.length);
    const plotted = {
      buffer,
      look,
      from,
      rewrites: buffer.seriesRewrites,
      traces: figure.data.map((trace) => JSON.stringify(trace.meta)).join("|"),
      lengths,
    };
    const last = this.plotted;
    const appendOnly =
      traffic &&
      last &&
      ["buffer", "look", "from", "rewrites", "traces"].every((key) => last[key] === plotted[key]) &&
      lengths.every((length, index) => length >= last.lengths[index]);
    this.plotted = plotted;
    if (!appendOnly) {
      Plotly.react(this.chart, figure.data, figure.layout, this.listening ? undefined : PLOTLY_CONFIG);
      return;
    }
    if (lengths.every((length, index) => length === last.lengths[index])) return;
    const fresh = (key) => figure.data.map((trace, index) => trace[key].slice(last.lengths[index]));
    Plotly.extendTraces(this.chart, { x: fresh("x"), y: fresh("y") }, figure.data.map((_, index) => index));
  }

  // The clock cursor: moved at every frame, without redrawing the figure.
  moveClock(now) {
    this.overlay.setNow(now);
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
