"""Kinds of fault found by trying behaviours from public reports, each with the right value.

docs/kubernetes-model.md gives each rule with its Kubernetes source.
"""

from __future__ import annotations

import itertools

import pytest

from simulator.engine.simulation import Simulation, run_scenario
from simulator.scenario.loader import ScenarioError, load_scenario
from simulator.scenario.types import ContainerBehavior, ContainerSpec, Toleration
from tests.simulator.factories import (
    bare_pod,
    behavior,
    container,
    deployment,
    event,
    event_times,
    exec_probe,
    http_probe,
    job,
    only_lane,
    pod_of,
    scenario,
    simulate,
    tcp_probe,
    template,
    variant,
)


def run(workload, duration=120.0, events=(), program=None, **cluster):
    scn = scenario(
        variant(workload, program=program or behavior(), **cluster),
        duration=duration,
        events=events,
    )
    return only_lane(simulate(scn))


def messages(lane, reason: str) -> list[str]:
    return [e["message"] for e in lane.events if e["reason"] == reason]


# --- terminal phases: final, and no container runs in them ----------------------------------


def terminal_rows_run_nothing(lane) -> bool:
    for pod in lane.api.pods:
        for row in lane.kubectl.history(pod):
            if row["phase"] in ("Succeeded", "Failed") and not row["ready"].startswith("0/"):
                return False
        if pod.terminal and any(c.state == "Running" for c in pod.all_containers):
            return False
    return True


@pytest.mark.parametrize(
    ("policy", "exit_code"), list(itertools.product(("Always", "OnFailure", "Never"), (0, 1)))
)
def test_a_liveness_kill_never_leaves_a_container_running_in_a_terminal_pod(policy, exit_code):
    """Whatever the restart policy and the exit code after a liveness kill."""
    pod = template(container(liveness=http_probe(period_seconds=5)), restart_policy=policy)
    lane = run(
        bare_pod(pod),
        program=behavior(hang_after_seconds=0, handles_sigterm=True, exit_code=exit_code),
    )
    solo = pod_of(lane, "solo")
    assert terminal_rows_run_nothing(lane)
    if policy == "Never":
        # Killed for good: the exit code decides the phase, and it stays.
        assert solo.phase == ("Succeeded" if exit_code == 0 else "Failed")
        assert [c.state for c in solo.containers] == ["Terminated"]
        assert lane.kubectl.row(solo).restarts == 0
    elif policy == "OnFailure" and exit_code == 0:
        # computePodActions kills and restarts in one sync ("will be restarted") while the
        # restart is not backed off; the first one that is backed off never happens, since a
        # container that exited 0 is not restarted under OnFailure: the pod completes.
        assert solo.phase == "Succeeded"
        assert [c.state for c in solo.containers] == ["Terminated"]
        (backed_off_at,) = event_times(lane, "BackOff")
        assert all(t <= backed_off_at for t in event_times(lane, "Started"))
        assert lane.kubectl.row(solo).restarts >= 1
    else:
        # Killed and restarted, with the crash backoff: the pod never completes.
        assert solo.phase == "Running"
        assert lane.kubectl.row(solo).restarts >= 1


def test_a_reported_case_onfailure_liveness_kill_and_exit_0_ends_completed():
    """The shared case: liveness kills at 18, 33.5 and 49 s restart at once; the kill at 64.5 s
    backs off (20 s) and, the app having exited 0, the pod completes: Succeeded, 0/1 Completed,
    RESTARTS 3, no container started again."""
    pod = template(
        container(liveness=http_probe(period_seconds=5, initial_delay_seconds=5)),
        restart_policy="OnFailure",
    )
    lane = run(
        bare_pod(pod),
        duration=300,
        program=behavior(hang_after_seconds=0, handles_sigterm=True, exit_code=0),
    )
    solo = pod_of(lane, "solo")
    row = lane.kubectl.row(solo)
    assert (solo.phase, row.ready, row.status, row.restarts) == ("Succeeded", "0/1", "Completed", 3)
    assert event_times(lane, "BackOff") == [64.5]
    assert max(event_times(lane, "Started")) < 64.5


