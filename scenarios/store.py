"""Saved scenarios: the rules for writing them, and the lookup by slug.

A document is saved only if the loader accepts it, so an invalid edit never replaces a good one.
Every save names the version it started from and is applied only if that is still the current
version (one conditional UPDATE), so two editors never overwrite each other silently. The text is
kept exactly as written and exported byte for byte.

Lookups by slug (runs, downloads, the ``simulate`` command) find a saved scenario first, then a
built-in one: ``loadpresets`` copies the built-in scenarios here, and an edit made here is what
plays.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from asgiref.sync import sync_to_async
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from simulator.scenario import presets
from simulator.scenario.loader import load_scenario
from simulator.scenario.source.positions import YamlSyntaxError, decode_text
from simulator.scenario.types import Scenario
from simulator.scenario.validation import Problem, ScenarioError, format_value

from .models import TITLE_LENGTH, SavedScenario

# Paths beside /api/scenarios/<slug>: a scenario of that name could not be addressed.
RESERVED_SLUGS = ("validate", "import", "from-manifest")
NAME_PATH = ("metadata", "name")


class StoreError(Exception):
    """A save or lookup refused; ``str()`` tells the user what happened and what to do."""


class InvalidScenario(StoreError):
    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class ScenarioNotFound(StoreError, KeyError):
    """No saved or built-in scenario has this slug (a ``KeyError``: scenarios go by slug)."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(slug)

    def __str__(self) -> str:
        return f"no saved or built-in scenario named {self.slug!r}"


class NameTaken(StoreError):
    def __init__(self, slug: str, version: int) -> None:
        self.slug = slug
        self.version = version
        super().__init__(
            f"a scenario named {slug!r} already exists (version {version}): "
            "open it, or save yours under another name"
        )


class StaleVersion(StoreError):
    def __init__(self, slug: str, current: int, edited: int) -> None:
        self.slug = slug
        self.current = current
        self.edited = edited
        super().__init__(
            f"this scenario was changed elsewhere (version {current}, you edited version "
            f"{edited}): reload it, or save yours under another name"
        )


