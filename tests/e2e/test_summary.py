"""The summary table stays readable when a lesson has dozens of faults."""

import pytest

from .run_page import WAIT_MS

pytestmark = pytest.mark.e2e


def test_many_recoveries_fold_into_a_list_and_the_table_fits_its_box(page, live_server_url):
    page.goto(live_server_url + "/scenarios/liveness-shared-dependency/play")
    page.wait_for_function("() => window.podviz && window.podviz.statesReceived > 0")
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
    assert count > 3
    summary.click()
    items = first.locator(".recovery-list li")
    items.first.wait_for()
    assert items.count() == count
    assert "AppHang" in items.first.text_content()
    # The list stays open through the next redraws.
    page.evaluate("window.podviz.send({type: 'seek', time: 400})")
    page.wait_for_function("() => window.podviz.drawnTime === 400", timeout=WAIT_MS)
    assert first.locator("details").get_attribute("open") is not None
