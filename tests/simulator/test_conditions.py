"""Kubelet-owned pod conditions and their transition times (docs/kubernetes-model.md §1.2)."""

from __future__ import annotations

from simulator.api.conditions import (
    FALSE,
    READY,
    TRUE,
    Condition,
    kubelet_conditions,
    with_transition_times,
)
from simulator.api.container import Container
from simulator.scenario.types import ContainerBehavior, ContainerSpec


def container(name: str, ready: bool) -> Container:
    c = Container(ContainerSpec(name=name, image="i"), ContainerBehavior(), False, "x")
    c.set_running(0.0, False)
    c.ready = ready
    return c


def by_type(conditions):
    return {c.type: c for c in conditions}


def test_ready_copies_containers_ready_reason_and_message():
    conditions = by_type(
        kubelet_conditions(True, [], [container("a", False), container("b", False)], "Running")
    )
    for kind in ("Ready", "ContainersReady"):
        assert conditions[kind].status == FALSE
        assert conditions[kind].reason == "ContainersNotReady"
        assert conditions[kind].message == "containers with unready status: [a b]"


def test_terminal_phases_give_pod_completed_or_pod_failed():
    done = by_type(kubelet_conditions(True, [], [container("a", False)], "Succeeded"))
    assert done["Ready"].reason == "PodCompleted"
    assert done["Initialized"].reason == "PodCompleted"
    failed = by_type(kubelet_conditions(True, [], [container("a", False)], "Failed"))
    assert failed["ContainersReady"].reason == "PodFailed"


def test_initialized_is_true_at_once_without_init_containers():
    conditions = by_type(kubelet_conditions(False, [], [container("a", False)], "Pending"))
    assert conditions["Initialized"].status == TRUE
    assert conditions["PodReadyToStartContainers"].status == FALSE


def test_transition_time_moves_only_when_the_status_changes():
    first = with_transition_times({}, [Condition(READY, FALSE, "ContainersNotReady")], 1.0)
    same = with_transition_times(first, [Condition(READY, FALSE, "Other")], 5.0)
    assert same[READY].last_transition_time == 1.0
    assert same[READY].reason == "Other"
    flipped = with_transition_times(same, [Condition(READY, TRUE)], 9.0)
    assert flipped[READY].last_transition_time == 9.0
