"""The editor's Run through the real views: anyone runs the text as typed, unsaved, with CSRF
enforced and within the limits on runs; saving still needs a login; every refusal is JSON in the
page's language, naming the field and what to do."""

import json

import pytest
from django.test import AsyncClient

from runs import durable
from scenarios import store as scenario_store
from scenarios.editor_views import NEW_SCENARIO_TEXT
from scenarios.models import SavedScenario

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("database_thread_closed", "run_manager"),
]

KOREAN = {"accept-language": "ko"}
UNSAVED = NEW_SCENARIO_TEXT.replace("name: my-scenario", "name: typed-here")


async def browser() -> AsyncClient:
    """An anonymous browser that opened the editor: CSRF enforced, its token in hand."""
    client = AsyncClient(enforce_csrf_checks=True)
    await client.get("/editor/")
    client.token = client.cookies["csrftoken"].value
    return client


async def run(client: AsyncClient, text: str, headers: dict | None = None):
    return await client.post(
        "/api/runs",
        json.dumps({"yaml": text}),
        content_type="application/json",
        headers={"X-CSRFToken": client.token, **(headers or {})},
    )


async def test_an_anonymous_visitor_runs_an_unsaved_scenario_and_presents_it(run_manager):
    client = await browser()
    response = await run(client, UNSAVED)
    assert response.status_code == 201
    run_id = response.json()["runId"]
    assert response["Location"] == response.json()["url"] == f"/runs/{run_id}/"
    assert [lane.name for lane in run_manager.get(run_id).scenario.variants] == [
        "readiness",
        "no-probes",
    ]
    record = await durable.aload(run_id)
    assert (record.scenario_text, record.scenario_slug) == (UNSAVED, "")
    page = (await client.get(f"/runs/{run_id}/")).content.decode()
    assert 'data-role="presenter"' in page
    assert not await SavedScenario.objects.aexists()


async def test_a_built_in_lesson_run_from_the_editor_keeps_its_slug():
    client = await browser()
    response = await run(client, scenario_store.preset_text("crashloop-backoff"))
    assert response.status_code == 201
    record = await durable.aload(response.json()["runId"])
    assert record.scenario_slug == "crashloop-backoff"
    edited = scenario_store.preset_text("crashloop-backoff") + "# mine\n"
    response = await run(client, edited)
    assert (await durable.aload(response.json()["runId"])).scenario_slug == ""


async def test_run_without_the_csrf_token_is_refused(run_manager):
    client = await browser()
    response = await client.post(
        "/api/runs", json.dumps({"yaml": UNSAVED}), content_type="application/json"
    )
    assert response.status_code == 403
    assert len(run_manager) == 0


async def test_an_anonymous_save_is_refused_with_the_login_page_in_korean():
    client = await browser()
    response = await client.post(
        "/api/scenarios",
        json.dumps({"yaml": UNSAVED}),
        content_type="application/json",
        headers={"X-CSRFToken": client.token, **KOREAN},
    )
    assert response.status_code == 403
    body = response.json()
    assert body["login"] == "/accounts/login/?next=/editor/"
    assert body["error"] == "시나리오를 저장하거나 가져오려면 로그인하세요: " + body["login"]
    assert not await SavedScenario.objects.aexists()


@pytest.mark.parametrize(
    ("headers", "headline"),
    [
        ({}, "Not run: this scenario has problems. Fix each field listed, then press Run again."),
        (KOREAN, "실행하지 않았습니다: 이 시나리오에 문제가 있습니다."),
    ],
)
async def test_an_invalid_scenario_is_refused_naming_the_field(run_manager, headers, headline):
    client = await browser()
    response = await run(client, UNSAVED.replace("replicas: 2", "replicas: 300"), headers)
    assert response.status_code == 400
    body = response.json()
    assert body["error"].startswith(headline)
    assert [problem["path"] for problem in body["problems"]] == ["spec.workload.spec.replicas"]
    assert "must be less than or equal to 250" in body["problems"][0]["message"]
    assert len(run_manager) == 0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "you already have 1 runs open here, the most one address may have"),
        (KOREAN, "여기에 이미 1개의 실행이 열려 있으며"),
    ],
)
async def test_past_the_runs_of_one_address_the_refusal_says_what_to_do(
    run_manager, settings, headers, expected
):
    settings.PODVIZ_LIMITS = {"runs_per_client": 1}
    client = await browser()
    assert (await run(client, UNSAVED)).status_code == 201
    # Another browser at the same address: a fresh session does not make room.
    other = await browser()
    refused = await run(other, UNSAVED, headers)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert expected in refused.json()["error"]
    assert len(run_manager) == 1


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "shorten spec.duration to at most 250 s"),
        (KOREAN, "spec.duration을 250초 이하로 줄이거나"),
    ],
)
async def test_a_run_too_large_names_the_duration_that_fits(
    run_manager, settings, headers, expected
):
    settings.PODVIZ_LIMITS = {"run_pod_seconds": 1000}  # 2 pods × 600 s × 2 variants
    client = await browser()
    refused = await run(client, UNSAVED, headers)
    assert refused.status_code == 429
    assert expected in refused.json()["error"]
    assert len(run_manager) == 0


async def test_a_body_that_is_not_a_scenario_is_a_4xx_in_json():
    client = await browser()
    for body, content_type in [("{", "application/json"), ("[1]", "text/yaml"), ("", "")]:
        response = await client.generic(
            "POST", "/api/runs", body, content_type, headers={"X-CSRFToken": client.token}
        )
        assert 400 <= response.status_code < 500
        assert response.json()["error"]
