"""A teacher and a student in two browser contexts (no shared cookies) on one class run."""

import re

import pytest
from playwright.sync_api import expect

from ..servers import Daphne
from .run_page import WAIT_MS, start_run

pytestmark = pytest.mark.e2e


@pytest.fixture
def student(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, f"console errors: {problems}"


def test_the_class_follows_the_teacher_and_a_student_forks_and_returns(
    page, student, live_server_url
):
    class_url = start_run(page, live_server_url)
    expect(page.locator("#classroom")).to_have_attribute("data-role", "presenter")
    code = page.locator("#join-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)

    # The student joins with the code and follows: no controls, the teacher's clock.
    student.goto(f"{live_server_url}/join")
    student.locator("#join-code-input").fill(code.lower())
    student.locator("#join-code-input").press("Enter")
    student.wait_for_url(class_url)
    student.wait_for_function("() => window.podviz.statesReceived > 0", timeout=WAIT_MS)
    assert student.evaluate("window.podviz.role") == "follower"
    expect(student.locator("#play-pause")).to_be_hidden()
    expect(student.locator("#fault-form")).to_be_hidden()
    expect(page.locator("#followers")).to_have_attribute("data-count", "1", timeout=WAIT_MS)

    page.locator("#play-pause").click()
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
    paused_at = page.evaluate("window.podviz.time")
    student.wait_for_function(
        "(time) => !window.podviz.playing && window.podviz.drawnTime === time",
        arg=paused_at,
        timeout=WAIT_MS,
    )
    # The student's chart shows the teacher's run up to the teacher's time (one point a second).
    drawn = student.evaluate(
        "Math.max(...document.querySelector('.js-plotly-plot').data.flatMap((t) => t.x || []))"
    )
    assert paused_at - 2 <= drawn <= paused_at

    # A command from the student is refused, and the teacher's run does not move.
    student.evaluate("window.podviz.send({type: 'play'})")
    student.wait_for_function(
        "() => window.podviz.errors.some((e) => e.code === 'forbidden')", timeout=WAIT_MS
    )
    expect(student.locator("#notices")).to_contain_text("only the presenter")
    assert page.evaluate("window.podviz.playing") is False

    # Fork: the student's own copy at the same moment, with controls; then back to the class.
    student.locator("#fork").click()
    student.wait_for_url(re.compile(r".*/runs/(?!" + re.escape(class_url.split("/")[-2]) + ").*"))
    student.wait_for_function("() => window.podviz.statesReceived > 0", timeout=WAIT_MS)
    assert student.evaluate("window.podviz.role") == "presenter"
    assert student.evaluate("window.podviz.time") == pytest.approx(paused_at)
    expect(student.locator("#play-pause")).to_be_visible()
    student.evaluate("window.podviz.send({type: 'play'})")
    student.wait_for_function("() => window.podviz.playing", timeout=WAIT_MS)
    assert page.evaluate("window.podviz.playing") is False
    student.locator("#return-to-class").click()
    student.wait_for_url(class_url)
    student.wait_for_function("() => window.podviz.statesReceived > 0", timeout=WAIT_MS)
    assert student.evaluate("window.podviz.role") == "follower"
    assert student.evaluate("window.podviz.time") == pytest.approx(paused_at)


def test_predict_then_reveal_in_korean(page, student, live_server_url):
    for browser_page in (page, student):
        browser_page.context.add_cookies(
            [{"name": "django_language", "value": "ko", "url": live_server_url}]
        )
    page.goto(f"{live_server_url}/scenarios/seed-story/play?t=115")
    page.wait_for_function("() => window.podviz.statesReceived > 0", timeout=WAIT_MS)
    student.goto(page.url)
    student.wait_for_function("() => window.podviz.statesReceived > 0", timeout=WAIT_MS)

    page.locator("#ask-question").select_option("node-down-no-probes")
    page.locator("#ask").click()
    expect(student.locator(".poll-question")).to_contain_text("60초에 node2가 죽었습니다")
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
    student.locator("#answer-value").fill("35")
    student.locator("#answer").click()
    expect(page.locator("#answer-count")).to_contain_text("1", timeout=WAIT_MS)

    page.locator("#reveal").click()
    for browser_page in (page, student):
        expect(browser_page.locator("#reveal-result")).to_be_visible(timeout=WAIT_MS)
        bars = browser_page.locator(".histogram .bar")
        assert bars.count() == 10
        assert bars.nth(3).get_attribute("data-count") == "1"
        assert bars.nth(3).bounding_box()["height"] > 0
        expect(browser_page.locator(".measured")).to_contain_text("50.8 %")
        expect(browser_page.locator(".histogram .measured-line")).to_be_visible()
        # The scale under the bars: 0, 20, ... 100 %.
        assert browser_page.locator(".histogram-labels span").all_inner_texts() == [
            "0",
            "20",
            "40",
            "60",
            "80",
            "100 %",
        ]


def test_a_following_page_resyncs_by_itself_after_the_server_restarts(browser, tmp_path):
    server = Daphne(tmp_path, tmp_path / "restart.sqlite3", {}, "restart").start()
    teacher = browser.new_context()
    follower = browser.new_context()
    try:
        presenter_page = teacher.new_page()
        presenter_page.goto(f"{server.url}/scenarios/seed-story/play?t=200")
        presenter_page.wait_for_function("() => window.podviz.statesReceived > 0", timeout=WAIT_MS)
        presenter_page.evaluate("window.podviz.send({type: 'pause'})")
        presenter_page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
        paused_at = presenter_page.evaluate("window.podviz.time")
        page = follower.new_page()
        page.goto(presenter_page.url)
        page.wait_for_function("() => window.podviz.statesReceived > 0", timeout=WAIT_MS)

        server.kill()
        page.wait_for_function("() => !window.podviz.connected", timeout=WAIT_MS)
        server.start()
        page.wait_for_function(
            "(time) => window.podviz.statesReceived > 1 && window.podviz.connected"
            " && window.podviz.drawnTime === time",
            arg=paused_at,
            timeout=WAIT_MS,
        )
        drawn = page.evaluate(
            "Math.max(...document.querySelector('.js-plotly-plot').data.flatMap((t) => t.x || []))"
        )
        assert paused_at - 2 <= drawn <= paused_at
        assert page.evaluate("window.podviz.role") == "follower"
    finally:
        teacher.close()
        follower.close()
        server.stop()


def test_a_restarts_question_reveals_a_whole_count(page, live_server_url):
    page.goto(f"{live_server_url}/scenarios/crashloop-backoff/play?t=330")
    page.wait_for_function("() => window.podviz.statesReceived > 0", timeout=WAIT_MS)
    page.locator("#ask-question").select_option("restarts-by-320s")
    page.locator("#ask").click()
    expect(page.locator(".poll-unit")).to_have_text("RESTARTS")
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
    page.locator("#reveal").click()
    expect(page.locator("#reveal-result")).to_be_visible(timeout=WAIT_MS)
    # The engine's count of crash-1's restarts by 320 s (tests/podviz/test_questions.py).
    expect(page.locator(".measured")).to_contain_text("6 RESTARTS")
    expect(page.locator(".measured")).not_to_contain_text("6.0")


@pytest.mark.parametrize("projector", ["off", "on"])
def test_the_join_form_sets_its_label_apart_from_a_box_sized_for_the_code(
    page, live_server_url, projector
):
    page.goto(f"{live_server_url}/join")
    page.evaluate(f"localStorage.setItem('podviz.projector', '{projector}')")
    page.reload()
    page.locator("#join-code-input").fill("zzzzz")
    assert page.evaluate("document.documentElement.dataset.projector") == projector
    label = page.locator("label[for=join-code-input]").bounding_box()
    box = page.locator("#join-code-input").bounding_box()
    # The label stands clear of the box: above it, or beside it with a gap.
    above = label["y"] + label["height"] <= box["y"]
    beside = label["x"] + label["width"] + 8 <= box["x"]
    assert above or beside, (label, box)
    # The box holds the five-character code, without room for twice as many.
    text_width = page.evaluate(
        """() => {
          const input = document.getElementById("join-code-input");
          const style = getComputedStyle(input);
          const canvas = document.createElement("canvas").getContext("2d");
          canvas.font = `${style.fontSize} ${style.fontFamily}`;
          const spacing = parseFloat(style.letterSpacing) || 0;
          return canvas.measureText("WWWWW").width + 5 * spacing;
        }"""
    )
    inner = page.evaluate(
        """() => {
          const input = document.getElementById("join-code-input");
          const style = getComputedStyle(input);
          return input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        }"""
    )
    assert text_width <= inner <= 1.6 * text_width, (text_width, inner)
    assert page.locator("#join-code-input").input_value() == "zzzzz"
