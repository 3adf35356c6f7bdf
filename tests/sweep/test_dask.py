"""Sweeps and checks on a real Dask distributed cluster: a scheduler and two worker processes
started here, the command line pointed at it with ``--scheduler``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.devserver import free_port

REPOSITORY = Path(__file__).resolve().parents[2]
DASK = Path(sys.executable).parent / "dask"
MANIFESTS = REPOSITORY / "tests" / "advisor" / "manifests"


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """``tcp://127.0.0.1:PORT`` of a scheduler with two single-threaded workers."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    logs = tmp_path_factory.mktemp("dask")
    processes = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            cwd=REPOSITORY,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=open(logs / "scheduler.log", "w"),  # noqa: SIM115 - closed with the process
        )
    ]
    for index in range(2):
        processes.append(
            subprocess.Popen(
                [str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard"],
                cwd=REPOSITORY,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=open(logs / f"worker-{index}.log", "w"),  # noqa: SIM115
            )
        )
    try:
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
            assert len(client.scheduler_info()["workers"]) == 2
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def command(*arguments: str):
    return subprocess.run(
        [sys.executable, "-m", "simulator", *arguments],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_sweep_on_the_cluster_gives_the_cells_of_a_local_sweep(scheduler):
    vary = [
        "--vary",
        "readinessProbe.periodSeconds=2,5,10",
        "--vary",
        "readinessProbe.failureThreshold=1,3",
    ]
    remote = command("sweep", "seed-story", *vary, "--json", "--scheduler", scheduler)
    local = command("sweep", "seed-story", *vary, "--json", "--workers", "1")
    assert remote.returncode == 0, remote.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    assert len(json.loads(remote.stdout)["cells"]) == 6 * 4
    assert "6/6" in remote.stderr


def test_both_workers_take_tasks(scheduler):
    from distributed import Client

    from simulator.scenario.presets import load_preset
    from simulator.sweep.grid import combinations, parse_vary
    from simulator.sweep.runner import run_sweep

    grid = combinations([parse_vary("readinessProbe.periodSeconds=1,2,3,4,5,6,7,8")])
    cells = run_sweep(
        dict(load_preset("seed-story").source), grid, scheduler=scheduler, progress=None
    )
    assert len(cells) == 8 * 4
    with Client(scheduler, timeout=30) as client:
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert len(executed) == 2 and all(count > 0 for count in executed.values())


def test_a_check_on_the_cluster_matches_a_local_check(scheduler):
    remote = command("check", str(MANIFESTS), "--json", "--scheduler", scheduler)
    local = command("check", str(MANIFESTS), "--json")
    # The folder holds error findings and a manifest with what podviz cannot judge: exit 2.
    assert remote.returncode == local.returncode == 2
    report = json.loads(local.stdout)
    assert report["cannotJudge"] and any(f["severity"] == "error" for f in report["findings"])
    assert json.loads(remote.stdout) == report


def test_an_unreachable_scheduler_is_named_and_exits_2():
    address = f"tcp://127.0.0.1:{free_port()}"
    done = command(
        "sweep", "seed-story", "--vary", "readinessProbe.periodSeconds=2", "--scheduler", address
    )
    assert done.returncode == 2 and done.stdout == ""
    assert f"cannot reach a Dask scheduler at {address}" in done.stderr
