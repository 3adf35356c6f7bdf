"""The scenario API over HTTP: JSON answers with the right status for every request, CSRF as
Django enforces it, the 256 KB limit, downloads byte for byte, and the play permalink."""

import json
import random

import pytest
import yaml
from asgiref.sync import sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios import store as scenario_store
from scenarios.api import MAX_BODY_BYTES
from scenarios.models import SavedScenario
from simulator.scenario.presets import preset_slugs

pytestmark = pytest.mark.django_db

TEMPLATE = """\
apiVersion: podviz/v1
kind: Scenario
metadata:
  name: {name}
  title: {title}
spec:
  duration: 120
  seed: 7
  traffic: {{requestsPerSecond: 20}}
  workload:
    apiVersion: apps/v1
    kind: Deployment
    metadata: {{name: web}}
    spec:
      replicas: {replicas}
      selector: {{matchLabels: {{app: web}}}}
      template:
        metadata: {{labels: {{app: web}}}}
        spec:
          containers:
          - name: app
            image: nginx:1.27
            readinessProbe: {{httpGet: {{path: /, port: 80}}, periodSeconds: 2}}
  events:
  - {{at: 30, action: AppHang, pod: web-1}}
  variants:
  - name: readiness
  - name: no-probes
    probes: {{readinessProbe: null}}
"""

DEPLOYMENT_WITH_SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  publishNotReadyAddresses: true
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, labels: {app: api}}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      securityContext: {runAsNonRoot: true}
      volumes: [{name: data, emptyDir: {}}]
      containers:
      - name: api
        image: registry.example.com/api:3.1
        env: [{name: MODE, value: production}]
        resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
        volumeMounts: [{name: data, mountPath: /data}]
        ports: [{containerPort: 8080}]
        livenessProbe: {httpGet: {path: /healthz, port: 8080}, periodSeconds: 15}
"""

POD = """\
{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "solo"},
 "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}
"""

JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: registry.example.com/migrate:1}]
"""


def scenario_text(name="web", *, title="Web", replicas=2):
    return TEMPLATE.format(name=name, title=title, replicas=replicas)


@pytest.fixture
def client(client, django_user_model):
    """A browser logged in: saving needs a user (test_permissions.py tests anonymous writes)."""
    client.force_login(django_user_model.objects.create_user("editor"))
    return client


@pytest.fixture
async def database_thread_closed():
    """Closes the connection an async test opened in Django's database thread (the test client
    keeps connections open across requests), so the test database can be dropped."""
    yield
    await sync_to_async(connections.close_all)()


def post_yaml(client, url, text):
    return client.post(url, text, content_type="application/yaml")


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def put_json(client, url, data):
    return client.put(url, json.dumps(data), content_type="application/json")


# validate ---------------------------------------------------------------------------------------


def test_validate_a_valid_document_gives_its_summary(client):
    response = post_yaml(client, "/api/scenarios/validate", scenario_text())
    assert response.status_code == 200
    answer = response.json()
    assert answer["valid"] is True and answer["problems"] == []
    summary = answer["summary"]
    assert (summary["name"], summary["duration"], summary["events"]) == ("web", 120, 1)
    assert [variant["name"] for variant in summary["variants"]] == ["readiness", "no-probes"]
    assert summary["workload"] == {"kind": "Deployment", "name": "web", "replicas": 2}
    assert summary["notModelled"] == []


def test_validate_lists_the_manifest_fields_not_modelled(client):
    text = scenario_text().replace("replicas: 2", "replicas: 2\n      revisionHistoryLimit: 3", 1)
    answer = post_yaml(client, "/api/scenarios/validate", text).json()
    assert answer["valid"] is True
    assert answer["summary"]["notModelled"] == ["spec.revisionHistoryLimit"]


