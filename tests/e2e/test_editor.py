"""The scenario editor in the browser: paste a manifest, see a problem inline, fix it, save,
reload, run; run an unsaved scenario without logging in; refusals in the page's language."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from playwright.sync_api import Page

from .conftest import EDITOR_USER
from .run_page import WAIT_MS, lane_count, share_traces, switch_language

pytestmark = pytest.mark.e2e

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports:
        - containerPort: 8080
        livenessProbe:
          httpGet: {path: /healthz, port: 8080}
          periodSeconds: 10
"""
LIVENESS_PATH = "spec.workload.spec.template.spec.containers[0].livenessProbe"


def wait_checked(page: Page, text_contains: str = "") -> dict:
    """Until the server has checked the editor's current text; its problems."""
    page.wait_for_function(
        """() => {
            const hooks = window.podvizEditor;
            return hooks && hooks.checkedText === hooks.cm.getValue();
        }""",
        timeout=WAIT_MS,
    )
    return page.evaluate("window.podvizEditor.problems")


def editor_text(page: Page) -> str:
    return page.evaluate("window.podvizEditor.cm.getValue()")


def set_editor_text(page: Page, text: str) -> None:
    page.evaluate("(text) => window.podvizEditor.cm.setValue(text)", text)


def wait_run_drawn(page):
    """Until the run page Run led to has its first state and points in its first lane's chart."""
    page.wait_for_url("**/runs/*/")
    page.wait_for_function(
        """() => window.podviz && window.podviz.statesReceived > 0
            && document.getElementById('lane-chart-0').data
            && document.getElementById('lane-chart-0').data.some(trace => trace.x.length > 0)""",
        timeout=WAIT_MS,
    )


def test_paste_a_manifest_fix_a_problem_save_reload_and_run(page, live_server_url):
    page.goto(live_server_url + "/")
    page.locator("#new-scenario").click()
    page.wait_for_url("**/editor/")
    # Saving needs a user: the editor offers to log in, and brings the user back.
    page.locator("#login-notice a").click()
    page.wait_for_url("**/accounts/login/**")
    page.locator("#id_username").fill(EDITOR_USER[0])
    page.locator("#id_password").fill(EDITOR_USER[1])
    page.locator("button[type=submit].primary").click()
    page.wait_for_url("**/editor/")
    assert "Logged in as editor." in page.locator(".editor-account").inner_text()
    assert wait_checked(page) == []

    page.locator("#manifest-panel summary").click()
    page.locator("#manifest-text").fill(DEPLOYMENT)
    page.locator("#manifest-name").fill("shop-editor")
    page.locator("#manifest-build").click()
    page.wait_for_function("() => window.podvizEditor.cm.getValue().includes('name: shop-editor')")
    assert "kind: Deployment" in editor_text(page)
    assert wait_checked(page) == []

    good = editor_text(page)
    lines = good.split("\n")
    period_line = next(i for i, line in enumerate(lines) if line.strip() == "periodSeconds: 10")
    indent = lines[period_line][: len(lines[period_line]) - len(lines[period_line].lstrip())]
    lines.insert(period_line + 1, f"{indent}successThreshold: 2")
    set_editor_text(page, "\n".join(lines))
    problems = wait_checked(page)
    assert [problem["path"] for problem in problems] == [f"{LIVENESS_PATH}.successThreshold"]
    assert problems[0]["line"] == period_line + 2
    assert page.locator("#editor-status").get_attribute("data-state") == "invalid"
    item = page.locator("#problems .problem")
    assert f"{LIVENESS_PATH}.successThreshold" in item.inner_text()
    assert f"line {period_line + 2}" in item.inner_text()
    item.click()  # jumps to the line, which CodeMirror then draws with its marks
    cursor_line = page.evaluate("window.podvizEditor.cm.getCursor().line")
    assert cursor_line == period_line + 1
    page.locator(".CodeMirror-lint-marker-error").first.wait_for()
    underlined = page.locator(".CodeMirror-lint-mark-error").first
    assert underlined.inner_text() == "2"  # the value the server refused

    set_editor_text(page, good)
    assert wait_checked(page) == []
    page.locator("#save").click()
    page.wait_for_function("() => window.podvizEditor.saves === 1", timeout=WAIT_MS)
    assert page.url.endswith("/editor/shop-editor/")
    assert "/scenarios/shop-editor/play?t=0&speed=1" in page.locator("#permalink").input_value()

    page.reload()
    wait_checked(page)
    assert editor_text(page) == good

    page.locator("#run").click()
    wait_run_drawn(page)
    assert page.evaluate("window.podviz.lanes.length") == 3


