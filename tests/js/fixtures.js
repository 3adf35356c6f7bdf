// Lanes built the way the page builds them: a run.state's lane applied to a LaneBuffer.
import { LaneBuffer } from "../../runs/static/podviz/lane_buffer.js";

// A pod as Lane.snapshot() lists it, with the given probes ([{type, failureThreshold}]).
export function pod(name, { probes = [], phase = "Running", running = true } = {}) {
  return {
    name,
    phase,
    createdAt: 0,
    containers: [{ name: "app", state: running ? "Running" : "Terminated", probes }],
    conditions: [{ type: "Ready", status: running ? "True" : "False" }],
  };
}

// A lane of `seconds` per-second points where every pod serves `perPod` requests a second.
export function lane({ name = "lane", pods = [pod("web-1")], seconds = 10, perPod = 5, rate = 10, states = null }) {
  const time = [...Array(seconds).keys()];
  const zeros = time.map(() => 0);
  const series = {
    time,
    requests: Object.fromEntries(pods.map((p) => [p.name, time.map(() => perPod)])),
    errors: Object.fromEntries(pods.map((p) => [p.name, zeros])),
    noEndpointErrors: zeros,
    readyEndpoints: time.map(() => pods.length),
    errorsByCause: { NoEndpoints: zeros, ConnectionRefused: zeros, Timeout: zeros, ServerError: zeros },
  };
  if (states) series.podStates = states;
  return {
    name,
    seriesStart: 0,
    series,
    pods,
    traffic: { requestsPerSecond: rate },
    totals: { requests: seconds * perPod * pods.length, errors: 0 },
    events: [],
    probes: [],
  };
}

export function buffer(state) {
  const built = new LaneBuffer(state.name);
  built.apply(state, { full: true });
  return built;
}
