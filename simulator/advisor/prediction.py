"""Predicted damage: the detection windows Kubernetes' timing implies for each fault of a
scenario, in each variant, turned into a band of expected errors at the scenario's request rate.

Detection windows (docs/kubernetes-model.md):

| fault | decided by | window after the fault, s |
|---|---|---|
| NodeDown | the node lifecycle controller (§5.1) | (G − 10, G + 10) |
| AppHang | the first httpGet/exec/grpc probe to fail FT times (§2.4) | [(FT − 1)·P, FT·P] |
| AppUnresponsive | the same, each attempt lasting t = timeoutSeconds | [(FT − 1)·P + t, FT·P + t] |
| AppCrash | the kubelet sees the exit (§2.3) | [0, 1] |

G is nodeMonitorGracePeriod, P periodSeconds, FT failureThreshold of a readiness or liveness
probe.

A tcpSocket probe passes a hung or unresponsive app (§2.1), so it never decides. Traffic follows
the decision after the endpoint propagation delay. The fault's pods get ``share`` = pods hit /
endpoints routed before the fault of the ``rate`` requests per second (iptables picks uniformly,
§4.3), so the expected errors on them during the window are ``rate × share × (window +
propagation)``, widened by three standard deviations of that binomial count.

``caveats`` name, from the configuration alone and before any run, what this model leaves out
and may put the run's value outside the band (e.g. a container restarted by liveness without a
readiness probe gets traffic again while it boots). The value compared is the errors routed to
the fault's pods from the fault to the window's end (+ propagation + 1 s).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from simulator.runs.figures import POD_FAULTS, pods_hit
from simulator.scenario.types import Probe, Scenario, VariantSpec

NODE_DETECTION_SPREAD = 10.0  # §5.1: (G − 10 s, G + 10 s)
SIGMAS = 3.0


@dataclass(frozen=True)
class Prediction:
    """One fault in one variant: the predicted window and error band, and the run's value."""

    variant: str
    action: str
    at: float
    pods: tuple[str, ...]
    decided_by: str
    window: tuple[float, float] | None
    expected_errors: tuple[int, int]
    measured_errors: int
    caveats: tuple[str, ...]

    @property
    def in_band(self) -> bool:
        low, high = self.expected_errors
        return low <= self.measured_errors <= high

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; ``detectionWindow`` null when nothing detects the fault."""
        return {
            "variant": self.variant,
            "action": self.action,
            "at": self.at,
            "pods": list(self.pods),
            "decidedBy": self.decided_by,
            "detectionWindow": list(self.window) if self.window else None,
            "expectedErrors": list(self.expected_errors),
            "measuredErrors": self.measured_errors,
            "inBand": self.in_band,
            "caveats": list(self.caveats),
        }


def predicted_damage(scenario: Scenario, results: Mapping[str, Any]) -> list[Prediction]:
    """A prediction for every pod fault (NodeDown, AppHang, AppUnresponsive, AppCrash) of
    ``scenario`` in every variant, compared with ``results`` (``run_scenario(scenario)``).

    A fault repeated on the same target (pulses that model a long outage) is predicted at its
    first occurrence only; the window then ends at the next fault, whatever its target."""
    faults = [event for event in scenario.events if event.action in POD_FAULTS]
    firsts = [
        fault
        for index, fault in enumerate(faults)
        if not any((o.pod, o.node) == (fault.pod, fault.node) for o in faults[:index])
    ]
    predictions = []
    for spec, variant in zip(scenario.variants, results["variants"], strict=True):
        for fault in firsts:
            later = [other.at for other in faults if other.at > fault.at]
            following = min(later, default=scenario.duration)
            predictions.append(_predict(scenario, spec, variant, fault, following))
    return predictions


def _predict(
    scenario: Scenario,
    spec: VariantSpec,
    variant: Mapping[str, Any],
    fault,
    following: float,
) -> Prediction:
    event = {"at": fault.at, "action": fault.action, "node": fault.node, "pod": fault.pod}
    pods = tuple(pods_hit(variant, event))
    propagation = spec.cluster.endpoint_propagation
    decided_by, window, caveats = _window(spec, fault.action)
    stretch_end = following - fault.at
    if window is None:
        # Nothing takes the pods out: they fail until the next fault or the end.
        counted = (0.0, stretch_end)
        span = (stretch_end, stretch_end)
    else:
        counted = (0.0, min(window[1] + propagation + 1, stretch_end))
        span = (
            min(window[0] + propagation, stretch_end),
            min(window[1] + propagation + 1, stretch_end),
        )
        if window[1] + propagation + 1 > stretch_end:
            caveats.append("the next fault comes before the window ends")
    series = variant["series"]
    second = math.floor(fault.at)
    routed = series["routedEndpoints"][second - 1] if second >= 1 else 0
    share = min(1.0, len(pods) / routed) if routed else 1.0
    rate = _rate(scenario, fault.at)
    expected = _band(rate, share, span)
    measured = _errors_on(series, pods, fault.at + counted[0], fault.at + counted[1])
    if not pods:
        caveats.append("no pod was on the target when the fault came")
    return Prediction(
        variant=spec.name,
        action=fault.action,
        at=fault.at,
        pods=pods,
        decided_by=decided_by,
        window=window,
        expected_errors=expected,
        measured_errors=measured,
        caveats=tuple(caveats),
    )


def _window(spec: VariantSpec, action: str) -> tuple[str, tuple[float, float] | None, list[str]]:
    caveats: list[str] = []
    if action == "NodeDown":
        grace = spec.cluster.node_monitor_grace_period
        window = (max(0.0, grace - NODE_DETECTION_SPREAD), grace + NODE_DETECTION_SPREAD)
        return "nodeMonitorGracePeriod", window, caveats
    containers = spec.workload.template.containers
    readiness = [c.readiness_probe for c in containers if c.readiness_probe]
    if action == "AppCrash":
        if not readiness:
            caveats.append(
                "no readinessProbe: the restarted container gets traffic again while it boots"
            )
        return "container exit", (0.0, 1.0), caveats
    candidates: list[tuple[float, float, str]] = []
    for container in containers:
        for kind, probe in (
            ("readinessProbe", container.readiness_probe),
            ("livenessProbe", container.liveness_probe),
        ):
            if probe is None or probe.handler == "tcpSocket":
                continue
            low, high = probe_window(probe, unresponsive=action == "AppUnresponsive")
            candidates.append((low, high, f"{container.name} {kind}"))
    if not candidates:
        return "nothing (no probe sees it)", None, caveats
    low, high, name = min(candidates)
    window = (low, min(candidate[1] for candidate in candidates))
    if "livenessProbe" in name and not readiness:
        caveats.append(
            "liveness restarts the container and, with no readinessProbe, it gets traffic "
            "again while it boots"
        )
    if "livenessProbe" in name:
        caveats.append("the restarted container may fail its probes while it boots")
    return name, window, caveats


def probe_window(probe: Probe, *, unresponsive: bool) -> tuple[float, float]:
    """The detection window of ``probe``, seconds after the app breaks: [(FT − 1)·P, FT·P],
    plus timeoutSeconds when the attempts time out (docs/kubernetes-model.md §2.4)."""
    extra = probe.timeout_seconds if unresponsive else 0.0
    period = probe.period_seconds
    threshold = probe.failure_threshold
    return ((threshold - 1) * period + extra, threshold * period + extra)


def _rate(scenario: Scenario, at: float) -> float:
    rate = scenario.variants[0].traffic.requests_per_second
    for event in scenario.events:
        if event.action == "SetTraffic" and event.at <= at and event.requests_per_second:
            rate = event.requests_per_second
    return rate


def _band(rate: float, share: float, span: tuple[float, float]) -> tuple[int, int]:
    low_mean = rate * share * span[0]
    high_mean = rate * share * span[1]
    low = low_mean - SIGMAS * math.sqrt(low_mean * (1 - share)) if share < 1 else low_mean
    high = high_mean + SIGMAS * math.sqrt(high_mean * (1 - share)) if share < 1 else high_mean
    return max(0, math.floor(low)), math.ceil(high)


def _errors_on(series: Mapping[str, Any], pods: Sequence[str], start: float, end: float) -> int:
    first, last = math.floor(start), math.ceil(end)
    return int(sum(sum(series["errors"].get(pod, [])[first:last]) for pod in pods))
