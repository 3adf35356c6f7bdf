// Okabe–Ito, a palette colour-blind readers can tell apart, plus a dash per pod as a second cue.
const OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
const DASHES = ["solid", "dot", "dash", "longdash", "dashdot", "longdashdot"];

export function podStyle(index) {
  return {
    color: OKABE_ITO[index % OKABE_ITO.length],
    dash: DASHES[Math.floor(index / OKABE_ITO.length) % DASHES.length],
  };
}