def test_nothing_starts_after_a_pod_succeeded():
    pod = template(container(), restart_policy="OnFailure")
    lane = run(bare_pod(pod), program=behavior(exit_after_seconds=5, exit_code=0))
    solo = pod_of(lane, "solo")
    assert solo.phase == "Succeeded"
    succeeded_at = next(r["time"] for r in lane.kubectl.history(solo) if r["phase"] == "Succeeded")
    assert all(t <= succeeded_at for t in event_times(lane, "Started"))
    assert terminal_rows_run_nothing(lane)


# --- Job backoff as the job controller counts it --------------------------------------------


def test_onfailure_job_with_backoff_limit_0_fails_at_the_first_restart():
    pod = template(container(), restart_policy="OnFailure")
    lane = run(job(pod, backoff_limit=0), program=behavior(exit_after_seconds=5, exit_code=1))
    (failed_at,) = event_times(lane, "BackoffLimitExceeded")
    first_exit = 2.5 + 5  # pulled at 2.5 s, exits 5 s later; restarted at once
    assert failed_at == pytest.approx(first_exit + 0.5)
    assert lane.workload.status()["conditions"] == [{"type": "Failed", "status": "True"}]


def test_onfailure_job_fails_when_restarts_reach_the_limit():
    pod = template(container(), restart_policy="OnFailure")
    lane = run(
        job(pod, backoff_limit=2),
        duration=200,
        program=behavior(exit_after_seconds=1, exit_code=1),
    )
    assert event_times(lane, "BackoffLimitExceeded")
    restarts_then = lane.kubectl.history(pod_of(lane, "batch-1"))
    assert max(r["restarts"] for r in restarts_then) == 2


def test_never_job_fails_after_backoff_limit_plus_one_failed_pods():
    lane = run(
        job(backoff_limit=1), duration=200, program=behavior(exit_after_seconds=1, exit_code=1)
    )
    assert event_times(lane, "BackoffLimitExceeded")
    assert lane.workload.status()["failed"] == 2


# --- probe ports resolved as the kubelet does -----------------------------------------------


def named(port_name: str, *, declared: dict[str, int], **probes) -> ContainerSpec:
    spec = container(**probes)
    return ContainerSpec(
        name=spec.name,
        image=spec.image,
        readiness_probe=spec.readiness_probe,
        liveness_probe=spec.liveness_probe,
        named_ports=declared,
    )


def test_a_declared_port_name_resolves_to_its_container_port():
    probe = http_probe(period_seconds=5)
    probe = type(probe)(**{**probe.__dict__, "port": "web"})
    spec = named("web", declared={"web": 8081}, readiness=probe)
    lane = run(bare_pod(template(spec)), events=[event(30, "AppUnresponsive", pod="solo")])
    solo = pod_of(lane, "solo")
    assert any(row["ready"] == "1/1" for row in lane.kubectl.history(solo))
    (first, *_) = messages(lane, "Unhealthy")
    assert first == (
        f'Readiness probe failed: Get "http://{solo.ip}:8081/healthz": context deadline exceeded '
        "(Client.Timeout exceeded while awaiting headers)"
    )


@pytest.mark.parametrize("handler", ["httpGet", "tcpSocket"])
def test_an_undeclared_port_name_errors_and_the_result_is_thrown_away(handler):
    base = http_probe(period_seconds=5) if handler == "httpGet" else tcp_probe(period_seconds=5)
    probe = type(base)(**{**base.__dict__, "port": "web-port"})
    spec = named("web-port", declared={"http": 80}, readiness=probe, liveness=probe)
    lane = run(bare_pod(template(spec)))
    solo = pod_of(lane, "solo")
    # Readiness keeps its initial Failure, liveness its initial Success: never Ready, never
    # restarted.
    assert all(row["ready"] == "0/1" for row in lane.kubectl.history(solo))
    assert lane.kubectl.row(solo).restarts == 0
    unhealthy = messages(lane, "Unhealthy")
    assert unhealthy
    assert set(unhealthy) == {
        'Readiness probe errored and resulted in unknown state: port "web-port" not found',
        'Liveness probe errored and resulted in unknown state: port "web-port" not found',
    }
    assert not messages(lane, "Killing")


# --- pod tolerations decide when pods on a dead node are evicted ------------------------------


