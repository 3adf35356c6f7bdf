"""Loading scenarios: sources, defaults, manifests, variants, events, narration, overrides."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.scenario.loader import ScenarioError, load_scenario, with_overrides
from simulator.scenario.types import (
    Behavior,
    ClusterSpec,
    ContainerBehavior,
    CrashLoopBackOff,
    NarrationStep,
    Probe,
    ScenarioEvent,
    ServiceSpec,
    TrafficSpec,
)

EXAMPLE = """
apiVersion: podviz/v1
kind: Scenario
metadata:
  name: node-failure
  title: Node failure and auto-healing
spec:
  duration: 900
  seed: 42
  cluster:
    nodes: 3
    nodeMonitorGracePeriod: 50
    tolerationSeconds: 300
    endpointPropagation: 1
    crashLoopBackOff: {initial: 10, max: 300, reset: 600}
  service:
    proxyMode: iptables
    publishNotReadyAddresses: false
  traffic:
    requestsPerSecond: 100
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
            readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 5}
            livenessProbe: {httpGet: {path: /healthz, port: 8080}}
  behavior:
    imagePullSeconds: 2
    containers:
      app:
        bootSeconds: 20
        hangAfterSeconds: null
        exitAfterSeconds: null
        exitCode: 0
        handlesSigterm: true
  events:
  - {at: 60,  action: NodeDown, node: node2}
  - {at: 600, action: AppHang, pod: web-3}
  variants:
  - name: no-probes
    probes: {readinessProbe: null, livenessProbe: null, startupProbe: null}
  - name: readiness-and-liveness
    probes:
      readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 5}
      livenessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 10, failureThreshold: 3}
"""

MINIMAL = """
apiVersion: podviz/v1
kind: Scenario
metadata: {name: minimal}
spec:
  duration: 60
  workload:
    apiVersion: v1
    kind: Pod
    metadata: {name: solo}
    spec:
      containers:
      - {name: app, image: nginx}