class ReadOnlyScenario(StoreError):
    """A built-in lesson (or its copy stored by ``loadpresets``), which users may not change."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(
            f"{slug!r} is a built-in lesson and cannot be changed here: give your copy another "
            "metadata.name and save it as a new scenario"
        )


class NotOwner(StoreError):
    """A saved scenario that belongs to another user: they and staff may change it."""

    def __init__(self, slug: str, owner: str | None) -> None:
        self.slug = slug
        whose = f"belongs to {owner}" if owner else "has no owner, so only staff may change it"
        super().__init__(
            f"{slug!r} {whose}; you may read it and fork it: give your copy another "
            "metadata.name and save it as a new scenario"
        )


@dataclass(frozen=True)
class Validation:
    scenario: Scenario | None
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return self.scenario is not None


@dataclass(frozen=True)
class StoredScenario:
    """The text behind a slug: a saved scenario, or a built-in one (no version, no dates)."""

    slug: str
    text: str
    version: int | None
    origin: str
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def built_in(self) -> bool:
        return self.version is None


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes


class PresetSync(StrEnum):
    """What ``sync_preset`` did with one built-in scenario."""

    CREATED = "created"
    UPDATED = "updated"  # the preset changed and its copy here was not edited
    UNCHANGED = "unchanged"
    OVERWRITTEN = "overwritten"  # the preset replaced edits made here (force)
    KEPT_EDITED = "kept-edited"  # edited here: left alone
    KEPT_NOT_FROM_PRESET = "kept-not-from-preset"  # a scenario of that name from elsewhere


# Validation -------------------------------------------------------------------------------------


def validate(text: str) -> Validation:
    """Whether the loader accepts ``text``; never raises, whatever the text."""
    try:
        return Validation(load_scenario(text), ())
    except ScenarioError as error:
        return Validation(None, error.problems)


def _accepted(text: str) -> Scenario:
    validation = validate(text)
    if validation.scenario is None:
        raise InvalidScenario(validation.problems)
    return validation.scenario


def _name_problem(text: str, name: str, detail: str) -> InvalidScenario:
    """A problem with ``metadata.name``, placed at it in the text."""
    try:
        position = decode_text(text).position_of(NAME_PATH)
    except YamlSyntaxError:
        position = None
    line, column = position if position else (None, None)
    message = f"Invalid value: {format_value(name)}: {detail}"
    return InvalidScenario((Problem("metadata.name", message, line, column),))


def _title(scenario: Scenario) -> str:
    title = scenario.title.get("en") or scenario.name
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Lookup -----------------------------------------------------------------------------------------


def find(slug: str) -> StoredScenario:
    """The saved scenario of this slug, else the built-in one; raises ``ScenarioNotFound``."""
    saved = SavedScenario.objects.filter(slug=slug).first()
    if saved is not None:
        return StoredScenario(
            slug, saved.yaml_text, saved.version, saved.origin, saved.created_at, saved.updated_at
        )
    if slug in presets.preset_slugs():
        return StoredScenario(slug, preset_text(slug), None, "")
    raise ScenarioNotFound(slug)


def is_built_in(slug: str) -> bool:
    """Whether ``slug`` names a built-in lesson, stored here by ``loadpresets`` or not."""
    return (
        slug in presets.preset_slugs()
        or SavedScenario.objects.filter(slug=slug).exclude(origin="").exists()
    )


def saved_scenarios() -> list[SavedScenario]:
    """Every saved scenario, by slug."""
    return list(SavedScenario.objects.select_related("owner"))


def preset_text(slug: str) -> str:
    """The file of a built-in scenario, as written."""
    return (presets.SCENARIOS_DIRECTORY / f"{slug}.yaml").read_bytes().decode("utf-8")


def load_for_run(slug: str) -> Scenario:
    """The scenario to play under this slug; raises ``ScenarioNotFound``, or ``ScenarioError``
    if a saved text no longer passes the loader."""
    return _scenario_of(find(slug))


async def aload_for_run(slug: str) -> Scenario:
    """``load_for_run`` for async views: the query in Django's database thread, the parsing in a
    worker thread so the shared one is not held."""
    stored = await sync_to_async(find)(slug)
    return await asyncio.to_thread(_scenario_of, stored)


def _scenario_of(stored: StoredScenario) -> Scenario:
    if stored.built_in:
        return presets.load_preset(stored.slug)
    return load_scenario(stored.text)


def export(slug: str) -> Export:
    """The text exactly as stored, as a ``<slug>.yaml`` download."""
    return Export(f"{slug}.yaml", find(slug).text.encode("utf-8"))


# Writing ----------------------------------------------------------------------------------------


def may_change(user: Any, saved: SavedScenario) -> bool:
    """Whether ``user`` may change ``saved``: its owner and staff; anyone may read and fork it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or (saved.owner_id is not None and saved.owner_id == user.pk)


def check_may_change(user: Any, slug: str) -> None:
    """Raises ``NotOwner`` if the saved scenario ``slug`` exists and ``user`` may not change it."""
    saved = SavedScenario.objects.filter(slug=slug).select_related("owner").first()
    if saved is not None and not may_change(user, saved):
        raise NotOwner(slug, saved.owner.get_username() if saved.owner else None)


def create(text: str, *, origin: str = "", owner: Any = None) -> SavedScenario:
    """Save a new scenario named by its ``metadata.name``, owned by ``owner`` (a user, or None:
    only staff may change it); raises ``InvalidScenario`` or ``NameTaken``."""
    scenario = _accepted(text)
    check_new_name(text, scenario.name, origin)
    current = SavedScenario.objects.filter(slug=scenario.name).values_list("version", flat=True)
    if current:
        raise NameTaken(scenario.name, current[0])
    try:
        with transaction.atomic():
            return SavedScenario.objects.create(
                slug=scenario.name,
                title=_title(scenario),
                yaml_text=text,
                origin=origin,
                origin_sha256=_sha256(text) if origin else "",
                owner=owner if getattr(owner, "is_authenticated", False) else None,
            )
    except IntegrityError:
        # Created by someone else since the check above.
        version = SavedScenario.objects.filter(slug=scenario.name).values_list("version", flat=True)
        raise NameTaken(scenario.name, version[0] if version else 1) from None


