// One lane's data on the client: bounded per-second series, events, probe attempts, state now.
//
// A run.state replaces everything; a run.frame appends the series points from `seriesStart` on
// and replaces only the state parts it carries (the server leaves out parts that did not change).
import { CAUSES, SERVING_ONLY_CAUSES, STATE_KINDS } from "./vocabulary.js";

const MAX_SECONDS = 7200; // two simulated hours of per-second points
const TRIM_CHUNK = 600; // trim in chunks, not one point per frame
const MAX_EVENTS = 400;
const MAX_KEY_EVENTS = 200;
const MAX_PROBES = 600;
const STATE_PARTS = ["pods", "nodes", "endpoints", "service", "traffic", "totals", "recovery", "title", "score"];
// Kubernetes events that become chart markers (see markers.js).
const KEY_REASONS = new Set(["NodeNotReady", "NodeReady", "Killing", "TaintManagerEviction", "SuccessfulCreate", "Started"]);

// Versions come from one counter for every buffer of the page: a buffer built from a new
// run.state never repeats a version that a view already drew from another buffer.
let lastVersion = 0;

export class LaneBuffer {
  constructor(name) {
    this.name = name;
    this.version = ++lastVersion; // changes with every change, so that views redraw only what changed
    this.seriesVersion = this.version; // changes with the per-second series only
    this.seriesRewrites = 0; // rises whenever points already held change or go (not appends)
    this.title = null;
    this.pods = [];
    this.nodes = [];
    this.endpoints = [];
    this.service = null;
    this.traffic = null;
    this.totals = null;
    this.recovery = null;
    this.score = null; // the lane's score in the scenario's score window (server-side)
    this.serving = false; // the lane has a serving model (set by the first run.state)
    this.resetSeries(0);
    this.events = new Map(); // kubectl's aggregation key -> latest record, oldest first
    this.keyEvents = [];
    this.probes = [];
    this.podNodes = new Map(); // pod -> node, remembered after the pod is gone
    this.podLives = new Map(); // pod -> {createdAt, deletedAt}, remembered after the pod is gone
  }

  resetSeries(offset) {
    this.seriesRewrites = (this.seriesRewrites ?? 0) + 1;
    this.offset = offset; // index in the server's series of this buffer's first point
    this.time = [];
    this.requests = new Map();
    this.errors = new Map();
    this.noEndpointErrors = [];
    this.readyEndpoints = [];
    this.errorsByCause = new Map(this.causes().map((cause) => [cause, []]));
    this.podStates = new Map(); // pod -> {running: [], ready: [], inEndpoints: []}
    // Serving model only (docs/scenario-format.md "Results"): p50/p99 of the answers served
    // each second (seconds, null: none served), and per pod the requests in its app.
    this.latencyP50 = [];
    this.latencyP99 = [];
    this.inSystem = new Map();
  }

  // The lane's causes: the serving model's after the others when the lane has one.
  causes() {
    return this.serving ? [...CAUSES, ...SERVING_ONLY_CAUSES] : [...CAUSES];
  }

  // Returns false when the frame does not continue this buffer (points were missed).
  apply(lane, { full }) {
    const changed =
      full ||
      STATE_PARTS.some((part) => part in lane) ||
      [lane.series?.time, lane.events, lane.probes].some((items) => items?.length > 0);
    if (changed) this.version = ++lastVersion;
    if (full || lane.series?.time?.length > 0) this.seriesVersion = this.version;
    if (full) {
      this.podLives.clear();
      this.events.clear();
      this.keyEvents = [];
      this.probes = [];
    }
    for (const part of STATE_PARTS) {
      if (part in lane) this[part] = lane[part];
    }
    for (const pod of this.pods) {
      if (pod.node) this.podNodes.set(pod.name, pod.node);
      this.podLives.set(pod.name, { createdAt: pod.createdAt ?? 0, deletedAt: pod.deletedAt ?? null });
    }
    const continues = this.applySeries(lane.series ?? {}, full ? 0 : (lane.seriesStart ?? 0), full);
    if ("pods" in lane) this.noteRemovedPods(full);
    this.applyEvents(lane.events ?? []);
    this.applyProbes(lane.probes ?? []);
    return continues;
  }

