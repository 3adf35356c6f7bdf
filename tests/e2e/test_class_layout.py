"""A class round on a projector and on a laptop: Reveal can be clicked, the errors panels and the
class code stay in the first screen, the page never scrolls sideways nor moves when the clock's
badge changes, and the drawn histogram puts each answer in its bin with the student's own guess
marked on their screen."""

import pytest

from .run_page import WAIT_MS, lane_geometry, start_run

pytestmark = pytest.mark.e2e

QUESTION = "node-down-no-probes"  # 0–100 %, ten bins of 10


@pytest.fixture
def student(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, f"console errors: {problems}"


def in_first_screen(page, selector, height):
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def top_of_lanes(page):
    return page.evaluate("document.querySelector('.lanes').getBoundingClientRect().top")


@pytest.mark.parametrize("theme", ["projector", "light"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_reveal_is_clickable_and_draws_the_answers(page, student, live_server_url, size, theme):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server_url + "/")
    page.evaluate(
        "(on) => localStorage.setItem('podviz.projector', on)",
        "on" if theme == "projector" else "off",
    )
    class_url = start_run(page, live_server_url)
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
    code = page.locator("#join-code").inner_text()
    assert in_first_screen(page, "#join-code", height)
    # No question open: its close button is nowhere (it once sat over the Report link).
    assert page.locator("#poll-close").is_hidden()
    # The page with the code and the QR code fits one screen (here with its loopback warning).
    code_page = page.context.new_page()
    code_page.set_viewport_size({"width": width, "height": height})
    code_page.goto(live_server_url + page.locator("#class-view").get_attribute("href"))
    assert code_page.locator("#loopback-warning").is_visible()
    assert code_page.evaluate("document.documentElement.scrollHeight") <= height
    assert code_page.evaluate("document.documentElement.scrollWidth") <= width
    code_page.close()

    # The clock's badge changes: nothing below it moves.
    before = top_of_lanes(page)
    page.evaluate("window.podviz.send({type: 'play'})")
    page.wait_for_function("() => window.podviz.playing", timeout=WAIT_MS)
    page.wait_for_function(
        "() => document.getElementById('connection').dataset.status === 'live'", timeout=WAIT_MS
    )
    assert top_of_lanes(page) == before
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)

    student.goto(f"{live_server_url}/join")
    student.locator("#join-code-input").fill(code)
    student.locator("#join-code-input").press("Enter")
    student.wait_for_url(class_url)
    student.wait_for_function("() => window.podviz.statesReceived > 0", timeout=WAIT_MS)

    page.locator("#ask-question").select_option(QUESTION)
    page.locator("#ask").click()
    student.locator("#answer-value").fill("35")
    student.locator("#answer").click()
    page.locator("#answer-count").filter(has_text="1").wait_for(timeout=WAIT_MS)

    # Reveal is on screen, and it is Reveal (not the question's text) under its centre.
    page.evaluate("window.scrollTo(0, 0)")
    assert in_first_screen(page, "#reveal", height)
    box = page.locator("#reveal").bounding_box()
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.id",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert hit == "reveal"
    if theme == "projector":
        for lane in lane_geometry(page):
            errors = lane["plots"][1]  # the errors panel, under the traffic share
            assert errors["y"] < height, "errors panel below the first screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("#reveal").click()

    for viewer in (page, student):
        viewer.locator("#reveal-result").wait_for(state="visible", timeout=WAIT_MS)
    bars = student.evaluate(
        """() => [...document.querySelectorAll('#reveal-result .histogram .bar')].map(bar => {
            const box = bar.getBoundingClientRect();
            return {count: Number(bar.dataset.count), left: box.left, right: box.right,
                    height: box.height};
        })"""
    )
    assert [bar["count"] for bar in bars] == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]  # 35 % in 30–40
    assert bars[3]["height"] > max(bar["height"] for i, bar in enumerate(bars) if i != 3)
    # The labels sit on their bin edges: "40" centred on the edge between bins 3 and 4.
    label = student.evaluate(
        """() => { const span = [...document.querySelectorAll(
                '#reveal-result .histogram-labels span')].find(span => span.textContent === '40');
            const box = span.getBoundingClientRect(); return box.left + box.width / 2; }"""
    )
    assert abs(label - bars[3]["right"]) <= 2, (label, bars[3])
    own = student.locator("#reveal-result .own-guess").bounding_box()
    assert own is not None and bars[3]["left"] <= own["x"] <= bars[3]["right"]
    assert page.locator("#reveal-result .own-guess").count() == 0  # the presenter did not answer
    # After class: the results as CSV, counts per bin, no one's name or session.
    with page.expect_download() as download:
        page.locator("#class-results").click()
    rows = download.value.path().read_text().splitlines()
    assert rows[0] == "question,text,guesses,measured,unit,from,to,count"
    assert len(rows) == 11 and all(row.startswith(QUESTION + ",") for row in rows[1:])
    assert rows[4].endswith(",30,40,1")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("slug", ["liveness-shared-dependency", "seed-story"])
def test_no_chart_shows_more_than_a_dozen_marker_labels(page, live_server_url, slug):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server_url}/scenarios/{slug}/play")
    page.wait_for_function("() => window.podviz && window.podviz.statesReceived > 0")
    page.evaluate("window.podviz.send({type: 'end'})")
    page.wait_for_function(
        "() => window.podviz.finished && window.podviz.drawnTime === window.podviz.duration",
        timeout=WAIT_MS,
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('.lane')].every(lane =>"
        " lane.querySelectorAll('.marker-label').length > 0)",
        timeout=WAIT_MS,
    )
    counts = page.evaluate(
        """() => [...document.querySelectorAll('.lane')].map(lane => ({
            labels: lane.querySelectorAll('.marker-label').length,
            lines: lane.querySelectorAll('.marker-line').length}))"""
    )
    assert all(count["labels"] <= 12 for count in counts), counts
    if slug == "liveness-shared-dependency":
        assert any(count["lines"] > 12 for count in counts), counts  # every event still drawn