@pytest.mark.parametrize(
    ("tolerations", "evicted_after_taint"),
    [
        ((), 300.0),  # the API server's default toleration
        ((Toleration("node.kubernetes.io/unreachable", "Exists", "", "NoExecute", 30.0),), 30.0),
        ((Toleration("", "Exists", "", "NoExecute", 10.0),), 10.0),
        ((Toleration("node.kubernetes.io/unreachable", "Exists", "", "NoExecute", None),), None),
    ],
)
def test_pod_tolerations_set_the_eviction_time(tolerations, evicted_after_taint):
    pod = template(container())
    pod = type(pod)(**{**pod.__dict__, "tolerations": tolerations})
    lane = run(deployment(2, pod=pod), duration=500, events=[event(60, "NodeDown", node="node2")])
    marks = [
        e["time"]
        for e in lane.events
        if e["reason"] == "TaintManagerEviction" and "Marking" in e["message"]
    ]
    taint_times = [t for t in event_times(lane, "NodeNotReady") if t >= 60]
    assert taint_times
    if evicted_after_taint is None:
        assert marks == []
    else:
        assert len(marks) == 1
        assert marks[0] - min(taint_times) == pytest.approx(evicted_after_taint, abs=0.01)


# --- minReadySeconds and progressDeadlineSeconds in rollouts -----------------------------------


def test_min_ready_seconds_holds_back_availability():
    lane = run(deployment(2, min_ready_seconds=20), duration=60)
    status = lane.workload.status()
    assert status["availableReplicas"] == 2
    early = only_lane(simulate(scenario(variant(deployment(2, min_ready_seconds=20)), duration=10)))
    assert early.workload.status()["readyReplicas"] == 2
    assert early.workload.status()["availableReplicas"] == 0


def test_a_stuck_rollout_exceeds_its_progress_deadline():
    lane = run(
        deployment(2, progress_deadline_seconds=30),
        duration=120,
        program=behavior(image_pull_fails=True),
    )
    (progressing,) = lane.workload.status()["conditions"]
    assert (progressing["status"], progressing["reason"]) == ("False", "ProgressDeadlineExceeded")
    assert progressing["message"].endswith("has timed out progressing.")
    assert progressing["lastTransitionTime"] == pytest.approx(30, abs=1)


def test_a_finished_rollout_has_progressed():
    lane = run(deployment(2), duration=60)
    (progressing,) = lane.workload.status()["conditions"]
    assert (progressing["status"], progressing["reason"]) == ("True", "NewReplicaSetAvailable")


# --- preStop exec hooks that take time ---------------------------------------------------------


def test_a_prestop_exec_hook_delays_sigterm_by_its_command_time():
    spec = container(pre_stop=0.0)  # an exec hook whose script the engine cannot time
    program = ContainerBehavior(command_seconds={"preStop": 12.0})
    lane = run(
        bare_pod(template(spec)),
        duration=60,
        events=[event(20, "DeletePod", pod="solo")],
        program=type(behavior())(containers={"*": program}),
    )
    solo = pod_of(lane, "solo")
    assert solo.deleted_at == pytest.approx(32.0)


def test_shell_sleeps_in_a_prestop_script_add_up():
    from simulator.scenario.manifests.pod_spec import exec_sleep_seconds

    script = ("/bin/sh", "-c", "nginx -s quit; sleep 5\nsleep 3 && echo done")
    assert exec_sleep_seconds(script) == 8.0
    assert exec_sleep_seconds(("sleep", "7")) == 7.0
    assert exec_sleep_seconds(("/bin/sh", "-c", "nginx -s quit")) == 0.0


# --- texts as Kubernetes prints them -----------------------------------------------------------


@pytest.mark.parametrize(("policy", "suffix"), [("Never", ""), ("Always", ", will be restarted")])
def test_the_liveness_killing_message_says_will_be_restarted_only_when_it_will(policy, suffix):
    pod = template(container(liveness=http_probe(period_seconds=5)), restart_policy=policy)
    lane = run(bare_pod(pod), events=[event(30, "AppHang", pod="solo")])
    assert messages(lane, "Killing")[0] == f"Container app failed liveness probe{suffix}"


