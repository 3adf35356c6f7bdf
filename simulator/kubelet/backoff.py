"""Per-key exponential backoff, as client-go's ``flowcontrol.Backoff`` used by the kubelet.

docs/kubernetes-model.md §3.2; k/k staging/src/k8s.io/client-go/util/flowcontrol/backoff.go (Next,
IsInBackOffSince, IsInBackOffSinceUpdate); k/k pkg/kubelet/kuberuntime/kuberuntime_manager.go
(doBackOff). No jitter: the kubelet's crash-loop backoff is created without it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class BackoffEntry:
    backoff: float
    last_update: float


class Backoff:
    """Backoff entries by key; ``reset_after`` is the expiry window (``HasExpiredFunc``)."""

    def __init__(self, initial: float, maximum: float, reset_after: float) -> None:
        # KubeletCrashLoopBackOffMax: a cap below the initial delay makes the initial delay the cap.
        self.initial = min(initial, maximum)
        self.maximum = maximum
        self.reset_after = reset_after
        self._entries: dict[object, BackoffEntry] = {}

    def get(self, key: object) -> float:
        """The current backoff of ``key`` (0 when there is no entry)."""
        entry = self._entries.get(key)
        return entry.backoff if entry else 0.0

    def _expired(self, entry: BackoffEntry, event_time: float) -> bool:
        return event_time - entry.last_update > self.reset_after

    def is_in_backoff_since(self, key: object, event_time: float, now: float) -> bool:
        """True while ``now - event_time`` is shorter than the key's backoff (crash loops)."""
        entry = self._entries.get(key)
        if entry is None or self._expired(entry, event_time):
            return False
        return now - event_time < entry.backoff

    def is_in_backoff_since_update(self, key: object, now: float) -> bool:
        """True while ``now`` is within the backoff after the last ``next`` (image pulls)."""
        entry = self._entries.get(key)
        if entry is None or self._expired(entry, now):
            return False
        return now - entry.last_update < entry.backoff

    def next(self, key: object, event_time: float, now: float) -> float:
        """Start (or double, up to the cap) the backoff of ``key``; returns the new backoff."""
        entry = self._entries.get(key)
        if entry is None or self._expired(entry, event_time):
            entry = BackoffEntry(backoff=self.initial, last_update=now)
            self._entries[key] = entry
        else:
            entry.backoff = min(entry.backoff * 2, self.maximum)
            entry.last_update = now
        return entry.backoff

    def expires_at(self, key: object) -> float:
        """When the backoff that started at the last ``next`` ends."""
        entry = self._entries[key]
        return entry.last_update + entry.backoff
