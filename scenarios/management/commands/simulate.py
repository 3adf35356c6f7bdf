"""``python manage.py simulate FILE_OR_SLUG [--json] [--seed N] [--duration S]``.

``python -m simulator run`` from Django's side: the same output, byte for byte, for a scenario
file or a built-in scenario, and it also runs saved scenarios by slug (a saved scenario comes
before a built-in one of the same slug, as when it plays in the dashboard).
"""

from __future__ import annotations

from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from scenarios import store as scenario_store
from simulator.cli import EXIT_INVALID, duration_option, print_run, problem_line
from simulator.scenario.loader import load_scenario, with_overrides
from simulator.scenario.presets import preset_slugs
from simulator.scenario.types import Scenario
from simulator.scenario.validation import Problem, ScenarioError


class Command(BaseCommand):
    help = "Run a scenario file, built-in scenario or saved scenario and print its results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target", metavar="FILE_OR_SLUG", help="a scenario file, or a scenario's slug"
        )
        parser.add_argument("--json", action="store_true", help="print the results as JSON")
        parser.add_argument("--seed", type=int, help="use this seed instead of the scenario's")
        parser.add_argument(
            "--duration", type=duration_option, help='simulated seconds, or e.g. "90s", "5m"'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["target"]
        try:
            scenario = with_overrides(
                _load(target), seed=options["seed"], duration=options["duration"]
            )
        except ScenarioError as error:
            for problem in error.problems:
                self.stderr.write(problem_line(target, problem))
            raise SystemExit(EXIT_INVALID) from None
        # The results go through the command's stdout, so call_command(stdout=...) gets them.
        with redirect_stdout(self.stdout):
            print_run(scenario, as_json=options["json"])


def _load(target: str) -> Scenario:
    path = Path(target)
    if path.is_file():
        return load_scenario(path)
    try:
        return scenario_store.load_for_run(target)
    except scenario_store.ScenarioNotFound:
        presets = ", ".join(preset_slugs())
        reason = "is a directory" if path.is_dir() else "no such file, saved scenario or preset"
        raise ScenarioError([Problem("", f"{reason} (presets: {presets})")]) from None
