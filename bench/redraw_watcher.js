// Injected by bench_redraw.py before the run page's own scripts: see that module's docstring.
(() => {
  const watch = { header: null, lanes: [], lags: [], behind: [], running: false };
  window.__redrawBench = watch;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const message = JSON.parse(event.data);
        if ("time" in message && "sentAt" in message) {
          const { time, sentAt, speed, playing, duration } = message;
          watch.header = { time, sentAt, speed, playing, duration };
        }
      });
    }
  };
  // The latest second the chart's drawn data covers (its last point + 1 s), or 0 when empty.
  const dataTime = (gd) => {
    let last = 0;
    for (const trace of gd.data ?? []) {
      if (trace.x?.length) last = Math.max(last, trace.x[trace.x.length - 1] + 1);
    }
    return last;
  };
  const dataSignature = (gd) =>
    (gd.data ?? []).map((trace) => (trace.x?.length ? `${trace.x.length}:${trace.x.at(-1)}` : "")).join(",");
  // What else a viewer sees move: the SVG of the traces and the clock cursor, if the page has one.
  const visibleSignature = (gd) => {
    const paths = [...gd.querySelectorAll(".scatterlayer path")].map((path) => path.getAttribute("d")?.length);
    const cursor = gd.closest(".lane-figure")?.querySelector(".now-line");
    return `${paths.join(",")}|${cursor && !cursor.hidden ? cursor.style.left : ""}`;
  };
  const tick = () => {
    requestAnimationFrame(tick);
    if (!watch.running) return;
    const charts = [...document.querySelectorAll(".lane-chart.js-plotly-plot")];
    let slowest = Infinity;
    charts.forEach((gd, index) => {
      const lane = (watch.lanes[index] ??= { data: null, visible: null, dataUpdates: 0, visibleUpdates: 0 });
      const data = dataSignature(gd);
      const visible = `${data}|${visibleSignature(gd)}`;
      if (data !== lane.data) lane.dataUpdates += 1;
      if (visible !== lane.visible) lane.visibleUpdates += 1;
      lane.data = data;
      lane.visible = visible;
      slowest = Math.min(slowest, dataTime(gd));
    });
    const header = watch.header;
    if (!header || !charts.length) return;
    const elapsed = header.playing ? Date.now() / 1000 - header.sentAt : 0;
    const clock = Math.min(header.duration, header.time + elapsed * header.speed);
    if (clock < header.duration) {
      watch.lags.push(clock - slowest);
      watch.behind.push(header.time - slowest);
    }
  };
  requestAnimationFrame(tick);
})();
