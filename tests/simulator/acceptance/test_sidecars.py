"""docs/kubernetes-model.md §1.9: native sidecar containers (init containers with restartPolicy
Always)."""

from .builders import bare_pod, container, http_probe, program, scenario
from .reading import (
    condition,
    container_of,
    event_times,
    events,
    first_time,
    named,
    not_ready_since,
    only_lane,
    pod,
    ready_since,
    results_at,
    run,
    running_since,
    snapshot_at,
)

PLEG_LAG = 1.0  # §2.4: the kubelet sees a container start or exit within 1 s
PULL = 2.0  # imagePullSeconds default


def sidecar(name: str = "proxy", **probes: dict) -> dict:
    spec = container(name, image=f"registry.example/{name}:1.0", **probes)
    spec["restartPolicy"] = "Always"
    return spec


def init_of(pod_entry: dict, name: str) -> dict:
    (entry,) = [c for c in pod_entry["initContainers"] if c["name"] == name]
    return entry


def started_events(lane: dict, name: str) -> list[float]:
    return [e["time"] for e in events(lane, "Started") if e["message"].endswith(f" {name}")]


def test_the_app_starts_once_the_sidecar_has_started_not_completed():
    """§1.9: the next container starts when the sidecar's startupProbe succeeds; the sidecar
    keeps running; STATUS Init:0/1, PodInitializing, Running; READY counts it (2/2)."""
    startup = http_probe("/ready", periodSeconds=2, failureThreshold=30)
    doc = scenario(
        bare_pod(init_containers=[sidecar(startup=startup)]),
        duration=60,
        programs={"proxy": program(bootSeconds=10)},
    )
    lane = only_lane(run(doc))
    solo = pod(lane, "solo")
    (proxy_started,) = started_events(lane, "proxy")
    (app_started,) = started_events(lane, "app")
    # Started by the startup probe: not before the proxy booted, within one period after.
    assert proxy_started + 10 <= app_started - PULL <= proxy_started + 10 + 2 + PLEG_LAG
    statuses = [row["status"] for row in solo["history"]]
    assert [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s] == [
        "Init:0/1",
        "PodInitializing",
        "Running",
    ]
    assert solo["ready"] == "2/2"
    assert init_of(solo, "proxy")["state"] == "Running"
    assert solo["phase"] == "Running"
    assert first_time(solo, lambda row: row["phase"] == "Running") >= app_started


def test_a_sidecar_without_startup_probe_has_started_once_running():
    """§1.9: without a startupProbe a sidecar has started as soon as it runs."""
    doc = scenario(bare_pod(init_containers=[sidecar()]), duration=30)
    lane = only_lane(run(doc))
    (proxy_started,) = started_events(lane, "proxy")
    (app_started,) = started_events(lane, "app")
    assert 0 <= app_started - PULL - proxy_started <= PLEG_LAG


def test_a_regular_init_container_after_a_sidecar_runs_beside_it():
    """§1.9: init containers after a sidecar start once it has started; STATUS Init:1/2 while
    the second one runs."""
    doc = scenario(
        bare_pod(init_containers=[sidecar(), {"name": "migrate", "image": "registry.example/m:1"}]),
        duration=40,
        programs={"migrate": program(exitAfterSeconds=5, exitCode=0)},
    )
    lane = only_lane(run(doc))
    solo = pod(lane, "solo")
    (migrate_started,) = started_events(lane, "migrate")
    (app_started,) = started_events(lane, "app")
    assert app_started >= migrate_started + 5
    during = results_at(doc, migrate_started + 2)
    assert pod(only_lane(during), "solo")["status"] == "Init:1/2"
    assert init_of(solo, "proxy")["state"] == "Running"
    assert init_of(solo, "migrate")["state"] == "Terminated"
    assert solo["ready"] == "2/2"


def test_sidecar_readiness_counts_for_the_pod_ready_condition():
    """§1.9: a sidecar's readiness is part of ContainersReady and Ready; READY 1/2."""
    readiness = http_probe("/ready", periodSeconds=5, failureThreshold=3)
    doc = scenario(
        bare_pod(init_containers=[sidecar(readiness=readiness)]),
        duration=90,
        programs={"proxy": program(hangAfterSeconds=40)},
    )
    lane = only_lane(run(doc))
    solo = pod(lane, "solo")
    became_ready = ready_since(solo)
    assert became_ready is not None
    lost = not_ready_since(solo, became_ready)
    (proxy_started,) = started_events(lane, "proxy")
    # Three failures at the 5 s period after the hang: [(3−1)·5, 3·5] + a period's phase.
    assert proxy_started + 40 + 10 <= lost <= proxy_started + 40 + 15 + 5
    assert solo["ready"] == "1/2"
    state = named(snapshot_at(doc, 90)["pods"], "solo")
    assert condition(state, "ContainersReady")["message"] == (
        "containers with unready status: [proxy]"
    )
    assert condition(state, "Ready")["status"] == "False"
    assert container_of(solo)["ready"] is True


