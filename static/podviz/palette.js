// Colours and fill patterns. Okabe–Ito, a palette colour-blind readers can tell apart, plus a
// pattern per pod as a second cue (the traffic shares are stacked areas, where a dashed edge would
// run along the neighbour's edge). A pod keeps both in every lane and after a seek.
const OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"];
const PATTERNS = ["", "/", ".", "x", "\\", "-", "|", "+"];
const FILL_ALPHA = 0.55;

// The eighth Okabe–Ito colour is black: on a dark background it becomes light grey.
const INK = { light: "#000000", dark: "#d9d9d9" };

export const CAUSE_COLOURS = {
  NoEndpoints: "#8c8c8c",
  ConnectionRefused: "#CC79A7",
  Timeout: "#D55E00",
  ServerError: "#E69F00",
};

export const PROBE_RESULT_STYLES = {
  success: { color: "#009E73", symbol: "square" },
  failure: { color: "#D55E00", symbol: "x" },
  timeout: { color: "#E69F00", symbol: "diamond" },
};

export const STATE_COLOURS = { yes: "#009E73", warning: "#D55E00" };

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
    return {
      color,
      fill: translucent(color, FILL_ALPHA),
      // Shifted once per round of colours, so that colour and pattern never repeat together early.
      pattern: PATTERNS[(index + Math.floor(index / colours.length)) % PATTERNS.length],
    };
  }

  names() {
    return [...this.order.keys()];
  }
}

export function translucent(colour, alpha) {
  return colour + Math.round(alpha * 255).toString(16).padStart(2, "0");
}

// The same pattern as the chart's, for the swatches of the legend and the tables (CSS background).
export function swatchBackground({ color, fill, pattern }) {
  const stripes = (angle) => `repeating-linear-gradient(${angle}deg, ${color} 0 1.5px, transparent 1.5px 4px)`;
  const base = `linear-gradient(${fill}, ${fill})`;
  const layers = {
    "": [`linear-gradient(${color}, ${color})`],
    "/": [stripes(-45)],
    "\\": [stripes(45)],
    "-": [stripes(0)],
    "|": [stripes(90)],
    x: [stripes(45), stripes(-45)],
    "+": [stripes(0), stripes(90)],
    ".": [`radial-gradient(${color} 1px, transparent 1.5px) 0 0 / 4px 4px`],
  };
  return [...(layers[pattern] ?? layers[""]), base].join(", ");
}
