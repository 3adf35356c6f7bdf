"""Deployment and ReplicaSet: replicas, Scale, RolloutRestart as a rolling update honouring
maxSurge/maxUnavailable (k/k pkg/controller/deployment/rolling.go)."""

from __future__ import annotations

import pytest

from simulator.controllers.deployment import resolve_fenceposts, resolve_int_or_percent
from simulator.scenario.loader import load_scenario
from simulator.scenario.validation import ScenarioError

from .factories import (
    behavior,
    deployment,
    event,
    http_probe,
    only_lane,
    scenario,
    simulate,
    template,
    variant,
)
from .factories import container as spec


@pytest.mark.parametrize(
    ("value", "total", "up", "expected"),
    [(1, 10, True, 1), ("25%", 10, True, 3), ("25%", 10, False, 2), ("50%", 3, True, 2)],
)
def test_int_or_percent(value, total, up, expected):
    assert resolve_int_or_percent(value, total, up) == expected


def test_both_zero_fenceposts_allow_one_unavailable():
    assert resolve_fenceposts(0, "0%", 4) == (0, 1)
    assert resolve_fenceposts("25%", "25%", 4) == (1, 1)


def run(events, replicas=4, duration=200, **rollout):
    pod = template(spec(readiness=http_probe("/ready", period_seconds=2)))
    scn = scenario(
        variant(deployment(replicas, pod, **rollout), program=behavior(boot_seconds=5)),
        duration=duration,
        events=events,
    )
    return only_lane(simulate(scn))


def scaling(lane) -> list[str]:
    return [e["message"] for e in lane.events if e["reason"] == "ScalingReplicaSet"]


def test_pods_are_named_in_creation_order_and_spread_over_nodes():
    lane = run([], replicas=4, duration=20)
    assert [(p.name, p.node_name) for p in lane.api.pods] == [
        ("web-1", "node1"),
        ("web-2", "node2"),
        ("web-3", "node3"),
        ("web-4", "node1"),
    ]
    creates = [e["message"] for e in lane.events if e["reason"] == "SuccessfulCreate"]
    assert creates == [f"Created pod: web-{k}" for k in range(1, 5)]
    (first,) = scaling(lane)
    assert first.startswith("Scaled up replica set web-") and first.endswith(" from 0 to 4")


def test_scale_up_and_down():
    lane = run([event(30, "Scale", replicas=6), event(80, "Scale", replicas=2)], replicas=4)
    active = [p for p in lane.api.pods if p.active]
    assert len(active) == 2
    deleted = [e["message"] for e in lane.events if e["reason"] == "SuccessfulDelete"]
    assert len(deleted) == 4
    assert scaling(lane)[1].endswith("from 4 to 6")
    assert scaling(lane)[2].endswith("from 6 to 2")


def test_scale_down_removes_pods_on_crowded_nodes_first_then_the_newest():
    lane = run([event(30, "Scale", replicas=2)], replicas=4)
    deleted = [e["message"] for e in lane.events if e["reason"] == "SuccessfulDelete"]
    # web-1 and web-4 share node1 (ActivePodsWithRanks: more colocated first), newest first.
    assert deleted == ["Deleted pod: web-4", "Deleted pod: web-1"]


@pytest.mark.parametrize(
    ("surge", "unavailable", "max_total", "min_available"),
    [("25%", "25%", 5, 3), (1, 0, 5, 4), (0, 1, 4, 3), (2, 2, 6, 2)],
)
def test_rollout_restart_respects_surge_and_unavailable(
    surge, unavailable, max_total, min_available
):
    replicas = 4
    pod = template(spec(readiness=http_probe("/ready", period_seconds=2)))
    scn = scenario(
        variant(
            deployment(replicas, pod, max_surge=surge, max_unavailable=unavailable),
            program=behavior(boot_seconds=5),
        ),
        duration=200,
        events=[event(60, "RolloutRestart")],
    )
    simulation = simulate(scn, until=59)
    lane = only_lane(simulation)
    old = {p.name for p in lane.api.pods}
    time = 59.0
    while time < 200:
        time += 0.5
        simulation.advance_to(time)
        active = [p for p in lane.api.pods if p.active]
        available = [p for p in active if p.ready]
        assert len(active) <= max_total
        assert len(available) >= min_available
    final = [p for p in lane.api.pods if p.active]
    assert len(final) == replicas
    assert not {p.name for p in final} & old
    assert all(p.ready for p in final)
    new_sets = lane.workload.replica_sets
    assert [rs.replicas for rs in new_sets] == [0, replicas]