def test_an_exited_sidecar_restarts_with_backoff_whatever_the_pod_restart_policy():
    """§1.9: restartPolicy Never on the pod, yet the sidecar is restarted with the crash backoff;
    the app keeps running and the pod stays Running; RESTARTS counts the sidecar's."""
    doc = scenario(
        bare_pod(init_containers=[sidecar()], restart_policy="Never"),
        duration=60,
        programs={"proxy": program(exitAfterSeconds=5, exitCode=1)},
    )
    lane = only_lane(run(doc))
    solo = pod(lane, "solo")
    starts = started_events(lane, "proxy")
    assert len(starts) >= 3
    # First restart at once, the next after the 10 s backoff (§3.2).
    assert starts[1] - (starts[0] + 5) <= PLEG_LAG + 0.5
    assert starts[2] - (starts[1] + 5) >= 10
    assert event_times(lane, "BackOff")
    assert solo["phase"] == "Running"
    assert container_of(solo)["state"] == "Running"
    assert solo["restarts"] == init_of(solo, "proxy")["restartCount"] == len(starts) - 1
    assert (started_events(lane, "app")) == [running_since(solo)]


def test_a_sidecar_liveness_failure_restarts_the_sidecar():
    """§1.9: a sidecar's own liveness probe kills and restarts it."""
    liveness = http_probe("/healthz", periodSeconds=5, failureThreshold=2)
    doc = scenario(
        bare_pod(init_containers=[sidecar(liveness=liveness)]),
        duration=60,
        programs={"proxy": program(hangAfterSeconds=15)},
    )
    lane = only_lane(run(doc))
    killing = [e for e in events(lane, "Killing") if "proxy" in e["message"]]
    assert killing
    assert killing[0]["message"] == "Container proxy failed liveness probe, will be restarted"
    assert len(started_events(lane, "proxy")) >= 2
    assert len(started_events(lane, "app")) == 1  # the app is not restarted with it


def test_on_deletion_sidecars_stop_after_the_app_in_reverse_order():
    """§1.9/§6: app containers get SIGTERM first; then sidecars one after another in reverse
    order of declaration, each once the ones after it have exited."""
    doc = scenario(
        bare_pod(
            [container(pre_stop_sleep=5)],
            init_containers=[sidecar("logs"), sidecar("proxy")],
            grace=30,
        ),
        duration=60,
        programs={"proxy": program(bootSeconds=0), "logs": program(bootSeconds=0)},
        events=[{"at": 30, "action": "DeletePod", "pod": "solo"}],
    )
    lane = only_lane(run(doc))
    stopping = [(e["time"], e["message"]) for e in events(lane, "Killing") if e["time"] >= 30]
    assert [message for _, message in stopping] == [
        "Stopping container app",
        "Stopping container proxy",
        "Stopping container logs",
    ]
    times = [time for time, _ in stopping]
    assert times[0] == 30
    assert times[1] >= 30 + 5  # after the app's preStop sleep and exit
    assert times[2] >= times[1]
    assert pod(lane, "solo")["deletedAt"] <= 30 + 30 + PLEG_LAG


def test_a_sidecar_does_not_keep_a_job_from_completing():
    """§1.9: once the Job's app container succeeded the kubelet stops the sidecar; the pod
    Succeeds and the Job completes."""
    template = {
        "metadata": {"labels": {"app": "batch"}},
        "spec": {
            "restartPolicy": "Never",
            "initContainers": [sidecar()],
            "containers": [container()],
        },
    }
    workload = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "batch"},
        "spec": {"template": template},
    }
    doc = scenario(workload, duration=60, programs={"app": program(exitAfterSeconds=10)})
    lane = only_lane(run(doc))
    (batch,) = [p for p in lane["pods"] if p["name"].startswith("batch")]
    assert batch["phase"] == "Succeeded"
    assert init_of(batch, "proxy")["state"] == "Terminated"
    assert event_times(lane, "Completed")
    assert [e["message"] for e in events(lane, "Killing")] == ["Stopping container proxy"]
