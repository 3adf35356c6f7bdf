// The per-pod strips under a lane's Plotly panels: pod states (one cell per second) and probe
// attempts (one mark each), drawn on a canvas aligned to the Plotly time axis. As SVG (a heatmap
// with hover text per cell, a scatter of marks) they were the costliest part of every redraw.
import { PROBE_RESULT_STYLES, STATE_COLOURS } from "./palette.js";

// The cells of one row as runs of equal values: [{from, to, value}], `to` exclusive, in the
// times of `time` (per-second points; a run ends one second after its last point). Null values
// (before the pod existed, after it was gone) make no run.
export function runsOf(time, values) {
  const runs = [];
  for (let i = 0; i < time.length; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) continue;
    const last = runs[runs.length - 1];
    if (last && last.value === value && last.to === time[i]) last.to = time[i] + 1;
    else runs.push({ from: time[i], to: time[i] + 1, value });
  }
  return runs;
}

// The colour of a state cell: 0 no, 1 yes, 2 the warning state (running but not Ready), and for
// a Job's pods the phases (see PHASE_VALUES in lane_chart.js).
export function cellColour(value, theme) {
  const colours = {
    0: theme.off,
    1: STATE_COLOURS.yes,
    2: STATE_COLOURS.warning,
    pending: theme.off,
    running: STATE_COLOURS.running,
    succeeded: STATE_COLOURS.yes,
    failed: STATE_COLOURS.warning,
  };
  return colours[value] ?? theme.off;
}

// Draws `strips` ({states: {rows}, probes: {rows, attempts}}) into `canvas`, sized to `box`
// ({left, top, width, height} in CSS pixels, relative to the figure) with each panel's pixel
// rows from `panels`, and `xOf(time)` giving the x in CSS pixels relative to box.left.
export function drawStrips(canvas, { box, panels, strips, xOf, theme }) {
  const ratio = window.devicePixelRatio || 1;
  canvas.style.left = `${box.left}px`;
  canvas.style.top = `${box.top}px`;
  canvas.style.width = `${box.width}px`;
  canvas.style.height = `${box.height}px`;
  canvas.width = Math.round(box.width * ratio);
  canvas.height = Math.round(box.height * ratio);
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, box.width, box.height);
  const clampX = (time) => Math.min(box.width, Math.max(0, xOf(time)));
  if (panels.states) {
    const rowHeight = (panels.states.bottom - panels.states.top) / panels.states.rows;
    strips.states.rows.forEach((row, index) => {
      const y = panels.states.top - box.top + index * rowHeight;
      for (const run of row.runs) {
        const from = clampX(run.from);
        const to = clampX(run.to);
        if (to <= from) continue;
        context.fillStyle = cellColour(run.value, theme);
        context.fillRect(from, y + 0.5, Math.max(to - from, 1), rowHeight - 1);
      }
    });
  }
  if (panels.probes) {
    const rowHeight = (panels.probes.bottom - panels.probes.top) / panels.probes.rows;
    const size = Math.max(3, Math.min(rowHeight - 2, 4 * theme.scale));
    for (const attempt of strips.probes.attempts) {
      const x = xOf(attempt.time);
      if (x < 0 || x > box.width) continue;
      const y = panels.probes.top - box.top + (attempt.row + 0.5) * rowHeight;
      drawMark(context, PROBE_RESULT_STYLES[attempt.result] ?? PROBE_RESULT_STYLES.failure, x, y, size);
    }
  }
}

function drawMark(context, { color, symbol }, x, y, size) {
  context.fillStyle = color;
  context.strokeStyle = color;
  context.beginPath();
  if (symbol === "x") {
    context.lineWidth = 1.5;
    context.moveTo(x - size / 2, y - size / 2);
    context.lineTo(x + size / 2, y + size / 2);
    context.moveTo(x + size / 2, y - size / 2);
    context.lineTo(x - size / 2, y + size / 2);
    context.stroke();
    return;
  }
  if (symbol === "diamond") {
    context.moveTo(x, y - size / 2);
    context.lineTo(x + size / 2, y);
    context.lineTo(x, y + size / 2);
    context.lineTo(x - size / 2, y);
    context.closePath();
    context.fill();
    return;
  }
  context.fillRect(x - size / 2, y - size / 2, size, size);
}
