"""The check and sweep pages through Django's test client: real engine runs, bad input 400."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from runs.manager import get_run_manager
from simulator.advisor.examples import EXAMPLES

MANIFESTS = Path(__file__).resolve().parents[1] / "advisor" / "manifests"


def test_check_page_shows_drills_and_a_verified_finding(client):
    manifest = EXAMPLES["storefront"].read_text()
    response = client.post("/check/", {"manifest": manifest, "rps": "20"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-workload="Deployment/storefront"' in page
    assert 'data-drill="dependency-outage"' in page
    assert 'data-rule="liveness-checks-dependency"' in page
    assert "verified by the dependency-outage drill" in page
    assert "requestsPerSecond=20.0" in page
    # The Service takes part: the page says which pods it selects.
    assert re.search(
        r'data-service="Service/storefront">[^<]*<code>Deployment/storefront</code>', page
    )


def test_check_page_labels_each_suggestion_with_its_verdict(client):
    page = client.post("/check/", {"manifest": (MANIFESTS / "mixed.yaml").read_text()})
    text = page.content.decode()
    # The gateway's faster readiness loses as many requests as before: not verified.
    assert '<p class="verification" data-verdict="no-gain">no measurable gain in the app' in text
    assert '<p class="verification" data-verdict="verified">verified by the rolling-update' in text


def test_check_page_says_a_blocked_workloads_probe_fixes_cannot_help(client):
    manifest = (MANIFESTS / "service-typo.yaml").read_text()
    text = client.post("/check/", {"manifest": manifest}).content.decode()
    assert re.search(
        r'<p class="blocked" role="alert" data-rule="service-selects-nothing" '
        r'data-object="Service/petclinic">blocked by service-selects-nothing',
        text,
    )
    assert '<p class="verification" data-verdict="blocked">cannot help until' in text
    assert text.count('data-verdict="verified"') == 1  # the selector's own fix


def test_check_page_shows_a_service_that_selects_nothing_as_an_error(client):
    text = EXAMPLES["storefront"].read_text()
    manifest = text.replace("selector: {app: storefront}\n", "selector: {app: storefrnt}\n")
    assert manifest != text
    page = client.post("/check/", {"manifest": manifest}).content.decode()
    assert 'data-rule="service-selects-nothing"' in page
    assert "no pod: every request through it fails" in page


def test_check_page_says_what_it_cannot_judge_above_the_drills(client):
    manifest = EXAMPLES["storefront"].read_text() + (
        "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"
        "metadata: {name: storefront}\nspec:\n"
        "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: storefront}\n"
        "  minReplicas: 2\n  maxReplicas: 5\n"
    )
    page = client.post("/check/", {"manifest": manifest}).content.decode()
    assert 'id="cannot-judge"' in page
    assert "HorizontalPodAutoscaler/storefront" in page
    assert page.index('id="cannot-judge"') < page.index("<table")


def test_check_page_offers_an_example_that_fills_the_form(client):
    page = client.get("/check/").content.decode()
    assert 'href="?example=storefront"' in page
    filled = client.get("/check/?example=storefront").content.decode()
    assert "name: storefront" in filled and "livenessProbe:" in filled
    # An unknown example is the empty form, not an error.
    empty = client.get("/check/?example=../../settings").content.decode()
    assert "livenessProbe:" not in empty


def test_check_page_speaks_korean(client):
    manifest = EXAMPLES["storefront"].read_text()
    response = client.post("/check/", {"manifest": manifest}, headers={"accept-language": "ko"})
    assert "훈련으로 검증" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"manifest": "kind: ConfigMap\nmetadata: {name: x}\n"}, "no Deployment, Pod or Job"),
        ({"manifest": "a: [1, 2\n"}, "YAML syntax error"),
        ({"manifest": "kind: Pod\n", "rps": "fast"}, "rps: Invalid value"),
        ({"manifest": "x" * (256 * 1024 + 1)}, "manifest: Too long"),
        (
            {"manifest": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n"},
            "containers",
        ),
    ],
)
def test_check_page_answers_bad_input_with_400_naming_the_problem(client, fields, expected):
    response = client.post("/check/", fields)
    assert response.status_code == 400
    assert expected in response.content.decode()


def test_sweep_page_runs_every_cell_and_embeds_them(client):
    response = client.get(
        "/sweep/",
        {
            "scenario": "seed-story",
            "vary": ["readinessProbe.periodSeconds=5,10", "readinessProbe.failureThreshold=1,3"],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('id="sweep-data"')
    data = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    assert [axis["field"] for axis in data["axes"]] == [
        "readinessProbe.periodSeconds",
        "readinessProbe.failureThreshold",
    ]
    assert len(data["cells"]) == 4 * 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"scenario": "nope", "vary": "readinessProbe.periodSeconds=5"}, "scenario: Unsupported"),
        ({"scenario": "seed-story", "vary": "image=5"}, "unsupported field"),
        (
            {
                "scenario": "seed-story",
                "vary": "readinessProbe.periodSeconds=" + ",".join(map(str, range(1, 30))),
            },
            "Too many",
        ),
        ({"scenario": "seed-story", "vary": "startupProbe.periodSeconds=5"}, "no startupProbe"),
    ],
)
def test_sweep_page_answers_bad_input_with_400(client, query, expected):
    response = client.get("/sweep/", query)
    assert response.status_code == 400
    assert expected in response.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_a_cell_opens_a_run_of_the_cell_beside_its_baseline(async_client):
    response = await async_client.post(
        "/sweep/cell",
        {
            "scenario": "seed-story",
            "variant": "readiness",
            "values": json.dumps({"readinessProbe.periodSeconds": 2}),
        },
    )
    assert response.status_code == 302
    run_id = response["Location"].rstrip("/").split("/")[-1]
    run = get_run_manager().get(run_id)
    lanes = [variant.name for variant in run.scenario.variants]
    assert lanes == ["readiness", "cell"]
    baseline, cell = run.scenario.variants
    assert baseline.workload.template.containers[0].readiness_probe.period_seconds == 10
    assert cell.workload.template.containers[0].readiness_probe.period_seconds == 2
    await get_run_manager().stop_all()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {
                "scenario": "seed-story",
                "variant": "nope",
                "values": '{"readinessProbe.periodSeconds": 2}',
            },
            "variant: Not found",
        ),
        (
            {"scenario": "seed-story", "variant": "readiness", "values": "{"},
            "values: Invalid value",
        ),
        (
            {"scenario": "seed-story", "variant": "readiness", "values": "[1]"},
            "values: Invalid value",
        ),
        (
            {
                "scenario": "seed-story",
                "variant": "readiness",
                "values": '{"readinessProbe.periodSeconds": -3}',
            },
            "periodSeconds",
        ),
    ],
)
def test_a_bad_cell_is_400(client, fields, expected):
    response = client.post("/sweep/cell", fields)
    assert response.status_code == 400
    assert expected in response.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_the_run_page_links_a_report_of_its_scenario(async_client):
    started = await async_client.post("/scenarios/seed-story/run")
    run_page = await async_client.get(started["Location"])
    run_id = started["Location"].rstrip("/").split("/")[-1]
    assert f'href="/runs/{run_id}/report"' in run_page.content.decode()
    report = await async_client.get(f"/runs/{run_id}/report")
    assert report.status_code == 200
    assert report["Content-Disposition"] == 'attachment; filename="seed-story.html"'
    page = report.content.decode()
    assert "Predicted damage" in page and "Plotly.newPlot" in page
    assert (await async_client.get("/runs/gone/report")).status_code == 404
    await get_run_manager().stop_all()


def test_the_pages_chrome_speaks_korean(client):
    korean = {"accept-language": "ko"}
    assert "매니페스트 검사" in client.get("/check/", headers=korean).content.decode()
    assert "Probe 설정 스윕" in client.get("/sweep/", headers=korean).content.decode()


def test_check_page_names_the_object_not_standard_input(client):
    manifest = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - name: app\n    image: x\n"
        "    readinessProbe: {httpGet: {path: /, port: 80}, failureTreshold: 3}\n"
    )
    response = client.post("/check/", {"manifest": manifest})
    assert response.status_code == 400
    problems = response.content.decode()
    assert "<li>Pod/p: spec.containers[0].readinessProbe.failureTreshold" in problems
    assert "did you mean &quot;failureThreshold&quot;" in problems
    assert "<li>-:" not in problems


@pytest.mark.django_db(transaction=True)
async def test_a_report_of_a_run_held_by_another_process_comes_from_its_record(async_client):
    from runs import durable
    from scenarios import store as scenario_store

    await durable.acreate(
        "elsewhere",
        slug="crashloop-backoff",
        text=scenario_store.preset_text("crashloop-backoff"),
        title={"en": "crash loop"},
        snapshot=durable.RunSnapshot((), 30.0, 1.0, True),
        owner_channel="specific.another-process!x",
    )
    report = await async_client.get("/runs/elsewhere/report")
    assert report.status_code == 200
    assert report["Content-Disposition"] == 'attachment; filename="crashloop-backoff.html"'


def test_check_page_counts_read_with_thousands_separators(client):
    manifest = EXAMPLES["storefront"].read_text()
    page = client.post("/check/", {"manifest": manifest}).content.decode()
    row = page[page.index('data-drill="dependency-outage"') :].split("</tr>")[0]
    assert "<td>15,000</td>" in row


@pytest.mark.parametrize(("language", "word"), [("en", "Setting"), ("ko", "설정")])
def test_sweep_page_tells_its_settings_apart(client, language, word):
    page = client.get("/sweep/", headers={"accept-language": language}).content.decode()
    labels = re.findall(r'<label for="vary-\d+">([^<]*)</label>', page)
    assert [label.split(":")[0] for label in labels] == [f"{word} 1", f"{word} 2"]
