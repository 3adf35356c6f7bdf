"""docs/kubernetes-model.md §1.5: init containers (with the kubectl STATUS of §1.7)."""

from .builders import bare_pod, deployment, init_container, program, scenario
from .reading import (
    backoff_tolerance,
    container_of,
    first_time,
    only_lane,
    pod,
    restart_times,
    results_at,
    run,
    running_since,
)

TWO_STEPS = [init_container("init-a"), init_container("init-b")]
STEP_SECONDS = 4
SUCCEEDS = program(exitAfterSeconds=STEP_SECONDS, exitCode=0)
FAILS = program(exitAfterSeconds=1, exitCode=1)


def two_step_deployment(duration: float) -> dict:
    return scenario(
        deployment(init_containers=TWO_STEPS),
        duration=duration,
        programs={"init-a": SUCCEEDS, "init-b": SUCCEEDS},
    )


def test_init_containers_run_one_after_another_before_the_app():
    """§1.5: sequential; the next starts after the previous exits 0; the app after all."""
    web = pod(only_lane(run(two_step_deployment(40))), "web-1")
    statuses = [row["status"] for row in web["history"]]
    assert statuses[0] == "Init:0/2"
    first_done = first_time(web, lambda row: row["status"] == "Init:1/2")
    assert first_done is not None, statuses
    app_started = running_since(web)
    assert first_done >= STEP_SECONDS
    assert app_started - first_done >= STEP_SECONDS
    assert set(statuses[: statuses.index("Init:1/2")]) == {"Init:0/2"}
    assert set(statuses[statuses.index("Init:1/2") : statuses.index("Running")]) <= {
        "Init:1/2",
        "PodInitializing",
    }
    assert all(row["phase"] == "Pending" for row in web["history"] if row["time"] < app_started)
    assert (web["status"], web["ready"], web["phase"]) == ("Running", "1/1", "Running")


def test_while_initializing_the_app_waits_with_pod_initializing():
    """§1.3/§1.5: app containers Wait with reason PodInitializing; Initialized is False."""
    doc = two_step_deployment(40)
    finished = pod(only_lane(run(doc)), "web-1")
    assert finished["conditions"]["Initialized"] is True
    second_step = first_time(finished, lambda row: row["status"] == "Init:1/2")
    web = pod(only_lane(results_at(doc, second_step + 1)), "web-1")
    assert web["conditions"]["Initialized"] is False
    app = container_of(web)
    assert (app["state"], app["reason"]) == ("Waiting", "PodInitializing")
    assert web["phase"] == "Pending"


def test_failed_init_container_with_restart_policy_never_fails_the_pod():
    """§1.1 rule 1, §1.5: restartPolicy Never + failed init ⇒ Failed, STATUS Init:Error."""
    doc = scenario(
        bare_pod(init_containers=TWO_STEPS, restart_policy="Never"),
        duration=30,
        programs={"init-a": FAILS},
    )
    solo = pod(only_lane(run(doc)), "solo")
    assert solo["phase"] == "Failed"
    assert solo["status"] == "Init:Error"
    assert all(row["phase"] != "Running" for row in solo["history"])
    assert container_of(solo)["state"] == "Waiting"


def test_failed_init_container_is_restarted_with_backoff_and_the_pod_stays_pending():
    """§1.5, §3.2: Always ⇒ the init container crash-loops (10 s, 20 s, ...), pod Pending."""
    doc = scenario(
        deployment(init_containers=TWO_STEPS),
        duration=90,
        requests_per_second=1,
        programs={"init-a": FAILS},
    )
    web = pod(only_lane(run(doc)), "web-1")
    assert {row["phase"] for row in web["history"]} == {"Pending"}
    statuses = {row["status"] for row in web["history"]}
    assert "Init:CrashLoopBackOff" in statuses
    assert statuses <= {"Init:0/2", "Init:Error", "Init:CrashLoopBackOff"}
    restarts = restart_times(web)
    assert len(restarts) >= 3
    lifetime = 1
    for index, nominal in ((1, 10), (2, 20)):
        wait = restarts[index] - restarts[index - 1] - lifetime
        assert nominal <= wait <= nominal + backoff_tolerance(nominal), (index, restarts)


def test_failed_init_container_with_on_failure_keeps_the_pod_pending():
    """§1.5: OnFailure restarts the failing init container; the pod stays Pending."""
    doc = scenario(
        bare_pod(init_containers=TWO_STEPS, restart_policy="OnFailure"),
        duration=40,
        programs={"init-a": FAILS},
    )
    solo = pod(only_lane(run(doc)), "solo")
    assert {row["phase"] for row in solo["history"]} == {"Pending"}
    assert solo["restarts"] >= 2


def test_init_container_image_pull_failure_prints_init_status():
    """§1.5: STATUS Init:ErrImagePull / Init:ImagePullBackOff; the pod stays Pending."""
    doc = scenario(
        deployment(init_containers=TWO_STEPS),
        duration=40,
        requests_per_second=1,
        programs={"init-a": program(imagePullFails=True)},
    )
    web = pod(only_lane(run(doc)), "web-1")
    statuses = {row["status"] for row in web["history"]}
    assert {"Init:ErrImagePull", "Init:ImagePullBackOff"} <= statuses
    assert statuses <= {"Init:0/2", "Init:ErrImagePull", "Init:ImagePullBackOff"}
    assert {row["phase"] for row in web["history"]} == {"Pending"}
