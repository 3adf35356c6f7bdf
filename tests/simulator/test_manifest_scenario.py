"""A scenario document built around a pasted manifest: it loads, keeps the manifest, and tells the
story (a node failure, a hung app, three probe setups) on the real engine."""

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.simulation import run_scenario
from simulator.scenario.loader import load_scenario
from simulator.scenario.pasted_manifest import scenario_from_manifest
from simulator.scenario.run_budget import MAX_POD_SECONDS
from simulator.scenario.source.limits import (
    MAX_EXPANDED_NODES,
    MAX_NESTING_DEPTH,
    yaml_shape_problem,
)
from simulator.scenario.validation import ScenarioError

REALISTIC_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
  uid: 5f1c2a9e-0000-4000-8000-000000000001
  resourceVersion: "48213"
  generation: 3
  creationTimestamp: "2025-01-05T10:00:00Z"
  labels: {app: checkout, tier: backend}
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"apps/v1"}'
    deployment.kubernetes.io/revision: "3"
    team: payments
  managedFields:
  - {manager: kubectl, operation: Update}
spec:
  replicas: 3
  revisionHistoryLimit: 5
  selector:
    matchLabels: {app: checkout}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  template:
    metadata:
      labels: {app: checkout, tier: backend}
    spec:
      serviceAccountName: checkout
      securityContext: {runAsNonRoot: true, runAsUser: 10001, fsGroup: 2000}
      volumes:
      - name: config
        configMap: {name: checkout-config}
      - name: tmp
        emptyDir: {}
      containers:
      - name: checkout
        image: registry.example.com/shop/checkout:2.7.1
        imagePullPolicy: IfNotPresent
        args: ["--port=8080", "--metrics-port=9090"]
        ports:
        - {name: http, containerPort: 8080}
        - {name: metrics, containerPort: 9090}
        env:
        - {name: DB_HOST, value: postgres.shop.svc}
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: checkout-db, key: password}}
        resources:
          requests: {cpu: 250m, memory: 256Mi}
          limits: {cpu: "1", memory: 512Mi}
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
        volumeMounts:
        - {name: config, mountPath: /etc/checkout, readOnly: true}
        - {name: tmp, mountPath: /tmp}
        readinessProbe:
          httpGet: {path: /ready, port: http}
          periodSeconds: 5
          failureThreshold: 2
        livenessProbe:
          httpGet: {path: /healthz, port: http}
          initialDelaySeconds: 15
          periodSeconds: 20
status:
  replicas: 3
  readyReplicas: 3
"""

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: debug-shell, labels: {app: debug}}
spec:
  containers:
  - name: shell
    image: busybox:1.36
    command: ["sh", "-c", "httpd -f -p 8080"]
    livenessProbe: {tcpSocket: {port: 8080}}
"""

JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: reindex}
spec:
  parallelism: 2
  completions: 4
  backoffLimit: 2
  template:
    spec:
      restartPolicy: OnFailure
      initContainers:
      - {name: wait-for-db, image: busybox:1.36}
      containers:
      - name: worker
        image: registry.example.com/search/reindex:5
        ports: [{containerPort: 7000}]
"""

SERVICE_AND_DEPLOYMENT = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {LOG_LEVEL: info}
---
apiVersion: v1
kind: Service
metadata: {name: other}
spec:
  selector: {app: other}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  publishNotReadyAddresses: true
  ports: [{port: 80, targetPort: 8080}]
---
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
      - {name: app, image: nginx:1.27, ports: [{containerPort: 8080}]}
"""


def document_of(text, **options):
    built = scenario_from_manifest(text, **options)
    return built, yaml.safe_load(built.text)


def variant(document, name):
    return next(v for v in document["spec"]["variants"] if v["name"] == name)


def test_a_realistic_deployment_gives_a_loadable_scenario_that_keeps_the_manifest():
    built, document = document_of(REALISTIC_DEPLOYMENT)
    scenario = load_scenario(built.text)
    pasted = yaml.safe_load(REALISTIC_DEPLOYMENT)
    workload = document["spec"]["workload"]
    assert (built.workload_kind, built.workload_name) == ("Deployment", "checkout")
    assert scenario.name == "checkout"
    # The fields the simulator does not model are kept as written.
    assert workload["spec"]["template"] == pasted["spec"]["template"]
    assert workload["spec"]["strategy"] == pasted["spec"]["strategy"]
    # What the API server filled in is gone; what the author wrote stays.
    assert "status" not in workload
    for field in ("uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"):
        assert field not in workload["metadata"]
    assert workload["metadata"]["annotations"] == {"team": "payments"}
    assert workload["metadata"]["namespace"] == "shop"