def test_recreate_creates_new_pods_only_once_every_old_pod_is_gone():
    """docs/kubernetes-model.md §8.8: rolloutRecreate waits for the old pods' removal (a
    terminating pod still counts), so there is an outage and never two pods at once."""
    pod = template(spec(readiness=http_probe("/ready", period_seconds=2), pre_stop=20))
    scn = scenario(
        variant(deployment(2, pod, strategy_type="Recreate"), program=behavior(boot_seconds=5)),
        duration=160,
        events=[event(60, "RolloutRestart")],
    )
    lane = only_lane(simulate(scn))
    old = [p for p in lane.api.pods if p.created_at == 0]
    new = [p for p in lane.api.pods if p.created_at > 0]
    assert [p.name for p in old] == ["web-1", "web-2"]
    assert [p.name for p in new] == ["web-3", "web-4"]
    # The preStop hook holds the old pods for 20 s; the new ones come only after both are gone.
    last_gone = max(p.deleted_at for p in old)
    assert last_gone == pytest.approx(80, abs=1)
    assert all(p.created_at >= last_gone for p in new)
    assert scaling(lane)[1].endswith("from 2 to 0")
    assert scaling(lane)[2].endswith("from 0 to 2")
    # Meanwhile the Service had no endpoint: requests were refused as NoEndpoints.
    assert lane.totals["errorsByCause"]["NoEndpoints"] > 0


def test_recreate_scale_changes_the_one_replica_set():
    lane = run([event(30, "Scale", replicas=3)], replicas=2, strategy_type="Recreate")
    assert len([p for p in lane.api.pods if p.active]) == 3
    assert scaling(lane)[1].endswith("from 2 to 3")


def test_a_deployment_created_paused_makes_no_replica_set_and_no_pod():
    """docs/kubernetes-model.md §8.13: a paused Deployment is only synced; none exists yet, so
    none is made, even when scaled; Progressing is Unknown, DeploymentPaused."""
    lane = run([event(20, "Scale", replicas=3)], replicas=2, paused=True, duration=60)
    assert lane.api.pods == []
    assert scaling(lane) == []
    status = lane.workload.status()
    assert status["replicas"] == 0
    (progressing,) = status["conditions"]
    assert (progressing["status"], progressing["reason"], progressing["message"]) == (
        "Unknown",
        "DeploymentPaused",
        "Deployment is paused",
    )
    assert lane.totals["errors"] == lane.totals["errorsByCause"]["NoEndpoints"] > 0


def test_rollout_restart_of_a_paused_deployment_is_refused_as_kubectl_does():
    with pytest.raises(ScenarioError) as raised:
        load_scenario(PAUSED_WITH_RESTART)
    assert (
        "spec.events[0].action: Forbidden: can't restart paused deployment "
        "(run rollout resume first)"
    ) in str(raised.value)
    assert load_scenario(PAUSED_WITH_RESTART.replace("paused: true", "paused: false")).events


PAUSED_WITH_RESTART = """
apiVersion: podviz/v1
kind: Scenario
metadata: {name: paused}
spec:
  duration: 60
  workload:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      paused: true
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers: [{name: app, image: x}]
  events:
  - {at: 30, action: RolloutRestart}
"""
