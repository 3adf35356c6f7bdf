"""``python -m simulator sweep SCENARIO --vary FIELD=V1,V2,... [--vary ...] [--json]``.

SCENARIO is a scenario file or a preset's slug. Every combination of the values is run (each
variant of the scenario is one lane of each run) on every core, with a progress bar on stderr.
``--json`` prints ``{"cells": [{"values", "variant", "totals", "detectionSeconds",
"recoverySeconds", "restarts", "faults"}]}``. Invalid input exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from simulator.commands.scenario_source import load_document
from simulator.scenario.validation import ScenarioError

EXIT_INVALID = 2


def add_sweep_parser(commands: argparse._SubParsersAction) -> None:
    """The ``sweep`` subcommand."""
    sweep = commands.add_parser(
        "sweep", help="run a scenario for every combination of field values"
    )
    sweep.add_argument("scenario", metavar="SCENARIO", help="a scenario file, or a preset's slug")
    sweep.add_argument(
        "--vary",
        action="append",
        required=True,
        metavar="FIELD=V1,V2,...",
        help="a probe field (readinessProbe.periodSeconds) or a path from spec; repeatable",
    )
    sweep.add_argument("--json", action="store_true", help="print one JSON document")
    sweep.add_argument(
        "--workers", type=int, help="processes to run cells in (default: one per core)"
    )
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    sweep.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="run the cells on a Dask distributed cluster"
    )


def run_sweep_command(arguments: argparse.Namespace) -> int:
    """Runs ``sweep`` as parsed; returns the exit status."""
    from simulator.runs.dask_cluster import SchedulerUnreachable
    from simulator.scenario.loader import load_scenario
    from simulator.sweep.grid import combinations, parse_vary, with_values
    from simulator.sweep.runner import run_sweep

    try:
        document = load_document(arguments.scenario)
        cells = combinations([parse_vary(option) for option in arguments.vary])
        # Every combination checked before anything runs.
        for values in cells:
            load_scenario(with_values(document, values))
        progress = None if arguments.quiet else sys.stderr
        results = run_sweep(
            document,
            cells,
            workers=arguments.workers,
            progress=progress,
            scheduler=arguments.scheduler,
        )
    except SchedulerUnreachable as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    except ScenarioError as error:
        for problem in error.problems:
            print(f"{arguments.scenario}: {problem}", file=sys.stderr)
        return EXIT_INVALID
    if arguments.json:
        sys.stdout.write(json.dumps({"cells": results}, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_cells(results))
    return 0


def format_cells(cells: list[dict[str, Any]]) -> str:
    """The cells as a table: the values, the lane, errors and their share, detection, recovery,
    restarts."""
    fields = list(cells[0]["values"]) if cells else []
    header = [*fields, "variant", "requests", "errors", "error%", "detect", "recover", "restarts"]
    rows = [header]
    for cell in cells:
        totals = cell["totals"]
        share = 100 * totals["errors"] / totals["requests"] if totals["requests"] else 0.0
        rows.append(
            [
                *(str(cell["values"][field]) for field in fields),
                cell["variant"],
                str(totals["requests"]),
                str(totals["errors"]),
                f"{share:.2f}",
                _seconds(cell["detectionSeconds"]),
                _seconds(cell["recoverySeconds"]),
                str(cell["restarts"]),
            ]
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    return "".join(
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        + "\n"
        for row in rows
    )


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:g}s"
