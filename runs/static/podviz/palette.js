// Colours: Okabe–Ito, a palette colour-blind readers can tell apart. A pod keeps its colour in
// every lane and after a seek; its name is written beside its rows, a second cue to the colour.
const OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"];
const FILL_ALPHA = 0.55;

// The eighth Okabe–Ito colour is black: on a dark background it becomes light grey.
const INK = { light: "#000000", dark: "#d9d9d9" };

export const PROBE_RESULT_STYLES = {
  success: { color: "#009E73", symbol: "square" },
  failure: { color: "#D55E00", symbol: "x" },
  timeout: { color: "#E69F00", symbol: "diamond" },
};

export const STATE_COLOURS = { yes: "#009E73", warning: "#D55E00", running: "#56B4E9" };

export class PodStyles {
  constructor() {
    this.order = new Map(); // pod name -> index, in order of first appearance across the run
  }

  // Names seen together (one run.state) are ordered by when each pod appeared, then by name.
  noteAll(firstSeen) {
    const fresh = [...firstSeen.entries()].filter(([name]) => !this.order.has(name));
    fresh.sort(([a, at], [b, bt]) => at - bt || a.localeCompare(b, "en", { numeric: true }));
    for (const [name] of fresh) this.order.set(name, this.order.size);
  }

  note(name) {
    if (!this.order.has(name)) this.order.set(name, this.order.size);
  }

  style(name, theme = "light") {
    this.note(name);
    const index = this.order.get(name);
    const colours = [...OKABE_ITO, INK[theme] ?? INK.light];
    const color = colours[index % colours.length];
    return { color, fill: translucent(color, FILL_ALPHA) };
  }

  names() {
    return [...this.order.keys()];
  }
}

export function translucent(colour, alpha) {
  return colour + Math.round(alpha * 255).toString(16).padStart(2, "0");
}

// A pod's swatch for the legend and the tables (a CSS background): its fill, as in the chart.
export function swatchBackground({ fill }) {
  return `linear-gradient(${fill}, ${fill})`;
}
