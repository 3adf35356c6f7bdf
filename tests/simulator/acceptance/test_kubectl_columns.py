"""docs/kubernetes-model.md §1.7: what `kubectl get pods` prints in STATUS, READY and RESTARTS."""

from .builders import (
    bare_pod,
    container,
    deployment,
    event,
    http_probe,
    job,
    program,
    scenario,
)
from .reading import container_of, first_time, only_lane, pod, results_at, row_at, run

CRASHES = program(exitAfterSeconds=1, exitCode=1)


def columns(pod_entry):
    return pod_entry["status"], pod_entry["ready"], pod_entry["phase"]


def test_unschedulable_pod_prints_pending():
    """§1.7 table: unschedulable → Pending, 0/1, Pending."""
    doc = scenario(
        deployment(),
        nodes=1,
        duration=120,
        requests_per_second=1,
        events=[event(1, "NodeDown", node="node1"), event(90, "Scale", replicas=2)],
    )
    assert columns(pod(only_lane(run(doc)), "web-2")) == ("Pending", "0/1", "Pending")


def test_container_being_created_prints_container_creating():
    """§1.7 table: image being pulled → ContainerCreating, 0/1, Pending."""
    doc = scenario(deployment(), duration=2, image_pull_seconds=10)
    assert columns(pod(only_lane(run(doc)), "web-1")) == ("ContainerCreating", "0/1", "Pending")


def test_bad_image_alternates_err_image_pull_and_image_pull_back_off():
    """§1.7 table, §3.4: bad image → ErrImagePull ↔ ImagePullBackOff, 0/1, Pending."""
    doc = scenario(deployment(), duration=60, programs={"app": program(imagePullFails=True)})
    web = pod(only_lane(run(doc)), "web-1")
    failing = [row for row in web["history"] if row["status"] != "ContainerCreating"]
    assert failing
    assert {row["status"] for row in failing} == {"ErrImagePull", "ImagePullBackOff"}
    assert {(row["ready"], row["phase"]) for row in failing} == {("0/1", "Pending")}


def test_running_before_readiness_passes_prints_zero_ready():
    """§1.7 table: running, readiness not yet passed → Running, 0/1, Running."""
    doc = scenario(
        deployment([container(readiness=http_probe(periodSeconds=2))]),
        duration=30,
        programs={"app": program(bootSeconds=100_000)},
    )
    assert columns(pod(only_lane(run(doc)), "web-1")) == ("Running", "0/1", "Running")


def test_running_and_ready_prints_one_of_one():
    """§1.7 table: running and ready → Running, 1/1, Running."""
    doc = scenario(deployment([container(readiness=http_probe(periodSeconds=2))]), duration=30)
    assert columns(pod(only_lane(run(doc)), "web-1")) == ("Running", "1/1", "Running")


def test_crash_loop_prints_crash_loop_back_off_and_an_exit_reason_only_briefly():
    """§1.7 table: just exited → Error; waiting in backoff → CrashLoopBackOff; 0/1, Running."""
    doc = scenario(deployment(), duration=80, programs={"app": CRASHES})
    web = pod(only_lane(run(doc)), "web-1")
    started = first_time(web, lambda row: row["phase"] == "Running")
    later = [row for row in web["history"] if row["time"] >= started]
    assert {row["status"] for row in later} <= {"Running", "Error", "CrashLoopBackOff"}
    for row in later:
        if row["status"] in ("Error", "CrashLoopBackOff"):
            assert (row["ready"], row["phase"]) == ("0/1", "Running"), row
    assert any(row["status"] == "CrashLoopBackOff" for row in later)


