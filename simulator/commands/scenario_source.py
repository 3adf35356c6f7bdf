"""The scenario a command names: a scenario file or a preset's slug."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator.scenario.validation import Problem, ScenarioError


def load_document(source: str) -> dict[str, Any]:
    """The scenario document (decoded, validated once) of a file or a preset's slug.

    Raises ``ScenarioError`` with the file's problems, or naming the presets when ``source`` is
    neither a file nor a preset's slug."""
    from simulator.scenario.loader import load_scenario
    from simulator.scenario.presets import load_preset, preset_slugs

    path = Path(source)
    if path.is_file():
        return dict(load_scenario(path).source)
    if source in preset_slugs():
        return dict(load_preset(source).source)
    presets = ", ".join(preset_slugs())
    raise ScenarioError([Problem("", f"{source}: no such file or preset (presets: {presets})")])
