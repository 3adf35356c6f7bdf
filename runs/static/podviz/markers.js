// Chart markers: scenario events, faults injected by hand, and the Kubernetes events that turn
// the story (a node marked NotReady, a liveness kill, an eviction, a replacement pod, a
// container started again).
import { explainAction, explainKubernetesEvent } from "./explanations.js";
import { objectName } from "./lane_buffer.js";

// Short labels above the chart; the hover text names the event in full.
const SHORT_REASONS = {
  NodeNotReady: "NotReady",
  NodeReady: "NodeReady",
  Killing: "Killing",
  TaintManagerEviction: "Eviction",
  SuccessfulCreate: "Create",
  Started: "Restart",
};

export const MarkerKind = Object.freeze({ SCENARIO: "scenario", INJECTED: "injected", KUBERNETES: "kubernetes" });

export function laneMarkers({ scenarioEvents, injected, buffer, now }) {
  const actions = [
    ...scenarioEvents.map((event) => ({ event, kind: MarkerKind.SCENARIO })),
    ...injected.map((event) => ({ event, kind: MarkerKind.INJECTED })),
  ].filter(({ event }) => event.at <= now);
  const context = markerContext(actions.map(({ event }) => event), buffer);
  const markers = actions.map(({ event, kind }) => {
    const title = `${event.action} ${event.node ?? event.pod ?? ""}`.trim();
    return {
      time: event.at,
      kind,
      label: kind === MarkerKind.INJECTED ? `⚡${title}` : title,
      title,
      explanation: explainAction(event),
    };
  });
  for (const event of buffer.keyEvents) {
    if (!isMarkerWorthy(event) || event.time > now) continue;
    const name = objectName(event.object);
    const subject = event.reason === "SuccessfulCreate" ? createdPod(event) ?? name : name;
    markers.push({
      time: event.time,
      kind: MarkerKind.KUBERNETES,
      label: `${SHORT_REASONS[event.reason] ?? event.reason} ${subject}`,
      title: `${event.reason} ${event.object}`,
      explanation: explainKubernetesEvent(event, name, context),
    });
  }
  return dedupe(markers).sort((a, b) => a.time - b.time);
}

function isMarkerWorthy(event) {
  const object = String(event.object ?? "");
  switch (event.reason) {
    case "NodeNotReady":
    case "NodeReady":
      return object.startsWith("Node/"); // once per node, not once per pod on it
    case "Killing":
      return /failed (liveness|startup) probe/.test(event.message ?? "");
    case "SuccessfulCreate":
      return event.time > 0; // the first pods are no news; replacements are
    case "TaintManagerEviction":
      return true;
    case "Started":
      return (event.count ?? 1) > 1; // the same container started again: a restart
    default:
      return false;
  }
}

function createdPod(event) {
  const created = /Created pod: (\S+)/.exec(event.message ?? "");
  return created ? created[1] : null;
}

function dedupe(markers) {
  const seen = new Set();
  return markers.filter((marker) => {
    const key = `${marker.time}|${marker.label}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function markerContext(actions, buffer) {
  const latestBefore = (times, time) => {
    const earlier = times.filter((at) => at <= time);
    return earlier.length ? Math.max(...earlier) : null;
  };
  return {
    nodeDownBefore: (node, time) =>
      latestBefore(actions.filter((e) => e.action === "NodeDown" && e.node === node).map((e) => e.at), time),
    nodeNotReadyBefore: (node, time) =>
      latestBefore(
        buffer.keyEvents.filter((e) => e.reason === "NodeNotReady" && e.object === `Node/${node}`).map((e) => e.time),
        time,
      ),
    nodeOf: (pod) => buffer.podNodes.get(pod) ?? null,
    failureThreshold: (pod, probeType, time) => {
      const attempts = buffer.probes.filter((a) => a.pod === pod && a.probeType === probeType && a.time <= time);
      if (attempts.length) return attempts[attempts.length - 1].failureThreshold;
      const worker = buffer.pods
        .find((p) => p.name === pod)
        ?.containers?.flatMap((c) => c.probes ?? [])
        .find((p) => p.type === probeType);
      return worker?.failureThreshold ?? null;
    },
  };
}