def test_the_scenario_has_three_nodes_a_node_failure_then_a_hang_and_three_lanes():
    built = scenario_from_manifest(REALISTIC_DEPLOYMENT)
    scenario = load_scenario(built.text)
    assert scenario.variants[0].cluster.nodes == ("node1", "node2", "node3")
    node_down, hang = scenario.events
    assert (node_down.action, node_down.node) == ("NodeDown", "node2")
    assert (hang.action, hang.pod) == ("AppHang", "checkout-1")
    # The hang comes after the dead node's pods were evicted and replaced (grace + toleration).
    grace = scenario.variants[0].cluster.node_monitor_grace_period
    toleration = scenario.variants[0].cluster.toleration_seconds
    assert node_down.at + grace + toleration < hang.at < scenario.duration
    assert [v.name for v in scenario.variants] == [
        "as-written",
        "no-probes",
        "kubernetes-defaults",
    ]


def test_the_three_lanes_compare_the_manifest_probes_none_and_kubernetes_defaults():
    built, document = document_of(REALISTIC_DEPLOYMENT)
    scenario = load_scenario(built.text)
    lanes = {v.name: v.workload.template.containers[0] for v in scenario.variants}
    assert "probes" not in variant(document, "as-written")
    assert lanes["as-written"].readiness_probe.period_seconds == 5
    assert lanes["as-written"].liveness_probe.initial_delay_seconds == 15
    none = lanes["no-probes"]
    assert (none.readiness_probe, none.liveness_probe, none.startup_probe) == (None, None, None)
    defaults = lanes["kubernetes-defaults"]
    for probe in (defaults.readiness_probe, defaults.liveness_probe):
        # The manifest's own check, with every timing left to Kubernetes' defaults.
        assert (probe.handler, probe.path, probe.port) == ("httpGet", "/ready", "http")
        assert (probe.initial_delay_seconds, probe.period_seconds, probe.timeout_seconds) == (
            0,
            10,
            1,
        )
        assert (probe.success_threshold, probe.failure_threshold) == (1, 3)


def test_on_the_engine_only_a_liveness_probe_restarts_the_hung_app():
    built, _ = document_of(SERVICE_AND_DEPLOYMENT.replace("publishNotReadyAddresses: true", ""))
    results = run_scenario(load_scenario(built.text))
    lanes = {lane["name"]: lane for lane in results["variants"]}
    hung = "web-1"

    def restarts(lane):
        return next(pod["restarts"] for pod in lane["pods"] if pod["name"] == hung)

    assert restarts(lanes["no-probes"]) == 0
    assert restarts(lanes["kubernetes-defaults"]) >= 1
    served_500 = {
        name: lane["totals"]["errorsByCause"]["ServerError"] for name, lane in lanes.items()
    }
    assert served_500["kubernetes-defaults"] < served_500["no-probes"]
    # Booting under Kubernetes' default liveness timings does not restart anything.
    defaults_pods = lanes["kubernetes-defaults"]["pods"]
    assert all(pod["restarts"] == 0 for pod in defaults_pods if pod["name"] != hung)


def test_a_pod_hangs_first_then_its_node_dies():
    built = scenario_from_manifest(POD)
    scenario = load_scenario(built.text)
    hang, node_down = scenario.events
    assert (hang.action, hang.pod) == ("AppHang", "debug-shell")
    assert (node_down.action, node_down.node) == ("NodeDown", "node1")
    assert hang.at < node_down.at < scenario.duration


def test_a_tcp_only_manifest_gets_an_http_check_of_the_same_port_in_the_defaults_lane():
    _, document = document_of(POD)
    probes = variant(document, "kubernetes-defaults")["probes"]
    expected = {"httpGet": {"path": "/", "port": 8080}}
    assert probes == {"readinessProbe": expected, "livenessProbe": expected}


