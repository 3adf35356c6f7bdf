// The text side of a lane, kubectl-like: the pod table, the events list and the probe counters.
// They are the text alternative to the charts, so they say everything the charts show now.
import { humanDuration } from "./format.js";
import { format, gettext } from "./i18n.js";

const MAX_EVENT_ROWS = 40;

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function swatchCell(name, background) {
  const th = document.createElement("th");
  th.scope = "row";
  const mark = document.createElement("span");
  mark.className = "swatch";
  mark.style.background = background;
  mark.setAttribute("aria-hidden", "true");
  th.append(mark, name);
  return th;
}

// Running, yet not every container Ready: no traffic, and easy to miss in kubectl's output.
function runningButNotReady(pod) {
  const [ready, total] = String(pod.ready ?? "").split("/");
  return pod.status === "Running" && ready !== total;
}

function statusClass(status) {
  if (status === "Running" || status === "Completed") return "status-ok";
  if (/BackOff|Err|Error|Failed|OOMKilled|Unknown/.test(status)) return "status-bad";
  return "status-other";
}

export function renderPodTable(tbody, pods, podSwatch) {
  const rows = pods.map((pod) => {
    const tr = document.createElement("tr");
    tr.append(
      swatchCell(pod.name, podSwatch(pod.name)),
      cell(pod.ready ?? ""),
      cell(pod.status ?? "", statusClass(pod.status ?? "")),
      cell(pod.restartsText ?? String(pod.restarts ?? 0)),
      cell(pod.age ?? ""),
      cell(pod.node ?? "<none>"),
    );
    if (runningButNotReady(pod)) {
      tr.classList.add("not-ready");
      tr.title = gettext("Running but not Ready: the container runs, but the pod gets no traffic from the Service.");
    }
    return tr;
  });
  tbody.replaceChildren(...rows);
}

// Newest first, one line per aggregated event, as `kubectl get events --sort-by=.lastTimestamp`
// prints them in reverse.
export function renderEvents(tbody, events, now) {
  const newest = [...events.values()].slice(-MAX_EVENT_ROWS).reverse();
  const rows = newest.map((event) => {
    const tr = document.createElement("tr");
    let lastSeen = humanDuration(now - event.time);
    if ((event.count ?? 1) > 1) {
      lastSeen += ` (x${event.count} ${format(gettext("over %(age)s"), { age: humanDuration(now - (event.firstTime ?? event.time)) })})`;
    }
    tr.append(
      cell(lastSeen, "nowrap"),
      cell(event.type ?? ""),
      cell(event.reason ?? ""),
      cell(event.object ?? "", "nowrap"),
      cell(event.message ?? "", "message"),
    );
    if (event.type === "Warning") tr.classList.add("warning");
    return tr;
  });
  tbody.replaceChildren(...rows);
}

function probeCounter(probe) {
  if (!probe.active && probe.waiting) return gettext("waiting for its container to run");
  if (!probe.active) return gettext("stopped (no kubelet runs it)");
  if (probe.result === "Failure" && probe.consecutiveFailures >= probe.failureThreshold) {
    return format(gettext("%(count)s failures in a row (failureThreshold %(threshold)s)"), {
      count: probe.consecutiveFailures,
      threshold: probe.failureThreshold,
    });
  }
  if (probe.consecutiveFailures > 0) {
    return format(gettext("%(count)s/%(threshold)s failures"), {
      count: probe.consecutiveFailures,
      threshold: probe.failureThreshold,
    });
  }
  if (probe.result !== "Success" && probe.successThreshold > 1) {
    return format(gettext("%(count)s/%(threshold)s successes"), {
      count: probe.consecutiveSuccesses,
      threshold: probe.successThreshold,
    });
  }
  // Before its first attempt a worker holds the kubelet's initial result (Success for liveness,
  // Failure for readiness): said so, or "Success · not probed yet" reads as a contradiction.
  return probe.lastResult ? gettext("passing") : gettext("initial value, not probed yet");
}

function probeState(probe) {
  if (!probe.active) return "inactive";
  if (probe.result === "Failure") return "failed";
  return probe.consecutiveFailures > 0 ? "failing" : "ok";
}

export function renderProbeCounters(list, pods, podSwatch) {
  const items = [];
  for (const pod of pods) {
    for (const container of pod.containers ?? []) {
      for (const probe of container.probes ?? []) {
        const li = document.createElement("li");
        li.className = "probe-chip";
        li.dataset.state = probeState(probe);
        const mark = document.createElement("span");
        mark.className = "swatch";
        mark.style.background = podSwatch(pod.name);
        mark.setAttribute("aria-hidden", "true");
        const type = document.createElement("code");
        type.textContent = `${probe.type}Probe`;
        li.append(mark, `${pod.name} `, type, ` ${probe.result ?? ""} · ${probeCounter(probe)}`);
        items.push(li);
      }
    }
  }
  if (!items.length) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = gettext("No probes configured in this lane");
    items.push(li);
  }
  list.replaceChildren(...items);
}
