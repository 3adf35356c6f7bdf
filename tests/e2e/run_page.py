"""Driving the live run page in a test: start a run, wait on the page's own state, read charts.

Every wait is on page state (the `window.podviz` hooks or the chart data Plotly holds), never
on the clock.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 30_000


def start_run(page: Page, base_url: str, slug: str = "seed-story") -> str:
    """Open the home page, press the scenario's Play button, wait for the first full state."""
    page.goto(base_url + "/")
    page.locator(f"button[data-scenario='{slug}']").click()
    page.wait_for_url("**/runs/*/")
    page.wait_for_function(
        "() => window.podviz && window.podviz.statesReceived > 0", timeout=WAIT_MS
    )
    return page.url


def wait_drawn_at(page: Page, time: float) -> None:
    """Until the charts show the run paused at simulated time ``time``."""
    page.wait_for_function(
        "(time) => window.podviz.drawnTime === time && !window.podviz.playing",
        arg=time,
        timeout=WAIT_MS,
    )


def pause_at(page: Page, time: float) -> None:
    """Pause, then seek to ``time`` with the scrubber, as a user drags it."""
    page.locator("#play-pause").wait_for()
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.wait_for_function("() => !window.podviz.playing", timeout=WAIT_MS)
    seek_with_scrubber(page, time)
    wait_drawn_at(page, time)


def seek_with_scrubber(page: Page, time: float) -> None:
    page.evaluate(
        """(time) => {
            const scrubber = document.getElementById('seek');
            scrubber.value = String(time);
            scrubber.dispatchEvent(new Event('input', {bubbles: true}));
            scrubber.dispatchEvent(new Event('change', {bubbles: true}));
        }""",
        time,
    )


def lane_count(page: Page) -> int:
    return page.evaluate("window.podviz.lanes.length")


def share_traces(page: Page, lane: int) -> dict[str | None, dict[str, list]]:
    """The traffic-share traces of a lane's chart, by pod (None: the "no endpoint" band)."""
    return {trace["meta"]["pod"]: trace for trace in chart_traces(page, lane, "share")}


def chart_traces(page: Page, lane: int, kind: str) -> list[dict[str, Any]]:
    return page.evaluate(
        """([lane, kind]) => document.getElementById(`lane-chart-${lane}`).data
            .filter(trace => trace.meta && trace.meta.kind === kind)
            .map(trace => ({meta: trace.meta, x: trace.x, y: trace.y}))""",
        [lane, kind],
    )


def chart_markers(page: Page, lane: int) -> list[dict[str, Any]]:
    """The marker labels drawn over a lane's chart: kind, time (of the first marker), the times
    of every marker the label stands for (close ones share a label), text and tooltip."""
    return page.evaluate(
        """(lane) => [...document.querySelectorAll('.lane')[lane].querySelectorAll('.marker-label')]
            .map(label => ({
                kind: label.dataset.kind,
                time: Number(label.dataset.time),
                times: label.dataset.times.split(' ').map(Number),
                text: label.querySelector('.marker-text').textContent,
                tip: label.querySelector('.marker-tip').textContent,
            }))""",
        lane,
    )


def pod_table(page: Page, lane: int) -> list[list[str]]:
    """The lane's kubectl-like pod table, as its rows of cell texts."""
    return page.evaluate(
        """(lane) => [...document.querySelectorAll('.lane')[lane].querySelectorAll(
                '.pod-table tbody tr')].map(row => [...row.cells].map(cell => cell.textContent))""",
        lane,
    )


@cache
def headless_results(slug: str) -> dict[str, Any]:
    """What `python -m simulator run SLUG --json` prints: the engine without the web side."""
    completed = subprocess.run(
        [sys.executable, "-m", "simulator", "run", slug, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout)
