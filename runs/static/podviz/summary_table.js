// The lanes compared in numbers: requests, errors by cause, error rate, restarts, and the time
// each lane took to recover after each disruption (when the server reports it).
import { CAUSES, SERVING_ONLY_CAUSES } from "./vocabulary.js";
import { clock } from "./format.js";
import { format, gettext } from "./i18n.js";

// Up to this many disruptions, the cell lists each recovery; past it, a summary that opens into
// the list, so a lesson with dozens of faults keeps the table readable.
const LISTED_RECOVERIES = 3;
// Lanes whose list of recoveries is open: the rows are rebuilt on every redraw.
const openLists = new Set();

function recoverySeconds(entry) {
  return typeof entry.recoverySeconds === "number" ? Math.round(entry.recoverySeconds) : null;
}

function describe(entry) {
  const what = `${clock(entry.at)} ${entry.action} ${entry.node ?? entry.pod ?? ""}`.trim();
  const seconds = recoverySeconds(entry);
  return seconds !== null
    ? format(gettext("%(what)s: errors stopped after %(seconds)s s"), { what, seconds })
    : format(gettext("%(what)s: not recovered (yet)"), { what });
}

// One entry per disruption: {at, action, node|pod, recoverySeconds (null: not recovered yet)}.
function recoveryCell(td, recovery, laneName) {
  const entries = Array.isArray(recovery) ? recovery : [];
  td.className = "recovery";
  const shortText = (entry) => (recoverySeconds(entry) !== null ? `${recoverySeconds(entry)} s` : "—");
  if (entries.length <= LISTED_RECOVERIES) {
    td.textContent = entries.length ? entries.map(shortText).join(" · ") : "—";
    td.title = entries.map(describe).join("\n");
    return;
  }
  const times = entries.map(recoverySeconds).filter((seconds) => seconds !== null);
  const details = document.createElement("details");
  details.open = openLists.has(laneName);
  details.addEventListener("toggle", () => {
    if (details.open) openLists.add(laneName);
    else openLists.delete(laneName);
  });
  const summary = document.createElement("summary");
  summary.textContent = format(gettext("%(recovered)s of %(count)s, longest %(longest)s"), {
    recovered: times.length,
    count: entries.length,
    longest: times.length ? `${Math.max(...times)} s` : "—",
  });
  const list = document.createElement("ol");
  list.className = "recovery-list";
  for (const entry of entries) {
    const item = document.createElement("li");
    item.textContent = describe(entry);
    list.append(item);
  }
  details.append(summary, list);
  td.replaceChildren(details);
}

// The seconds the "Failed %" column counts, said under its heading (the "Errors" column counts
// everything since 0:00): the lanes' common window, or "after each lane's boot" when they differ.
function scoreWindowNote(buffers) {
  const windows = buffers.map((buffer) => buffer.score?.counted).filter(Array.isArray);
  if (!windows.length) return "";
  const key = (window) => window.map(Math.floor).join("-");
  if (windows.some((window) => key(window) !== key(windows[0]))) return gettext("after each lane's boot");
  return format(gettext("in %(start)s–%(end)s"), { start: clock(windows[0][0]), end: clock(windows[0][1]) });
}

function showScoreWindow(table, buffers) {
  const heading = table.querySelector("th.score-column");
  if (!heading) return;
  let note = heading.querySelector(".column-note");
  if (!note) {
    note = document.createElement("span");
    note.className = "column-note";
    heading.append(note);
  }
  const text = scoreWindowNote(buffers);
  if (note.textContent !== text) note.textContent = text;
}

function recoveryOf(buffer) {
  return Array.isArray(buffer.recovery) && buffer.recovery.length ? buffer.recovery : null;
}

export function renderSummary(table, buffers, laneTitle) {
  const withRecovery = buffers.some((buffer) => recoveryOf(buffer) !== null);
  // A run without a serving model keeps its four cause columns. With one, the table would be
  // too wide for seven: it has a column for each cause some lane has counted so far.
  const withServing = buffers.some((buffer) => buffer.serving);
  const counted = (cause) => buffers.some((buffer) => (buffer.totals?.errorsByCause?.[cause] ?? 0) > 0);
  const causes = withServing ? [...CAUSES, ...SERVING_ONLY_CAUSES].filter(counted) : CAUSES;
  table.querySelectorAll("th[data-cause]").forEach((th) => {
    th.hidden = !causes.includes(th.dataset.cause);
  });
  table.querySelectorAll(".recovery-column").forEach((th) => {
    th.hidden = !withRecovery;
  });
  showScoreWindow(table, buffers);
  const number = new Intl.NumberFormat(document.documentElement.lang || "en");
  const rates = buffers.map((buffer) => {
    const requests = buffer.totals?.requests ?? 0;
    return requests > 0 ? (100 * (buffer.totals?.errors ?? 0)) / requests : 0;
  });
  // The lanes' scores in the score window, ranked by the server (simulator/results/score.py).
  const scored = buffers.map((buffer) =>
    buffer.score?.counted && buffer.score.requests > 0 ? buffer.score.failedPercent.toFixed(1) : null,
  );
  const rows = buffers.map((buffer, index) => {
    const totals = buffer.totals ?? {};
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = laneTitle(buffer);
    tr.append(th);
    const cells = [
      scored[index] === null ? "—" : `${scored[index]} %`,
      number.format(totals.requests ?? 0),
      ...causes.map((cause) => {
        const count = totals.errorsByCause?.[cause];
        return count === undefined && !buffer.serving ? "—" : number.format(count ?? 0);
      }),
      `${number.format(totals.errors ?? 0)} (${rates[index].toFixed(1)}%)`,
      number.format(buffer.restarts()),
    ];
    for (const text of cells) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    if (withRecovery) {
      const td = document.createElement("td");
      recoveryCell(td, recoveryOf(buffer), buffer.name);
      tr.append(td);
    }
    if (scored[index] !== null && buffer.score.rank === "best") {
      tr.classList.add("best");
      tr.title = gettext("Fewest errors of all lanes");
    }
    return tr;
  });
  table.tBodies[0].replaceChildren(...rows);
}