def test_a_pasted_manifest_with_an_autoscaler_says_above_run_what_it_cannot_judge(
    page, live_server_url
):
    page.goto(live_server_url + "/editor/")
    assert page.locator("#cannot-judge").is_hidden()
    page.locator("#manifest-panel summary").click()
    page.locator("#manifest-text").fill(
        DEPLOYMENT
        + "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: shop}\n"
        + "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}, "
        + "maxReplicas: 4}\n"
    )
    page.locator("#manifest-build").click()
    notice = page.locator("#cannot-judge")
    notice.wait_for(state="visible", timeout=WAIT_MS)
    assert "HorizontalPodAutoscaler" in notice.inner_text()
    # Above the Run button, where it is read before a run.
    assert notice.bounding_box()["y"] < page.locator("#run").bounding_box()["y"]


def test_a_variant_written_by_the_form_is_a_valid_lane(page, live_server_url):
    page.goto(live_server_url + "/editor/")
    wait_checked(page)
    page.locator("#variant-panel summary").click()
    page.locator("#variant-name").fill("http-liveness")
    page.locator("#variant-title").fill("httpGet liveness")
    page.locator("#probe-type").select_option("livenessProbe")
    page.locator("#probe-mode").select_option("set")
    page.locator("#probe-path").fill("/healthz")
    page.locator("#probe-port").fill("8080")
    page.locator("#probe-periodSeconds").fill("10")
    page.locator("#probe-failureThreshold").fill("3")
    page.locator("#probe-type").select_option("startupProbe")
    page.locator("#probe-mode").select_option("remove")
    page.locator("#variant-write").click()
    assert wait_checked(page) == []
    text = editor_text(page)
    assert (
        "  - name: http-liveness\n"
        '    title: "httpGet liveness"\n'
        "    probes:\n"
        '      livenessProbe: {httpGet: {path: "/healthz", port: 8080}, periodSeconds: 10, '
        "failureThreshold: 3}\n"
        "      startupProbe: null\n"
    ) in text
    names = page.evaluate("window.podvizEditor.variantNames")
    assert names == ["readiness", "no-probes", "http-liveness"]

    # Writing the same name again replaces that variant, leaving the others alone.
    page.locator("#probe-type").select_option("livenessProbe")
    page.locator("#probe-handler").select_option("tcpSocket")
    page.locator("#variant-write").click()
    assert wait_checked(page) == []
    text = editor_text(page)
    assert text.count("name: http-liveness") == 1
    tcp_liveness = (
        "livenessProbe: {tcpSocket: {port: 8080}, periodSeconds: 10, failureThreshold: 3}"
    )
    assert tcp_liveness in text
    assert page.evaluate("window.podvizEditor.variantNames") == [
        "readiness",
        "no-probes",
        "http-liveness",
    ]


def test_an_invalid_document_is_not_saved_and_the_text_stays(page, live_server_url):
    page.goto(live_server_url + "/editor/")
    wait_checked(page)
    broken = editor_text(page).replace("replicas: 2", "replicas: 300")
    set_editor_text(page, broken)
    problems = wait_checked(page)
    assert [problem["path"] for problem in problems] == ["spec.workload.spec.replicas"]
    page.locator("#save").click()
    page.wait_for_function("() => window.podvizEditor.message.includes('replicas')")
    assert editor_text(page) == broken
    assert page.evaluate("window.podvizEditor.saves") == 0


