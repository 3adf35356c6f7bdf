"""Runs kept in the database: what rebuilds a run, and which process holds it.

A row (``models.ClassRun``) is written when a browser starts a run, at every command, and with
every lease renewal of the owning process (which carries the clock along). A process takes a run
only through ``claim``, an atomic update that succeeds when the run has no owner or its lease has
lapsed, so two processes never run the same run at once for longer than one lease.

Every function here is synchronous (Django's ORM); async callers use the ``a``-prefixed
wrappers, which run them in Channels' database thread.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from channels.db import database_sync_to_async
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from simulator.scenario.types import ScenarioEvent

from .models import ClassRun

LEASE_SECONDS = 6.0  # a run whose owner has not renewed for this long is taken over
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a projector
# 32^6 ≈ 1.07e9 codes: with 100 live classes and 10 tries a minute per address
# (``join_attempts_per_minute``), one address needs about 2 years to hit one.
JOIN_CODE_LENGTH = 6


@dataclass(frozen=True)
class RunSnapshot:
    """What rebuilds a run: faults injected by hand, the clock (s), the speed, play or pause,
    and the class around it (``class_state``: JSON, written by the run host: the open question
    and its answers, the presenter's switch for predicted damage)."""

    injected: tuple[ScenarioEvent, ...]
    sim_time: float
    speed: float
    playing: bool
    class_state: Mapping[str, Any] = field(default_factory=dict)


def event_to_json(event: ScenarioEvent) -> dict:
    return dataclasses.asdict(event)


def event_from_json(data: dict) -> ScenarioEvent:
    return ScenarioEvent(**data)


def snapshot_of(record: ClassRun) -> RunSnapshot:
    return RunSnapshot(
        injected=tuple(event_from_json(event) for event in record.injected),
        sim_time=record.sim_time,
        speed=record.speed,
        playing=record.playing,
        class_state=record.class_state if isinstance(record.class_state, dict) else {},
    )


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def create(
    run_id: str,
    *,
    slug: str,
    text: str,
    title: dict[str, str],
    snapshot: RunSnapshot,
    owner_channel: str,
    forked_from: str = "",
) -> ClassRun:
    """Record a new run owned by ``owner_channel``; a class run (not a fork) gets a join code.

    Raises ``IntegrityError`` only if ``run_id`` is taken.
    """
    record = ClassRun(
        run_id=run_id,
        scenario_slug=slug,
        scenario_text=text,
        title=title,
        presenter_secret=secrets.token_urlsafe(24),
        forked_from=forked_from,
        owner_channel=owner_channel,
        lease_expires_at=_lease_end(),
    )
    _apply_snapshot(record, snapshot)
    if forked_from:
        record.save(force_insert=True)
        return record
    for _ in range(20):
        record.join_code = new_join_code()
        try:
            with transaction.atomic():
                record.save(force_insert=True)
            return record
        except IntegrityError:
            if ClassRun.objects.filter(run_id=run_id).exists():
                raise
    raise RuntimeError("no free join code after 20 tries")


def load(run_id: str) -> ClassRun | None:
    return ClassRun.objects.filter(run_id=run_id).first()


def by_join_code(code: str) -> ClassRun | None:
    """The class run of a join code, in any letter case; forks have none."""
    return ClassRun.objects.filter(join_code=code.strip().upper()).first()


def save_snapshot(run_id: str, owner_channel: str, snapshot: RunSnapshot) -> bool:
    """Write the run's state and renew the lease; False if ``owner_channel`` no longer owns it."""
    fields = _snapshot_fields(snapshot)
    updated = ClassRun.objects.filter(run_id=run_id, owner_channel=owner_channel).update(
        lease_expires_at=_lease_end(), updated_at=timezone.now(), **fields
    )
    return updated == 1


def claim(run_id: str, owner_channel: str) -> ClassRun | None:
    """Take the run for ``owner_channel`` if nobody holds it; the record, or None if held."""
    now = timezone.now()
    free = Q(owner_channel="") | Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    updated = (
        ClassRun.objects.filter(run_id=run_id)
        .filter(free | Q(owner_channel=owner_channel))
        .update(owner_channel=owner_channel, lease_expires_at=_lease_end())
    )
    return load(run_id) if updated == 1 else None


def release(run_id: str, owner_channel: str, snapshot: RunSnapshot) -> None:
    """Give the run up (stopped for idleness): its state stays, any process may bring it back."""
    ClassRun.objects.filter(run_id=run_id, owner_channel=owner_channel).update(
        owner_channel="",
        lease_expires_at=None,
        updated_at=timezone.now(),
        **_snapshot_fields(snapshot),
    )


def owner_is_live(record: ClassRun) -> bool:
    return bool(record.owner_channel) and (
        record.lease_expires_at is not None and record.lease_expires_at > timezone.now()
    )


def presented_class_runs(presenter_runs: dict[str, str]) -> dict[str, ClassRun]:
    """The newest class run (not a fork) of each scenario slug that this browser presents
    (``presenter_runs``: the session's run id to secret), for a teacher reopening a lesson."""
    newest: dict[str, ClassRun] = {}
    records = ClassRun.objects.filter(run_id__in=list(presenter_runs), forked_from="")
    for record in records:  # newest first (Meta.ordering)
        held = presenter_runs[record.run_id]
        if isinstance(held, str) and secrets.compare_digest(record.presenter_secret, held):
            newest.setdefault(record.scenario_slug, record)
    return newest


def delete(run_id: str) -> None:
    """Forget the run ``run_id``."""
    ClassRun.objects.filter(run_id=run_id).delete()


def delete_stale(idle_seconds: float) -> int:
    """Delete runs nobody has held for ``idle_seconds``; the number deleted."""
    cutoff = timezone.now() - timedelta(seconds=idle_seconds)
    held = Q(lease_expires_at__gt=timezone.now())
    deleted, _ = ClassRun.objects.filter(updated_at__lt=cutoff).exclude(held).delete()
    return deleted


def _lease_end() -> datetime:
    return timezone.now() + timedelta(seconds=LEASE_SECONDS)


def _snapshot_fields(snapshot: RunSnapshot) -> dict:
    return {
        "injected": [event_to_json(event) for event in snapshot.injected],
        "sim_time": snapshot.sim_time,
        "speed": snapshot.speed,
        "playing": snapshot.playing,
        "class_state": dict(snapshot.class_state),
    }


def _apply_snapshot(record: ClassRun, snapshot: RunSnapshot) -> None:
    for name, value in _snapshot_fields(snapshot).items():
        setattr(record, name, value)


acreate = database_sync_to_async(create)
aload = database_sync_to_async(load)
aby_join_code = database_sync_to_async(by_join_code)
asave_snapshot = database_sync_to_async(save_snapshot)
aclaim = database_sync_to_async(claim)
arelease = database_sync_to_async(release)
adelete = database_sync_to_async(delete)
adelete_stale = database_sync_to_async(delete_stale)