def test_a_job_gets_work_that_ends_and_init_containers_that_finish():
    built = scenario_from_manifest(JOB)
    scenario = load_scenario(built.text)
    behavior = scenario.variants[0].behavior
    assert behavior.for_container("worker").exit_after_seconds is not None
    assert behavior.for_container("worker").exit_code == 0
    assert behavior.for_container("wait-for-db").exit_after_seconds is not None
    node_down, hang = scenario.events
    assert (node_down.node, hang.pod) == ("node2", "reindex-1")
    results = run_scenario(scenario)
    statuses = {pod["status"] for pod in results["variants"][0]["pods"]}
    assert "Completed" in statuses


def test_a_lone_replica_is_replaced_and_its_replacement_hangs():
    text = SERVICE_AND_DEPLOYMENT.replace("replicas: 2", "replicas: 1")
    scenario = load_scenario(scenario_from_manifest(text).text)
    node_down, hang = scenario.events
    assert (node_down.node, hang.pod) == ("node1", "web-2")


def test_the_service_that_selects_the_workload_gives_publish_not_ready_addresses():
    built, document = document_of(SERVICE_AND_DEPLOYMENT)
    assert document["spec"]["service"]["publishNotReadyAddresses"] is True
    assert load_scenario(built.text).variants[0].service.publish_not_ready_addresses is True
    assert any("ConfigMap/web-config" in note for note in built.notes)
    assert any("Service/web" in note for note in built.notes)


def test_without_a_service_publish_not_ready_addresses_is_false():
    _, document = document_of(POD)
    assert document["spec"]["service"]["publishNotReadyAddresses"] is False


def test_a_kubectl_json_list_is_unpacked():
    listing = {
        "apiVersion": "v1",
        "kind": "List",
        "items": [yaml.safe_load(doc) for doc in SERVICE_AND_DEPLOYMENT.split("---\n")],
    }
    built, document = document_of(json.dumps(listing))
    assert built.workload_kind == "Deployment"
    assert document["spec"]["service"]["publishNotReadyAddresses"] is True


def test_a_pinned_workload_keeps_its_node_and_loses_it_last():
    text = POD.replace("spec:\n  containers:", "spec:\n  nodeName: worker-7\n  containers:")
    scenario = load_scenario(scenario_from_manifest(text).text)
    assert scenario.variants[0].cluster.nodes == ("worker-7", "node2", "node3")
    assert scenario.events[-1].node == "worker-7"


def test_many_replicas_shorten_the_run_to_the_budget_keeping_both_events():
    text = SERVICE_AND_DEPLOYMENT.replace("replicas: 2", "replicas: 200")
    scenario = load_scenario(scenario_from_manifest(text).text)
    assert 200 * scenario.duration * len(scenario.variants) <= MAX_POD_SECONDS
    assert [event.action for event in scenario.events] == ["NodeDown", "AppHang"]
    assert all(0 < event.at < scenario.duration for event in scenario.events)


def test_the_name_is_made_valid_or_given():
    dotted = SERVICE_AND_DEPLOYMENT.replace(
        "metadata: {name: web}\nspec:\n  replicas", "metadata: {name: Web.V2}\nspec:\n  replicas"
    )
    assert yaml.safe_load(scenario_from_manifest(dotted).text)["metadata"]["name"] == "web-v2"
    _, document = document_of(POD, name="my-try")
    assert document["metadata"]["name"] == "my-try"


def test_a_name_with_line_breaks_stays_inside_the_header_comment():
    text = POD.replace("name: debug-shell", 'name: "x\\nextra: injected"')
    _, document = document_of(text)
    assert "extra" not in document
    assert document["spec"]["workload"]["metadata"]["name"] == "x\nextra: injected"


