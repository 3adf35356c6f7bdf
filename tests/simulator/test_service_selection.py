"""The Service's selector and targetPort decide which pods are its endpoints
(docs/kubernetes-model.md §4.5)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import yaml

from simulator.engine.simulation import run_scenario
from simulator.scenario.loader import load_scenario
from simulator.scenario.types import ContainerSpec, ServiceSpec
from simulator.scenario.validation import ScenarioError

from .factories import behavior, deployment, only_lane, scenario, simulate, template, variant


def run_with(service: ServiceSpec, named_ports=None):
    app = ContainerSpec(name="app", image="web:1", named_ports=named_ports or {})
    pod = replace(template(app), labels={"app": "web"})
    lane_variant = replace(
        variant(deployment(2, pod), program=behavior(boot_seconds=1)), service=service
    )
    return only_lane(simulate(scenario(lane_variant, duration=30)))


def test_a_selector_that_matches_the_pods_lists_them():
    lane = run_with(ServiceSpec(selector={"app": "web"}))
    assert {e.pod_name for e in lane.endpoints.endpoints} == {"web-1", "web-2"}
    assert lane.totals["errorsByCause"]["NoEndpoints"] < lane.totals["requests"]


def test_a_selector_that_matches_no_pod_leaves_no_endpoint_and_every_request_fails():
    lane = run_with(ServiceSpec(selector={"app": "webx"}))
    assert lane.endpoints.endpoints == ()
    totals = lane.totals
    assert totals["requests"] == 300
    assert totals["errors"] == totals["errorsByCause"]["NoEndpoints"] == 300


def test_a_named_target_port_needs_a_container_port_of_that_name():
    declared = run_with(ServiceSpec(selector={"app": "web"}, target_port="http"), {"http": 8080})
    assert len(declared.endpoints.endpoints) == 2
    undeclared = run_with(ServiceSpec(selector={"app": "web"}, target_port="grpc"), {"http": 8080})
    assert undeclared.endpoints.endpoints == ()
    assert undeclared.totals["errorsByCause"]["NoEndpoints"] == 300


def test_a_target_port_number_needs_no_declaration():
    lane = run_with(ServiceSpec(selector={"app": "web"}, target_port=9090), {"http": 8080})
    assert len(lane.endpoints.endpoints) == 2


SCENARIO = """
apiVersion: podviz/v1
kind: Scenario
metadata: {name: svc}
spec:
  duration: 20
  traffic: {requestsPerSecond: 10}
  service: {selector: {app: petclini}, ports: [{port: 80, targetPort: http}]}
  workload:
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
"""


def test_the_scenario_format_takes_the_services_selector_and_ports():
    loaded = load_scenario(SCENARIO)
    service = loaded.variants[0].service
    assert (service.selector, service.target_port) == ({"app": "petclini"}, "http")
    totals = run_scenario(loaded)["variants"][0]["totals"]
    assert totals["errors"] == totals["errorsByCause"]["NoEndpoints"] == totals["requests"] > 0


@pytest.mark.parametrize(
    ("ports", "message"),
    [
        ([{"port": 0}], "spec.service.ports[0].port: Invalid value: 0"),
        (
            [{"port": 70000}],
            "spec.service.ports[0].port: Invalid value: 70000: must be less than or equal to 65535",
        ),
        (
            [{"port": 80, "targetPort": "no_such"}],
            "spec.service.ports[0].targetPort: Invalid value",
        ),
        ([{"targetPort": 80}], "spec.service.ports[0].port: Required value"),
    ],
)
def test_invalid_service_ports_are_refused_naming_the_field(ports, message):
    document = yaml.safe_load(SCENARIO)
    document["spec"]["service"]["ports"] = ports
    with pytest.raises(ScenarioError) as raised:
        load_scenario(document)
    assert any(message in str(problem) for problem in raised.value.problems)


@pytest.mark.parametrize("slug", ["rolling-update-readiness", "sidecar-readiness"])
def test_a_preset_whose_service_selects_its_pods_gives_the_same_results(slug):
    """Giving the Service a selector that picks the workload's pods (and a number targetPort)
    changes nothing: the same endpoints, the same requests, byte for byte."""
    from simulator.scenario.presets import SCENARIOS_DIRECTORY

    document = yaml.safe_load((SCENARIOS_DIRECTORY / f"{slug}.yaml").read_text())
    before = run_scenario(load_scenario(document))
    workload = document["spec"]["workload"]
    if workload["kind"] == "Pod":
        labels = workload["metadata"]["labels"]
    else:
        labels = workload["spec"]["template"]["metadata"]["labels"]
    service = document["spec"].setdefault("service", {})
    service["selector"] = dict(labels)
    service["ports"] = [{"port": 80, "targetPort": 8080}]
    after = run_scenario(load_scenario(document))
    assert [lane["totals"] for lane in after["variants"]] == [
        lane["totals"] for lane in before["variants"]
    ]
    assert [lane["series"] for lane in after["variants"]] == [
        lane["series"] for lane in before["variants"]
    ]
