// Evaluated by bench_redraw.py --variants in the run page, paused at the scenario's end (see
// PLOTLY_VARIANTS there): the four lanes' Plotly redraw, in ms, with the figures changed.
(async () => {
  const charts = [...document.querySelectorAll(".lane-chart.js-plotly-plot")];
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  const stackedByPage = (data) => {
    const tops = {};
    return data.map((trace) => {
      if (!trace.stackgroup) return trace;
      const first = !(trace.stackgroup in tops);
      const group = (tops[trace.stackgroup] ??= trace.x.map(() => 0));
      const y = trace.y.map((value, k) => (group[k] += value ?? 0));
      const copy = { ...trace, y, customdata: trace.y, fill: first ? "tozeroy" : "tonexty" };
      delete copy.stackgroup;
      return copy;
    });
  };
  const variants = {
    asDrawn: (data) => data,
    stackedByPage: stackedByPage,
    stackedByPageFillOnly: (data) => stackedByPage(data).map((t) => (t.fill ? { ...t, mode: "none" } : t)),
    withoutZeroBands: (data) => data.filter((t) => !t.stackgroup || t.y.some((value) => value)),
    withoutErrorTraces: (data) => data.filter((t) => t.meta.kind !== "errors"),
    last300Points: (data) => data.map((t) => ({ ...t, x: t.x.slice(-300), y: t.y.slice(-300) })),
    noTraces: () => [],
  };
  const figures = charts.map((gd) => ({ data: gd.data.map((t) => ({ ...t })), layout: gd.layout }));
  const spent = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < 12; round += 1) {
    for (const [name, change] of Object.entries(variants)) {
      for (const [c, gd] of charts.entries()) await Plotly.react(gd, change(figures[c].data), figures[c].layout);
      const started = performance.now();
      for (const gd of charts) await Plotly.redraw(gd);
      spent[name].push(performance.now() - started);
    }
  }
  for (const [c, gd] of charts.entries()) await Plotly.react(gd, figures[c].data, figures[c].layout);
  const result = { lanes: charts.length, traces: figures.map((figure) => figure.data.length) };
  for (const [name, values] of Object.entries(spent)) result[name + "Ms"] = Math.round(median(values));
  return result;
})