  // A pod the API server no longer lists is gone: live, from the second it disappeared; in a
  // full state, from the second after it last ran (the server pads its states with zeros).
  noteRemovedPods(full) {
    const listed = new Set(this.pods.map((pod) => pod.name));
    const timeAt = (index) => this.time[index] ?? (this.time.at(-1) ?? -1) + 1;
    for (const [pod, states] of this.podStates) {
      const life = this.podLives.get(pod);
      if (listed.has(pod) || (life && life.deletedAt !== null)) continue;
      if (!full) {
        this.podLives.set(pod, { createdAt: life?.createdAt ?? timeAt(0), deletedAt: timeAt(this.time.length) });
        continue;
      }
      const ran = states.running.map((_, i) => STATE_KINDS.some((kind) => states[kind][i] === 1));
      const first = Math.max(0, ran.indexOf(true));
      this.podLives.set(pod, { createdAt: timeAt(first), deletedAt: timeAt(ran.lastIndexOf(true) + 1) });
    }
  }

  get end() {
    return this.offset + this.time.length;
  }

  applySeries(series, start, full) {
    // A lane has a serving model when its series carry latencies (the first state says so).
    if (full) this.serving = Array.isArray(series.latencyP50);
    if (full || start < this.offset) this.resetSeries(start);
    if (start > this.end) return false;
    this.truncate(start - this.offset);
    const before = this.time.length;
    pushAll(this.time, series.time);
    const added = this.time.length - before;
    appendPerPod(this.requests, series.requests, before, 0);
    appendPerPod(this.errors, series.errors, before, 0);
    appendFlat(this.noEndpointErrors, series.noEndpointErrors, before, 0);
    appendFlat(this.readyEndpoints, series.readyEndpoints, before, null);
    for (const cause of this.causes()) {
      appendFlat(this.errorsByCause.get(cause), series.errorsByCause?.[cause], before, 0);
    }
    if (this.serving) {
      appendFlat(this.latencyP50, series.latencyP50, before, null);
      appendFlat(this.latencyP99, series.latencyP99, before, null);
      appendPerPod(this.inSystem, series.inSystem, before, null);
    }
    this.appendPodStates(series.podStates, before, added, full);
    this.padToLength();
    this.trim();
    return true;
  }

  // A series the server left out of a frame must not shift the others.
  padToLength() {
    const length = this.time.length;
    for (const map of [this.requests, this.errors]) for (const points of map.values()) pad(points, length, 0);
    pad(this.noEndpointErrors, length, 0);
    pad(this.readyEndpoints, length, null);
    for (const points of this.errorsByCause.values()) pad(points, length, 0);
    for (const points of [this.latencyP50, this.latencyP99, ...this.inSystem.values()]) pad(points, length, null);
  }

  truncate(length) {
    if (length >= this.time.length) return;
    this.seriesRewrites += 1;
    this.time.length = length;
    for (const map of [this.requests, this.errors]) for (const points of map.values()) points.length = length;
    this.noEndpointErrors.length = length;
    this.readyEndpoints.length = length;
    for (const points of this.errorsByCause.values()) points.length = length;
    for (const points of [this.latencyP50, this.latencyP99, ...this.inSystem.values()]) points.length = length;
    for (const states of this.podStates.values()) for (const kind of STATE_KINDS) states[kind].length = length;
  }

  // The server's per-second pod states when it sends them; otherwise each new second takes the
  // state the pods are in now (the history a run.state carries stays blank, but its last second).
  appendPodStates(serverStates, before, added, full) {
    const length = this.time.length;
    if (serverStates && typeof serverStates === "object") {
      for (const [pod, kinds] of Object.entries(serverStates)) {
        const states = this.statesOf(pod, before);
        for (const kind of STATE_KINDS) pushAll(states[kind], kinds?.[kind]);
      }
    } else if (added > 0) {
      for (const pod of this.pods) {
        const states = this.statesOf(pod.name, full ? length - 1 : before);
        const now = currentStates(pod);
        for (const kind of STATE_KINDS) pad(states[kind], length, now[kind]);
      }
    }
    for (const states of this.podStates.values()) {
      for (const kind of STATE_KINDS) pad(states[kind], length, null);
    }
  }

