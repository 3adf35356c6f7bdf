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


def switch_language(page: Page, base_url: str, language: str) -> None:
    """Choose the page's language with the switch in the top bar (English is the default)."""
    page.goto(base_url + "/")
    if language != "en":
        page.locator(f".language-switch button[value='{language}']").click()
        page.wait_for_function(
            "(language) => document.documentElement.lang === language",
            arg=language,
            timeout=WAIT_MS,
        )


def lane_geometry(page: Page) -> list[dict[str, Any]]:
    """Per lane, where its parts are drawn, in page pixels: the Plotly plot areas (top to bottom),
    the panel titles, the strips' canvas, and the y ranges of its axes."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.lane')].map(lane => {
            const box = (element) => {
                const rect = element.getBoundingClientRect();
                return {x: rect.x + scrollX, y: rect.y + scrollY, width: rect.width,
                        height: rect.height};
            };
            const chart = lane.querySelector('.lane-chart');
            const axes = Object.keys(chart.layout).filter(key => /^yaxis\\d*$/.test(key)).sort();
            return {
                chart: box(chart),
                plots: [...chart.querySelectorAll('.draglayer .nsewdrag')].map(box)
                    .sort((a, b) => a.y - b.y),
                titles: [...lane.querySelectorAll('.panel-title')].map(box),
                strips: box(lane.querySelector('.lane-strips')),
                yRanges: axes.map(key => chart.layout[key].range),
            };
        })"""
    )


def strip_pixels(page: Page, lane: int, from_time: float, to_time: float) -> int:
    """How many pixels of a lane's strips canvas are painted between two simulated times."""
    return page.evaluate(
        """([lane, from, to]) => {
            const chart = document.getElementById(`lane-chart-${lane}`);
            const canvas = chart.closest('.lane-figure').querySelector('.lane-strips');
            const [start, end] = chart.layout.xaxis.range;
            const scale = canvas.width / (end - start);
            const left = Math.max(0, Math.floor((from - start) * scale));
            const right = Math.min(canvas.width, Math.ceil((to - start) * scale));
            const width = Math.max(1, right - left);
            const pixels = canvas.getContext('2d').getImageData(left, 0, width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
            return painted;
        }""",
        [lane, from_time, to_time],
    )


def overlapping_marker_labels(page: Page, lane: int) -> list[tuple[str, str]]:
    """Pairs of visible marker labels of a lane whose boxes overlap (labels piled up)."""
    return page.evaluate(
        """(lane) => {
            const labels = [...document.querySelectorAll('.lane')[lane]
                .querySelectorAll('.marker-label')].filter(label => !label.hidden);
            const boxes = labels.map(label => [label.querySelector('.marker-text').textContent,
                                               label.getBoundingClientRect()]);
            const pairs = [];
            boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
                const apart = p.right <= q.left + 0.5 || q.right <= p.left + 0.5
                    || p.bottom <= q.top + 0.5 || q.bottom <= p.top + 0.5;
                if (!apart) pairs.push([a, b]);
            }));
            return pairs;
        }""",
        lane,
    )
