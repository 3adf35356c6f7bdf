// One lane (one probe configuration): its series buffers and its traffic-share chart.
import { podStyle } from "./palette.js";

const MAX_POINTS = 3600; // one simulated hour of per-second points per lane

export function createLaneView(container, index, name) {
  const section = document.createElement("section");
  section.className = "lane";
  const heading = document.createElement("h2");
  heading.textContent = name;
  const chart = document.createElement("div");
  chart.id = `share-${index}`;
  chart.className = "chart";
  section.append(heading, chart);
  container.append(section);

  const time = [];
  const requests = new Map(); // pod name -> per-second request counts
  let podOrder = [];

  function apply(lane) {
    const series = lane.series;
    const start = lane.seriesStart;
    // A full state restarts at 0; a frame continues where the previous one ended.
    time.length = Math.min(time.length, start);
    for (const points of requests.values()) points.length = Math.min(points.length, start);
    time.push(...series.time);
    for (const [pod, points] of Object.entries(series.requests)) {
      if (!requests.has(pod)) {
        requests.set(pod, new Array(start).fill(0));
        podOrder.push(pod);
      }
      requests.get(pod).push(...points);
    }
    for (const points of requests.values()) {
      while (points.length < time.length) points.push(0);
    }
    const overflow = time.length - MAX_POINTS;
    if (overflow > 0) {
      time.splice(0, overflow);
      for (const points of requests.values()) points.splice(0, overflow);
    }
  }

  function draw() {
    if (typeof Plotly === "undefined") return;
    const totals = time.map((_, i) => podOrder.reduce((sum, pod) => sum + requests.get(pod)[i], 0));
    const traces = podOrder.map((pod, podIndex) => {
      const points = requests.get(pod);
      const style = podStyle(podIndex);
      return {
        name: pod,
        x: time,
        y: points.map((value, i) => (totals[i] > 0 ? (100 * value) / totals[i] : 0)),
        type: "scatter",
        mode: "lines",
        stackgroup: "share",
        line: { color: style.color, dash: style.dash, width: 1.5 },
        hovertemplate: `${pod}: %{y:.1f}%<extra></extra>`,
      };
    });
    const layout = {
      title: { text: "Traffic share per pod (%)" },
      uirevision: "keep",
      margin: { t: 40, r: 10, b: 40, l: 50 },
      xaxis: { title: { text: "simulated time (s)" } },
      yaxis: { range: [0, 100], title: { text: "%" } },
      legend: { orientation: "h" },
    };
    Plotly.react(chart, traces, layout, { displaylogo: false, responsive: true });
  }

  return { apply, draw };
}