  statesOf(pod, length) {
    if (!this.podStates.has(pod)) {
      const blank = () => new Array(length).fill(null);
      this.podStates.set(pod, { running: blank(), ready: blank(), inEndpoints: blank() });
    }
    return this.podStates.get(pod);
  }

  trim() {
    const excess = this.time.length - MAX_SECONDS;
    if (excess < TRIM_CHUNK) return;
    this.seriesRewrites += 1;
    const drop = (points) => points.splice(0, excess);
    drop(this.time);
    for (const map of [this.requests, this.errors]) for (const points of map.values()) drop(points);
    drop(this.noEndpointErrors);
    drop(this.readyEndpoints);
    for (const points of this.errorsByCause.values()) drop(points);
    for (const points of [this.latencyP50, this.latencyP99, ...this.inSystem.values()]) drop(points);
    for (const states of this.podStates.values()) for (const kind of STATE_KINDS) drop(states[kind]);
    this.offset += excess;
  }

  applyEvents(events) {
    for (const event of events) {
      // kubectl shows one line per aggregated event: a repeat replaces the line and moves it last.
      const key = `${event.object}|${event.reason}|${event.message}`;
      this.events.delete(key);
      this.events.set(key, event);
      if (KEY_REASONS.has(event.reason)) this.keyEvents.push(event);
      const scheduled = event.reason === "Scheduled" && / to (\S+)$/.exec(event.message ?? "");
      if (scheduled) this.podNodes.set(objectName(event.object), scheduled[1]);
    }
    while (this.events.size > MAX_EVENTS) this.events.delete(this.events.keys().next().value);
    if (this.keyEvents.length > MAX_KEY_EVENTS) this.keyEvents.splice(0, this.keyEvents.length - MAX_KEY_EVENTS);
  }

  applyProbes(attempts) {
    pushAll(this.probes, attempts);
    if (this.probes.length > MAX_PROBES) this.probes.splice(0, this.probes.length - MAX_PROBES);
  }

  // Whether the pod existed during the second starting at `time` (the server pads with zeros).
  existed(pod, time) {
    const life = this.podLives.get(pod);
    if (!life) return true;
    return time + 1 > life.createdAt && (life.deletedAt === null || time < life.deletedAt);
  }

  restarts() {
    return this.pods.reduce((sum, pod) => sum + (pod.restarts ?? 0), 0);
  }

  // A plain copy for the test hooks.
  seriesSnapshot() {
    return {
      offset: this.offset,
      time: [...this.time],
      requests: Object.fromEntries([...this.requests].map(([pod, points]) => [pod, [...points]])),
      errors: Object.fromEntries([...this.errors].map(([pod, points]) => [pod, [...points]])),
      noEndpointErrors: [...this.noEndpointErrors],
      readyEndpoints: [...this.readyEndpoints],
      errorsByCause: Object.fromEntries([...this.errorsByCause].map(([cause, points]) => [cause, [...points]])),
      serving: this.serving,
      latencyP50: [...this.latencyP50],
      latencyP99: [...this.latencyP99],
      inSystem: Object.fromEntries([...this.inSystem].map(([pod, points]) => [pod, [...points]])),
    };
  }
}

export function objectName(object) {
  return String(object ?? "").split("/").pop();
}

function currentStates(pod) {
  const containers = pod.containers ?? [];
  const running = containers.length > 0 && containers.every((container) => container.state === "Running");
  const ready = (pod.conditions ?? []).some((condition) => condition.type === "Ready" && condition.status === "True");
  return { running: running ? 1 : 0, ready: ready ? 1 : 0, inEndpoints: pod.endpoint?.ready ? 1 : 0 };
}

function pushAll(target, values) {
  for (const value of values ?? []) target.push(value);
}

function pad(target, length, fill) {
  while (target.length < length) target.push(fill);
}

function appendFlat(target, points, before, fill) {
  pad(target, before, fill);
  pushAll(target, points);
}

function appendPerPod(map, perPod, before, fill) {
  for (const [pod, points] of Object.entries(perPod ?? {})) {
    if (!map.has(pod)) map.set(pod, new Array(before).fill(fill));
    const target = map.get(pod);
    pad(target, before, fill);
    pushAll(target, points);
  }
}