def test_validate_lists_every_problem_with_path_line_and_column(client):
    text = scenario_text(replicas=300).replace("duration: 120", "duration: soon")
    answer = post_json(client, "/api/scenarios/validate", {"yaml": text}).json()
    assert answer["valid"] is False and answer["summary"] == {}
    by_path = {problem["path"]: problem for problem in answer["problems"]}
    assert set(by_path) >= {"spec.duration", "spec.workload.spec.replicas"}
    assert by_path["spec.duration"]["line"] == text.splitlines().index("  duration: soon") + 1
    assert by_path["spec.duration"]["column"] == len("  duration: ") + 1
    assert set(by_path["spec.duration"]) == {"path", "message", "line", "column"}


def test_a_json_body_without_the_envelope_is_the_document_itself(client):
    document = yaml.safe_load(scenario_text())
    answer = post_json(client, "/api/scenarios/validate", document).json()
    assert answer["valid"] is True


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ('{"yaml": 42}', "application/json", "yaml: Required value"),
        ("{not json", "application/json", "not valid JSON"),
        (b"\xff\xfeyaml", "application/yaml", "not UTF-8 text"),
    ],
)
def test_validate_explains_a_body_it_cannot_read(client, body, content_type, expected):
    response = client.post("/api/scenarios/validate", body, content_type=content_type)
    assert response.status_code == 400
    assert expected in response.json()["error"]


@pytest.mark.parametrize(
    "url", ["/api/scenarios/validate", "/api/scenarios", "/api/scenarios/from-manifest"]
)
def test_a_body_over_256_kb_is_refused(client, url):
    text = "# padding\n" * (MAX_BODY_BYTES // 10 + 1)
    response = post_yaml(client, url, text)
    assert response.status_code == 413
    assert "at most 262144 bytes (256 KB)" in response.json()["error"]


def test_an_upload_over_256_kb_is_refused(client):
    upload = SimpleUploadedFile("big.yaml", b"#" * (MAX_BODY_BYTES + 1))
    response = client.post("/api/scenarios/import", {"file": upload})
    assert response.status_code == 413
    assert not SavedScenario.objects.exists()


def test_post_without_a_csrf_token_is_forbidden_and_with_one_accepted():
    browser = Client(enforce_csrf_checks=True)
    assert post_yaml(browser, "/api/scenarios/validate", scenario_text()).status_code == 403
    assert post_yaml(browser, "/api/scenarios", scenario_text()).status_code == 403
    browser.get("/api/scenarios")
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/scenarios/validate",
        scenario_text(),
        content_type="application/yaml",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200 and response.json()["valid"] is True


# create, read, update ---------------------------------------------------------------------------


def test_create_then_read_the_saved_scenario(client):
    response = post_yaml(client, "/api/scenarios", scenario_text())
    assert response.status_code == 201
    assert response["Location"] == "/api/scenarios/web"
    created = response.json()
    assert (created["slug"], created["version"], created["builtIn"]) == ("web", 1, False)
    read = client.get("/api/scenarios/web").json()
    assert (read["yaml"], read["version"], read["valid"]) == (scenario_text(), 1, True)
    assert read["export"] == "/scenarios/web.yaml" and read["play"] == "/scenarios/web/play"
    listed = client.get("/api/scenarios").json()["scenarios"]
    assert [(item["slug"], item["version"]) for item in listed] == [("web", 1)]


def test_create_from_a_json_envelope_and_a_name_clash_is_a_conflict(client):
    assert post_json(client, "/api/scenarios", {"yaml": scenario_text()}).status_code == 201
    response = post_yaml(client, "/api/scenarios", scenario_text(title="Other"))
    assert response.status_code == 409
    assert response.json()["currentVersion"] == 1


def test_creating_an_invalid_document_saves_nothing(client):
    response = post_yaml(client, "/api/scenarios", scenario_text(replicas=-1))
    assert response.status_code == 400
    assert response.json()["problems"][0]["path"] == "spec.workload.spec.replicas"
    assert not SavedScenario.objects.exists()


def test_read_a_built_in_scenario_and_an_unknown_one(client):
    slug = preset_slugs()[0]
    built_in = client.get(f"/api/scenarios/{slug}").json()
    assert (built_in["builtIn"], built_in["version"]) == (True, None)
    assert built_in["yaml"] == scenario_store.preset_text(slug)
    missing = client.get("/api/scenarios/nobody")
    assert missing.status_code == 404 and "nobody" in missing.json()["error"]


def test_put_saves_an_edit_of_the_current_version(client):
    post_yaml(client, "/api/scenarios", scenario_text())
    response = put_json(
        client, "/api/scenarios/web", {"yaml": scenario_text(title="Edited"), "version": 1}
    )
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["title"]) == (2, "Edited")


