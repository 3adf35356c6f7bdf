"""docs/kubernetes-model.md §0: probe defaults and the API's rules for probe fields."""

import pytest

from simulator.scenario.loader import ScenarioError, load_scenario

from .builders import container, deployment, event, http_probe, scenario
from .reading import assert_between, events, not_ready_since, only_lane, pod, run

FAULT_AT = 41.7
CONTAINER_PATH = "spec.workload.spec.template.spec.containers[0]"


def hang_detection(probe_kind: str, probe: dict, fault: str = "AppHang") -> float:
    doc = scenario(
        deployment([container(**{probe_kind: probe})]),
        duration=FAULT_AT + 50,
        requests_per_second=1,
        events=[event(FAULT_AT, fault, pod="web-1")],
    )
    lane = only_lane(run(doc))
    if probe_kind == "readiness":
        return not_ready_since(pod(lane, "web-1"), after=FAULT_AT) - FAULT_AT
    kills = [entry["time"] for entry in events(lane, "Killing", "Pod/web-1")]
    assert kills
    return kills[0] - FAULT_AT


@pytest.mark.parametrize("probe_kind", ["readiness", "liveness"])
def test_default_period_and_failure_threshold(probe_kind):
    """§0: periodSeconds 10, failureThreshold 3 ⇒ detection in [20, 30] s (§2.4)."""
    assert_between(hang_detection(probe_kind, http_probe()), 20, 30, "Δ with defaults")


def test_period_zero_means_the_default():
    """§0: periodSeconds 0 means "use default" (10 s)."""
    assert_between(hang_detection("readiness", http_probe(periodSeconds=0)), 20, 30, "Δ")


def test_default_timeout_is_one_second():
    """§0, §2.4: timeoutSeconds 1 ⇒ an unresponsive app adds at most FT·1 s to detection."""
    detected = hang_detection("readiness", http_probe(), fault="AppUnresponsive")
    assert_between(detected, 20, 33, "Δ with timeouts")


@pytest.mark.parametrize("probe_name", ["livenessProbe", "startupProbe"])
def test_success_threshold_must_be_one_for_liveness_and_startup(probe_name):
    """§0: successThreshold must be 1 for liveness and startup; the API names the field."""
    probe_kind = probe_name.removesuffix("Probe")
    doc = scenario(
        deployment([container(**{probe_kind: http_probe(successThreshold=2)})]), duration=10
    )
    with pytest.raises(ScenarioError) as raised:
        load_scenario(doc)
    path = f"{CONTAINER_PATH}.{probe_name}.successThreshold"
    assert path in [problem.path for problem in raised.value.problems]
    assert f"{path}: Invalid value: 2: must be 1" in str(raised.value)


def test_readiness_may_need_several_successes():
    """§0: successThreshold > 1 is allowed for readiness."""
    doc = scenario(deployment([container(readiness=http_probe(successThreshold=3))]), duration=10)
    load_scenario(doc)


def test_readiness_probe_rejects_a_probe_level_grace_period():
    """§0: probe-level terminationGracePeriodSeconds is for liveness/startup only."""
    doc = scenario(
        deployment([container(readiness=http_probe(terminationGracePeriodSeconds=5))]),
        duration=10,
    )
    with pytest.raises(ScenarioError) as raised:
        load_scenario(doc)
    path = f"{CONTAINER_PATH}.readinessProbe.terminationGracePeriodSeconds"
    assert path in [problem.path for problem in raised.value.problems]


def test_probe_level_grace_period_is_at_least_one_second():
    """§0: probe-level terminationGracePeriodSeconds has a minimum of 1."""
    doc = scenario(
        deployment([container(liveness=http_probe(terminationGracePeriodSeconds=0))]),
        duration=10,
    )
    with pytest.raises(ScenarioError) as raised:
        load_scenario(doc)
    path = f"{CONTAINER_PATH}.livenessProbe.terminationGracePeriodSeconds"
    assert path in [problem.path for problem in raised.value.problems]
