"""Running scenario documents through the public contract and reading the results.

Results are the JSON-ready documents of docs/scenario-format.md; ``history`` rows,
``events`` and the per-second ``series`` tell when things happened.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from simulator.engine.simulation import Simulation, run_scenario
from simulator.scenario.loader import load_scenario

Document = dict[str, Any]
Row = Mapping[str, Any]

ERROR_CAUSES = ("NoEndpoints", "ConnectionRefused", "Timeout", "ServerError")


def run(document: Document) -> Document:
    """The results document of one scenario document."""
    return run_scenario(load_scenario(document))


def simulate(document: Document, until: float | None = None) -> Simulation:
    """A simulation advanced to ``until`` (default: the end), for mid-run state and lane series."""
    scenario = load_scenario(document)
    simulation = Simulation(scenario)
    simulation.advance_to(scenario.duration if until is None else until)
    return simulation


def only_lane(results: Document) -> Document:
    (lane,) = results["variants"]
    return lane


def lane_named(results: Document, name: str) -> Document:
    return next(lane for lane in results["variants"] if lane["name"] == name)


def pod(lane: Document, name: str) -> Document:
    matches = [entry for entry in lane["pods"] if entry["name"] == name]
    assert matches, f"no pod {name!r} among {[entry['name'] for entry in lane['pods']]}"
    return matches[0]


def pod_names(lane: Document) -> list[str]:
    return [entry["name"] for entry in lane["pods"]]


def container_of(pod_entry: Document, name: str = "app") -> Document:
    return next(entry for entry in pod_entry["containers"] if entry["name"] == name)


def first_time(
    pod_entry: Document, predicate: Callable[[Row], bool], after: float = -math.inf
) -> float | None:
    """Time of the first history row at or after ``after`` that satisfies ``predicate``."""
    for row in pod_entry["history"]:
        if row["time"] >= after and predicate(row):
            return row["time"]
    return None


def row_at(pod_entry: Document, time: float) -> Row:
    """The kubectl row the pod showed at ``time`` (the last history row not after it)."""
    rows = [row for row in pod_entry["history"] if row["time"] <= time]
    assert rows, f"{pod_entry['name']} did not exist at t={time}"
    return rows[-1]


def rows_between(pod_entry: Document, start: float, end: float) -> list[Row]:
    """History rows in effect at some moment of [start, end): the one at start and later ones."""
    rows = [row for row in pod_entry["history"] if start < row["time"] < end]
    return [row_at(pod_entry, start), *rows]


def running_since(pod_entry: Document) -> float:
    """When the pod's first app container instance started (phase turned Running)."""
    started = first_time(pod_entry, lambda row: row["phase"] == "Running")
    assert started is not None, f"{pod_entry['name']} never ran: {pod_entry['history']}"
    return started


def ready_since(pod_entry: Document, after: float = -math.inf) -> float | None:
    """First time at or after ``after`` at which every container was ready (READY n/n)."""
    return first_time(pod_entry, is_fully_ready, after)


def not_ready_since(pod_entry: Document, after: float) -> float | None:
    return first_time(pod_entry, lambda row: not is_fully_ready(row), after)


def is_fully_ready(row: Row) -> bool:
    ready, total = row["ready"].split("/")
    return ready == total and int(total) > 0


def restart_times(pod_entry: Document) -> list[float]:
    """times[k] = when restart k+1 was counted (the new instance was created)."""
    times = []
    count = 0
    for row in pod_entry["history"]:
        while row["restarts"] > count:
            count += 1
            times.append(row["time"])
    return times


def events(lane: Document, reason: str, subject: str | None = None) -> list[Document]:
    """Events with ``reason``; ``subject`` keeps those whose object is e.g. ``Pod/web-1``."""
    return [
        entry
        for entry in lane["events"]
        if entry["reason"] == reason and (subject is None or entry["object"] == subject)
    ]


def event_times(lane: Document, reason: str, subject: str | None = None) -> list[float]:
    return [entry["time"] for entry in events(lane, reason, subject)]


def first_event_time(lane: Document, reason: str, subject: str | None = None) -> float:
    times = event_times(lane, reason, subject)
    assert times, f"no {reason} event for {subject or 'any object'}"
    return min(times)


def bucket_sum(series: Mapping[str, Any], values: list[int], start: float, end: float) -> int:
    """Sum of per-second ``values`` over the buckets that begin in [start, end)."""
    return sum(
        value for time, value in zip(series["time"], values, strict=True) if start <= time < end
    )


def pod_requests(series: Mapping[str, Any], name: str, start: float, end: float) -> int:
    return bucket_sum(series, series["requests"].get(name, [0] * len(series["time"])), start, end)


def pod_errors(series: Mapping[str, Any], name: str, start: float, end: float) -> int:
    return bucket_sum(series, series["errors"].get(name, [0] * len(series["time"])), start, end)


def total_requests(series: Mapping[str, Any], start: float, end: float) -> int:
    routed = sum(pod_requests(series, name, start, end) for name in series["requests"])
    return routed + bucket_sum(series, series["noEndpointErrors"], start, end)


def total_errors(series: Mapping[str, Any], start: float, end: float) -> int:
    failed = sum(pod_errors(series, name, start, end) for name in series["errors"])
    return failed + bucket_sum(series, series["noEndpointErrors"], start, end)


def cause_errors(lane_series: Mapping[str, Any], cause: str, start: float, end: float) -> int:
    """Errors of one cause in [start, end), from a live lane's series (``errorsByCause``)."""
    return bucket_sum(lane_series, lane_series["errorsByCause"][cause], start, end)


def binomial_band(trials: float, share: float) -> tuple[float, float]:
    """docs/kubernetes-model.md §4.4: a share p of N requests lies within N·p ± 3·√(N·p(1−p))."""
    spread = 3 * math.sqrt(trials * share * (1 - share))
    return trials * share - spread, trials * share + spread


def backoff_tolerance(nominal: float) -> float:
    """docs/kubernetes-model.md §3.3: each wait is ≥ nominal and ≤ nominal + max(2 s, 15 %)."""
    return max(2.0, 0.15 * nominal)


def assert_between(value: float, low: float, high: float, what: str) -> None:
    assert low <= value <= high, f"{what}: {value} not in [{low}, {high}]"


def results_at(document: Document, time: float) -> Document:
    """The results of the same scenario run only up to ``time``: its state at that moment."""
    spec = {**document["spec"], "duration": time}
    spec["events"] = [entry for entry in spec.get("events", []) if entry["at"] < time]
    return run({**document, "spec": spec})


def snapshot_at(document: Document, time: float, lane_index: int = 0) -> Document:
    """A lane's state at ``time`` (``Lane.snapshot()``): pods, endpoints, nodes."""
    return simulate(document, until=time).lanes[lane_index].snapshot()


def named(entries: list[Document], name: str, key: str = "name") -> Document:
    matches = [entry for entry in entries if entry[key] == name]
    assert matches, f"no {name!r} among {[entry[key] for entry in entries]}"
    return matches[0]


def condition(pod_state: Document, kind: str) -> Document:
    """One pod condition from a snapshot, as the API shows it (type/status/reason/message)."""
    return named(pod_state["conditions"], kind, key="type")
