"""Every validation rule of the scenario format, one row each, in the API server's phrasing."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.scenario.loader import ScenarioError, load_scenario

VALID = """
apiVersion: podviz/v1
kind: Scenario
metadata:
  name: rules
  title: {en: Rules, ko: 규칙}
spec:
  duration: 300
  seed: 1
  cluster: {nodes: 3}
  traffic: {requestsPerSecond: 10}
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
            readinessProbe: {httpGet: {path: /ready, port: 8080}}
            livenessProbe: {httpGet: {path: /healthz, port: 8080}}
  behavior:
    containers:
      app: {bootSeconds: 5}
  events:
  - {at: 60, action: NodeDown, node: node2}
  variants:
  - name: probes
  narration:
  - {at: 0, text: {en: Start, ko: 시작}}
"""


class _Delete:
    """The value that removes a field; its repr names it, so test ids are the same in every
    process (pytest-xdist compares the ids its workers collect)."""

    def __repr__(self) -> str:
        return "DELETE"


DELETE = _Delete()
CONTAINER = "spec.workload.spec.template.spec.containers[0]"
POD_SPEC = "spec.workload.spec.template.spec"


def document() -> dict[str, Any]:
    return yaml.safe_load(VALID)


def changed(*changes: tuple[str, Any]) -> dict[str, Any]:
    """The valid document with values set (or removed, with DELETE) at dotted paths."""
    doc = document()
    for path, value in changes:
        doc = apply(doc, path, value)
    return doc


def apply(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
    parent = doc
    for part in parts[:-1]:
        parent = parent[part]
    if value is DELETE:
        del parent[parts[-1]]
    else:
        parent[parts[-1]] = value
    return doc


def problems_of(source: Any) -> list[str]:
    """Every problem of an invalid source as ``path: message``."""
    with pytest.raises(ScenarioError) as raised:
        load_scenario(source)
    return [f"{problem.path}: {problem.message}" for problem in raised.value.problems]


ANY_PATH = ""
# A row's expected problem: its message (the problem is at the changed path), or a pair
# (path of the problem, message); messages may stop short of their end.
Expected = str | tuple[str, str]


def assert_reported(problems: list[str], expected: str) -> None:
    assert any(problem.startswith(expected) for problem in problems), problems


def test_the_base_document_is_valid() -> None:
    assert load_scenario(document()).name == "rules"


RULES = [
    ("apiVersion", "podviz/v2", 'Unsupported value: "podviz/v2": supported values: "podviz/v1"'),
    ("kind", "Scenarios", 'Unsupported value: "Scenarios": supported values: "Scenario"'),
    ("apiVersion", DELETE, 'Required value: supported values: "podviz/v1"'),
    ("extra", 1, 'Unknown field: supported fields: "apiVersion", "kind", "metadata", "spec"'),
    ("metadata.name", "Bad_Name", 'Invalid value: "Bad_Name": must match [a-z0-9-]{1,63}'),
    (
        "metadata.name",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        (ANY_PATH, "must match [a-z0-9-]{1,63}"),
    ),
    ("metadata.name", DELETE, "Required value"),
    ("metadata.labels", {}, 'Unknown field: supported fields: "description", "name", "title"'),
    (
        "metadata.title",
        {"ko": "규칙"},
        ("metadata.title.en", "Required value: English is the fallback"),
    ),
    (
        "metadata.title",
        {"english": "x", "en": "y"},
        ("metadata.title.english", 'Invalid value: "english": must be a language tag'),
    ),
    ("metadata.description", 5, "Invalid value: 5: must be a mapping"),
    ("spec.trafic", {}, 'Unknown field: did you mean "traffic"?'),
    ("spec.duration", DELETE, "Required value"),
    ("spec.duration", 0, "Invalid value: 0: must be greater than 0"),
    (
        "spec.duration",
        "ten",
        'Invalid value: "ten": must be a number of seconds or a duration such as "90s"',
    ),
    (
        "spec.duration",
        7201,
        "Invalid value: 7201: must be less than or equal to 7200 (simulator limit)",
    ),
    (
        "spec.duration",
        "3h",
        'Invalid value: "3h": must be less than or equal to 7200 (simulator limit)',
    ),
    ("spec.seed", -1, "Invalid value: -1: must be greater than or equal to 0"),
    ("spec.seed", 1.5, "Invalid value: 1.5: must be an integer"),
    ("spec.seed", True, "Invalid value: true: must be an integer"),
    ("spec.cluster.nodes", 0, "Invalid value: 0: must be greater than or equal to 1"),
    (
        "spec.cluster.nodes",
        51,
        "Invalid value: 51: must be less than or equal to 50 (simulator limit)",
    ),
    (
        "spec.cluster.nodes",
        [f"n{i}" for i in range(51)],
        "Too many: 51: must have at most 50 items",
    ),
    ("spec.cluster.nodes", ["a", "a", "node2"], ("spec.cluster.nodes[1]", 'Duplicate value: "a"')),
    (
        "spec.cluster.nodes",
        ["Node_1", "node2"],
        ("spec.cluster.nodes[0]", 'Invalid value: "Node_1": a lowercase RFC 1123 subdomain'),
    ),
    (
        "spec.cluster.nodes",
        "three",
        'Invalid value: "three": must be a number of nodes or a list of node names',
    ),
    ("spec.cluster.nodeMonitorGracePeriod", 0, "Invalid value: 0: must be greater than 0"),
    ("spec.cluster.tolerationSeconds", -5, "Invalid value: -5: must be greater than or equal to 0"),
    (
        "spec.cluster.endpointPropagation",
        "soon",
        'Invalid value: "soon": must be a number of seconds',
    ),
    (
        "spec.cluster.crashLoopBackOff",
        {"inital": 10},
        ("spec.cluster.crashLoopBackOff.inital", 'Unknown field: did you mean "initial"?'),
    ),
    ("spec.cluster.zones", 2, "Unknown field"),
    (
        "spec.service",
        {"proxyMode": "foo"},
        (
            "spec.service.proxyMode",
            'Unsupported value: "foo": supported values: "iptables", "ipvs", "nftables"',
        ),
    ),
    (
        "spec.service",
        {"publishNotReadyAddresses": "yes please"},
        (
            "spec.service.publishNotReadyAddresses",
            'Invalid value: "yes please": must be true or false',
        ),
    ),
    ("spec.traffic.requestsPerSecond", -1, "Invalid value: -1: must be greater than or equal to 0"),
    (
        "spec.traffic.requestsPerSecond",
        10001,
        "Invalid value: 10001: must be less than or equal to 10000 (simulator limit)",
    ),
    ("spec.traffic.requestsPerSecond", "many", 'Invalid value: "many": must be a number'),
    ("spec.workload", DELETE, "Required value"),
    (
        "spec.workload.kind",
        "DaemonSet",
        'Unsupported value: "DaemonSet": supported values: "Deployment", "Job", "Pod", '
        '"StatefulSet"',
    ),
    (
        "spec.workload.apiVersion",
        "extensions/v1beta1",
        'Unsupported value: "extensions/v1beta1": supported values: "apps/v1"',
    ),
    ("spec.workload.metadata.name", DELETE, "Required value"),
    ("spec.workload.metadata.name", "Web", 'Invalid value: "Web": a lowercase RFC 1123 subdomain'),
    ("spec.workload.spec", DELETE, "Required value"),
    ("spec.workload.spec.replicas", -1, "Invalid value: -1: must be greater than or equal to 0"),
    (
        "spec.workload.spec.replicas",
        251,
        "Invalid value: 251: must be less than or equal to 250 (simulator limit)",
    ),
    ("spec.workload.spec.replicas", "2", 'Invalid value: "2": must be an integer'),
    ("spec.workload.spec.selector", DELETE, "Required value"),
    (
        "spec.workload.spec.selector",
        {},
        "Invalid value: {}: empty selector is invalid for deployment",
    ),
    (
        "spec.workload.spec.selector.matchLabels.app",
        "api",
        (
            "spec.workload.spec.template.metadata.labels",
            'Invalid value: {"app":"web"}: `selector` does not match template `labels`',
        ),
    ),
    (
        "spec.workload.spec.selector",
        {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]},
        (ANY_PATH, "`selector` does not match template `labels`"),
    ),
    (
        "spec.workload.spec.selector",
        {"matchExpressions": [{"key": "app", "operator": "In"}]},
        (
            "spec.workload.spec.selector.matchExpressions[0].values",
            "Required value: must be specified when `operator` is 'In' or 'NotIn'",
        ),
    ),
    (
        "spec.workload.spec.selector",
        {"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["x"]}]},
        (
            "spec.workload.spec.selector.matchExpressions[0].values",
            "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ),
    ),
    (
        "spec.workload.spec.selector",
        {"matchExpressions": [{"key": "app", "operator": "Is"}]},
        ("spec.workload.spec.selector.matchExpressions[0].operator", 'Unsupported value: "Is"'),
    ),
    (
        "spec.workload.spec.template.metadata.labels.version",
        2,
        (
            "spec.workload.spec.template.metadata.labels[version]",
            "Invalid value: 2: must be a string",
        ),
    ),
    ("spec.workload.spec.template", DELETE, "Required value"),
    (
        "spec.workload.spec.strategy",
        {"type": "BlueGreen"},
        (
            "spec.workload.spec.strategy.type",
            'Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"',
        ),
    ),
    (
        "spec.workload.spec.strategy",
        {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}},
        (
            "spec.workload.spec.strategy.rollingUpdate",
            "Forbidden: may not be specified when strategy `type` is 'Recreate'",
        ),
    ),
    (
        "spec.workload.spec.strategy",
        {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}},
        (
            "spec.workload.spec.strategy.rollingUpdate.maxUnavailable",
            "Invalid value: 0: may not be 0 when `maxSurge` is 0",
        ),
    ),
    (
        "spec.workload.spec.strategy",
        {"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": "0%"}},
        (
            "spec.workload.spec.strategy.rollingUpdate.maxUnavailable",
            'Invalid value: "0%": may not be 0 when `maxSurge` is 0',
        ),
    ),
    (
        "spec.workload.spec.strategy",
        {"rollingUpdate": {"maxUnavailable": "150%"}},
        (
            "spec.workload.spec.strategy.rollingUpdate.maxUnavailable",
            'Invalid value: "150%": must not be greater than 100%',
        ),
    ),
    (
        "spec.workload.spec.strategy",
        {"rollingUpdate": {"maxSurge": "ten"}},
        (
            "spec.workload.spec.strategy.rollingUpdate.maxSurge",
            'Invalid value: "ten": a valid percent string must be',
        ),
    ),
    (
        "spec.workload.spec.strategy",
        {"rollingUpdate": {"maxSurge": -1}},
        (
            "spec.workload.spec.strategy.rollingUpdate.maxSurge",
            "Invalid value: -1: must be greater than or equal to 0",
        ),
    ),
    (
        f"{POD_SPEC}.restartPolicy",
        "Never",
        'Unsupported value: "Never": supported values: "Always"',
    ),
    (
        f"{POD_SPEC}.terminationGracePeriodSeconds",
        -1,
        "Invalid value: -1: must be greater than or equal to 0",
    ),
    (f"{POD_SPEC}.containers", [], "Required value"),
    (
        f"{POD_SPEC}.containers",
        [{"name": f"c{i}", "image": "x"} for i in range(11)],
        "Too many: 11: must have at most 10 items",
    ),
    (
        f"{POD_SPEC}.nodeName",
        "node9",
        'Unsupported value: "node9": supported values: "node1", "node2", "node3"',
    ),
    (
        f"{POD_SPEC}.initContainers",
        [{"name": "app", "image": "busybox"}],
        (f"{POD_SPEC}.initContainers[0].name", 'Duplicate value: "app"'),
    ),
    (
        f"{POD_SPEC}.initContainers",
        [{"name": "setup", "image": "busybox", "readinessProbe": {"exec": {"command": ["true"]}}}],
        (
            f"{POD_SPEC}.initContainers[0].readinessProbe",
            "Forbidden: may not be set for init containers without restartPolicy=Always",
        ),
    ),
    (
        f"{POD_SPEC}.initContainers",
        [{"name": "proxy", "image": "envoy", "restartPolicy": "OnFailure"}],
        (
            f"{POD_SPEC}.initContainers[0].restartPolicy",
            'Unsupported value: "OnFailure": supported values: "Always"',
        ),
    ),
    (
        f"{CONTAINER}.restartPolicy",
        "Always",
        "Forbidden: may not be set for non-init containers",
    ),
    (f"{CONTAINER}.name", DELETE, "Required value"),
    (
        f"{CONTAINER}.name",
        "App",
        'Invalid value: "App": a lowercase RFC 1123 label must consist of',
    ),
    (f"{CONTAINER}.image", DELETE, "Required value"),
    (f"{CONTAINER}.image", 10, "Invalid value: 10: must be a string"),
    (f"{CONTAINER}.livenessProbe.successThreshold", 2, "Invalid value: 2: must be 1"),
    (
        f"{CONTAINER}.startupProbe",
        {"exec": {"command": ["check"]}, "successThreshold": 3},
        (f"{CONTAINER}.startupProbe.successThreshold", "Invalid value: 3: must be 1"),
    ),
    (
        f"{CONTAINER}.readinessProbe.periodSeconds",
        -1,
        "Invalid value: -1: must be greater than or equal to 0",
    ),
    (
        f"{CONTAINER}.readinessProbe.timeoutSeconds",
        -1,
        "Invalid value: -1: must be greater than or equal to 0",
    ),
    (
        f"{CONTAINER}.readinessProbe.initialDelaySeconds",
        -1,
        "Invalid value: -1: must be greater than or equal to 0",
    ),
    (
        f"{CONTAINER}.readinessProbe.failureThreshold",
        -1,
        "Invalid value: -1: must be greater than or equal to 0",
    ),
    (
        f"{CONTAINER}.readinessProbe.successThreshold",
        "two",
        'Invalid value: "two": must be an integer',
    ),
    (
        f"{CONTAINER}.readinessProbe",
        {"periodSeconds": 5},
        "Required value: must specify a handler type",
    ),
    (
        f"{CONTAINER}.readinessProbe.tcpSocket",
        {"port": 8080},
        "Forbidden: may not specify more than 1 handler type",
    ),
    (
        f"{CONTAINER}.readinessProbe.terminationGracePeriodSeconds",
        10,
        "Invalid value: 10: must not be set for readinessProbes",
    ),
    (
        f"{CONTAINER}.livenessProbe.terminationGracePeriodSeconds",
        0,
        "Invalid value: 0: must be greater than 0",
    ),
    (
        f"{CONTAINER}.livenessProbe.httpGet.port",
        0,
        "Invalid value: 0: must be between 1 and 65535, inclusive",
    ),
    (
        f"{CONTAINER}.livenessProbe.httpGet.port",
        65536,
        "Invalid value: 65536: must be between 1 and 65535, inclusive",
    ),
    (
        f"{CONTAINER}.livenessProbe.httpGet.port",
        "8080",
        'Invalid value: "8080": must contain at least one letter (a-z)',
    ),
    (
        f"{CONTAINER}.livenessProbe.httpGet.port",
        "Http_Port",
        (
            'Invalid value: "Http_Port": must contain only alpha-numeric '
            "characters (a-z, 0-9), and hyphens (-)"
        ),
    ),
    (
        f"{CONTAINER}.livenessProbe.httpGet.port",
        "a-very-long-port-name",
        'Invalid value: "a-very-long-port-name": must be no more than 15 characters',
    ),
    (f"{CONTAINER}.livenessProbe.httpGet.port", DELETE, "Required value"),
    (
        f"{CONTAINER}.livenessProbe.httpGet.scheme",
        "FTP",
        'Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
    ),
    (
        f"{CONTAINER}.livenessProbe",
        {"exec": {"command": []}},
        (f"{CONTAINER}.livenessProbe.exec.command", "Required value"),
    ),
    (
        f"{CONTAINER}.livenessProbe",
        {"exec": {"command": ["check", 1]}},
        (f"{CONTAINER}.livenessProbe.exec.command[1]", "Invalid value: 1: must be a string"),
    ),
    (
        f"{CONTAINER}.livenessProbe",
        {"grpc": {"port": "grpc"}},
        (f"{CONTAINER}.livenessProbe.grpc.port", 'Invalid value: "grpc": must be an integer'),
    ),
    (
        f"{CONTAINER}.livenessProbe",
        {"tcpSocket": {"port": 70000}},
        (
            f"{CONTAINER}.livenessProbe.tcpSocket.port",
            "Invalid value: 70000: must be between 1 and 65535, inclusive",
        ),
    ),
    (
        f"{CONTAINER}.lifecycle",
        {"preStop": {"sleep": {"seconds": 31}}},
        (
            f"{CONTAINER}.lifecycle.preStop.sleep.seconds",
            (
                "Invalid value: 31: must be non-negative and less than "
                "terminationGracePeriodSeconds (30)"
            ),
        ),
    ),
    (
        f"{CONTAINER}.lifecycle",
        {"preStop": {}},
        (f"{CONTAINER}.lifecycle.preStop", "Required value: must specify a handler type"),
    ),
    (
        f"{CONTAINER}.lifecycle",
        {"preStop": {"sleep": {"seconds": 5}, "exec": {"command": ["x"]}}},
        (
            f"{CONTAINER}.lifecycle.preStop.sleep",
            "Forbidden: may not specify more than 1 handler type",
        ),
    ),
    (
        "spec.behavior.containers.web",
        {"bootSeconds": 1},
        ("spec.behavior.containers[web]", 'Unsupported value: "web": supported values: "*", "app"'),
    ),
    (
        "spec.behavior.containers.app.bootSeconds",
        "5x",
        (
            "spec.behavior.containers[app].bootSeconds",
            'Invalid value: "5x": must be a number of seconds',
        ),
    ),
    (
        "spec.behavior.containers.app.exitCode",
        256,
        (
            "spec.behavior.containers[app].exitCode",
            "Invalid value: 256: must be less than or equal to 255",
        ),
    ),
    (
        "spec.behavior.containers.app.handlesSigterm",
        "no",
        (
            "spec.behavior.containers[app].handlesSigterm",
            'Invalid value: "no": must be true or false',
        ),
    ),
    (
        "spec.behavior.containers.app.bootSecs",
        5,
        ("spec.behavior.containers[app].bootSecs", 'Unknown field: did you mean "bootSeconds"?'),
    ),
    ("spec.behavior.imagePullSeconds", -2, "Invalid value: -2: must be greater than or equal to 0"),
    ("spec.events", [{"at": 10}] * 501, "Too many: 501: must have at most 500 items"),
    ("spec.events[0].at", DELETE, "Required value"),
    ("spec.events[0].at", 301, "Invalid value: 301: must be between 0 and spec.duration (300)"),
    ("spec.events[0].at", -1, "Invalid value: -1: must be greater than or equal to 0"),
    (
        "spec.events[0].action",
        "NodeExplode",
        'Unsupported value: "NodeExplode": supported values: "AppCrash"',
    ),
    (
        "spec.events[0].node",
        "node4",
        'Unsupported value: "node4": supported values: "node1", "node2", "node3"',
    ),
    ("spec.events[0].node", DELETE, "Required value: action NodeDown needs it"),
    ("spec.events[0].pod", "web-1", "Forbidden: may not be set for action NodeDown"),
    ("spec.events[0].nod", "node1", 'Unknown field: did you mean "node"?'),
    (
        "spec.events",
        [{"at": 5, "action": "AppHang", "pod": "api-1"}],
        (
            "spec.events[0].pod",
            (
                'Invalid value: "api-1": must name a pod of Deployment "web": web-1, '
                "web-2, ... in creation order"
            ),
        ),
    ),
    (
        "spec.events",
        [{"at": 5, "action": "AppHang", "pod": "web-0"}],
        ("spec.events[0].pod", 'Invalid value: "web-0"'),
    ),
    (
        "spec.events",
        [{"at": 5, "action": "AppHang", "pod": "web-x"}],
        ("spec.events[0].pod", 'Invalid value: "web-x"'),
    ),
    (
        "spec.events",
        [{"at": 5, "action": "AppHang", "pod": "web-1", "container": "db"}],
        ("spec.events[0].container", 'Unsupported value: "db": supported values: "app"'),
    ),
    (
        "spec.events",
        [{"at": 5, "action": "AppCrash", "pod": "web-1", "exitCode": 300}],
        ("spec.events[0].exitCode", "Invalid value: 300: must be less than or equal to 255"),
    ),
    (
        "spec.events",
        [{"at": 5, "action": "Scale"}],
        ("spec.events[0].replicas", "Required value: action Scale needs it"),
    ),
    (
        "spec.events",
        [{"at": 5, "action": "Scale", "replicas": 300}],
        (
            "spec.events[0].replicas",
            "Invalid value: 300: must be less than or equal to 250 (simulator limit)",
        ),
    ),
    (
        "spec.events",
        [{"at": 5, "action": "SetTraffic", "requestsPerSecond": 20000}],
        (
            "spec.events[0].requestsPerSecond",
            "Invalid value: 20000: must be less than or equal to 10000 (simulator limit)",
        ),
    ),
    (
        "spec.events",
        [{"at": 5, "action": "SetTraffic"}],
        ("spec.events[0].requestsPerSecond", "Required value: action SetTraffic needs it"),
    ),
    ("spec.events", "NodeDown at 60", 'Invalid value: "NodeDown at 60": must be a list'),
    (
        "spec.variants",
        [
            {"name": "v0"},
            {"name": "v1"},
            {"name": "v2"},
            {"name": "v3"},
            {"name": "v4"},
            {"name": "v5"},
            {"name": "v6"},
        ],
        "Too many: 7: must have at most 6 items",
    ),
    (
        "spec.variants",
        [{"name": "a"}, {"name": "a"}],
        ("spec.variants[1].name", 'Duplicate value: "a"'),
    ),
    (
        "spec.variants",
        [{"name": "Lane One"}],
        ("spec.variants[0].name", 'Invalid value: "Lane One": must match [a-z0-9-]{1,63}'),
    ),
    ("spec.variants", [{"title": "no name"}], ("spec.variants[0].name", "Required value")),
    (
        "spec.variants",
        [{"name": "a", "probe": {}}],
        ("spec.variants[0].probe", 'Unknown field: did you mean "probes"?'),
    ),
    (
        "spec.variants",
        [{"name": "a", "probes": {"readynessProbe": None}}],
        ("spec.variants[0].probes.readynessProbe", 'Unknown field: did you mean "readinessProbe"?'),
    ),
    (
        "spec.variants",
        [
            {
                "name": "a",
                "probes": {"livenessProbe": {"httpGet": {"port": 80}, "successThreshold": 2}},
            }
        ],
        ("spec.variants[0].probes.livenessProbe.successThreshold", "Invalid value: 2: must be 1"),
    ),
    (
        "spec.variants",
        [{"name": "a", "service": {"proxyMode": "userspace"}}],
        ("spec.variants[0].service.proxyMode", 'Unsupported value: "userspace"'),
    ),
    (
        "spec.variants",
        [{"name": "a", "cluster": {"nodes": ["node1"]}}],
        ("spec.events[0].node", 'Invalid value: "node2": not a node of variant "a"'),
    ),
    (
        "spec.variants",
        [{"name": "a", "traffic": {"requestsPerSecond": 10001}}],
        (
            "spec.variants[0].traffic.requestsPerSecond",
            "Invalid value: 10001: must be less than or equal to 10000 (simulator limit)",
        ),
    ),
    (
        "spec.variants",
        [{"name": "a", "behavior": {"containers": {"db": {}}}}],
        ("spec.variants[0].behavior.containers[db]", 'Unsupported value: "db"'),
    ),
    (
        "spec.narration",
        [{"text": "no time"}],
        (
            "spec.narration[0].at",
            'Required value: a step needs "at" (seconds) or "event" (a reason)',
        ),
    ),
    (
        "spec.narration",
        [{"at": 1, "event": "NodeNotReady", "text": "x"}],
        ("spec.narration[0].event", 'Forbidden: may not be set together with "at"'),
    ),
    (
        "spec.narration",
        [{"event": "node not ready", "text": "x"}],
        (
            "spec.narration[0].event",
            'Invalid value: "node not ready": must be an event reason such as "NodeNotReady"',
        ),
    ),
    ("spec.narration", [{"at": 1}], ("spec.narration[0].text", "Required value")),
    (
        "spec.narration",
        [{"at": 400, "text": "late"}],
        ("spec.narration[0].at", "Invalid value: 400: must be between 0 and spec.duration (300)"),
    ),
    (
        "spec.narration",
        [{"at": 1, "text": "x", "speaker": "me"}],
        ("spec.narration[0].speaker", "Unknown field"),
    ),
    (
        "spec.narration",
        [{"at": 1, "text": "x"}] * 201,
        "Too many: 201: must have at most 200 items",
    ),
]


@pytest.mark.parametrize(
    ("path", "value", "expected"), RULES, ids=[f"{r[0]}={r[1]!r}"[:80] for r in RULES]
)
def test_rule(path: str, value: Any, expected: Expected) -> None:
    problems = problems_of(changed((path, value)))
    problem_path, message = (path, expected) if isinstance(expected, str) else expected
    if problem_path == ANY_PATH:
        assert any(message in problem for problem in problems), problems
    else:
        assert_reported(problems, f"{problem_path}: {message}")


JOB = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {"name": "batch"},
    "spec": {
        "template": {
            "spec": {"restartPolicy": "Never", "containers": [{"name": "work", "image": "busybox"}]}
        }
    },
}
POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "solo"},
    "spec": {"containers": [{"name": "app", "image": "busybox"}]},
}


WORKLOAD_SPEC = "spec.workload.spec"
JOB_POD_SPEC = "spec.workload.spec.template.spec"
WORKLOAD_RULES = [
    (
        JOB,
        f"{JOB_POD_SPEC}.restartPolicy",
        "Always",
        'Unsupported value: "Always": supported values: "Never", "OnFailure"',
    ),
    (
        JOB,
        f"{JOB_POD_SPEC}.restartPolicy",
        DELETE,
        'Required value: supported values: "Never", "OnFailure"',
    ),
    (
        JOB,
        f"{WORKLOAD_SPEC}.completions",
        -1,
        "Invalid value: -1: must be greater than or equal to 0",
    ),
    (
        JOB,
        f"{WORKLOAD_SPEC}.parallelism",
        251,
        "Invalid value: 251: must be less than or equal to 250 (simulator limit)",
    ),
    (
        JOB,
        f"{WORKLOAD_SPEC}.backoffLimit",
        -1,
        "Invalid value: -1: must be greater than or equal to 0",
    ),
    (
        JOB,
        "spec.workload.apiVersion",
        "batch/v1beta1",
        'Unsupported value: "batch/v1beta1": supported values: "batch/v1"',
    ),
    (
        JOB,
        "spec.events",
        [{"at": 1, "action": "Scale", "replicas": 2}],
        ("spec.events[0].action", "Forbidden: needs a Deployment or a StatefulSet, not a Job"),
    ),
    (
        POD,
        "spec.events",
        [{"at": 1, "action": "RolloutRestart"}],
        ("spec.events[0].action", "Forbidden: needs a Deployment or a StatefulSet, not a Pod"),
    ),
    (
        POD,
        "spec.events",
        [{"at": 1, "action": "DeletePod", "pod": "solo-1"}],
        ("spec.events[0].pod", 'Invalid value: "solo-1": must be "solo", the only pod'),
    ),
    (POD, f"{WORKLOAD_SPEC}.nodeName", "node7", 'Unsupported value: "node7"'),
    (
        POD,
        f"{WORKLOAD_SPEC}.restartPolicy",
        "Sometimes",
        'Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
    ),
    (
        POD,
        "spec.workload.apiVersion",
        "apps/v1",
        'Unsupported value: "apps/v1": supported values: "v1"',
    ),
]


@pytest.mark.parametrize(("workload", "path", "value", "expected"), WORKLOAD_RULES)
def test_workload_kind_rule(
    workload: dict[str, Any], path: str, value: Any, expected: Expected
) -> None:
    doc = changed(("spec.workload", workload), ("spec.behavior", DELETE), (path, value))
    problem_path, message = (path, expected) if isinstance(expected, str) else expected
    assert_reported(problems_of(doc), f"{problem_path}: {message}")


def test_every_problem_is_reported_at_once() -> None:
    problems = problems_of(
        changed(
            ("spec.duration", DELETE),
            ("spec.service", {"proxyMode": "foo"}),
            (f"{CONTAINER}.livenessProbe.successThreshold", 2),
            ("spec.trafic", {}),
        )
    )
    assert len(problems) == 4
    assert problems[0].startswith("spec.trafic: Unknown field")


def test_unknown_fields_inside_the_manifest_are_tolerated() -> None:
    scenario = load_scenario(
        changed(
            (f"{CONTAINER}.resources", {"limits": {"cpu": "500m"}}),
            (f"{CONTAINER}.env", [{"name": "JAVA_OPTS", "value": "-Xmx1g"}]),
            (f"{CONTAINER}.securityContext", {"runAsNonRoot": True}),
            ("spec.workload.metadata.namespace", "shop"),
            ("spec.workload.spec.revisionHistoryLimit", 3),
        )
    )
    assert scenario.variants[0].workload.template.containers[0].image == "tomcat:10"


def test_unknown_fields_of_the_scenario_itself_are_errors() -> None:
    problems = problems_of(changed(("spec.traffic.requestPerSecond", 5)))
    assert problems == [
        'spec.traffic.requestPerSecond: Unknown field: did you mean "requestsPerSecond"?'
    ]


def test_error_string_is_one_line_per_problem() -> None:
    with pytest.raises(ScenarioError) as raised:
        load_scenario(changed(("spec.duration", DELETE), ("spec.seed", -3)))
    assert str(raised.value).splitlines() == [
        "spec.duration: Required value",
        "spec.seed: Invalid value: -3: must be greater than or equal to 0",
    ]


def test_problems_in_text_carry_line_and_column() -> None:
    text = VALID.replace("successThreshold", "x").replace(
        "livenessProbe: {httpGet: {path: /healthz, port: 8080}}",
        "livenessProbe: {httpGet: {path: /healthz, port: 8080}, successThreshold: 2}",
    )
    with pytest.raises(ScenarioError) as raised:
        load_scenario(text)
    (problem,) = raised.value.problems
    line = text.splitlines()[problem.line - 1]
    assert problem.path == f"{CONTAINER}.livenessProbe.successThreshold"
    assert line[problem.column - 1 :].startswith("2}")
    assert str(problem).endswith(f"(line {problem.line}, column {problem.column})")


def test_an_unknown_field_is_placed_at_its_key() -> None:
    text = VALID.replace("  traffic: {requestsPerSecond: 10}", "  trafic: {requestsPerSecond: 10}")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(text)
    (problem,) = raised.value.problems
    assert text.splitlines()[problem.line - 1][problem.column - 1 :].startswith("trafic:")


def test_a_missing_field_is_placed_at_its_parent() -> None:
    text = VALID.replace("  duration: 300\n", "")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(text)
    (problem,) = raised.value.problems
    assert problem.path == "spec.duration"
    assert text.splitlines()[problem.line - 1].strip().startswith("seed: 1")


def test_json_text_is_placed_too() -> None:
    text = (
        '{\n  "apiVersion": "podviz/v1",\n  "kind": "Scenario",\n'
        '  "metadata": {"name": "x"},\n  "spec": {"duration": -4}\n}'
    )
    with pytest.raises(ScenarioError) as raised:
        load_scenario(text)
    by_path = {problem.path: problem for problem in raised.value.problems}
    assert (by_path["spec.duration"].line, by_path["spec.duration"].column) == (5, 24)
    assert "spec.workload" in by_path


def test_yaml_syntax_errors_give_line_and_column() -> None:
    text = "apiVersion: podviz/v1\nkind: Scenario\nspec:\n  duration: [1, 2\n  seed: 3\n"
    with pytest.raises(ScenarioError) as raised:
        load_scenario(text)
    (problem,) = raised.value.problems
    assert problem.message.startswith("YAML syntax error:")
    assert (problem.line, problem.column) == (5, 7)


def test_duplicate_keys_are_reported_where_repeated() -> None:
    text = VALID.replace("  seed: 1\n", "  seed: 1\n  seed: 2\n")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(text)
    (problem,) = raised.value.problems
    assert str(problem).startswith('spec.seed: Duplicate value: "seed"')
    assert text.splitlines()[problem.line - 1] == "  seed: 2"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("", "apiVersion: Required value: the document is empty"),
        ("- a\n- b\n", 'Invalid value: ["a","b"]: must be a mapping'),
        ("a: 1\n---\nb: 2\n", "YAML syntax error: expected a single document"),
        (b"\xff\xfe\x00", "not UTF-8 text"),
    ],
)
def test_documents_that_are_not_scenarios(source: str | bytes, expected: str) -> None:
    with pytest.raises(ScenarioError) as raised:
        load_scenario(source)
    assert expected in str(raised.value)


def test_a_text_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(ScenarioError, match="must be at most 1048576 bytes"):
        load_scenario(VALID + "#" * 1_048_576)


def test_a_missing_file_is_a_problem(tmp_path: Any) -> None:
    with pytest.raises(ScenarioError, match=r"cannot read .*missing\.yaml: No such file"):
        load_scenario(tmp_path / "missing.yaml")


def field_paths(node: Any, prefix: str = "") -> list[str]:
    """Every path of a document, in the notation of ``changed``."""
    paths = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            paths += field_paths(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            paths += field_paths(value, f"{prefix}[{index}]")
    return paths


ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(field_paths(document())), ANY_VALUE | st.just(DELETE)),
        min_size=1,
        max_size=3,
    )
)
def test_any_value_anywhere_gives_a_scenario_or_problems(changes: list[tuple[str, Any]]) -> None:
    doc = document()
    for path, value in changes:
        try:
            doc = apply(doc, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this path's parent
    try:
        load_scenario(doc)
    except ScenarioError as error:
        assert error.problems
        assert all(problem.message for problem in error.problems)


def test_an_app_fault_names_an_app_container_not_an_init_container() -> None:
    doc = changed(
        (f"{POD_SPEC}.initContainers", [{"name": "setup", "image": "busybox"}]),
        ("spec.events", [{"at": 5, "action": "AppCrash", "pod": "web-1", "container": "setup"}]),
    )
    assert problems_of(doc) == [
        'spec.events[0].container: Unsupported value: "setup": supported values: "app"'
    ]
