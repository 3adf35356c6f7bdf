"""The app's serving model (docs/scenario-format.md "The serving model"; docs/kubernetes-model.md
§10): probes as requests, per-path answers, dependencies, memory up to the limit, and the fields'
validation."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from simulator.engine.simulation import run_scenario
from simulator.reports.series_export import series_csv
from simulator.scenario.loader import ScenarioError, load_scenario

Document = dict[str, Any]


def deployment(containers: list[Document], replicas: int = 1) -> Document:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": containers},
            },
        },
    }


def app_container(**fields: Any) -> Document:
    return {
        "name": "app",
        "image": "example/web:1",
        "ports": [{"name": "http", "containerPort": 8080}],
        **fields,
    }


def document(
    workload: Document, app: Document, duration: float = 120, rate: float = 10, **spec: Any
) -> Document:
    return {
        "apiVersion": "podviz/v1",
        "kind": "Scenario",
        "metadata": {"name": "serving"},
        "spec": {
            "duration": duration,
            "cluster": {"nodes": 1},
            "traffic": {"requestsPerSecond": rate},
            "workload": workload,
            "behavior": {"containers": {"app": app}},
            **spec,
        },
    }


def run(doc: Document) -> Document:
    return run_scenario(load_scenario(doc))["variants"][0]


def messages(lane: Document, reason: str) -> list[str]:
    return [e["message"] for e in lane["events"] if e["reason"] == reason]


# --- the reported cases ---------------------------------------------------------------------


def test_liveness_slower_than_its_timeout_restarts_a_healthy_app():
    """/healthz answers in ~2 s, liveness timeoutSeconds 1 (the default): every attempt times out
    1 s after it starts with the HTTP prober's message, the kubelet kills the container after the
    third failure, again and again (CrashLoopBackOff), while clients are served in between."""
    doc = document(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "slowhealth", "labels": {"app": "slowhealth"}},
            "spec": {
                "containers": [
                    app_container(
                        livenessProbe={
                            "httpGet": {"path": "/healthz", "port": "http"},
                            "periodSeconds": 10,
                            "timeoutSeconds": 1,
                        }
                    )
                ]
            },
        },
        {
            "bootSeconds": 5,
            "serving": {
                "concurrency": 8,
                "latency": {"median": "50ms", "p99": "120ms"},
                "paths": {"/healthz": {"latency": "2s"}},
            },
        },
        duration=300,
    )
    lane = run(doc)
    pod = lane["pods"][0]
    assert pod["restarts"] >= 2
    assert any(row["status"] == "CrashLoopBackOff" for row in pod["history"])
    # While it boots (5 s) an attempt is refused; once it listens, every attempt times out.
    deadline = (
        '/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
    )
    failures = [m for m in messages(lane, "Unhealthy") if "connection refused" not in m]
    assert len(failures) >= 4
    assert all(
        m.startswith('Liveness probe failed: Get "http://') and m.endswith(deadline)
        for m in failures
    )
    kills = [e["time"] for e in lane["events"] if e["reason"] == "Killing"]
    started = [e["time"] for e in lane["events"] if e["reason"] == "Started"]
    # The first kill: the third failed attempt (10 s apart), 1 s after that attempt started.
    assert 20 <= kills[0] - started[0] <= 35
    timeouts = [e["time"] for e in lane["events"] if e["message"].endswith(deadline)]
    assert kills[0] in timeouts
    served = lane["totals"]["requests"] - lane["totals"]["errors"]
    assert served > 0
    assert lane["totals"]["meanSecondsInSystem"] < 0.2  # clients were served fast


def test_readiness_path_that_answers_404_is_never_ready():
    """A readiness path answering 404 fails every attempt ("HTTP probe failed with statuscode:
    404"): the pod stays 0/1 and every request fails for lack of endpoints."""
    doc = document(
        deployment(
            [
                app_container(
                    readinessProbe={
                        "httpGet": {"path": "/actuator/health/readiness", "port": "http"},
                        "periodSeconds": 5,
                    }
                )
            ]
        ),
        {
            "bootSeconds": 10,
            "serving": {
                "concurrency": 16,
                "latency": {"median": "20ms", "p99": "80ms"},
                "paths": {"/actuator/health/readiness": {"status": 404}},
            },
        },
    )
    lane = run(doc)
    rows = [row["ready"] for pod in lane["pods"] for row in pod["history"]]
    assert rows and all(ready == "0/1" for ready in rows)
    after_boot = [m for m in messages(lane, "Unhealthy") if "statuscode" in m]
    assert after_boot
    assert set(after_boot) == {"Readiness probe failed: HTTP probe failed with statuscode: 404"}
    totals = lane["totals"]
    assert totals["requests"] > 0
    assert totals["errors"] == totals["errorsByCause"]["NoEndpoints"] == totals["requests"]


# --- dependencies ---------------------------------------------------------------------------


def readiness_on_database(events: list[Document], timeout: int = 1) -> Document:
    return document(
        deployment(
            [
                app_container(
                    readinessProbe={
                        "httpGet": {"path": "/ready", "port": "http"},
                        "periodSeconds": 5,
                        "timeoutSeconds": timeout,
                    }
                )
            ],
            replicas=2,
        ),
        {
            "serving": {
                "concurrency": 8,
                "latency": {"median": "20ms", "p99": "50ms"},
                "paths": {"/ready": {"dependsOn": ["db"]}},
            }
        },
        duration=200,
        dependencies={"db": {"latency": "5ms"}},
        events=events,
    )


def ready_endpoints(lane: Document, start: int, end: int) -> list[int]:
    return lane["series"]["readyEndpoints"][start:end]


def test_a_readiness_probe_on_a_slow_database_takes_every_pod_out():
    """The database slows past the readiness timeout: every pod's readiness times out and the
    Service has no endpoint until it recovers."""
    lane = run(
        readiness_on_database(
            [
                {"at": 60, "action": "DependencySlow", "dependency": "db", "latency": "3s"},
                {"at": 120, "action": "DependencyRecover", "dependency": "db"},
            ]
        )
    )
    assert set(ready_endpoints(lane, 40, 60)) == {2}
    assert set(ready_endpoints(lane, 85, 120)) == {0}
    assert set(ready_endpoints(lane, 140, 200)) == {2}
    assert any("context deadline exceeded" in m for m in messages(lane, "Unhealthy"))


def test_a_database_down_fails_the_path_that_checks_it_with_503():
    lane = run(
        readiness_on_database(
            [
                {"at": 60, "action": "DependencyDown", "dependency": "db"},
                {"at": 120, "action": "DependencyRecover", "dependency": "db"},
            ]
        )
    )
    assert set(ready_endpoints(lane, 85, 120)) == {0}
    assert "Readiness probe failed: HTTP probe failed with statuscode: 503" in messages(
        lane, "Unhealthy"
    )
    assert set(ready_endpoints(lane, 140, 200)) == {2}


# --- memory ---------------------------------------------------------------------------------


def test_a_leak_up_to_the_memory_limit_is_oom_killed_and_crash_loops():
    """200 MiB at start, 100 MiB a minute, limit 512Mi: killed 187.2 s after each start, reason
    OOMKilled, exit code 137; restarted with back-off."""
    doc = document(
        deployment([app_container(resources={"limits": {"memory": "512Mi"}})]),
        {
            "serving": {"concurrency": 4, "latency": {"median": "20ms", "p99": "50ms"}},
            "memory": {"startMiB": 200, "leakMiBPerMinute": 100},
        },
        duration=900,
    )
    lane = run(doc)
    pod = lane["pods"][0]
    assert pod["restarts"] >= 3
    last = pod["containers"][0]["lastState"]
    assert (last["reason"], last["exitCode"]) == ("OOMKilled", 137)
    assert last["finishedAt"] - last["startedAt"] == pytest.approx(187.2, abs=0.01)
    assert any(row["status"] == "OOMKilled" for row in pod["history"])
    assert any(row["status"] == "CrashLoopBackOff" for row in pod["history"])


def test_without_a_memory_limit_a_leak_kills_nothing():
    doc = document(
        deployment([app_container()]),
        {
            "serving": {"concurrency": 4, "latency": {"median": "20ms", "p99": "50ms"}},
            "memory": {"startMiB": 200, "leakMiBPerMinute": 100},
        },
        duration=600,
    )
    assert run(doc)["pods"][0]["restarts"] == 0


# --- results --------------------------------------------------------------------------------


def test_results_carry_latency_percentiles_and_the_new_causes():
    doc = readiness_on_database([])
    lane = run(doc)
    series = lane["series"]
    assert len(series["latencyP50"]) == len(series["time"])
    served = [value for value in series["latencyP50"] if value is not None]
    assert served and all(0 < value < 0.1 for value in served)
    assert series["latencyP50"][0] is None  # nothing served before the first pod was Ready
    assert all(
        p99 >= p50
        for p50, p99 in zip(series["latencyP50"], series["latencyP99"], strict=True)
        if p50 is not None
    )
    causes = lane["totals"]["errorsByCause"]
    assert {"NoEndpoints", "ConnectionRefused", "Timeout", "ServerError"} <= set(causes)
    assert {"QueueFull", "ClientTimeout"} <= set(causes)


def test_a_scenario_without_a_serving_model_keeps_its_results_shape():
    doc = readiness_on_database([])
    del doc["spec"]["behavior"]
    del doc["spec"]["dependencies"]
    lane = run(doc)
    assert set(lane["totals"]["errorsByCause"]) == {
        "NoEndpoints",
        "ConnectionRefused",
        "Timeout",
        "ServerError",
    }
    assert "latencyP50" not in lane["series"]
    assert "meanSecondsInSystem" not in lane["totals"]


# --- validation -----------------------------------------------------------------------------


def problems_of(doc: Document) -> list[str]:
    with pytest.raises(ScenarioError) as raised:
        load_scenario(doc)
    return [str(problem) for problem in raised.value.problems]


def with_serving(serving: Any, **spec: Any) -> Document:
    doc = readiness_on_database([])
    doc["spec"]["behavior"]["containers"]["app"]["serving"] = serving
    doc["spec"].update(spec)
    return doc


SERVING = "spec.behavior.containers[app].serving"


@pytest.mark.parametrize(
    ("serving", "expected"),
    [
        (
            {"concurrency": 4},
            f"{SERVING}.latency: Required value: give {{median, p99}} (lognormal) or {{mean}}",
        ),
        (
            {"concurrency": 0, "latency": {"mean": "10ms"}},
            f"{SERVING}.concurrency: Invalid value: 0: must be greater than or equal to 1",
        ),
        (
            {"latency": {"median": "50ms"}},
            f"{SERVING}.latency.p99: Required value: give {{median, p99}}",
        ),
        (
            {"latency": {"median": "50ms", "p99": "10ms"}},
            f'{SERVING}.latency.p99: Invalid value: "10ms": must be at least the median ("50ms")',
        ),
        (
            {"latency": {"mean": "50ms", "distribution": "normal"}},
            f'{SERVING}.latency.distribution: Unsupported value: "normal"',
        ),
        (
            {"latency": {"mean": "50ms"}, "paths": {"healthz": {}}},
            f'{SERVING}.paths[healthz]: Invalid value: "healthz": must be a path starting with "/"',
        ),
        (
            {"latency": {"mean": "50ms"}, "paths": {"/healthz": {"status": 42}}},
            f"{SERVING}.paths[/healthz].status: Invalid value: 42: must be greater than or equal",
        ),
        (
            {"latency": {"mean": "50ms"}, "paths": {"/ready": {"dependsOn": ["cache"]}}},
            f'{SERVING}.paths[/ready].dependsOn: Invalid value: "cache": not a dependency: '
            "declare it under spec.dependencies (declared: db)",
        ),
        (
            {"latency": {"mean": "50ms"}, "queueLimt": 3},
            f'{SERVING}.queueLimt: Unknown field: did you mean "queueLimit"?',
        ),
    ],
)
def test_serving_fields_are_validated_with_the_field_and_the_fix(serving, expected):
    found = problems_of(with_serving(serving))
    assert any(problem.startswith(expected) for problem in found), found


def test_dependency_events_name_a_declared_dependency_and_slow_needs_a_latency():
    doc = readiness_on_database(
        [
            {"at": 10, "action": "DependencyDown", "dependency": "cache"},
            {"at": 20, "action": "DependencySlow", "dependency": "db"},
        ]
    )
    found = problems_of(doc)
    assert any(
        p.startswith(
            'spec.events[0].dependency: Unsupported value: "cache": supported values: "db"'
        )
        for p in found
    ), found
    assert any(
        p.startswith("spec.events[1].latency: Required value: action DependencySlow needs it")
        for p in found
    ), found


def test_client_timeout_and_memory_limit_are_validated():
    doc = readiness_on_database([])
    doc["spec"]["traffic"]["clientTimeoutSeconds"] = 0
    containers = doc["spec"]["workload"]["spec"]["template"]["spec"]["containers"]
    containers[0]["resources"] = {"limits": {"memory": "lots"}}
    found = problems_of(doc)
    assert any(
        p.startswith("spec.traffic.clientTimeoutSeconds: Invalid value: 0: must be greater than 0")
        for p in found
    ), found
    assert any(
        p.startswith(
            "spec.workload.spec.template.spec.containers[0].resources.limits.memory: "
            'Invalid value: "lots": must be a positive quantity such as "512Mi"'
        )
        for p in found
    ), found


def test_a_variant_may_remove_the_serving_model():
    doc = readiness_on_database([])
    doc["spec"]["variants"] = [
        {"name": "served"},
        {"name": "switch", "behavior": {"containers": {"app": {"serving": None}}}},
    ]
    lanes = run_scenario(load_scenario(copy.deepcopy(doc)))["variants"]
    assert "latencyP50" in lanes[0]["series"]
    assert "latencyP50" not in lanes[1]["series"]


def test_the_csv_export_carries_the_serving_causes_and_latencies():
    doc = readiness_on_database([])
    results = run_scenario(load_scenario(doc))
    lines = series_csv(results).splitlines()
    header = lines[0].split(",")
    assert header[-5:] == [
        "QueueFull",
        "ClientTimeout",
        "ConnectionReset",
        "latencyP50",
        "latencyP99",
    ]
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    series = results["variants"][0]["series"]
    for row, p50 in zip(rows, series["latencyP50"], strict=True):
        assert row["latencyP50"] == ("" if p50 is None else str(p50))
    del doc["spec"]["behavior"]
    del doc["spec"]["dependencies"]
    plain = series_csv(run_scenario(load_scenario(doc))).splitlines()[0]
    assert "latencyP50" not in plain


def test_an_app_warming_up_serves_slower_for_its_first_seconds():
    """warmUp {seconds: 60, factor: 5}: service times start 5 times longer and fall linearly to
    normal over the first minute after boot."""
    doc = document(
        deployment([app_container()]),
        {
            "serving": {
                "concurrency": 64,
                "latency": {"median": "20ms", "p99": "20ms"},
                "warmUp": {"seconds": 60, "factor": 5},
            }
        },
        duration=120,
        rate=20,
    )
    lane = run(doc)
    (started,) = [e["time"] for e in lane["events"] if e["reason"] == "Started"]
    p50 = lane["series"]["latencyP50"]
    first = int(started) + 2
    assert p50[first] == pytest.approx(0.02 * (1 + 4 * (1 - (first + 0.5 - started) / 60)), rel=0.1)
    assert p50[int(started) + 30] == pytest.approx(0.02 * 3, rel=0.1)
    assert all(value == pytest.approx(0.02) for value in p50[int(started) + 62 :])
