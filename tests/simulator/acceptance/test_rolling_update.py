"""Deployment controller: RolloutRestart and Scale (scenario-format events), with the
maxSurge/maxUnavailable rules of Kubernetes' RollingUpdate strategy (defaults 25 %/25 %)."""

import pytest

from .builders import container, deployment, event, http_probe, scenario
from .reading import is_fully_ready, only_lane, pod, pod_names, row_at, run

REPLICAS = 4
ROLLOUT_AT = 20


def rollout(max_surge=None, max_unavailable=None) -> dict:
    return scenario(
        deployment(
            [container(readiness=http_probe(periodSeconds=1))],
            replicas=REPLICAS,
            max_surge=max_surge,
            max_unavailable=max_unavailable,
        ),
        duration=150,
        nodes=4,
        requests_per_second=5,
        events=[event(ROLLOUT_AT, "RolloutRestart")],
    )


def active_at(lane: dict, time: float) -> list[dict]:
    """kubectl rows of the pods that exist at ``time`` and are not terminating."""
    rows = []
    for entry in lane["pods"]:
        gone = entry["deletedAt"] is not None and entry["deletedAt"] <= time
        if entry["createdAt"] <= time and not gone:
            row = row_at(entry, time)
            if row["status"] != "Terminating":
                rows.append(row)
    return rows


def change_times(lane: dict, since: float) -> list[float]:
    times = {row["time"] for entry in lane["pods"] for row in entry["history"]}
    times |= {entry["deletedAt"] for entry in lane["pods"] if entry["deletedAt"] is not None}
    return sorted(time for time in times if time >= since)


@pytest.mark.parametrize(
    ("max_surge", "max_unavailable", "most", "fewest_ready"),
    [(None, None, 5, 3), (0, 1, 4, 3), (2, 0, 6, 4), ("50%", "50%", 6, 2)],
)
def test_rollout_respects_surge_and_unavailability(max_surge, max_unavailable, most, fewest_ready):
    """RollingUpdate: ≤ replicas + maxSurge pods (surge rounds up) and ≥ replicas −
    maxUnavailable ready (unavailable rounds down), terminating pods not counted."""
    lane = only_lane(run(rollout(max_surge, max_unavailable)))
    for time in change_times(lane, ROLLOUT_AT):
        rows = active_at(lane, time)
        assert len(rows) <= most, (time, rows)
        assert sum(is_fully_ready(row) for row in rows) >= fewest_ready, (time, rows)


def test_rollout_replaces_every_pod_with_a_new_one():
    """RolloutRestart: every old pod is deleted; new pods continue the name count."""
    lane = only_lane(run(rollout()))
    names = pod_names(lane)
    old = [f"web-{k}" for k in range(1, REPLICAS + 1)]
    new = [f"web-{k}" for k in range(REPLICAS + 1, 2 * REPLICAS + 1)]
    assert names == old + new
    for name in old:
        assert pod(lane, name)["deletedAt"] is not None, name
    for name in new:
        entry = pod(lane, name)
        assert entry["createdAt"] >= ROLLOUT_AT
        assert (entry["status"], entry["ready"], entry["deletedAt"]) == ("Running", "1/1", None)


def test_scale_up_and_down_changes_the_number_of_active_pods():
    """Scale: the ReplicaSet creates or deletes pods to match replicas."""
    doc = scenario(
        deployment(replicas=2),
        duration=80,
        requests_per_second=1,
        events=[event(10, "Scale", replicas=3), event(40, "Scale", replicas=1)],
    )
    lane = only_lane(run(doc))
    assert pod_names(lane) == ["web-1", "web-2", "web-3"]
    assert pod(lane, "web-3")["node"] == "node3"
    assert len(active_at(lane, 35)) == 3
    assert len(active_at(lane, 79)) == 1