"""


def example() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE)


def with_spec(text: str = EXAMPLE, **spec: Any) -> dict[str, Any]:
    document = yaml.safe_load(text)
    document["spec"].update(spec)
    return document


def app_container(document: dict[str, Any]) -> dict[str, Any]:
    return document["spec"]["workload"]["spec"]["template"]["spec"]["containers"][0]


# --- sources -------------------------------------------------------------------------------------


def test_yaml_json_path_bytes_and_dict_give_the_same_scenario(tmp_path: Path) -> None:
    from_yaml = load_scenario(EXAMPLE)
    path = tmp_path / "scenario.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    assert load_scenario(json.dumps(example())) == from_yaml
    assert load_scenario(path) == from_yaml
    assert load_scenario(EXAMPLE.encode()) == from_yaml
    assert load_scenario(example()) == from_yaml


def test_the_example_of_the_format_loads() -> None:
    scenario = load_scenario(EXAMPLE)
    assert (scenario.name, scenario.duration, scenario.seed) == ("node-failure", 900, 42)
    assert scenario.title == {"en": "Node failure and auto-healing"}
    assert [variant.name for variant in scenario.variants] == [
        "no-probes",
        "readiness-and-liveness",
    ]
    assert scenario.events == (
        ScenarioEvent(at=60, action="NodeDown", node="node2"),
        ScenarioEvent(at=600, action="AppHang", pod="web-3"),
    )
    assert scenario.source == example()


def test_a_loaded_scenario_survives_a_round_trip_through_its_source() -> None:
    scenario = load_scenario(EXAMPLE)
    assert load_scenario(yaml.safe_dump(dict(scenario.source), allow_unicode=True)) == scenario


def test_a_utf8_bom_is_accepted() -> None:
    assert load_scenario(b"\xef\xbb\xbf" + MINIMAL.encode()).name == "minimal"


# --- defaults ------------------------------------------------------------------------------------


def test_defaults_of_an_almost_empty_scenario() -> None:
    scenario = load_scenario(MINIMAL)
    (lane,) = scenario.variants
    assert lane.name == "default"
    assert scenario.seed == 0
    assert scenario.title == {"en": "minimal"}
    assert lane.cluster == ClusterSpec()
    assert lane.cluster.nodes == ("node1", "node2", "node3")
    assert lane.service == ServiceSpec(proxy_mode="iptables", publish_not_ready_addresses=False)
    assert lane.traffic == TrafficSpec(requests_per_second=100.0)
    assert lane.behavior == Behavior(image_pull_seconds=2.0, containers={})
    template = lane.workload.template
    assert (template.restart_policy, template.termination_grace_period_seconds) == ("Always", 30)
    assert (lane.workload.kind, lane.workload.name, lane.workload.replicas) == ("Pod", "solo", 1)


def test_probe_defaults_follow_kubernetes() -> None:
    document = example()
    app_container(document)["readinessProbe"] = {
        "tcpSocket": {"port": 8080},
        "periodSeconds": 0,
        "timeoutSeconds": 0,
        "successThreshold": 0,
        "failureThreshold": 0,
    }
    del document["spec"]["variants"]
    probe = load_scenario(document).variants[0].workload.template.containers[0].readiness_probe
    assert probe == Probe(
        handler="tcpSocket",
        port=8080,
        initial_delay_seconds=0,
        period_seconds=10,
        timeout_seconds=1,
        success_threshold=1,
        failure_threshold=3,
    )


@pytest.mark.parametrize(
    ("probe", "expected"),
    [
        ({"httpGet": {"port": "http"}}, Probe(handler="httpGet", port="http", path="/")),
        (
            {"exec": {"command": ["cat", "/tmp/ok"]}},
            Probe(handler="exec", command=("cat", "/tmp/ok")),
        ),
        ({"grpc": {"port": 9090, "service": "health"}}, Probe(handler="grpc", port=9090)),
        (
            {"httpGet": {"path": "/h", "port": 80}, "terminationGracePeriodSeconds": 5},
            Probe(handler="httpGet", port=80, path="/h", termination_grace_period_seconds=5),
        ),
    ],
)
def test_probe_handlers(probe: dict[str, Any], expected: Probe) -> None:
    document = example()
    app_container(document)["livenessProbe"] = probe
    del document["spec"]["variants"]
    container = load_scenario(document).variants[0].workload.template.containers[0]
    assert container.liveness_probe == expected


@pytest.mark.parametrize(
    ("lifecycle", "seconds"),
    [
        ({"preStop": {"sleep": {"seconds": 5}}}, 5.0),
        ({"preStop": {"sleep": {"seconds": 0}}}, 0.0),
        ({"preStop": {"exec": {"command": ["sleep", "7"]}}}, 7.0),
        ({"preStop": {"exec": {"command": ["/bin/sleep", "3"]}}}, 3.0),
        ({"preStop": {"exec": {"command": ["sh", "-c", "sleep 10"]}}}, 10.0),
        ({"preStop": {"exec": {"command": ["/bin/sh", "-c", "sleep 4 && nginx -s quit"]}}}, 4.0),
        ({"preStop": {"exec": {"command": ["nginx", "-s", "quit"]}}}, 0.0),
        ({"preStop": {"httpGet": {"path": "/drain", "port": 8080}}}, 0.0),
        ({"postStart": {"exec": {"command": ["touch", "/ready"]}}}, None),
    ],
)
def test_pre_stop_hooks(lifecycle: dict[str, Any], seconds: float | None) -> None:
    document = example()
    app_container(document)["lifecycle"] = lifecycle
    container = load_scenario(document).variants[0].workload.template.containers[0]
    assert container.pre_stop_seconds == seconds


def test_cluster_nodes_by_name_and_custom_timings() -> None:
    scenario = load_scenario(
        with_spec(
            cluster={
                "nodes": ["worker-a", "worker-b"],
                "nodeMonitorGracePeriod": "40s",
                "tolerationSeconds": "1m",
                "crashLoopBackOff": {"max": "60s"},
            },
            events=[{"at": 10, "action": "NodeDown", "node": "worker-b"}],
        )
    )
    assert scenario.variants[0].cluster == ClusterSpec(
        nodes=("worker-a", "worker-b"),
        node_monitor_grace_period=40,
        toleration_seconds=60,
        crash_loop_backoff=CrashLoopBackOff(initial=10, max=60, reset=600),
    )


# --- durations -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "seconds"),
    [(90, 90), (2.5, 2.5), ("90s", 90), ("5m", 300), ("1h", 3600), ("1m30s", 90), ("1h2m3s", 3723)],
)
def test_durations_as_numbers_or_strings(given: Any, seconds: float) -> None:
    assert load_scenario(with_spec(MINIMAL, duration=given)).duration == seconds


@pytest.mark.parametrize("given", ["90", "5 minutes", "1s30m", "m", "-5s", "", True])
def test_malformed_durations_are_refused(given: Any) -> None:
    with pytest.raises(ScenarioError, match=r"spec\.duration"):
        load_scenario(with_spec(MINIMAL, duration=given))


# --- workloads -----------------------------------------------------------------------------------


def test_a_deployment_rolling_update_and_recreate() -> None:
    document = example()
    document["spec"]["workload"]["spec"]["strategy"] = {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "50%"},
    }
    workload = load_scenario(document).variants[0].workload
    assert (workload.max_surge, workload.max_unavailable) == (1, "50%")
    assert workload.strategy_type == "RollingUpdate"
    document["spec"]["workload"]["spec"]["strategy"] = {"type": "Recreate"}
    workload = load_scenario(document).variants[0].workload
    assert workload.strategy_type == "Recreate"


def test_a_selector_with_match_expressions() -> None:
    document = example()
    document["spec"]["workload"]["spec"]["selector"] = {
        "matchExpressions": [
            {"key": "app", "operator": "In", "values": ["web", "api"]},
            {"key": "tier", "operator": "DoesNotExist"},
        ]
    }
    assert load_scenario(document).variants[0].workload.template.labels == {"app": "web"}


def test_a_job() -> None:
    document = yaml.safe_load(MINIMAL)
    document["spec"]["workload"] = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "report"},
        "spec": {
            "completions": 3,
            "parallelism": 2,
            "backoffLimit": 1,
            "template": {
                "spec": {
                    "restartPolicy": "OnFailure",
                    "initContainers": [{"name": "fetch", "image": "busybox"}],
                    "containers": [{"name": "work", "image": "busybox"}],
                }
            },
        },
    }
    document["spec"]["behavior"] = {"containers": {"work": {"exitAfterSeconds": 30}}}
    workload = load_scenario(document).variants[0].workload
    assert (workload.kind, workload.completions, workload.parallelism) == ("Job", 3, 2)
    assert workload.backoff_limit == 1
    assert workload.template.restart_policy == "OnFailure"
    assert [c.name for c in workload.template.init_containers] == ["fetch"]


def test_a_bare_pod_pinned_to_a_node() -> None:
    document = yaml.safe_load(MINIMAL)
    document["spec"]["workload"]["spec"]["nodeName"] = "node2"
    document["spec"]["workload"]["metadata"]["labels"] = {"app": "solo"}
    template = load_scenario(document).variants[0].workload.template
    assert (template.node_name, dict(template.labels)) == ("node2", {"app": "solo"})


# --- behavior ------------------------------------------------------------------------------------


def test_named_behavior_builds_on_the_star_entry() -> None:
    document = example()
    document["spec"]["behavior"] = {
        "containers": {"app": {"hangAfterSeconds": "2m"}, "*": {"bootSeconds": 15}}
    }
    behavior = load_scenario(document).variants[0].behavior
    assert behavior.for_container("app") == ContainerBehavior(
        boot_seconds=15, hang_after_seconds=120
    )
    assert behavior.for_container("sidecar") == ContainerBehavior(boot_seconds=15)


# --- variants ------------------------------------------------------------------------------------


def test_variant_probes_replace_remove_or_keep() -> None:
    document = example()
    document["spec"]["variants"] = [
        {"name": "as-written"},
        {"name": "no-liveness", "probes": {"livenessProbe": None}},
        {"name": "tcp-readiness", "probes": {"readinessProbe": {"tcpSocket": {"port": 8080}}}},
    ]
    lanes = {
        lane.name: lane.workload.template.containers[0] for lane in load_scenario(document).variants
    }
    written = lanes["as-written"]
    assert written.readiness_probe == Probe(
        handler="httpGet", port=8080, path="/ready", period_seconds=5
    )
    assert written.liveness_probe == Probe(handler="httpGet", port=8080, path="/healthz")
    assert lanes["no-liveness"].liveness_probe is None
    assert lanes["no-liveness"].readiness_probe == written.readiness_probe
    assert lanes["tcp-readiness"].readiness_probe == Probe(handler="tcpSocket", port=8080)
    assert lanes["tcp-readiness"].liveness_probe == written.liveness_probe


def test_variant_probes_apply_to_every_app_container_but_not_init_containers() -> None:
    document = example()
    pod_spec = document["spec"]["workload"]["spec"]["template"]["spec"]
    pod_spec["containers"].append({"name": "sidecar", "image": "envoy"})
    pod_spec["initContainers"] = [{"name": "migrate", "image": "flyway"}]
    document["spec"]["variants"] = [
        {"name": "tcp", "probes": {"readinessProbe": {"tcpSocket": {"port": 1}}}}
    ]
    template = load_scenario(document).variants[0].workload.template
    assert [c.readiness_probe for c in template.containers] == [
        Probe(handler="tcpSocket", port=1)
    ] * 2
    assert template.init_containers[0].readiness_probe is None


def test_variant_overrides_change_only_the_fields_they_give() -> None:
    document = example()
    document["spec"]["variants"] = [
        {"name": "base"},
        {
            "name": "changed",
            "title": {"en": "Changed", "ko": "변경"},
            "cluster": {"tolerationSeconds": 30, "crashLoopBackOff": {"max": 60}},
            "service": {"proxyMode": "ipvs"},
            "traffic": {"requestsPerSecond": 5},
            "behavior": {"containers": {"app": {"handlesSigterm": False}}},
        },
    ]
    base, changed = load_scenario(document).variants
    assert changed.title == {"en": "Changed", "ko": "변경"}
    assert changed.cluster == replace(
        base.cluster,
        toleration_seconds=30,
        crash_loop_backoff=replace(base.cluster.crash_loop_backoff, max=60),
    )
    assert changed.service == replace(base.service, proxy_mode="ipvs")
    assert changed.traffic == TrafficSpec(requests_per_second=5)
    assert changed.behavior.for_container("app") == replace(
        base.behavior.for_container("app"), handles_sigterm=False
    )
    assert changed.workload == base.workload


def test_a_variant_null_clears_a_behavior_time() -> None:
    document = example()
    document["spec"]["behavior"]["containers"]["app"]["hangAfterSeconds"] = 100
    document["spec"]["variants"] = [
        {"name": "hangs"},
        {"name": "never-hangs", "behavior": {"containers": {"app": {"hangAfterSeconds": None}}}},
    ]
    hangs, never = load_scenario(document).variants
    assert hangs.behavior.for_container("app").hang_after_seconds == 100
    assert never.behavior.for_container("app").hang_after_seconds is None
    assert never.behavior.for_container("app").boot_seconds == 20


def test_a_variant_star_behavior_changes_named_containers_too() -> None:
    document = example()
    document["spec"]["variants"] = [
        {"name": "fast", "behavior": {"containers": {"*": {"bootSeconds": 1}}}}
    ]
    assert load_scenario(document).variants[0].behavior.for_container("app").boot_seconds == 1


# --- events and narration ------------------------------------------------------------------------


def test_events_are_sorted_by_time_keeping_the_order_of_equal_times() -> None:
    scenario = load_scenario(
        with_spec(
            events=[
                {"at": "5m", "action": "SetTraffic", "requestsPerSecond": 10},
                {"at": 60, "action": "NodeDown", "node": "node1"},
                {
                    "at": 60,
                    "action": "AppCrash",
                    "pod": "web-2",
                    "exitCode": 137,
                    "container": "app",
                },
                {"at": 0, "action": "Scale", "replicas": 4},
                {"at": 700, "action": "RolloutRestart"},
                {"at": 800, "action": "DeletePod", "pod": "web-12"},
            ]
        )
    )
    assert [(event.at, event.action) for event in scenario.events] == [
        (0, "Scale"),
        (60, "NodeDown"),
        (60, "AppCrash"),
        (300, "SetTraffic"),
        (700, "RolloutRestart"),
        (800, "DeletePod"),
    ]
    crash = scenario.events[2]
    assert (crash.pod, crash.container, crash.exit_code) == ("web-2", "app", 137)
    assert scenario.events[0].replicas == 4
    assert scenario.events[3].requests_per_second == 10


def test_narration_steps_at_times_or_events() -> None:
    scenario = load_scenario(
        with_spec(
            narration=[
                {"at": "1m", "text": {"en": "One minute", "ko": "1분"}},
                {"event": "NodeNotReady", "text": "The node is NotReady"},
            ]
        )
    )
    assert scenario.narration == (
        NarrationStep(text={"en": "One minute", "ko": "1분"}, at=60),
        NarrationStep(text={"en": "The node is NotReady"}, event="NodeNotReady"),
    )


# --- overrides -----------------------------------------------------------------------------------


def test_overrides_change_seed_and_duration_and_drop_what_falls_after() -> None:
    scenario = load_scenario(
        with_spec(
            narration=[
                {"at": 0, "text": "start"},
                {"at": 700, "text": "late"},
                {"event": "Killing", "text": "k"},
            ]
        )
    )
    shorter = with_overrides(scenario, seed=7, duration="5m")
    assert (shorter.seed, shorter.duration) == (7, 300)
    assert [event.at for event in shorter.events] == [60]
    assert [step.text["en"] for step in shorter.narration] == ["start", "k"]
    assert with_overrides(scenario) == scenario


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"seed": -1}, "--seed: Invalid value: -1: must be greater than or equal to 0"),
        ({"duration": 0}, "--duration: Invalid value: 0: must be greater than 0"),
        ({"duration": "3h"}, '--duration: Invalid value: "3h": must be less than or equal to 7200'),
        ({"duration": "soon"}, '--duration: Invalid value: "soon": must be a number of seconds'),
    ],
)
def test_invalid_overrides(overrides: dict[str, Any], expected: str) -> None:
    with pytest.raises(ScenarioError) as raised:
        with_overrides(load_scenario(EXAMPLE), **overrides)
    assert str(raised.value).startswith(expected)


# --- limits --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "accepted"),
    [
        ({"duration": 7200}, True),
        ({"duration": 7201}, False),
        ({"traffic": {"requestsPerSecond": 10_000}}, True),
        ({"traffic": {"requestsPerSecond": 10_001}}, False),
        ({"cluster": {"nodes": 50}}, True),
        ({"cluster": {"nodes": 51}}, False),
        ({"variants": [{"name": f"v{i}"} for i in range(6)]}, True),
        ({"variants": [{"name": f"v{i}"} for i in range(7)]}, False),
        (
            {
                "events": [
                    {"at": i, "action": "SetTraffic", "requestsPerSecond": 1} for i in range(500)
                ]
            },
            True,
        ),
        (
            {
                "events": [
                    {"at": i, "action": "SetTraffic", "requestsPerSecond": 1} for i in range(501)
                ]
            },
            False,
        ),
    ],
)
def test_limits_are_inclusive(spec: dict[str, Any], accepted: bool) -> None:
    document = with_spec(**spec)
    if accepted:
        load_scenario(document)
    else:
        with pytest.raises(ScenarioError, match=r"simulator limit|must have at most"):
            load_scenario(document)


@pytest.mark.parametrize(("replicas", "accepted"), [(250, True), (251, False)])
def test_replica_limit(replicas: int, accepted: bool) -> None:
    document = example()
    document["spec"]["workload"]["spec"]["replicas"] = replicas
    document["spec"]["duration"] = 600  # within the run budget with 250 pods and 2 variants
    if accepted:
        assert load_scenario(document).variants[0].workload.replicas == replicas
    else:
        with pytest.raises(
            ScenarioError, match="must be less than or equal to 250 \\(simulator limit\\)"
        ):
            load_scenario(document)


def test_the_complete_example_of_the_user_reference_is_valid() -> None:
    reference = (Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md").read_text()
    example_text = reference.split("```yaml\n", 1)[1].split("```", 1)[0]
    scenario = load_scenario(example_text)
    assert [variant.name for variant in scenario.variants] == [
        "no-probes",
        "as-written",
        "slow-control-plane",
    ]
    assert scenario.duration == 900
    assert scenario.events[1].at == 600


def test_the_run_budget_counts_pods_seconds_and_variants() -> None:
    document = example()
    document["spec"]["workload"]["spec"]["replicas"] = 250
    document["spec"]["variants"] = [{"name": f"v{i}"} for i in range(6)]
    document["spec"]["events"] = []
    document["spec"]["duration"] = 200
    assert load_scenario(document).duration == 200
    document["spec"]["duration"] = 201
    with pytest.raises(ScenarioError) as raised:
        load_scenario(document)
    assert str(raised.value) == (
        "spec.duration: Invalid value: 201: with 250 pods and 6 variants, must be less than or "
        "equal to 200 (simulator limit: 300000 pod-seconds per run)"
    )


def test_the_run_budget_counts_the_pods_a_scale_event_adds() -> None:
    document = with_spec(events=[{"at": 10, "action": "Scale", "replicas": 250}])
    with pytest.raises(ScenarioError, match="with 250 pods and 2 variants, must be less than or"):
        load_scenario(document)


def test_a_longer_duration_given_on_the_command_line_must_fit_the_budget_too() -> None:
    document = example()
    document["spec"]["workload"]["spec"]["replicas"] = 100
    scenario = load_scenario(document)
    assert with_overrides(scenario, duration=1500).duration == 1500
    with pytest.raises(ScenarioError, match=r"^--duration: Invalid value: 1501: with 100 pods"):
        with_overrides(scenario, duration=1501)


def test_a_backoff_cap_below_the_initial_wait_is_accepted() -> None:
    # KubeletCrashLoopBackOffMax: the kubelet then waits the cap from the first restart on.
    document = with_spec(cluster={"crashLoopBackOff": {"max": 5}})
    backoff = load_scenario(document).variants[0].cluster.crash_loop_backoff
    assert (backoff.initial, backoff.max) == (10, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: " + "[" * 5000 + "]" * 5000, "nested more than 100 levels deep"),
        ("- " * 50_000 + "x", "nested more than 100 levels deep"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n"
                for i in range(8)
            ),
            "once aliases are expanded",
        ),
        ("spec: !!int abc", "cannot read this YAML"),
        ("when: 2001-13-45", "cannot read this YAML"),
        ("name: \udcff", "not UTF-8 text"),
    ],
)
def test_hostile_yaml_is_refused_with_a_problem_not_a_crash(text, expected):
    with pytest.raises(ScenarioError) as refused:
        load_scenario(text)
    assert expected in str(refused.value)