def test_a_manifest_the_simulator_refuses_still_gives_a_document_that_names_the_problem():
    text = SERVICE_AND_DEPLOYMENT.replace("replicas: 2", "replicas: 300")
    built = scenario_from_manifest(text)
    with pytest.raises(ScenarioError) as refused:
        load_scenario(built.text)
    assert "spec.workload.spec.replicas" in {problem.path for problem in refused.value.problems}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("}{ not: yaml", "YAML syntax error"),
        ("kind: Service\nmetadata: {name: web}\n", "found: Service/web"),
        ("", "found: nothing"),
        ("- just\n- a list\n", "found: nothing"),
        ("port: !!int eighty", "YAML syntax error"),
        ("created: 2001-13-45", "YAML syntax error"),
        ("&list {kind: List, items: [*list]}", "found: nothing"),
    ],
)
def test_text_without_a_workload_is_refused_with_a_reason(text, expected):
    with pytest.raises(ScenarioError) as refused:
        scenario_from_manifest(text)
    assert expected in str(refused.value)


def test_a_syntax_error_is_placed_at_its_line_and_column():
    with pytest.raises(ScenarioError) as refused:
        scenario_from_manifest("kind: Pod\nmetadata: {name: [unclosed\n")
    (problem,) = refused.value.problems
    assert problem.line is not None and problem.line >= 2


def test_nesting_deep_enough_to_crash_the_yaml_parser_is_refused_where_it_crosses_the_limit():
    text = "[" * 50_000 + "]" * 50_000
    problem = yaml_shape_problem(text)
    assert problem is not None and problem.column == MAX_NESTING_DEPTH + 1
    with pytest.raises(ScenarioError, match="nested more than"):
        scenario_from_manifest(text)
    assert yaml_shape_problem("- " * 50_000 + "x") is not None


def test_an_alias_bomb_is_refused():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(ScenarioError, match=str(MAX_EXPANDED_NODES)):
        scenario_from_manifest("\n".join(lines))


def test_ordinary_aliases_pass_the_shape_check():
    assert yaml_shape_problem(SERVICE_AND_DEPLOYMENT) is None
    assert yaml_shape_problem("base: &b {a: 1}\nuse: {<<: *b, c: 2}\n") is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_document_or_a_scenario_error(text):
    try:
        built = scenario_from_manifest(text)
    except ScenarioError as error:
        assert error.problems
    else:
        assert built.text.startswith("# A scenario built around")


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_manifests_give_a_document_or_a_scenario_error(data):
    text = REALISTIC_DEPLOYMENT
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 40)))
        inserted = data.draw(st.sampled_from(["", "{", "]", ": ", "\n- ", "&a ", "*a", "!!int x"]))
        text = text[:start] + inserted + text[end:]
    try:
        built = scenario_from_manifest(text)
    except ScenarioError as error:
        assert error.problems
    else:
        assert yaml.safe_load(built.text)["kind"] == "Scenario"


# --- the whole manifest: Services, several workloads, sidecars, what cannot be judged ---------

PETCLINIC = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: petclinic}
spec:
  replicas: 2
  selector: {matchLabels: {app: petclinic}}
  template:
    metadata: {labels: {app: petclinic}}
    spec:
      containers:
      - name: petclinic
        image: springcommunity/spring-petclinic:3
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /readyz, port: http}}
---
apiVersion: v1
kind: Service
metadata: {name: petclinic}
spec:
  selector: {app: petclini}
  ports: [{port: 80, targetPort: http}]
"""


def test_a_service_that_selects_nothing_runs_without_endpoints():
    """docs/kubernetes-model.md §4.5: no pod matches, no endpoint, every request refused."""
    built, document = document_of(PETCLINIC)
    assert document["spec"]["service"]["selector"] == {"app": "petclini"}
    assert document["spec"]["service"]["ports"] == [{"port": 80, "targetPort": "http"}]
    assert built.cannot_judge == ()
    results = run_scenario(load_scenario(built.text))
    for lane in results["variants"]:
        totals = lane["totals"]
        assert totals["errors"] == totals["errorsByCause"]["NoEndpoints"] == totals["requests"]


def test_the_workload_a_service_selects_runs_and_the_others_cannot_be_judged():
    text = (
        PETCLINIC.replace("app: petclini}", "app: visits}")
        + "---\n"
        + PETCLINIC.split("---")[0]
        .replace("petclinic", "visits")
        .replace("spring-visits:3", "visits:1")
        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
    )
    built, document = document_of(text)
    assert document["spec"]["workload"]["metadata"]["name"] == "visits"
    assert built.cannot_judge == (
        "cannot judge: Deployment/petclinic (a scenario runs one workload behind one Service)"
        " is not modelled",
    )
    assert built.cannot_judge[0] in built.notes
    assert any("ConfigMap/settings" in note for note in built.notes)
    totals = run_scenario(load_scenario(built.text))["variants"][0]["totals"]
    assert totals["errorsByCause"]["NoEndpoints"] < totals["requests"]


SIDECAR = """\
apiVersion: batch/v1
kind: Job
metadata: {name: myjob}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: myjob, image: alpine:latest}
      initContainers:
      - {name: logshipper, image: alpine:latest, restartPolicy: Always}
      - {name: migrate, image: alpine:latest}
