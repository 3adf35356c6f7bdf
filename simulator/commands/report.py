"""``python -m simulator report SCENARIO -o report.html``: the run as one self-contained HTML
file, with the series beside it as ``report.csv`` and ``report.json`` (same name, other
suffixes). Invalid input exits with status 2, as ``run``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.scenario.validation import ScenarioError

EXIT_INVALID = 2


def add_report_parser(commands: argparse._SubParsersAction) -> None:
    """The ``report`` subcommand."""
    report = commands.add_parser(
        "report", help="run a scenario and write a self-contained HTML report"
    )
    report.add_argument("scenario", metavar="SCENARIO", help="a scenario file, or a preset's slug")
    report.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the HTML file to write"
    )
    report.add_argument("--lang", choices=("en", "ko"), default="en", help="texts' language")


def run_report_command(arguments: argparse.Namespace) -> int:
    """Runs ``report`` as parsed; returns the exit status."""
    from simulator.advisor.prediction import predicted_damage
    from simulator.commands.scenario_source import load_document
    from simulator.engine.simulation import run_scenario
    from simulator.reports.run_report import run_report_html
    from simulator.reports.series_export import series_csv, series_json
    from simulator.scenario.loader import load_scenario

    try:
        scenario = load_scenario(load_document(arguments.scenario))
    except ScenarioError as error:
        for problem in error.problems:
            print(f"{arguments.scenario}: {problem}", file=sys.stderr)
        return EXIT_INVALID
    results = run_scenario(scenario)
    output = Path(arguments.output)
    output.write_text(run_report_html(scenario, results, arguments.lang), encoding="utf-8")
    output.with_suffix(".csv").write_text(series_csv(results), encoding="utf-8")
    predictions = [item.as_dict() for item in predicted_damage(scenario, results)]
    output.with_suffix(".json").write_text(series_json(results, predictions), encoding="utf-8")
    print(f"wrote {output}, {output.with_suffix('.csv')}, {output.with_suffix('.json')}")
    return 0
