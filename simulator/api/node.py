"""A node: up or down, its Ready condition and taints as the API shows them, its Lease."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Node heartbeats: the kubelet renews its Lease every 10 s (0.25 x the 40 s lease duration).
LEASE_RENEW_INTERVAL = 10.0
# The kubelet's lease phase: renewals at phase + k*10 s, so a death at a whole multiple of 10 s is
# detected exactly G later (docs/kubernetes-model.md, node failure).
LEASE_RENEW_PHASE = 2.5

UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"
NOT_READY_TAINT = "node.kubernetes.io/not-ready"
NO_SCHEDULE = "NoSchedule"
NO_EXECUTE = "NoExecute"


@dataclass(frozen=True)
class Taint:
    key: str
    effect: str
    time_added: float

    def to_dict(self) -> dict:
        return {"key": self.key, "effect": self.effect, "timeAdded": self.time_added}


class Node:
    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index
        self.up = True
        self.down_since: float | None = None
        # Lease renewals happen at lease_anchor + k·10 s while the kubelet runs.
        self.lease_anchor = LEASE_RENEW_PHASE - LEASE_RENEW_INTERVAL
        self.ready_status = "True"
        self.ready_reason = "KubeletReady"
        self.ready_message = "kubelet is posting ready status"
        self.ready_since = 0.0
        self.taints: list[Taint] = []
        self.images: dict[str, float] = {}  # image -> time it is (or will be) on the node
        self._next_ip = 1

    @property
    def schedulable(self) -> bool:
        # Most nodes have no taint: skip making a generator for them.
        return not self.taints or all(taint.effect != NO_SCHEDULE for taint in self.taints)

    def has_taint(self, key: str, effect: str) -> bool:
        return any(t.key == key and t.effect == effect for t in self.taints)

    def add_taint(self, key: str, effect: str, now: float) -> bool:
        if self.has_taint(key, effect):
            return False
        self.taints.append(Taint(key, effect, now))
        return True

    def remove_taint(self, key: str, effect: str) -> bool:
        kept = [t for t in self.taints if not (t.key == key and t.effect == effect)]
        removed = len(kept) != len(self.taints)
        self.taints = kept
        return removed

    def latest_lease_renewal(self, now: float) -> float:
        """The newest Lease renewTime the kubelet has written by ``now``."""
        anchor = self.lease_anchor
        if self.up:
            return anchor + LEASE_RENEW_INTERVAL * math.floor((now - anchor) / LEASE_RENEW_INTERVAL)
        assert self.down_since is not None
        steps = math.ceil((self.down_since - anchor) / LEASE_RENEW_INTERVAL) - 1
        return anchor + LEASE_RENEW_INTERVAL * max(steps, 0)

    def allocate_pod_ip(self) -> str:
        ip = f"10.244.{self.index + 1}.{self._next_ip}"
        self._next_ip += 1
        return ip
