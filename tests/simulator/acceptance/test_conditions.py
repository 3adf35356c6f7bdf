"""docs/kubernetes-model.md §1.2: pod conditions."""

from .builders import (
    container,
    deployment,
    event,
    http_probe,
    init_container,
    job,
    program,
    scenario,
)
from .reading import (
    condition,
    container_of,
    named,
    only_lane,
    pod,
    results_at,
    run,
    running_since,
    snapshot_at,
)

NEVER_BOOTS = program(bootSeconds=100_000)


def test_before_the_container_starts_only_scheduling_and_initialization_are_true():
    """§1.2: Initialized is True at once without init containers; Ready waits for the container."""
    doc = scenario(deployment(), duration=1, image_pull_seconds=5)
    web = pod(only_lane(run(doc)), "web-1")
    conditions = web["conditions"]
    assert conditions["PodScheduled"] is True
    assert conditions["Initialized"] is True
    assert conditions["ContainersReady"] is False
    assert conditions["Ready"] is False
    app = container_of(web)
    assert (app["state"], app["reason"]) == ("Waiting", "ContainerCreating")


def test_a_running_ready_pod_has_every_condition_true():
    """§1.2: all kubelet conditions True once the container is ready."""
    web = pod(only_lane(run(scenario(deployment(), duration=20))), "web-1")
    for name in ("PodScheduled", "Initialized", "ContainersReady", "Ready"):
        assert web["conditions"][name] is True, name


def test_pod_ready_to_start_containers_follows_the_sandbox():
    """§1.2: PodReadyToStartContainers (on by default since 1.29) is True once the sandbox runs."""
    web = pod(only_lane(run(scenario(deployment(), duration=20))), "web-1")
    assert web["conditions"]["PodReadyToStartContainers"] is True


def test_a_failing_readiness_probe_makes_containers_ready_and_ready_false():
    """§1.2: ContainersReady False (ContainersNotReady), Ready copies it; others stay True."""
    doc = scenario(
        deployment([container(readiness=http_probe(periodSeconds=2))]),
        duration=40,
        programs={"app": NEVER_BOOTS},
    )
    web = pod(only_lane(run(doc)), "web-1")
    assert web["conditions"]["PodScheduled"] is True
    assert web["conditions"]["Initialized"] is True
    assert web["conditions"]["ContainersReady"] is False
    assert web["conditions"]["Ready"] is False
    assert container_of(web)["ready"] is False


def test_ready_follows_containers_ready_without_readiness_gates():
    """§1.2: Ready = ContainersReady ∧ readinessGates (none here), before and after a hang."""
    doc = scenario(
        deployment([container(readiness=http_probe(periodSeconds=2))]),
        duration=60,
        events=[event(30, "AppHang", pod="web-1")],
    )
    for moment in (25, 60):
        web = pod(only_lane(results_at(doc, moment)), "web-1")
        assert web["conditions"]["Ready"] is web["conditions"]["ContainersReady"]
    assert pod(only_lane(results_at(doc, 25)), "web-1")["conditions"]["Ready"] is True
    assert pod(only_lane(results_at(doc, 60)), "web-1")["conditions"]["Ready"] is False


def test_the_node_controller_flips_only_ready_on_a_silent_node():
    """§1.2 other writers, §5.2: MarkPodsNotReady sets Ready=False; ContainersReady stays True."""
    doc = scenario(
        deployment(replicas=2),
        duration=200,
        requests_per_second=1,
        events=[event(10, "NodeDown", node="node2")],
    )
    web2 = pod(only_lane(run(doc)), "web-2")
    assert web2["node"] == "node2"
    assert web2["conditions"]["Ready"] is False
    assert web2["conditions"]["ContainersReady"] is True


def test_an_unschedulable_pod_has_pod_scheduled_false():
    """§1.2: PodScheduled False (Unschedulable) when every node is tainted unreachable."""
    doc = scenario(
        deployment(),
        nodes=1,
        duration=120,
        requests_per_second=1,
        events=[event(1, "NodeDown", node="node1"), event(90, "Scale", replicas=2)],
    )
    web2 = pod(only_lane(run(doc)), "web-2")
    assert web2["conditions"]["PodScheduled"] is False
    assert web2["conditions"]["Ready"] is False


def test_not_ready_conditions_name_the_unready_containers():
    """§1.2: ContainersNotReady ("containers with unready status: [app]"); Ready copies it."""
    doc = scenario(
        deployment([container(readiness=http_probe(periodSeconds=2))]),
        duration=40,
        programs={"app": NEVER_BOOTS},
    )
    web = named(snapshot_at(doc, 20)["pods"], "web-1")
    for kind in ("ContainersReady", "Ready"):
        state = condition(web, kind)
        assert (state["status"], state["reason"], state["message"]) == (
            "False",
            "ContainersNotReady",
            "containers with unready status: [app]",
        ), kind


def test_initialized_names_the_incomplete_init_containers():
    """§1.2: Initialized False, ContainersNotInitialized, "containers with incomplete status: …"."""
    doc = scenario(
        deployment(init_containers=[init_container("init-a"), init_container("init-b")]),
        duration=40,
        programs={
            "init-a": program(exitAfterSeconds=10, exitCode=0),
            "init-b": program(exitAfterSeconds=10, exitCode=0),
        },
    )
    initialized = condition(named(snapshot_at(doc, 5)["pods"], "web-1"), "Initialized")
    assert (initialized["status"], initialized["reason"], initialized["message"]) == (
        "False",
        "ContainersNotInitialized",
        "containers with incomplete status: [init-a init-b]",
    )


def test_finished_pods_give_pod_completed_or_pod_failed():
    """§1.2: Ready/ContainersReady False with PodCompleted (Succeeded) or PodFailed (Failed)."""
    for exit_code, reason in ((0, "PodCompleted"), (1, "PodFailed")):
        doc = scenario(
            job(backoff_limit=0),
            duration=30,
            programs={"app": program(exitAfterSeconds=5, exitCode=exit_code)},
        )
        batch = named(snapshot_at(doc, 25)["pods"], "batch-1")
        for kind in ("ContainersReady", "Ready"):
            state = condition(batch, kind)
            assert (state["status"], state["reason"]) == ("False", reason), (exit_code, kind)


def test_unschedulable_pod_says_why():
    """§1.2: PodScheduled False, reason Unschedulable, message like "0/3 nodes are available: …"."""
    doc = scenario(
        deployment(),
        nodes=1,
        duration=120,
        requests_per_second=1,
        events=[event(1, "NodeDown", node="node1"), event(90, "Scale", replicas=2)],
    )
    scheduled = condition(named(snapshot_at(doc, 100)["pods"], "web-2"), "PodScheduled")
    assert (scheduled["status"], scheduled["reason"]) == ("False", "Unschedulable")
    assert scheduled["message"].startswith("0/1 nodes are available")


def test_pod_ready_to_start_containers_is_true_before_the_container_runs():
    """§1.2 typical order: PodReadyToStartContainers turns True with the sandbox, before Running."""
    doc = scenario(deployment(), duration=30, image_pull_seconds=10)
    started = running_since(pod(only_lane(run(doc)), "web-1"))
    web = named(snapshot_at(doc, started - 2)["pods"], "web-1")
    assert condition(web, "PodReadyToStartContainers")["status"] == "True"
    assert web["phase"] == "Pending"
