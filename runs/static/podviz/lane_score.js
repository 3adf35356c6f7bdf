// The line under each lane's title that makes the lanes comparable at a glance: the share of
// requests that failed in the scenario's score window (the server counts it: `score`, from
// simulator/results/score.py), and how far each lane is from the best one (the lane with the
// fewest failed requests carries a mark). Without traffic (a Job): its pods' outcomes.
import { clock } from "./format.js";
import { format, gettext } from "./i18n.js";

const shown = (rate) => rate.toFixed(1);

// Per lane (in order): {traffic, requests, errors, rate (% failed in the window, null before the
// window opens or before any request in it), window ([start, end] counted so far, or null),
// from (the window's start), rank (the server's: "best", "behind", "even" or "none"; lanes
// within chance of each other tie), best (the lowest rate of the lanes ranked best),
// succeeded, failed}.
export function laneScores(buffers, traffic) {
  const rates = buffers.map((buffer) => {
    const score = buffer.score;
    return score?.counted && score.requests > 0 ? score.failedPercent : null;
  });
  const bestRates = buffers.map((buffer, index) => (buffer.score?.rank === "best" ? rates[index] : null));
  const known = bestRates.filter((rate) => rate !== null);
  const best = known.length ? Math.min(...known) : null;
  return buffers.map((buffer, index) => ({
    traffic,
    requests: buffer.score?.requests ?? 0,
    errors: buffer.score?.errors ?? 0,
    rate: rates[index],
    window: buffer.score?.counted ?? null,
    from: buffer.score?.window?.[0] ?? null,
    rank: rates[index] === null ? "none" : (buffer.score?.rank ?? "none"),
    best,
    succeeded: buffer.pods.filter((pod) => pod.phase === "Succeeded").length,
    failed: buffer.pods.filter((pod) => pod.phase === "Failed").length,
  }));
}

// "start-end" in whole seconds: the element's data-window.
const windowAttribute = (window) => (window ? `${Math.floor(window[0])}-${Math.floor(window[1])}` : "");

// {text, rank, title, failedPercent (the number shown, "" if none), window ("start-end", the
// seconds counted, "" before the window opens)} for one lane. The window's start is in the
// title and greyed on the chart: the line stays short enough for four lanes on a projector.
export function scoreLine(score) {
  const none = { rank: "none", title: "", failedPercent: "", window: "" };
  if (!score) return { ...none, text: "" };
  if (!score.traffic) {
    return {
      ...none,
      text: format(gettext("Pods Succeeded %(succeeded)s · Failed %(failed)s"), score),
      title: gettext("The pods of this lane's Job that ended Succeeded or Failed so far."),
    };
  }
  const window = windowAttribute(score.window);
  if (score.rate === null) {
    const text =
      score.window || score.from === null
        ? gettext("No requests yet")
        : format(gettext("Counted from %(start)s"), { start: clock(score.from) });
    const title = gettext("The lanes are compared from the end of their boot (or the time the lesson names); the seconds not counted are greyed on the errors chart.");
    return { ...none, text, title, window };
  }
  const rate = `${shown(score.rate)} %`;
  const title = format(gettext("%(errors)s of %(requests)s requests failed from %(start)s to %(end)s"), {
    ...score,
    start: clock(score.window[0]),
    end: clock(score.window[1]),
  });
  const common = { title, failedPercent: shown(score.rate), window, rank: score.rank };
  if (score.rank === "even" || score.rank === "none") {
    return { ...common, text: format(gettext("%(rate)s failed"), { rate }) };
  }
  if (score.rank === "best") {
    return { ...common, text: format(gettext("✓ fewest errors: %(rate)s failed"), { rate }) };
  }
  const behind = (score.rate - score.best).toFixed(1);
  return { ...common, text: format(gettext("%(rate)s failed · +%(behind)s pts vs best"), { rate, behind }) };
}

// Seconds left out of the comparison are greyed on the errors panel.
const UNCOUNTED_FILL = "rgba(128, 128, 128, 0.2)";

// The seconds left out of the comparison on the errors panel (domain: its y extent, in the
// paper's fractions): before the window opens (the boot) and after it ends, within the range
// shown. Named "score window ..." so that tests find them.
export function scoreWindowShapes({ window, domain, range }) {
  if (!window) return [];
  const [start, end] = window;
  const outside = [
    [Math.max(0, range[0]), Math.min(start, range[1])],
    [Math.max(end, range[0]), range[1]],
  ].filter(([from, to]) => to > from);
  return outside.map(([from, to]) => ({
    type: "rect",
    name: `score window outside ${from}-${to}`,
    xref: "x",
    yref: "paper",
    x0: from,
    x1: to,
    y0: domain[0],
    y1: domain[1],
    fillcolor: UNCOUNTED_FILL,
    line: { width: 0 },
    layer: "below",
  }));
}
