"""The check and sweep pages in the browser: paste a manifest and read the findings; draw the
heatmaps, click a square, land on that cell's run beside its baseline."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .run_page import WAIT_MS

pytestmark = pytest.mark.e2e

MANIFESTS = Path(__file__).resolve().parents[1] / "advisor" / "manifests"


def test_check_page_pasted_manifest_gives_drills_and_findings(page, live_server_url):
    page.goto(f"{live_server_url}/check/")
    page.fill("#manifest", (MANIFESTS / "mixed.yaml").read_text())
    page.click("#check-submit")
    page.wait_for_selector("#check-result", timeout=WAIT_MS)
    rows = page.locator('table[data-workload="Deployment/render"] tbody tr')
    assert rows.count() == 6
    finding = page.locator('.finding[data-rule="no-readiness-probe"]')
    assert finding.is_visible()
    assert "verified by the rolling-update drill" in finding.inner_text()
    gateway = page.locator('.finding[data-rule="slow-hang-detection"] .verification')
    assert gateway.get_attribute("data-verdict") == "no-gain"
    assert gateway.inner_text().startswith("no measurable gain in the app-hang drill")
    assert "ConfigMap/settings" in page.locator("#check-result").inner_text()


def test_sweep_heatmap_click_opens_the_cells_run(page, live_server_url):
    page.goto(
        f"{live_server_url}/sweep/?scenario=seed-story"
        "&vary=readinessProbe.periodSeconds%3D2,5,10&vary=readinessProbe.failureThreshold%3D1,3,5"
    )
    page.wait_for_function(
        "() => document.querySelectorAll('.heatmap.js-plotly-plot').length === 4"
        " && document.querySelector('#heatmap-readiness g.hm image, #heatmap-readiness g.hm')",
        timeout=WAIT_MS,
    )
    drawn = page.evaluate(
        "() => { const div = document.getElementById('heatmap-readiness');"
        " return {x: div.data[0].x, z: div.data[0].z}; }"
    )
    assert drawn["x"] == ["2", "5", "10"]
    assert len(drawn["z"]) == 3 and all(len(row) == 3 for row in drawn["z"])
    # Error % grows with a slower readiness probe: period 10, threshold 5 is the worst square.
    assert drawn["z"][2][2] > drawn["z"][0][0]
    # One colour scale for every lane; a lane without a readiness probe says its squares are
    # all the same run, and offers none of them to open.
    scales = page.evaluate(
        "() => [...document.querySelectorAll('.heatmap.js-plotly-plot')]"
        ".map(div => [div.data[0].zmin, div.data[0].zmax])"
    )
    assert len({tuple(scale) for scale in scales}) == 1
    # Lanes carry the scenario's titles, their names beside them.
    captions = page.locator("figure figcaption").all_inner_texts()
    assert any(c.startswith("No probes no-probes") and "same run" in c for c in captions), captions
    assert "Readiness probe readiness" in captions, captions
    # The colour bar says what it measures, in which unit.
    expect(page.locator("#heatmap-readiness .cbtitle")).to_have_text("failed requests (%)")
    # The hover says which square it is and what it measured.
    box = page.locator("#heatmap-readiness .nsewdrag").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 5 / 6, box["y"] + box["height"] / 6)
    hover = page.locator("#heatmap-readiness .hoverlayer .hovertext")
    expect(hover).to_contain_text("readinessProbe.periodSeconds = 10")
    expect(hover).to_contain_text("readinessProbe.failureThreshold = 5")
    expect(hover).to_contain_text(f"failed requests: {drawn['z'][2][2]:.1f} %")
    page.check("input[name=metric][value=restarts]")
    page.wait_for_function(
        "() => document.getElementById('heatmap-readiness').data[0].z.flat().every(v => v === 0)"
    )
    box = page.locator("#heatmap-readiness .nsewdrag").bounding_box()
    # The bottom-left square: period 2, threshold 1.
    page.mouse.click(box["x"] + box["width"] / 6, box["y"] + box["height"] * 5 / 6)
    page.wait_for_url("**/runs/*/", timeout=WAIT_MS)
    page.wait_for_function("() => window.podviz && window.podviz.connected", timeout=WAIT_MS)
    # plotly.js loads async: the lanes are plotted once it has run.
    page.wait_for_function(
        "() => window.podviz.redraws > 0"
        " && document.querySelectorAll('.js-plotly-plot').length >= 2",
        timeout=WAIT_MS,
    )
    assert "readiness with readinessProbe.periodSeconds=2" in page.content()


def test_the_sweep_form_alone_has_no_console_error(page, live_server_url):
    page.goto(f"{live_server_url}/sweep/")
    page.wait_for_selector("#sweep-submit")
    page.wait_for_load_state("networkidle")


def test_running_the_drills_brings_the_results_into_view(page, live_server_url):
    # At a laptop's 1280×720 the results land below the form: the page must move to them.
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server_url}/check/")
    page.fill("#manifest", (MANIFESTS / "service-typo.yaml").read_text())
    page.click("#check-submit")
    page.wait_for_selector("#check-result", timeout=WAIT_MS)
    heading = page.locator("#check-result h2").first
    expect(heading).to_have_text("Assumptions")
    expect(heading).to_be_in_viewport()
    box = heading.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 720, box
    # The findings the page shows say the same as the command: one count of restarts.
    kills = page.locator('.finding[data-rule="liveness-kills-boot"]').inner_text()
    assert "killed it 12 times before it ever served (10 restarts within the drill" in kills
    assert page.locator('.finding[data-rule="readiness-without-service"]').count() == 0
