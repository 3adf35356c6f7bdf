"""The scenario API answers every malformed body with a 4xx naming the problem, and keeps its
answers small."""

import json

import pytest

from core import limits

from .test_scenario_api import scenario_text

pytestmark = pytest.mark.django_db

DEEP_LIST = "[" * 2040 + "]" * 2040
DEEP_OBJECT = '{"a":' * 3000 + "1" + "}" * 3000


@pytest.fixture
def client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("editor"))
    return client


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT, '{"yaml": ' + DEEP_LIST + "}"])
@pytest.mark.parametrize(
    "url", ["/api/scenarios/validate", "/api/scenarios", "/api/scenarios/from-manifest"]
)
def test_deeply_nested_json_is_a_400_that_says_so(client, url, body):
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]


def test_deeply_nested_json_in_a_put_is_a_400(client):
    client.post("/api/scenarios", scenario_text(), content_type="text/yaml")
    response = client.put("/api/scenarios/web", DEEP_OBJECT, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]


def test_deeply_nested_yaml_is_a_problem_not_an_error(client):
    response = client.post("/api/scenarios/validate", "[" * 5000, content_type="text/yaml")
    assert response.status_code == 200
    assert "nested more than 100 levels deep" in response.json()["problems"][0]["message"]


def test_problems_are_capped_and_the_rest_counted(client, settings):
    settings.PODVIZ_LIMITS = {"problems_listed": 5}
    document = {
        "apiVersion": "podviz/v1",
        "kind": "Scenario",
        "metadata": {"name": "x"},
        "spec": {f"unknown{i}": 1 for i in range(2000)},
    }
    body = json.dumps(document)
    validated = client.post("/api/scenarios/validate", body, content_type="application/json")
    answer = validated.json()
    assert validated.status_code == 200 and answer["valid"] is False
    assert len(answer["problems"]) == 5
    assert answer["moreProblems"] >= 1995
    assert len(validated.content) < 2000
    created = client.post("/api/scenarios", body, content_type="application/json")
    assert created.status_code == 400
    assert len(created.json()["problems"]) == 5 and created.json()["moreProblems"] >= 1995


def test_a_document_at_the_body_limit_gets_a_bounded_answer(client):
    listed = limits.current().problems_listed
    document = {"apiVersion": "podviz/v1", "kind": "Scenario", "metadata": {"name": "x"}}
    document["spec"] = {f"f{i}": 1 for i in range(21_000)}
    body = json.dumps(document)
    assert 200_000 < len(body) < 256 * 1024
    response = client.post("/api/scenarios/validate", body, content_type="application/json")
    assert response.status_code == 200
    assert len(response.json()["problems"]) == listed
    assert len(response.content) < 20_000


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("periodSeconds", -1, "must be greater than or equal to 0"),
        ("timeoutSeconds", -5, "must be greater than or equal to 0"),
        ("failureThreshold", -1, "must be greater than or equal to 0"),
        ("periodSeconds", 2.5, "must be an integer"),
        ("periodSeconds", "10", "must be an integer"),
    ],
)
def test_out_of_range_probe_fields_are_problems_naming_the_field(client, field, value, problem):
    setting = f"{field}: {json.dumps(value)}"
    if field != "periodSeconds":
        setting = f"periodSeconds: 2, {setting}"
    text = scenario_text().replace("periodSeconds: 2", setting)
    answer = client.post("/api/scenarios/validate", text, content_type="text/yaml").json()
    assert answer["valid"] is False
    [found] = [p for p in answer["problems"] if p["path"].endswith(f"readinessProbe.{field}")]
    assert problem in found["message"]


def test_period_seconds_0_means_the_default_as_the_api_server_defaults_it(client):
    # SetDefaults_Probe (k/k pkg/apis/core/v1/defaults.go) turns 0 into 10 before validation, so
    # kubectl apply accepts it; the scenario validation does the same (docs/kubernetes-model.md §0).
    text = scenario_text().replace("periodSeconds: 2", "periodSeconds: 0")
    answer = client.post("/api/scenarios/validate", text, content_type="text/yaml").json()
    assert answer["valid"] is True
