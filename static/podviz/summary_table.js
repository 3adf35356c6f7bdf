// The lanes compared in numbers: requests, errors by cause, error rate, restarts, and the time
// each lane took to recover after each disruption (when the server reports it).
import { CAUSES } from "./lane_buffer.js";
import { clock } from "./format.js";
import { format, gettext } from "./i18n.js";

// One entry per disruption: {at, action, node|pod, recoverySeconds (null: not recovered yet)}.
function recoveryCell(td, recovery) {
  const entries = Array.isArray(recovery) ? recovery : [];
  td.textContent = entries.length
    ? entries.map((entry) => (typeof entry.recoverySeconds === "number" ? `${Math.round(entry.recoverySeconds)} s` : "—")).join(" · ")
    : "—";
  td.title = entries
    .map((entry) => {
      const what = `${clock(entry.at)} ${entry.action} ${entry.node ?? entry.pod ?? ""}`.trim();
      return typeof entry.recoverySeconds === "number"
        ? format(gettext("%(what)s: errors stopped after %(seconds)s s"), { what, seconds: Math.round(entry.recoverySeconds) })
        : format(gettext("%(what)s: not recovered (yet)"), { what });
    })
    .join("\n");
}

function recoveryOf(buffer) {
  return Array.isArray(buffer.recovery) && buffer.recovery.length ? buffer.recovery : null;
}

export function renderSummary(table, buffers, laneTitle) {
  const withRecovery = buffers.some((buffer) => recoveryOf(buffer) !== null);
  table.querySelectorAll(".recovery-column").forEach((th) => {
    th.hidden = !withRecovery;
  });
  const number = new Intl.NumberFormat(document.documentElement.lang || "en");
  const rates = buffers.map((buffer) => {
    const requests = buffer.totals?.requests ?? 0;
    return requests > 0 ? (100 * (buffer.totals?.errors ?? 0)) / requests : 0;
  });
  const best = Math.min(...rates);
  const differ = rates.some((rate) => rate !== best);
  const rows = buffers.map((buffer, index) => {
    const totals = buffer.totals ?? {};
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = laneTitle(buffer);
    tr.append(th);
    const cells = [
      number.format(totals.requests ?? 0),
      ...CAUSES.map((cause) => number.format(totals.errorsByCause?.[cause] ?? 0)),
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
      recoveryCell(td, recoveryOf(buffer));
      tr.append(td);
    }
    if (differ && rates[index] === best) {
      tr.classList.add("best");
      tr.title = gettext("Fewest errors of all lanes");
    }
    return tr;
  });
  table.tBodies[0].replaceChildren(...rows);
}
