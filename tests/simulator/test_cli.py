"""The headless command, run as a user runs it: ``python -m simulator ...`` in a subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from simulator.scenario.presets import list_presets

REPOSITORY = Path(__file__).resolve().parents[2]
ERROR_CAUSES = {"NoEndpoints", "ConnectionRefused", "Timeout", "ServerError"}

SMALL = """\
apiVersion: podviz/v1
kind: Scenario
metadata: {name: small, title: {en: Small, ko: 작은 시나리오}}
spec:
  duration: 120
  seed: 3
  cluster: {nodes: 2}
  traffic: {requestsPerSecond: 20}
  workload:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: app
            image: tomcat:10
  behavior:
    containers:
      app: {bootSeconds: 10}
  events:
  - {at: 60, action: AppHang, pod: web-1}
  variants:
  - name: no-probes
  - name: liveness
    probes:
      livenessProbe: {httpGet: {path: /healthz, port: 8080}, initialDelaySeconds: 15}
"""

INVALID = """\
apiVersion: podviz/v1
kind: Scenario
metadata: {name: broken}
spec:
  trafic: {requestsPerSecond: 20}
  workload:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: app
            image: tomcat:10
            livenessProbe: {httpGet: {port: 8080}, successThreshold: 2}
"""


def simulator(*arguments: str, cwd: Path = REPOSITORY) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *arguments],
        cwd=cwd,
        capture_output=True,
        timeout=240,
        check=False,
        env={"PYTHONPATH": str(REPOSITORY), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture
def invalid(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(INVALID, encoding="utf-8")
    return path


# --- validate ------------------------------------------------------------------------------------


def test_validate_a_valid_file(small: Path) -> None:
    done = simulator("validate", str(small))
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.decode() == f"{small}: valid (2 variants, 1 event, duration 120 s)\n"


def test_validate_warns_about_a_probe_on_an_undeclared_port_name(tmp_path: Path) -> None:
    """docs/kubernetes-model.md §8.3: valid for the API server, dead for the kubelet."""
    path = tmp_path / "ports.yaml"
    path.write_text(
        SMALL.replace(
            "            image: tomcat:10\n",
            "            image: tomcat:10\n"
            "            ports: [{name: http, containerPort: 8080}]\n"
            "            livenessProbe: {httpGet: {path: /healthz, port: management}}\n",
        ),
        encoding="utf-8",
    )
    done = simulator("validate", str(path))
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert lines[0].endswith("valid (2 variants, 1 event, duration 120 s)")
    assert lines[1] == (
        f"{path}: warning: spec.workload.spec.template.spec.containers[0].livenessProbe.httpGet"
        ".port: port name 'management' is not declared by container app (declared ports: "
        "http=8080): the kubelet cannot resolve it, every attempt errors and is thrown away; "
        "the probe never fails, so it never restarts anything"
    )


def test_validate_says_what_it_cannot_judge(tmp_path: Path) -> None:
    path = tmp_path / "deadline.yaml"
    path.write_text(
        SMALL.replace(
            "        spec:\n          containers:",
            "        spec:\n          activeDeadlineSeconds: 60\n          containers:",
        )
    )
    lines = simulator("validate", str(path)).stdout.decode().splitlines()
    assert (
        f"{path}: cannot judge: spec.workload.spec.template.spec.activeDeadlineSeconds is not "
        "modelled"
    ) in lines


def test_validate_a_preset_by_slug() -> None:
    done = simulator("validate", "seed-story")
    assert done.returncode == 0
    assert done.stdout.decode() == "seed-story: valid (4 variants, 2 events, duration 900 s)\n"


def test_validate_with_overrides(small: Path) -> None:
    done = simulator("validate", str(small), "--seed", "9", "--duration", "1m")
    assert done.returncode == 0
    # The event at 60 s is still within a 60 s run; the duration is the override's.
    assert done.stdout.decode() == f"{small}: valid (2 variants, 1 event, duration 60 s)\n"


def test_an_invalid_file_exits_2_with_one_line_per_problem_on_stderr(invalid: Path) -> None:
    done = simulator("validate", str(invalid))
    assert done.returncode == 2
    assert done.stdout == b""
    container = "spec.workload.spec.template.spec.containers[0]"
    assert done.stderr.decode().splitlines() == [
        f'{invalid}:5:3: spec.trafic: Unknown field: did you mean "traffic"?',
        f"{invalid}:5:3: spec.duration: Required value",
        f"{invalid}:18:70: {container}.livenessProbe.successThreshold: Invalid value: 2: must be 1",
    ]


def test_run_refuses_an_invalid_file_the_same_way(invalid: Path) -> None:
    done = simulator("run", str(invalid), "--json")
    assert (done.returncode, done.stdout) == (2, b"")
    assert len(done.stderr.decode().splitlines()) == 3


def test_a_yaml_syntax_error_gives_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "syntax.yaml"
    path.write_text(
        "apiVersion: podviz/v1\nspec:\n  duration: [1, 2\n  seed: 3\n", encoding="utf-8"
    )
    done = simulator("validate", str(path))
    assert (done.returncode, done.stdout) == (2, b"")
    (line,) = done.stderr.decode().splitlines()
    assert line.startswith(f"{path}:4:7: YAML syntax error:")


@pytest.mark.parametrize("command", ["validate", "run"])
def test_an_unknown_file_exits_2_with_a_clear_message(command: str, tmp_path: Path) -> None:
    done = simulator(command, str(tmp_path / "nope.yaml"))
    assert (done.returncode, done.stdout) == (2, b"")
    presets = ", ".join(info.slug for info in list_presets())
    assert done.stderr.decode() == (
        f"{tmp_path / 'nope.yaml'}: no such file or preset (presets: {presets})\n"
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--duration", "0"], "--duration: Invalid value: 0: must be greater than 0"),
        (
            ["--duration", "3h"],
            '--duration: Invalid value: "3h": must be less than or equal to 7200',
        ),
        (["--seed", "-4"], "--seed: Invalid value: -4: must be greater than or equal to 0"),
    ],
)
def test_invalid_overrides_exit_2(small: Path, options: list[str], expected: str) -> None:
    done = simulator("run", str(small), *options)
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.decode().startswith(f"{small}: {expected}")


def test_usage_errors_exit_2_with_nothing_on_stdout() -> None:
    for arguments in ([], ["run"], ["explode", "x"], ["run", "seed-story", "--seed", "x"]):
        done = simulator(*arguments)
        assert (done.returncode, done.stdout) == (2, b""), arguments
        assert b"usage: python -m simulator" in done.stderr


def test_presets_lists_every_slug() -> None:
    done = simulator("presets")
    assert done.returncode == 0
    slugs = [line.split()[0] for line in done.stdout.decode().splitlines()]
    assert slugs == [info.slug for info in list_presets()]
    assert slugs[:3] == ["seed-story", "seed-story-textbook", "crashloop-backoff"]


# --- run -----------------------------------------------------------------------------------------


def results_of(done: subprocess.CompletedProcess[bytes]) -> dict[str, Any]:
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.endswith(b"\n") and done.stdout.count(b"\n") == 1
    return json.loads(done.stdout)


def test_run_json_prints_the_results_document(small: Path) -> None:
    results = results_of(simulator("run", str(small), "--json"))
    assert (results["scenario"], results["seed"], results["duration"]) == ("small", 3, 120)
    assert [variant["name"] for variant in results["variants"]] == ["no-probes", "liveness"]
    for variant in results["variants"]:
        totals = variant["totals"]
        assert set(totals["errorsByCause"]) == ERROR_CAUSES
        assert totals["errors"] == sum(totals["errorsByCause"].values())
        assert totals["requests"] == sum(
            sum(counts) for counts in variant["series"]["requests"].values()
        ) + sum(variant["series"]["noEndpointErrors"])
        assert {"time", "requests", "errors", "noEndpointErrors", "readyEndpoints"} <= set(
            variant["series"]
        )
        names = [pod["name"] for pod in variant["pods"]]
        assert names[:2] == ["web-1", "web-2"]
        for pod in variant["pods"]:
            assert {
                "name",
                "node",
                "createdAt",
                "deletedAt",
                "phase",
                "status",
                "ready",
                "restarts",
            } <= set(pod)
            assert {"conditions", "containers", "history"} <= set(pod)
        for event in variant["events"]:
            assert {"time", "object", "type", "reason", "message"} <= set(event)
    no_probes, liveness = results["variants"]
    # The hang at 60 s: answered with 500 until the end without probes; restarted with liveness.
    assert no_probes["totals"]["errorsByCause"]["ServerError"] > 0
    assert next(p for p in liveness["pods"] if p["name"] == "web-1")["restarts"] >= 1
    assert next(p for p in no_probes["pods"] if p["name"] == "web-1")["restarts"] == 0


def test_same_file_and_seed_give_the_same_bytes(small: Path) -> None:
    first = simulator("run", str(small), "--json")
    second = simulator("run", str(small), "--json")
    assert first.returncode == 0
    assert first.stdout == second.stdout


def test_seed_and_duration_options_override_the_file(small: Path) -> None:
    results = results_of(
        simulator("run", str(small), "--json", "--seed", "11", "--duration", "90s")
    )
    assert (results["seed"], results["duration"]) == (11, 90)
    assert len(results["variants"][0]["series"]["time"]) == 90
    original = simulator("run", str(small), "--json", "--duration", "90")
    assert results_of(original)["seed"] == 3
    assert (
        original.stdout
        != simulator("run", str(small), "--json", "--duration", "90", "--seed", "11").stdout
    )


def test_run_prints_a_readable_report(small: Path) -> None:
    report = simulator("run", str(small))
    results = results_of(simulator("run", str(small), "--json"))
    assert report.returncode == 0
    text = report.stdout.decode()
    assert text.startswith("Scenario small: seed 3, 120 s simulated, 2 variants\n")
    for variant in results["variants"]:
        section = text.split(f"== {variant['name']} ==\n", 1)[1].split("\n== ", 1)[0]
        totals = variant["totals"]
        share = 100 * totals["errors"] / totals["requests"]
        assert f"Requests {totals['requests']}, errors {totals['errors']} ({share:.2f}%)" in section
        for cause, count in totals["errorsByCause"].items():
            assert any(line.split()[:2] == [cause, str(count)] for line in section.splitlines())
        # Columns are separated by at least three spaces (kubectl's tabwriter padding).
        table = [
            re.split(r"\s{3,}", line)
            for line in section.splitlines()
            if line.startswith(("NAME", "web-"))
        ]
        assert table[0] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE"]
        present = [pod for pod in variant["pods"] if pod["deletedAt"] is None]
        assert [row[0] for row in table[1:]] == [pod["name"] for pod in present]
        for row, pod in zip(table[1:], present, strict=True):
            assert row[1:4] == [pod["ready"], pod["status"], pod["restartsText"]]
            assert row[5] == pod["node"]


def test_large_lifts_the_run_budget(tmp_path: Path) -> None:
    # 250 pods for 1300 s in one lane: 325 000 pod-seconds, over the budget.
    path = tmp_path / "big.yaml"
    path.write_text(
        "apiVersion: podviz/v1\nkind: Scenario\nmetadata: {name: big}\nspec:\n"
        "  duration: 1300\n  workload:\n    apiVersion: apps/v1\n    kind: Deployment\n"
        "    metadata: {name: web}\n    spec:\n      replicas: 250\n"
        "      selector: {matchLabels: {app: web}}\n      template:\n"
        "        metadata: {labels: {app: web}}\n"
        "        spec: {containers: [{name: app, image: web:1}]}\n"
    )
    refused = simulator("validate", str(path))
    assert refused.returncode == 2
    assert b"simulator limit: 300000 pod-seconds per run" in refused.stderr
    allowed = simulator("validate", str(path), "--large")
    assert allowed.returncode == 0, allowed.stderr


def test_large_runs_draw_a_progress_bar_on_stderr_and_print_the_same_results(small: Path) -> None:
    plain = simulator("run", str(small), "--json")
    large = simulator("run", str(small), "--json", "--large")
    assert large.returncode == 0
    assert large.stdout == plain.stdout
    final = large.stderr.decode().replace("\r", "\n").strip().splitlines()[-1]
    assert final.startswith("simulated: 100%")
    assert "120/120" in final
