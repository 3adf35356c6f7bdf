"""docs/kubernetes-model.md §1.1: the kubelet's pod phase algorithm."""

from .builders import bare_pod, container, deployment, event, program, scenario
from .reading import container_of, only_lane, pod, run, running_since

PHASES = {"Pending", "Running", "Succeeded", "Failed"}


def test_a_pod_starts_pending_and_runs_once_its_container_started():
    """§1.1 rules 2–3, §1.2 typical order: Pending/ContainerCreating, then Running."""
    lane = only_lane(run(scenario(deployment(), duration=20)))
    web = pod(lane, "web-1")
    first = web["history"][0]
    assert first["time"] == web["createdAt"] == 0
    assert (first["phase"], first["status"]) == ("Pending", "ContainerCreating")
    assert first["ready"] == "0/1"
    started = running_since(web)
    assert started > 0, "the image is pulled first (imagePullSeconds defaults to 2)"
    assert all(row["phase"] == "Pending" for row in web["history"] if row["time"] < started)
    assert (web["phase"], web["status"], web["ready"]) == ("Running", "Running", "1/1")


def test_crash_looping_container_keeps_the_pod_running():
    """§1.1: Waiting with a last termination counts as stopped ⇒ phase Running (Always)."""
    doc = scenario(
        deployment(),
        duration=60,
        programs={"app": program(exitAfterSeconds=1, exitCode=1)},
    )
    web = pod(only_lane(run(doc)), "web-1")
    started = running_since(web)
    later = [row for row in web["history"] if row["time"] >= started]
    assert {row["phase"] for row in later} == {"Running"}
    assert "CrashLoopBackOff" in {row["status"] for row in later}
    assert web["phase"] == "Running"


def test_image_pull_back_off_keeps_the_pod_pending():
    """§1.1: a container that never started (ErrImagePull/ImagePullBackOff) ⇒ Pending."""
    doc = scenario(deployment(), duration=60, programs={"app": program(imagePullFails=True)})
    web = pod(only_lane(run(doc)), "web-1")
    assert {row["phase"] for row in web["history"]} == {"Pending"}
    statuses = {row["status"] for row in web["history"]}
    assert {"ErrImagePull", "ImagePullBackOff"} <= statuses
    assert statuses <= {"ContainerCreating", "ErrImagePull", "ImagePullBackOff"}


def test_one_waiting_container_keeps_the_whole_pod_pending():
    """§1.1 rule 2: waiting > 0 ⇒ Pending even though another container runs."""
    doc = scenario(
        deployment([container("app"), container("cache")]),
        duration=40,
        programs={"cache": program(imagePullFails=True)},
    )
    web = pod(only_lane(run(doc)), "web-1")
    assert web["phase"] == "Pending"
    assert container_of(web, "app")["state"] == "Running"
    assert container_of(web, "cache")["state"] == "Waiting"
    assert web["ready"] == "1/2"


def test_one_running_container_keeps_the_pod_running_while_another_crash_loops():
    """§1.1 rule 3: running > 0 and no unknown ⇒ Running."""
    doc = scenario(
        deployment([container("app"), container("cache")]),
        duration=60,
        programs={"cache": program(exitAfterSeconds=1, exitCode=1)},
    )
    web = pod(only_lane(run(doc)), "web-1")
    started = running_since(web)
    assert {row["phase"] for row in web["history"] if row["time"] >= started} == {"Running"}
    assert container_of(web, "cache")["restartCount"] >= 2


def test_terminal_phases_are_sticky():
    """§1.1: the kubelet refuses any transition out of Succeeded/Failed."""
    for exit_code, terminal in ((0, "Succeeded"), (1, "Failed")):
        doc = scenario(
            bare_pod(restart_policy="Never"),
            duration=40,
            programs={"app": program(exitAfterSeconds=5, exitCode=exit_code)},
        )
        solo = pod(only_lane(run(doc)), "solo")
        phases = [row["phase"] for row in solo["history"]]
        assert terminal in phases
        assert set(phases[phases.index(terminal) :]) == {terminal}
        assert solo["phase"] == terminal


def test_a_deleted_pod_ends_in_a_terminal_phase_from_its_exit_codes():
    """§1.1 (since 1.27), §6.4: exit 0 on SIGTERM ⇒ Succeeded; SIGKILL 137 ⇒ Failed."""
    for handles_sigterm, terminal in ((True, "Succeeded"), (False, "Failed")):
        doc = scenario(
            deployment(grace=5),
            duration=60,
            programs={"app": program(handlesSigterm=handles_sigterm, exitCode=0)},
            events=[event(20, "DeletePod", pod="web-1")],
        )
        web = pod(only_lane(run(doc)), "web-1")
        assert web["deletedAt"] is not None
        assert web["history"][-1]["phase"] == terminal
        assert web["phase"] == terminal


def test_phase_is_always_one_of_the_four_real_phases():
    """§1.1: `Unknown` is never set (deprecated since 2015)."""
    doc = scenario(
        deployment(replicas=2),
        duration=120,
        events=[event(5, "NodeDown", node="node2"), event(80, "NodeUp", node="node2")],
    )
    for entry in only_lane(run(doc))["pods"]:
        assert {row["phase"] for row in entry["history"]} <= PHASES
        assert entry["phase"] in PHASES