def test_two_tabs_never_overwrite_each_other(client):
    post_yaml(client, "/api/scenarios", scenario_text())
    first = put_json(client, "/api/scenarios/web", {"yaml": scenario_text(title="A"), "version": 1})
    second = put_json(
        client, "/api/scenarios/web", {"yaml": scenario_text(title="B"), "version": 1}
    )
    assert first.status_code == 200 and second.status_code == 409
    assert second.json() == {
        "error": "this scenario was changed elsewhere (version 2, you edited version 1): "
        "reload it, or save yours under another name",
        "currentVersion": 2,
    }
    assert client.get("/api/scenarios/web").json()["summary"]["title"] == {"en": "A"}


def test_an_invalid_edit_keeps_the_saved_text(client):
    post_yaml(client, "/api/scenarios", scenario_text())
    broken = scenario_text().replace("seed: 7", "seed: -7")
    response = put_json(client, "/api/scenarios/web", {"yaml": broken, "version": 1})
    assert response.status_code == 400
    assert response.json()["problems"][0]["path"] == "spec.seed"
    read = client.get("/api/scenarios/web").json()
    assert (read["yaml"], read["version"]) == (scenario_text(), 1)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"yaml": "x"}, "version: Required value"),
        ({"yaml": "x", "version": True}, "version: Invalid value"),
        ({"yaml": "x", "version": "two"}, "version: Invalid value"),
        ({"version": 1}, "yaml: Required value"),
        ([1, 2], "send a JSON object"),
    ],
)
def test_put_explains_what_is_missing(client, body, expected):
    post_yaml(client, "/api/scenarios", scenario_text())
    response = put_json(client, "/api/scenarios/web", body)
    assert response.status_code == 400
    assert expected in response.json()["error"]


def test_put_to_an_unknown_scenario_is_not_found(client):
    response = put_json(client, "/api/scenarios/nobody", {"yaml": scenario_text(), "version": 1})
    assert response.status_code == 404


# export and import ------------------------------------------------------------------------------


def test_import_then_export_byte_for_byte(client):
    data = scenario_text().replace("\n", "\r\n").encode("utf-8")
    upload = SimpleUploadedFile("mine.yaml", data, content_type="application/yaml")
    response = client.post("/api/scenarios/import", {"file": upload})
    assert response.status_code == 201
    exported = client.get("/scenarios/web.yaml")
    assert exported.status_code == 200
    assert exported.content == data
    assert exported["Content-Type"] == "application/yaml; charset=utf-8"
    assert exported["Content-Disposition"] == 'attachment; filename="web.yaml"'


def test_a_built_in_scenario_downloads_as_its_file(client):
    slug = preset_slugs()[0]
    exported = client.get(f"/scenarios/{slug}.yaml")
    assert exported.content == scenario_store.preset_text(slug).encode("utf-8")
    assert client.get("/scenarios/nobody.yaml").status_code == 404


def test_import_a_clash_only_with_overwrite_and_the_right_version(client):
    post_yaml(client, "/api/scenarios", scenario_text())

    def upload(**fields):
        data = scenario_text(title="Imported").encode()
        file = SimpleUploadedFile("web.yaml", data)
        return client.post("/api/scenarios/import", {"file": file, **fields})

    assert upload().status_code == 409
    assert upload(overwrite="true").status_code == 400
    assert upload(overwrite="true", version="7").status_code == 409
    replaced = upload(overwrite="true", version="1")
    assert replaced.status_code == 200
    assert (replaced.json()["version"], replaced.json()["title"]) == (2, "Imported")