def test_deleted_pod_prints_terminating_with_ready_unchanged_until_it_stops():
    """§1.7 table: deleted, shutting down → Terminating, READY unchanged, Running."""
    doc = scenario(
        deployment(),
        duration=40,
        programs={"app": program(handlesSigterm=False)},
        events=[event(20, "DeletePod", pod="web-1")],
    )
    web = pod(only_lane(run(doc)), "web-1")
    assert row_at(web, 19)["ready"] == "1/1"
    assert (row_at(web, 21)["status"], row_at(web, 21)["ready"], row_at(web, 21)["phase"]) == (
        "Terminating",
        "1/1",
        "Running",
    )
    assert columns(web) == ("Terminating", "1/1", "Running")


def test_finished_job_pod_prints_completed():
    """§1.7 table: Job done → Completed, 0/1, Succeeded."""
    doc = scenario(job(), duration=30, programs={"app": program(exitAfterSeconds=5, exitCode=0)})
    assert columns(pod(only_lane(run(doc)), "batch-1")) == ("Completed", "0/1", "Succeeded")


def test_ready_counts_ready_containers_not_the_ready_condition():
    """§1.7 READY: containers with ready=true and Running / total."""
    doc = scenario(
        deployment([container("app"), container("sidecar", readiness=http_probe(periodSeconds=2))]),
        duration=30,
        programs={"sidecar": program(bootSeconds=100_000)},
    )
    web = pod(only_lane(run(doc)), "web-1")
    assert web["ready"] == "1/2"
    assert web["conditions"]["Ready"] is False


def test_restarts_sum_the_restart_counts_of_every_container():
    """§1.7 RESTARTS: sum of restartCounts."""
    doc = scenario(
        deployment([container("app"), container("cache")]),
        duration=50,
        programs={"app": CRASHES, "cache": CRASHES},
    )
    web = pod(only_lane(run(doc)), "web-1")
    counts = [entry["restartCount"] for entry in web["containers"]]
    assert min(counts) >= 2
    assert web["restarts"] == sum(counts)


def test_the_first_container_in_spec_order_with_a_reason_wins_status():
    """§1.7 STATUS: app statuses are walked from last to first, so the first one's reason wins."""
    failing_pull = program(imagePullFails=True)
    crash_first = scenario(
        deployment([container("a"), container("b")]),
        duration=45,
        programs={"a": CRASHES, "b": failing_pull},
    )
    pull_first = scenario(
        deployment([container("a"), container("b")]),
        duration=45,
        programs={"a": failing_pull, "b": CRASHES},
    )
    assert pod(only_lane(run(crash_first)), "web-1")["status"] in ("CrashLoopBackOff", "Error")
    assert pod(only_lane(run(pull_first)), "web-1")["status"] in (
        "ErrImagePull",
        "ImagePullBackOff",
        "ContainerCreating",
    )


def test_completed_container_beside_a_running_one_prints_not_ready():
    """§1.7 STATUS: `Completed` beside a running ready container → Running, or NotReady."""
    doc = scenario(
        bare_pod([container("worker"), container("server")], restart_policy="Never"),
        duration=30,
        programs={"worker": program(exitAfterSeconds=5, exitCode=0)},
    )
    solo = pod(only_lane(run(doc)), "solo")
    assert container_of(solo, "worker")["state"] == "Terminated"
    assert solo["conditions"]["Ready"] is False
    assert columns(solo) == ("NotReady", "1/2", "Running")


def test_terminating_is_not_printed_for_a_pod_that_already_finished():
    """§1.7 STATUS: deletionTimestamp ⇒ Terminating, except for Succeeded/Failed pods."""
    doc = scenario(
        bare_pod(restart_policy="Never", grace=30),
        duration=40,
        programs={"app": program(exitAfterSeconds=5, exitCode=0, handlesSigterm=False)},
        events=[event(20, "DeletePod", pod="solo")],
    )
    solo = pod(only_lane(results_at(doc, 20.5)), "solo")
    assert solo["phase"] == "Succeeded"
    assert solo["status"] == "Completed"
    assert all(
        row["status"] != "Terminating"
        for row in pod(only_lane(run(doc)), "solo")["history"]
        if row["phase"] == "Succeeded"
    )
