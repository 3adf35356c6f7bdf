"""Figures read from a run's results (one variant of the results document): when Kubernetes
first acted on a faulted pod, container restarts after a time, the pods a fault hit."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from simulator.results.recovery import recoveries
from simulator.scenario.types import Scenario

# Faults that hit pods and that Kubernetes is expected to notice.
POD_FAULTS = ("NodeDown", "AppHang", "AppUnresponsive", "AppCrash")


def detection_seconds(
    variant: Mapping[str, Any], fault_at: float, pods: Iterable[str]
) -> float | None:
    """Seconds from ``fault_at`` until Kubernetes first acted on one of ``pods``: took it out of
    the Service's endpoints (``series.podStates[pod].inEndpoints`` turned 0, sampled at the end
    of each second) or killed its container (a ``Killing`` event). None if it never did."""
    series = variant["series"]
    start = math.floor(fault_at)
    found: list[float] = []
    for pod in pods:
        in_endpoints = series["podStates"].get(pod, {}).get("inEndpoints", [])
        for second in range(start, len(in_endpoints)):
            if in_endpoints[second] == 0:
                found.append(second + 1 - fault_at)
                break
        killed = [
            event["time"]
            for event in variant["events"]
            if event["time"] >= fault_at
            and event["object"] == f"Pod/{pod}"
            and event["reason"] == "Killing"
        ]
        if killed:
            found.append(killed[0] - fault_at)
    return round(min(found), 3) if found else None


def restarts_after(pods: Sequence[Mapping[str, Any]], at: float) -> int:
    """Container restarts after ``at``, over the results' ``pods`` (their ``history`` rows)."""
    total = 0
    for pod in pods:
        before = [row["restarts"] for row in pod["history"] if row["time"] <= at]
        total += pod["restarts"] - (before[-1] if before else 0)
    return total


def pods_hit(variant: Mapping[str, Any], fault: Mapping[str, Any]) -> list[str]:
    """The pods a fault event (results-format ``{"at", "action", "node", "pod"}``) hit: the
    named pod, or the pods on the named node then."""
    if fault.get("pod"):
        return [fault["pod"]]
    return [
        pod["name"]
        for pod in variant["pods"]
        if pod["node"] == fault.get("node")
        and pod["createdAt"] <= fault["at"]
        and (pod["deletedAt"] is None or pod["deletedAt"] > fault["at"])
    ]


def pod_faults(scenario: Scenario) -> list[dict[str, Any]]:
    """The scenario's events that hit pods, as ``{"at", "action", "node", "pod"}``."""
    return [
        {"at": event.at, "action": event.action, "node": event.node, "pod": event.pod}
        for event in scenario.events
        if event.action in POD_FAULTS
    ]


def fault_figures(
    variant: Mapping[str, Any], faults: Sequence[Mapping[str, Any]], duration: float
) -> list[dict[str, Any]]:
    """Each fault with its ``detectionSeconds`` and ``recoverySeconds`` in this variant (the
    recovery bounded by the next fault, ``simulator.results.recovery.recoveries``)."""
    times = [fault["at"] for fault in faults]
    recovered = recoveries(variant["series"]["totalErrors"], times, duration)
    return [
        {
            **fault,
            "detectionSeconds": detection_seconds(variant, fault["at"], pods_hit(variant, fault)),
            "recoverySeconds": recovery.seconds,
        }
        for fault, recovery in zip(faults, recovered, strict=True)
    ]