def test_an_anonymous_visitor_runs_the_unsaved_text_and_its_charts_draw(page, live_server_url):
    page.goto(live_server_url + "/editor/")
    assert "Anyone may check and run a scenario here" in page.locator("#login-notice").inner_text()
    wait_checked(page)
    typed = (
        editor_text(page)
        .replace("name: my-scenario", "name: typed-here")
        .replace("en: My scenario", "en: Typed here")
    )
    set_editor_text(page, typed)
    assert wait_checked(page) == []
    page.locator("#run").click()
    wait_run_drawn(page)
    assert page.locator("h1").inner_text() == "Typed here"
    assert page.locator("#run").get_attribute("data-role") == "presenter"
    assert lane_count(page) == 2  # the two variants typed: readiness, no-probes
    assert {"web-1", "web-2"} <= set(share_traces(page, 0))


@pytest.mark.parametrize(
    ("language", "not_run", "log_in"),
    [
        ("en", "Not run: this scenario has problems.", "Log in"),
        ("ko", "실행하지 않았습니다: 이 시나리오에 문제가 있습니다.", "로그인"),
    ],
)
def test_a_refused_run_and_save_say_why_in_the_page_s_language(
    page, live_server_url, language, not_run, log_in
):
    switch_language(page, live_server_url, language)
    page.goto(live_server_url + "/editor/")
    good = editor_text(page)
    wait_checked(page)
    broken = good.replace("replicas: 2", "replicas: 300")
    set_editor_text(page, broken)
    assert [problem["path"] for problem in wait_checked(page)] == ["spec.workload.spec.replicas"]
    page.locator("#run").click()
    page.wait_for_function(
        "(text) => window.podvizEditor.message.startsWith(text)", arg=not_run, timeout=WAIT_MS
    )
    message = page.locator("#editor-message")
    assert message.get_attribute("data-kind") == "error"
    assert "spec.workload.spec.replicas" in message.inner_text()
    assert page.url == live_server_url + "/editor/"
    assert editor_text(page) == broken

    # Saving needs a login: the refusal links the login page, with the text left as it was.
    set_editor_text(page, good)
    assert wait_checked(page) == []
    page.locator("#save").click()
    page.wait_for_function(
        "() => document.querySelector('#editor-message a[href^=\"/accounts/login/\"]')",
        timeout=WAIT_MS,
    )
    assert message.locator("a").inner_text() == log_in
    assert "/accounts/login/" not in message.inner_text()
    assert editor_text(page) == good


# Static files are served under their hashed names only.
WRITE_VARIANT = """async ([text, variant, url]) => {
    const module = await import(url);
    try {
        return module.writeVariant(text, variant);
    } catch (error) {
        return {error: error.message};
    }
}"""


def editor_variant_url() -> str:
    return staticfiles_storage.url("podviz/editor_variant.js")


VARIANT = {"name": "tcp", "probes": {"livenessProbe": {"tcpSocket": {"port": 80}}}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "kind: Scenario\nspec:\n  duration: 60\n\n# end\n",
            "kind: Scenario\nspec:\n  duration: 60\n  variants:\n  - name: tcp\n"
            "    probes:\n      livenessProbe: {tcpSocket: {port: 80}}\n\n# end\n",
        ),
        (
            "spec:\n  variants: []  # none yet\nnext: 1\n",
            "spec:\n  variants:\n  - name: tcp\n    probes:\n"
            "      livenessProbe: {tcpSocket: {port: 80}}\nnext: 1\n",
        ),
        (
            "spec:\n    variants:\n      - {name: tcp, probes: {}}\n      - name: b\n    seed: 1\n",
            "spec:\n    variants:\n      - name: tcp\n        probes:\n"
            "          livenessProbe: {tcpSocket: {port: 80}}\n      - name: b\n    seed: 1\n",
        ),
    ],
)
def test_write_variant_keeps_the_rest_of_the_text(page, live_server_url, text, expected):
    page.goto(live_server_url + "/editor/")
    assert page.evaluate(WRITE_VARIANT, [text, VARIANT, editor_variant_url()])["text"] == expected


def test_write_variant_refuses_a_flow_list(page, live_server_url):
    page.goto(live_server_url + "/editor/")
    answer = page.evaluate(
        WRITE_VARIANT, ["spec:\n  variants: [{name: a}]\n", VARIANT, editor_variant_url()]
    )
    assert "flow style" in answer["error"]