def check_new_name(text: str, name: str, origin: str = "") -> None:
    """Refuses, as a problem of `metadata.name`, a name that a new scenario may not take."""
    if name in RESERVED_SLUGS:
        raise _name_problem(text, name, "this name is reserved by the scenario API")
    if name in presets.preset_slugs() and origin != name:
        raise _name_problem(
            text, name, "this is the name of a built-in scenario; choose another name"
        )


def update(slug: str, text: str, *, based_on_version: int) -> SavedScenario:
    """Replace the text of a saved scenario, if ``based_on_version`` is still its version.

    Raises ``ScenarioNotFound``, ``StaleVersion`` or ``InvalidScenario``; on any of them the
    stored text and version stay as they were.
    """
    _check_version(slug, based_on_version)
    scenario = _accepted(text)
    if scenario.name != slug:
        raise _name_problem(
            text,
            scenario.name,
            f"must stay {slug!r}, the name this scenario is saved under; "
            "to keep a copy under another name, save it as a new scenario",
        )
    return _write(slug, text, scenario, based_on_version)


def _check_version(slug: str, based_on_version: int) -> None:
    current = SavedScenario.objects.filter(slug=slug).values_list("version", flat=True)
    if not current:
        raise ScenarioNotFound(slug)
    if current[0] != based_on_version:
        raise StaleVersion(slug, current[0], based_on_version)


def _write(
    slug: str, text: str, scenario: Scenario, based_on_version: int, **fields: str
) -> SavedScenario:
    """The save itself: one UPDATE that applies only if the version is still the one edited."""
    applied = SavedScenario.objects.filter(slug=slug, version=based_on_version).update(
        yaml_text=text,
        title=_title(scenario),
        version=F("version") + 1,
        updated_at=timezone.now(),
        **fields,
    )
    if not applied:
        _check_version(slug, based_on_version)
    return SavedScenario.objects.get(slug=slug)


def import_file(
    data: bytes,
    *,
    overwrite: bool = False,
    based_on_version: int | None = None,
    keep_built_in: bool = False,
    user: Any = None,
) -> tuple[SavedScenario, bool]:
    """Save an uploaded file's text as it is; ``(scenario, created)``.

    A name already saved is refused (``NameTaken``) unless ``overwrite`` is given with the version
    being replaced; with ``keep_built_in`` a built-in lesson is never overwritten
    (``ReadOnlyScenario``). A new scenario belongs to ``user``; overwriting one needs its owner or
    staff (``NotOwner``).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text: byte {error.start} cannot be decoded"
        raise InvalidScenario((Problem("", message),)) from None
    scenario = _accepted(text)
    existing = SavedScenario.objects.filter(slug=scenario.name).values_list("version", flat=True)
    if not existing:
        return create(text, owner=user), True
    if not overwrite:
        raise NameTaken(scenario.name, existing[0])
    if keep_built_in and is_built_in(scenario.name):
        raise ReadOnlyScenario(scenario.name)
    check_may_change(user, scenario.name)
    if based_on_version is None:
        raise StoreError(
            f"to overwrite {scenario.name!r}, give the version you are replacing "
            f"(now {existing[0]})"
        )
    return update(scenario.name, text, based_on_version=based_on_version), False


def sync_preset(slug: str, *, force: bool = False) -> PresetSync:
    """Store the built-in scenario ``slug`` as a saved one, its edits here kept unless ``force``."""
    text = preset_text(slug)
    saved = SavedScenario.objects.filter(slug=slug).first()
    if saved is None:
        create(text, origin=slug)
        return PresetSync.CREATED
    if saved.origin != slug:
        return PresetSync.KEPT_NOT_FROM_PRESET
    digest = _sha256(text)
    if saved.yaml_text == text:
        if saved.origin_sha256 != digest:
            # Edited here back to the preset's text: in step with the preset again.
            SavedScenario.objects.filter(pk=saved.pk).update(origin_sha256=digest)
        return PresetSync.UNCHANGED
    edited_here = _sha256(saved.yaml_text) != saved.origin_sha256
    if edited_here and not force:
        return PresetSync.KEPT_EDITED
    _write(slug, text, _accepted(text), saved.version, origin_sha256=digest)
    return PresetSync.OVERWRITTEN if edited_here else PresetSync.UPDATED
