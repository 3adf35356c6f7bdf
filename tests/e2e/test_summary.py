"""The summary table stays readable when a lesson has dozens of faults."""

import pytest

from .run_page import WAIT_MS, pause_at, start_run

pytestmark = pytest.mark.e2e


def test_many_recoveries_fold_into_a_list_and_the_table_fits_its_box(page, live_server_url):
    start_run(page, live_server_url)  # seed-story: a node failure at 60 s, a hang at 600 s
    # Four more hangs broken by hand: six disruptions in all.
    for number, at in enumerate((100, 140, 180, 220), start=1):
        pause_at(page, at)
        page.evaluate("window.podviz.send({type: 'inject', action: 'AppHang', pod: 'web-1'})")
        page.wait_for_function("(n) => window.podviz.injected.length === n", arg=number)
    page.evaluate("window.podviz.send({type: 'end'})")
    page.wait_for_function(
        "() => window.podviz.finished && window.podviz.drawnTime === window.podviz.duration",
        timeout=WAIT_MS,
    )
    fits = page.evaluate(
        """() => {
            const table = document.getElementById('summary');
            const box = table.closest('.table-scroll');
            return {table: table.scrollWidth, box: box.clientWidth};
        }"""
    )
    assert fits["table"] <= fits["box"], fits
    cells = page.locator("#summary tbody td.recovery")
    assert cells.count() == page.evaluate("window.podviz.lanes.length")
    first = cells.first
    summary = first.locator("summary")
    assert " of " in summary.text_content()
    count = int(summary.text_content().split(" of ")[1].split(",")[0])
    assert count == 6
    summary.click()
    items = first.locator(".recovery-list li")
    items.first.wait_for()
    assert items.count() == count
    listed = [items.nth(index).text_content() for index in range(count)]
    assert "NodeDown" in listed[0] and sum("AppHang" in item for item in listed) == 5, listed
    # The list stays open through the next redraws.
    page.evaluate("window.podviz.send({type: 'seek', time: 400})")
    page.wait_for_function("() => window.podviz.drawnTime === 400", timeout=WAIT_MS)
    assert first.locator("details").get_attribute("open") is not None


def test_the_failed_column_says_which_seconds_it_counts(page, live_server_url):
    # "Failed %" counts the lesson's score window while "Errors" counts everything since 0:00:
    # the heading says which seconds, the same the lanes' scores count (their data-window).
    start_run(page, live_server_url)
    pause_at(page, 150)
    windows = page.evaluate(
        "() => [...document.querySelectorAll('.lane-score')].map(e => e.dataset.window)"
    )
    assert windows and len(set(windows)) == 1 and windows[0], windows
    start, end = (int(second) for second in windows[0].split("-"))
    note = page.locator("#summary th.score-column .column-note")
    assert note.is_visible()
    assert note.text_content() == f"in {start // 60}:{start % 60:02d}–{end // 60}:{end % 60:02d}"