"""


def test_a_native_sidecar_is_assumed_to_run_for_the_pods_life():
    """docs/kubernetes-model.md §1.9: an init container with restartPolicy Always is a sidecar;
    it never completes, unlike a regular init container."""
    built = scenario_from_manifest(SIDECAR)
    behavior = load_scenario(built.text).variants[0].behavior
    assert behavior.for_container("logshipper").exit_after_seconds is None
    assert behavior.for_container("migrate").exit_after_seconds == 3
    assert behavior.for_container("myjob").exit_after_seconds is not None
    lane = run_scenario(load_scenario(built.text))["variants"][0]
    statuses = {row["status"] for pod in lane["pods"] for row in pod["history"]}
    assert "Init:CrashLoopBackOff" not in statuses and "Running" in statuses
    assert not [e for e in lane["events"] if e["reason"] == "BackOff"]
    # The first pod ran 2/2 (app and sidecar) until its node's failure evicted it.
    first = lane["pods"][0]
    assert "2/2" in {row["ready"] for row in first["history"]}
    sidecar, migrate = first["initContainers"]
    assert (sidecar["name"], sidecar["state"], sidecar["restartCount"]) == (
        "logshipper",
        "Running",
        0,
    )
    assert (migrate["state"], migrate["reason"]) == ("Terminated", "Completed")


def test_an_outcome_deciding_field_that_is_not_modelled_cannot_be_judged():
    text = REALISTIC_DEPLOYMENT.replace(
        "      serviceAccountName: checkout\n",
        "      serviceAccountName: checkout\n      activeDeadlineSeconds: 600\n",
    )
    built = scenario_from_manifest(text)
    assert (
        "cannot judge: Deployment/checkout spec.template.spec.activeDeadlineSeconds is not modelled"
        in built.cannot_judge
    )


def test_a_statefulset_is_imported_and_its_story_names_pods_by_ordinal():
    text = (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 2\n"
        "  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n"
        "    metadata: {labels: {app: db}}\n    spec:\n      containers:\n"
        "      - {name: db, image: postgres:17}\n"
    )
    built = scenario_from_manifest(text)
    scenario = load_scenario(built.text)
    node_down, hang = scenario.events
    assert (node_down.node, hang.pod) == ("node2", "db-0")
    pods = run_scenario(scenario)["variants"][0]["pods"]
    assert [pod["name"] for pod in pods][:2] == ["db-0", "db-1"]


def test_a_disruption_budget_of_the_workload_takes_part_in_a_drain():
    """docs/kubernetes-model.md §8.11: the imported budget blocks a drain it does not allow."""
    text = (
        SERVICE_AND_DEPLOYMENT
        + "\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\n"
        "spec: {minAvailable: 2, selector: {matchLabels: {app: web}}}\n"
        "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: odd}\n"
        "spec: {maxUnavailable: 1, unhealthyPodEvictionPolicy: AlwaysAllow,"
        " selector: {matchLabels: {app: web}}}\n"
    )
    built, document = document_of(text)
    (budget,) = document["spec"]["podDisruptionBudgets"]
    assert budget["metadata"]["name"] == "web" and budget["spec"]["minAvailable"] == 2
    assert (
        "cannot judge: PodDisruptionBudget/odd spec.unhealthyPodEvictionPolicy is not modelled"
        in built.cannot_judge
    )
    document["spec"]["events"] = [{"at": 60, "action": "DrainNode", "node": "node1"}]
    document["spec"]["variants"] = document["spec"]["variants"][:1]
    lane = run_scenario(load_scenario(document))["variants"][0]
    assert any(e["reason"] == "EvictionBlocked" for e in lane["events"])
