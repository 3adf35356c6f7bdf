"""The built-in scenarios: ``simulator/scenario/scenarios/<slug>.yaml``, in English and Korean."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from simulator.scenario.loader import load_scenario
from simulator.scenario.types import LocalizedText, Scenario

SCENARIOS_DIRECTORY = Path(__file__).parent / "scenarios"
# The story of the seed notes comes first; the other presets follow by slug.
FEATURED = ("seed-story", "seed-story-textbook")


@dataclass(frozen=True)
class PresetInfo:
    slug: str
    title: LocalizedText
    description: LocalizedText


class UnknownPresetError(KeyError):
    """No preset has this slug (a ``KeyError``: presets are looked up by slug)."""

    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug

    def __str__(self) -> str:
        return f"no preset named {self.slug!r} (presets: {', '.join(preset_slugs())})"


def preset_slugs() -> tuple[str, ...]:
    """Every preset's slug, in display order."""
    slugs = sorted(path.stem for path in SCENARIOS_DIRECTORY.glob("*.yaml"))
    featured = [slug for slug in FEATURED if slug in slugs]
    return (*featured, *(slug for slug in slugs if slug not in FEATURED))


@cache
def list_presets() -> tuple[PresetInfo, ...]:
    """Every preset, in display order (loaded once per process: the files ship with the code)."""
    presets = []
    for slug in preset_slugs():
        scenario = load_preset(slug)
        presets.append(PresetInfo(slug, scenario.title, scenario.description))
    return tuple(presets)


def load_preset(slug: str) -> Scenario:
    """The validated scenario of one preset; raises ``UnknownPresetError``."""
    if slug not in preset_slugs():
        raise UnknownPresetError(slug)
    return load_scenario(SCENARIOS_DIRECTORY / f"{slug}.yaml")
