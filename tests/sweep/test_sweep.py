"""Sweeps: the grid of values, the cells' figures from real runs, the command's output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.scenario.presets import load_preset
from simulator.scenario.validation import ScenarioError
from simulator.sweep.grid import combinations, parse_vary, with_values
from simulator.sweep.runner import run_sweep

REPOSITORY = Path(__file__).resolve().parents[2]


def seed_story() -> dict:
    return dict(load_preset("seed-story").source)


def test_vary_parses_yaml_scalars_and_rejects_bad_options():
    axis = parse_vary("readinessProbe.periodSeconds=2, 5,10")
    assert axis.field == "readinessProbe.periodSeconds" and axis.values == (2, 5, 10)
    assert parse_vary("spec.traffic.requestsPerSecond=12.5").values == (12.5,)
    for bad in ("readinessProbe.periodSeconds", "=1,2", "image=1", "readinessProbe=1"):
        with pytest.raises(ScenarioError, match="--vary"):
            parse_vary(bad)


def test_combinations_first_axis_slowest_and_each_field_once():
    axes = [parse_vary("readinessProbe.periodSeconds=2,5"), parse_vary("spec.seed=1,2")]
    assert combinations(axes) == [
        {"readinessProbe.periodSeconds": 2, "spec.seed": 1},
        {"readinessProbe.periodSeconds": 2, "spec.seed": 2},
        {"readinessProbe.periodSeconds": 5, "spec.seed": 1},
        {"readinessProbe.periodSeconds": 5, "spec.seed": 2},
    ]
    with pytest.raises(ScenarioError, match="twice"):
        combinations([axes[0], axes[0]])


def test_a_probe_field_is_set_in_every_variant_that_has_the_probe():
    changed = with_values(seed_story(), {"readinessProbe.periodSeconds": 3})
    variants = {variant["name"]: variant for variant in changed["spec"]["variants"]}
    assert variants["readiness"]["probes"]["readinessProbe"]["periodSeconds"] == 3
    assert variants["readiness-and-liveness"]["probes"]["readinessProbe"]["periodSeconds"] == 3
    assert "probes" not in variants["no-probes"]
    assert seed_story()["spec"]["variants"][1]["probes"]["readinessProbe"] == {
        "httpGet": {"path": "/ready", "port": 8080}
    }
    with pytest.raises(ScenarioError, match="no startupProbe"):
        with_values(seed_story(), {"startupProbe.periodSeconds": 3})


def test_a_3_by_3_sweep_of_the_seed_story_in_processes_matches_one_process():
    grid = combinations(
        [
            parse_vary("readinessProbe.periodSeconds=2,5,10"),
            parse_vary("readinessProbe.failureThreshold=1,3,5"),
        ]
    )
    parallel = run_sweep(seed_story(), grid, workers=2, progress=None)
    serial = run_sweep(seed_story(), grid, workers=1, progress=None)
    assert parallel == serial
    assert len(parallel) == 9 * 4
    by_key = {
        (
            cell["values"]["readinessProbe.periodSeconds"],
            cell["values"]["readinessProbe.failureThreshold"],
            cell["variant"],
        ): cell
        for cell in parallel
    }
    # The lane without probes does not change with the readiness probe's fields.
    no_probes = {
        json.dumps(by_key[(p, f, "no-probes")]["totals"]) for p in (2, 5, 10) for f in (1, 3, 5)
    }
    assert len(no_probes) == 1
    # A slower readiness probe lets the hung pod keep its traffic longer: more errors.
    readiness = [by_key[(10, f, "readiness")]["totals"]["errors"] for f in (1, 3, 5)]
    assert readiness == sorted(readiness) and readiness[0] < readiness[-1]
    hang = [
        next(f for f in by_key[(10, threshold, "readiness")]["faults"] if f["action"] == "AppHang")
        for threshold in (1, 5)
    ]
    assert hang[0]["detectionSeconds"] < hang[1]["detectionSeconds"]
    for cell in parallel:
        totals = cell["totals"]
        assert sum(totals["errorsByCause"].values()) == totals["errors"] <= totals["requests"]


def test_sweep_command_prints_the_cells_and_a_progress_bar():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator",
            "sweep",
            "seed-story",
            "--vary",
            "readinessProbe.periodSeconds=5,10",
            "--json",
        ],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    cells = json.loads(done.stdout)["cells"]
    assert [cell["values"] for cell in cells[::4]] == [
        {"readinessProbe.periodSeconds": 5},
        {"readinessProbe.periodSeconds": 10},
    ]
    assert set(cells[0]) >= {"values", "totals", "detectionSeconds", "recoverySeconds"}
    assert "2/2" in done.stderr


def test_sweep_command_rejects_an_invalid_value_with_status_2():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator",
            "sweep",
            "seed-story",
            "--vary",
            "readinessProbe.periodSeconds=-1,5",
        ],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "readinessProbe.periodSeconds" in done.stderr
