// The line under each lane's title that makes the lanes comparable at a glance: the share of
// requests that failed so far, and how far each lane is from the best one (the lane with the
// fewest failed requests carries a mark). Without traffic (a Job): its pods' outcomes.
import { format, gettext } from "./i18n.js";

// Rates are shown to one decimal: lanes whose rates print the same are tied on screen, so they
// are ranked alike (a lane 0.04 points behind the best is not called worse than it).
const shown = (rate) => rate.toFixed(1);

// Per lane (in order): {traffic, requests, errors, rate (% failed, null before any request),
// best (the lowest rate of all lanes), allEqual (every rate prints as the best), succeeded, failed}.
export function laneScores(buffers, traffic) {
  const rates = buffers.map((buffer) => {
    const requests = buffer.totals?.requests ?? 0;
    return requests > 0 ? (100 * (buffer.totals?.errors ?? 0)) / requests : null;
  });
  const known = rates.filter((rate) => rate !== null);
  const best = known.length ? Math.min(...known) : null;
  return buffers.map((buffer, index) => ({
    traffic,
    requests: buffer.totals?.requests ?? 0,
    errors: buffer.totals?.errors ?? 0,
    rate: rates[index],
    best,
    allEqual: known.every((rate) => shown(rate) === shown(best)),
    succeeded: buffer.pods.filter((pod) => pod.phase === "Succeeded").length,
    failed: buffer.pods.filter((pod) => pod.phase === "Failed").length,
  }));
}

// {text, rank ("best", "behind", "even" or "none"), title} for one lane's score.
export function scoreLine(score) {
  if (!score) return { text: "", rank: "none", title: "" };
  if (!score.traffic) {
    return {
      text: format(gettext("Pods Succeeded %(succeeded)s · Failed %(failed)s"), score),
      rank: "none",
      title: gettext("The pods of this lane's Job that ended Succeeded or Failed so far."),
    };
  }
  if (score.rate === null) return { text: gettext("No requests yet"), rank: "none", title: "" };
  const rate = `${shown(score.rate)} %`;
  const title = format(gettext("%(errors)s of %(requests)s requests failed so far"), score);
  if (score.allEqual) return { text: format(gettext("%(rate)s failed"), { rate }), rank: "even", title };
  if (shown(score.rate) === shown(score.best)) {
    return { text: format(gettext("✓ fewest errors: %(rate)s failed"), { rate }), rank: "best", title };
  }
  const behind = (score.rate - score.best).toFixed(1);
  return { text: format(gettext("%(rate)s failed · +%(behind)s pts vs best"), { rate, behind }), rank: "behind", title };
}
