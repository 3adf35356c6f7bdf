"""``python -m simulator check MANIFEST``: the advisor on the command line.

MANIFEST is a YAML (or JSON) file, a directory of them, or ``-`` for standard input. Exit
status: 0 with no error finding, 1 with one, 2 for invalid input (nothing on stdout, one line
per problem on stderr, as ``validate``) or when something that decides the outcome is not
modelled (the report on stdout, and on stderr one line per item: "cannot judge: <field path> is
not modelled"): no verdict then.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator.advisor import assumptions as defaults
from simulator.advisor.assumptions import Assumptions
from simulator.advisor.messages import language
from simulator.scenario.validation import ScenarioError

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2


def add_check_parser(commands: argparse._SubParsersAction) -> None:
    """The ``check`` subcommand and its flags (each default stated in its help)."""
    check = commands.add_parser(
        "check",
        help="run standard drills on a manifest's workloads and report what its probes cost",
    )
    check.add_argument(
        "manifest", metavar="MANIFEST", help="a YAML file, a directory of them, or - for stdin"
    )
    check.add_argument("--json", action="store_true", help="print one JSON document")
    check.add_argument("--junit", metavar="FILE", help="also write the result as JUnit XML")
    check.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report")
    check.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run each workload's drills on a Dask distributed cluster",
    )
    check.add_argument("--lang", choices=("en", "ko"), help="messages' language (default: LANG)")
    _number(check, "--boot-seconds", defaults.DEFAULT_BOOT_SECONDS, "seconds the app takes to boot")
    _number(
        check,
        "--slow-boot-factor",
        defaults.DEFAULT_SLOW_BOOT_FACTOR,
        "how many times longer a slow boot takes",
    )
    _number(check, "--rps", defaults.DEFAULT_REQUESTS_PER_SECOND, "requests per second")
    _number(check, "--latency", defaults.DEFAULT_LATENCY_SECONDS, "the app's answer time, seconds")
    _number(
        check,
        "--outage-seconds",
        defaults.DEFAULT_OUTAGE_SECONDS,
        "how long the shared dependency is down",
    )
    _number(
        check,
        "--max-detection",
        defaults.DEFAULT_MAX_DETECTION_SECONDS,
        "seconds a hung pod may keep its traffic before it is a finding",
    )
    check.add_argument(
        "--seed", type=int, default=defaults.DEFAULT_SEED, help="the runs' seed (default: 1)"
    )


def _number(parser: argparse.ArgumentParser, flag: str, default: float, what: str) -> None:
    parser.add_argument(
        flag, type=_positive, default=default, help=f"{what} (default: {default:g})"
    )


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not number > 0 or number != number or number == float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r} must be a positive number")
    return number


def run_check(arguments: argparse.Namespace) -> int:
    """Runs ``check`` as parsed; returns the exit status."""
    # Imported here so that other subcommands do not load the engine.
    from simulator.advisor.check import check_manifests
    from simulator.advisor.junit import junit_xml
    from simulator.advisor.manifest_reader import read_manifests
    from simulator.advisor.text_report import format_check
    from simulator.runs.dask_cluster import SchedulerUnreachable

    assumed = Assumptions(
        boot_seconds=arguments.boot_seconds,
        slow_boot_factor=arguments.slow_boot_factor,
        requests_per_second=arguments.rps,
        latency_seconds=arguments.latency,
        outage_seconds=arguments.outage_seconds,
        max_detection_seconds=arguments.max_detection,
        seed=arguments.seed,
    )
    lang = language(arguments.lang)
    try:
        stdin_text = sys.stdin.read() if arguments.manifest == "-" else None
        manifests = read_manifests(arguments.manifest, stdin_text)
        report = check_manifests(
            manifests, assumed, lang, scheduler=arguments.scheduler, progress=sys.stderr
        )
    except SchedulerUnreachable as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    except ScenarioError as error:
        for problem in error.problems:
            place = "" if problem.path else f"{arguments.manifest}: "
            print(f"{place}{problem}", file=sys.stderr)
        return EXIT_INVALID
    for item in report.skipped if arguments.json else ():
        print(
            f"{item.source}: {item.label}: skipped (not a Deployment, Pod, Job or Service)",
            file=sys.stderr,
        )
    for judged in report.cannot_judge:
        print(f"{judged.source}: {judged.object}: {judged.message}", file=sys.stderr)
    if arguments.junit:
        Path(arguments.junit).write_text(junit_xml(report), encoding="utf-8")
    if arguments.html:
        from simulator.reports.check_report import check_report_html

        Path(arguments.html).write_text(check_report_html(report), encoding="utf-8")
    if arguments.json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_check(report))
    if report.cannot_judge:
        return EXIT_INVALID
    return EXIT_FINDINGS if report.has_errors else EXIT_CLEAN
