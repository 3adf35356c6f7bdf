"""The headless command: ``python -m simulator run|validate|presets``.

``run FILE --json`` prints the results document (docs/scenario-format.md) on stdout; ``run FILE``
a readable report; ``validate FILE`` one line. FILE is a scenario file or a preset's slug.
``check``, ``sweep`` and ``report`` are the advisor's subcommands (simulator/commands/).
``--large`` lifts the run budget (pods × seconds × variants) and shows a progress bar on stderr.
Invalid input exits with status 2, prints nothing on stdout and one line per problem on stderr.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from simulator.commands.check import add_check_parser, run_check
from simulator.commands.publish import add_publish_parser, run_publish_command
from simulator.commands.report import add_report_parser, run_report_command
from simulator.commands.sweep import add_sweep_parser, run_sweep_command
from simulator.printing.report import not_modelled_line
from simulator.scenario.loader import load_scenario, with_overrides
from simulator.scenario.manifests.judgement import workload_cannot_judge
from simulator.scenario.manifests.warnings import workload_warnings
from simulator.scenario.presets import list_presets, load_preset, preset_slugs
from simulator.scenario.run_budget import MAX_POD_SECONDS
from simulator.scenario.types import Scenario
from simulator.scenario.validation import Problem, ScenarioError

if TYPE_CHECKING:
    from simulator.engine.simulation import Simulation

EXIT_INVALID = 2
ADVISOR_COMMANDS = {
    "check": run_check,
    "sweep": run_sweep_command,
    "report": run_report_command,
    "publish": run_publish_command,
}


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "presets":
        _print_presets(sys.stdout)
        return 0
    # The advisor's subcommands (simulator/commands).
    if arguments.command in ADVISOR_COMMANDS:
        return ADVISOR_COMMANDS[arguments.command](arguments)
    budget = None if arguments.large else MAX_POD_SECONDS
    try:
        scenario = _load(arguments.file, budget)
        scenario = with_overrides(
            scenario, seed=arguments.seed, duration=arguments.duration, max_pod_seconds=budget
        )
    except ScenarioError as error:
        for problem in error.problems:
            print(problem_line(arguments.file, problem), file=sys.stderr)
        return EXIT_INVALID
    if arguments.command == "validate":
        print(_validity_line(arguments.file, scenario))
        return 0
    return print_run(scenario, as_json=arguments.json, progress=arguments.large)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Run or check podviz scenarios without the dashboard.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a scenario and print its results")
    validate = commands.add_parser("validate", help="check a scenario without running it")
    for command in (run, validate):
        command.add_argument("file", metavar="FILE", help="a scenario file, or a preset's slug")
        command.add_argument("--seed", type=int, help="use this seed instead of the file's")
        command.add_argument(
            "--duration", type=duration_option, help='simulated seconds, or e.g. "90s", "5m"'
        )
        command.add_argument(
            "--large",
            action="store_true",
            help=f"allow runs over {MAX_POD_SECONDS} pod-seconds (progress bar on stderr)",
        )
    run.add_argument("--json", action="store_true", help="print the results as one JSON document")
    commands.add_parser("presets", help="list the built-in scenarios")
    add_check_parser(commands)
    add_sweep_parser(commands)
    add_report_parser(commands)
    add_publish_parser(commands)
    return parser


def duration_option(value: str) -> float | str:
    """Plain numbers are seconds; anything else is checked as a duration string by the loader."""
    try:
        return float(value)
    except ValueError:
        return value


def _load(file: str, budget: int | None) -> Scenario:
    path = Path(file)
    if path.is_file():
        return load_scenario(path, max_pod_seconds=budget)
    if file in preset_slugs():
        return load_preset(file)
    presets = ", ".join(preset_slugs())
    reason = "is a directory" if path.is_dir() else "no such file or preset"
    raise ScenarioError([Problem("", f"{reason} (presets: {presets})")])


def problem_line(file: str, problem: Problem) -> str:
    """``FILE:LINE:COLUMN: path: message``, the position left out when unknown."""
    place = f"{file}:{problem.line}:{problem.column}" if problem.line is not None else file
    described = f"{problem.path}: {problem.message}" if problem.path else problem.message
    return f"{place}: {described}"


def _validity_line(file: str, scenario: Scenario) -> str:
    variants = len(scenario.variants)
    events = len(scenario.events)
    line = (
        f"{file}: valid ({variants} variant{'s' * (variants != 1)}, "
        f"{events} event{'s' * (events != 1)}, duration {scenario.duration:g} s)"
    )
    workload = scenario.variants[0].workload
    not_modelled = workload.not_modelled
    if not_modelled:
        line += f"\n{file}: {not_modelled_line(not_modelled)}"
    for path in workload_cannot_judge(workload.kind, not_modelled):
        line += f"\n{file}: cannot judge: spec.workload.{path} is not modelled"
    for warning in workload_warnings(workload):
        line += f"\n{file}: warning: {warning}"
    return line


def print_run(scenario: Scenario, *, as_json: bool, progress: bool = False) -> int:
    # Imported here so that `validate` and `presets` work without loading the engine.
    import ujson

    from simulator.engine.simulation import Simulation
    from simulator.printing.report import format_report

    simulation = Simulation(scenario)
    if progress:
        _advance_with_progress(simulation, scenario.duration)
    else:
        simulation.advance_to(scenario.duration)
    results = simulation.results()
    if as_json:
        # One stable encoding: the same scenario and seed give the same bytes (ujson writes
        # what json.dumps(separators=(",", ":")) writes, three times faster).
        sys.stdout.write(ujson.dumps(results, escape_forward_slashes=False) + "\n")
    else:
        sys.stdout.write(format_report(results))
    return 0


def _advance_with_progress(simulation: Simulation, duration: float) -> None:
    """Run to ``duration`` in 1 % steps, drawing a progress bar in simulated seconds on
    stderr."""
    from tqdm import tqdm

    step = max(duration / 100, 1.0)
    total = math.ceil(duration)
    with tqdm(total=total, unit="s", file=sys.stderr, desc="simulated") as bar:
        while simulation.now < duration:
            simulation.advance_to(min(simulation.now + step, duration))
            shown = total if simulation.now >= duration else int(simulation.now)
            bar.update(shown - bar.n)


def _print_presets(out: TextIO) -> None:
    presets = list_presets()
    width = max((len(preset.slug) for preset in presets), default=0)
    for preset in presets:
        out.write(f"{preset.slug:<{width}}   {preset.title.get('en', preset.slug)}\n")