def test_backoff_texts_name_the_pod_as_the_kubelet_formats_it():
    lane = run(bare_pod(), duration=100, program=behavior(exit_after_seconds=0, exit_code=1))
    solo = pod_of(lane, "solo")
    formatted = f"solo_default({solo.uid})"
    assert messages(lane, "BackOff")[0] == (
        f"Back-off restarting failed container app in pod {formatted}"
    )
    assert solo.containers[0].message.endswith(f"pod={formatted}")


def test_the_restarts_column_says_how_long_ago():
    lane = run(bare_pod(), duration=100, program=behavior(exit_after_seconds=0, exit_code=1))
    row = lane.kubectl.row(pod_of(lane, "solo"))
    assert row.restarts_text(lane.now).startswith(f"{row.restarts} (")
    assert row.restarts_text(lane.now).endswith(" ago)")
    results = Simulation(
        scenario(variant(bare_pod(), program=behavior(exit_after_seconds=0, exit_code=1)))
    )
    results.advance_to(100)
    (pod,) = results.results()["variants"][0]["pods"]
    assert pod["restartsText"].endswith(" ago)")


# --- an exec probe's command time, and its timeout ---------------------------------------------


def exec_behavior(seconds: float) -> ContainerBehavior:
    return ContainerBehavior(command_seconds={"readinessProbe": seconds})


@pytest.mark.parametrize(("seconds", "ready"), [(15.0, False), (5.0, False), (2.0, True)])
def test_an_exec_probe_slower_than_its_timeout_fails(seconds, ready):
    probe = exec_probe(period_seconds=5, timeout_seconds=5, initial_delay_seconds=5)
    lane = run(
        bare_pod(template(container(readiness=probe))),
        duration=90,
        program=type(behavior())(containers={"*": exec_behavior(seconds)}),
    )
    solo = pod_of(lane, "solo")
    assert solo.ready is ready
    if not ready:
        (first, *_) = messages(lane, "Unhealthy")
        assert first == 'Readiness probe failed: command "cat /tmp/healthy" timed out'
        attempts = [a for a in lane.probe_log if a["result"] == "timeout"]
        # The attempt ends timeoutSeconds after it started.
        assert attempts[0]["time"] == pytest.approx(2.5 + 0.5 + 5 + 5, abs=5)


SLEEPY_EXEC_PROBE = """
apiVersion: podviz/v1
kind: Scenario
metadata: {name: exec-probe-timeout}
spec:
  duration: 90
  cluster: {nodes: 1}
  traffic: {requestsPerSecond: 1}
  workload:
    apiVersion: v1
    kind: Pod
    metadata: {name: readiness-slow-exec, labels: {app: slow-exec}}
    spec:
      containers:
      - name: app
        image: alpine:3.20
        args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 6000"]
        readinessProbe:
          exec: {command: ["/bin/sh", "-c", "SCRIPT"]}
          initialDelaySeconds: 5
          periodSeconds: 5
          timeoutSeconds: 5
"""


@pytest.mark.parametrize(
    ("script", "ready"),
    [
        ("sleep 15; cat /tmp/healthy", False),
        ("sleep 5 && cat /tmp/healthy", False),
        ("sleep 2; cat /tmp/healthy", True),
        ("cat /tmp/healthy", True),
    ],
)
def test_an_exec_probe_that_sleeps_past_its_timeout_fails_with_no_time_given(script, ready):
    """A reported case: ``sleep 15; cat ...`` with timeoutSeconds 5 never makes the pod Ready
    (the exec times out, Kubernetes >= 1.20), so every request finds no endpoint."""
    scenario = load_scenario(SLEEPY_EXEC_PROBE.replace("SCRIPT", script))
    (variant,) = run_scenario(scenario)["variants"]
    (pod,) = variant["pods"]
    assert pod["ready"] == ("1/1" if ready else "0/1")
    no_endpoints = variant["totals"]["errorsByCause"]["NoEndpoints"]
    if ready:
        assert no_endpoints < 90
    else:
        assert (variant["totals"]["requests"], no_endpoints) == (90, 90)
        assert any(
            event["message"] == f'Readiness probe failed: command "/bin/sh -c {script}" timed out'
            for event in variant["events"]
        )


