"""``python -m simulator publish LESSON -o DIR``: the lesson as a static folder (``index.html``
and the files beside it) that replays the run of every lane on the live run page's own charts,
from disk or from any static host (simulator/reports/published_lesson.py). LESSON is a built-in
lesson's slug or a scenario file. A bad lesson or an unwritable DIR exits with status 2."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simulator.scenario.validation import ScenarioError

EXIT_INVALID = 2


def add_publish_parser(commands: argparse._SubParsersAction) -> None:
    """The ``publish`` subcommand."""
    publish = commands.add_parser(
        "publish", help="write a lesson as a static folder that opens without a server"
    )
    publish.add_argument(
        "lesson", metavar="LESSON", help="a built-in lesson's slug, or a scenario file"
    )
    publish.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="DIR",
        help="the folder to write (created if missing)",
    )
    publish.add_argument(
        "--lang", choices=("en", "ko"), default="en", help="the lesson text's language"
    )


def run_publish_command(arguments: argparse.Namespace) -> int:
    """Runs ``publish`` as parsed; returns the exit status."""
    from simulator.commands.scenario_source import load_document
    from simulator.reports.published_lesson import PublishError, folder_size, publish_lesson
    from simulator.scenario.loader import load_scenario

    try:
        scenario = load_scenario(load_document(arguments.lesson))
    except ScenarioError as error:
        for problem in error.problems:
            print(f"{arguments.lesson}: {problem}", file=sys.stderr)
        return EXIT_INVALID
    output = Path(arguments.output)
    if output.exists() and not output.is_dir():
        print(f"{output}: not a folder; give -o a folder to write the lesson into", file=sys.stderr)
        return EXIT_INVALID
    try:
        files = publish_lesson(scenario, output, arguments.lang)
    except PublishError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    size = folder_size(files)
    print(
        f"wrote {output / 'index.html'} and {len(files) - 1} files beside it, {size / 1e6:.1f} MB"
    )
    return 0