def test_import_without_a_file_says_how_to_send_it(client):
    response = client.post("/api/scenarios/import", {"other": "x"})
    assert response.status_code == 400
    assert '"file"' in response.json()["error"]


# from-manifest ----------------------------------------------------------------------------------


def test_from_manifest_builds_a_valid_scenario_around_a_deployment_and_its_service(client):
    response = post_yaml(client, "/api/scenarios/from-manifest", DEPLOYMENT_WITH_SERVICE)
    assert response.status_code == 200
    answer = response.json()
    assert answer["valid"] is True, answer["problems"]
    assert answer["workload"] == {"kind": "Deployment", "name": "api"}
    assert answer["summary"]["nodes"] == ["node1", "node2", "node3"]
    assert [v["name"] for v in answer["summary"]["variants"]] == [
        "as-written",
        "no-probes",
        "kubernetes-defaults",
    ]
    document = yaml.safe_load(answer["yaml"])
    assert document["spec"]["service"]["publishNotReadyAddresses"] is True
    container = document["spec"]["workload"]["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"]["limits"] == {"memory": "256Mi"}
    assert container["env"] == [{"name": "MODE", "value": "production"}]
    assert [event["action"] for event in document["spec"]["events"]] == ["NodeDown", "AppHang"]
    # The document goes on to be saved as it is.
    assert post_yaml(client, "/api/scenarios", answer["yaml"]).status_code == 201


@pytest.mark.parametrize(("manifest", "kind"), [(POD, "Pod"), (JOB, "Job")])
def test_from_manifest_takes_a_pod_or_a_job(client, manifest, kind):
    answer = post_yaml(client, "/api/scenarios/from-manifest", manifest).json()
    assert answer["valid"] is True, answer["problems"]
    assert answer["workload"]["kind"] == kind


def test_from_manifest_names_what_it_cannot_judge(client):
    hpa = (
        "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api}\n"
        "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api},"
        " maxReplicas: 4}\n"
    )
    plain = post_yaml(client, "/api/scenarios/from-manifest", DEPLOYMENT_WITH_SERVICE).json()
    assert plain["cannotJudge"] == []
    answer = post_yaml(client, "/api/scenarios/from-manifest", DEPLOYMENT_WITH_SERVICE + hpa).json()
    assert any("HorizontalPodAutoscaler" in line for line in answer["cannotJudge"]), answer
    assert all(line.startswith("cannot judge: ") for line in answer["cannotJudge"])


def test_from_manifest_in_a_json_envelope_with_a_name(client):
    response = post_json(
        client, "/api/scenarios/from-manifest", {"manifest": JOB, "name": "migration-drill"}
    )
    assert response.json()["summary"]["name"] == "migration-drill"


@pytest.mark.parametrize(
    "garbage", ["", "::: {{{", "kind: ConfigMap\nmetadata: {name: x}\n", "[" * 10_000]
)
def test_from_manifest_refuses_text_without_a_workload(client, garbage):
    response = post_yaml(client, "/api/scenarios/from-manifest", garbage)
    assert response.status_code == 400
    answer = response.json()
    assert answer["error"] == "no scenario can be built from this text"
    assert answer["problems"][0]["message"]


# play -------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_thread_closed")
async def test_play_starts_a_saved_scenario_at_a_time_and_speed(async_client, run_manager):
    await SavedScenario.objects.acreate(slug="web", title="Web", yaml_text=scenario_text())
    response = await async_client.get("/scenarios/web/play?t=45&speed=4")
    assert response.status_code == 302
    run_id = response["Location"].strip("/").split("/")[-1]
    run = run_manager.get(run_id)
    assert run.scenario.name == "web"
    assert run.now == 45 and run.speed == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_thread_closed")