def test_the_scenario_format_takes_command_seconds():
    text = """
apiVersion: podviz/v1
kind: Scenario
metadata: {name: slow-exec}
spec:
  duration: 60
  workload:
    apiVersion: v1
    kind: Pod
    metadata: {name: slow}
    spec:
      containers:
      - name: app
        image: alpine:3.20
        readinessProbe:
          exec: {command: ["/bin/sh", "-c", "sleep 15; cat /tmp/healthy"]}
          timeoutSeconds: 5
  behavior:
    containers:
      app: {commandSeconds: {readinessProbe: 15, preStop: 3}}
"""
    loaded = load_scenario(text)
    app = loaded.variants[0].behavior.for_container("app")
    assert app.command_seconds == {"readinessProbe": 15.0, "preStop": 3.0}


# --- manifests validated like the API server (strict field validation) --------------------------

MANIFEST = """
apiVersion: podviz/v1
kind: Scenario
metadata: {{name: strict}}
spec:
  duration: 30
  workload:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {{name: orders, annotations: {{team: a}}}}
    spec:
      replicas: 2
      selector: {{matchLabels: {{app: orders}}}}
      template:
        metadata: {{labels: {{app: orders}}}}
        spec:
          containers:
          - name: orders
            image: example/orders:1
            resources: {{requests: {{cpu: 100m}}}}
            env: [{{name: MODE, value: fast}}]
            readinessProbe:
              httpGet: {{path: /ready, port: 8080}}
              {probe_field}: 3
"""


def test_a_typo_in_a_manifest_is_refused_with_its_path_and_the_closest_field():
    with pytest.raises(ScenarioError) as refused:
        load_scenario(MANIFEST.format(probe_field="failureTreshold"))
    (problem,) = refused.value.problems
    assert problem.path == (
        "spec.workload.spec.template.spec.containers[0].readinessProbe.failureTreshold"
    )
    assert problem.message == (
        "Unknown field: strict decoding error: unknown field "
        '"spec.template.spec.containers[0].readinessProbe.failureTreshold", '
        'did you mean "failureThreshold"?'
    )
    assert problem.line == 24


def test_unknown_fields_are_found_in_lists_and_deep_objects():
    text = MANIFEST.format(probe_field="failureThreshold").replace(
        "value: fast", "value: fast, valueFromm: {}"
    )
    with pytest.raises(ScenarioError) as refused:
        load_scenario(text)
    assert [p.path for p in refused.value.problems] == [
        "spec.workload.spec.template.spec.containers[0].env[0].valueFromm"
    ]


def test_known_fields_the_engine_does_not_model_are_accepted_and_listed():
    loaded = load_scenario(MANIFEST.format(probe_field="failureThreshold"))
    # resources.limits.memory is modelled (the OOM kill of a serving app); requests are not.
    assert loaded.variants[0].workload.not_modelled == (
        "metadata.annotations",
        "spec.template.spec.containers[0].resources.requests",
        "spec.template.spec.containers[0].env",
    )
    assert loaded.variants[0].workload.template.containers[0].readiness_probe.failure_threshold == 3


# --- readiness gates ------------------------------------------------------------------------------


def test_a_readiness_gate_nobody_sets_keeps_the_pod_out_of_the_service():
    """GeneratePodReadyCondition: containers ready, the gate's condition missing: Ready False."""
    pod = template(container())
    pod = type(pod)(**{**pod.__dict__, "readiness_gates": ("example.com/load-balancer",)})
    lane = run(bare_pod(pod), duration=30)
    solo = pod_of(lane, "solo")
    assert solo.conditions["ContainersReady"].is_true
    ready = solo.conditions["Ready"]
    assert (ready.status, ready.reason) == ("False", "ReadinessGatesNotReady")
    assert ready.message == (
        'corresponding condition of pod readiness gate "example.com/load-balancer" does not exist.'
    )
    assert lane.endpoints.ready_count == 0
    assert lane.totals["errorsByCause"]["NoEndpoints"] == lane.totals["requests"]


def test_readiness_gates_are_read_from_the_manifest():
    text = MANIFEST.format(probe_field="failureThreshold").replace(
        "          containers:",
        "          readinessGates: [{conditionType: x.io/ready}]\n          containers:",
    )
    loaded = load_scenario(text)
    assert loaded.variants[0].workload.template.readiness_gates == ("x.io/ready",)
    assert not any("readinessGates" in path for path in loaded.variants[0].workload.not_modelled)