async def test_play_a_built_in_scenario_from_the_start(async_client, run_manager):
    slug = preset_slugs()[0]
    response = await async_client.get(f"/scenarios/{slug}/play")
    run = run_manager.get(response["Location"].strip("/").split("/")[-1])
    assert run.scenario.name == slug and run.now == 0 and run.speed == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_thread_closed")
async def test_play_accepts_a_duration_string(async_client, run_manager):
    await SavedScenario.objects.acreate(slug="web", title="Web", yaml_text=scenario_text())
    response = await async_client.get("/scenarios/web/play?t=1m30s")
    assert run_manager.get(response["Location"].strip("/").split("/")[-1]).now == 90


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_thread_closed")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("t=soon", "t: Invalid value: 'soon'"),
        ("t=-3", "must be 0 or more"),
        ("t=121", "must be at most 120 s"),
        ("t=nan", "t: Invalid value"),
        ("speed=0", "speed: Invalid value: '0': must be a number from 0.25 to 100"),
        ("speed=fast", "speed: Invalid value"),
        ("speed=inf", "speed: Invalid value"),
    ],
)
async def test_play_refuses_a_bad_time_or_speed(async_client, run_manager, query, expected):
    await SavedScenario.objects.acreate(slug="web", title="Web", yaml_text=scenario_text())
    response = await async_client.get(f"/scenarios/web/play?{query}")
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert len(run_manager) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_thread_closed")
async def test_play_an_unknown_scenario_is_not_found(async_client, run_manager):
    assert (await async_client.get("/scenarios/nobody/play")).status_code == 404


# fuzz -------------------------------------------------------------------------------------------


def mutate(text, rng):
    """``text`` with a few random cuts, insertions and swaps of lines."""
    pieces = ["", "{", "}", "[", "]", ": ", "\n", "- ", "&a ", "*a", "!!int x", "\t", "'", "null"]
    for _ in range(rng.randint(1, 5)):
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.randint(0, 30))
        if rng.random() < 0.2:
            lines = text.splitlines(keepends=True)
            rng.shuffle(lines)
            text = "".join(lines)
        else:
            text = text[:start] + rng.choice(pieces) + text[end:]
    return text


FUZZ_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ_SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_fuzz_mutated_documents_never_cause_a_server_error(client, seed):
    rng = random.Random(seed)
    text = mutate(scenario_text(f"fuzz-{seed}"), rng)
    for url in ("/api/scenarios/validate", "/api/scenarios", "/api/scenarios/from-manifest"):
        response = post_yaml(client, url, text)
        assert response.status_code < 500, (url, text)
        assert isinstance(response.json(), dict)
    manifest = mutate(DEPLOYMENT_WITH_SERVICE, rng)
    assert post_yaml(client, "/api/scenarios/from-manifest", manifest).status_code < 500


@FUZZ_SETTINGS
@given(body=st.binary(max_size=600) | st.text(max_size=600).map(str.encode))
def test_fuzz_random_bodies_never_cause_a_server_error(client, body):
    for content_type in ("application/yaml", "application/json"):
        for url in ("/api/scenarios/validate", "/api/scenarios/from-manifest", "/api/scenarios"):
            response = client.post(url, body, content_type=content_type)
            assert response.status_code < 500, (url, body)
        response = client.put("/api/scenarios/web", body, content_type=content_type)
        assert response.status_code < 500
    upload = SimpleUploadedFile("fuzz.yaml", body)
    assert client.post("/api/scenarios/import", {"file": upload}).status_code < 500


@FUZZ_SETTINGS
@given(
    document=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=12), children, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_fuzz_json_values_never_cause_a_server_error(client, document):
    for envelope in (document, {"yaml": document}, {"manifest": document, "name": document}):
        for url in ("/api/scenarios/validate", "/api/scenarios/from-manifest"):
            response = client.post(url, json.dumps(envelope), content_type="application/json")
            assert response.status_code < 500, (url, envelope)
