"""First-chart benchmark: how long from opening a lesson to its first drawn chart point.

Starts the dashboard as `make run` does and, in headless Chromium (Playwright, Debian's
/usr/bin/chromium), measures two ways into a run, each in a fresh browser context (an empty
cache, as a student's laptop on the first visit):

- open: navigate to ``/scenarios/<slug>/play`` (starts a run, redirects to its page);
- join: navigate to the page of a run that has been playing for a while (at a given speed).

The times are the page's own ``performance.now()`` (milliseconds since the navigation started,
redirects included) at the first animation frame where a Plotly graph div (`.js-plotly-plot`)
holds a trace with a drawn x value (*first chart*), and where every lane's chart does (*all
lanes*). ``--projector`` opens the page in projector mode (large type), as a teacher would.
Bytes are what came over the network (HTTP bodies and headers as encoded on the wire, plus the
WebSocket messages received until then).

    .venv/bin/python bench/bench_first_chart.py --scenario seed-story --repeat 5

Figures of this machine are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.devserver import CHROMIUM, CHROMIUM_ARGS, free_port, start_server

# Runs in every document before its own scripts: notes the time of the first drawn point.
FIRST_POINT_PROBE = """
(() => {
  const drawn = (div) => (div.data || []).some((trace) => trace.x && trace.x.length > 0);
  const look = () => {
    const lanes = [...document.querySelectorAll('.lane-chart.js-plotly-plot')];
    const charts = [...document.querySelectorAll('.js-plotly-plot')];
    if (window.__firstChartMs === undefined && charts.some(drawn)) {
      window.__firstChartMs = performance.now();
    }
    const lanesShown = document.querySelectorAll('.lane-chart').length;
    if (lanesShown > 0 && lanes.length === lanesShown && lanes.every(drawn)) {
      window.__allLanesMs = performance.now();
    } else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""
PROJECTOR = "try { localStorage.setItem('podviz.projector', 'on'); } catch {}"


def measure_once(
    browser: Browser, url: str, width: int, height: int, projector: bool
) -> dict[str, float]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    if projector:
        page.add_init_script(PROJECTOR)
    page.add_init_script(FIRST_POINT_PROBE)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    counted = {"http": 0, "ws": 0, "requests": 0}

    def loaded(event):
        counted["http"] += event["encodedDataLength"]
        counted["requests"] += 1

    def ws_frame(event):
        counted["ws"] += len(event["response"]["payloadData"].encode())

    cdp.on("Network.loadingFinished", loaded)
    cdp.on("Network.webSocketFrameReceived", ws_frame)
    page.goto(url)
    page.wait_for_function("() => window.__allLanesMs !== undefined", timeout=120_000)
    result = {
        "first_chart_ms": page.evaluate("window.__firstChartMs"),
        "all_lanes_ms": page.evaluate("window.__allLanesMs"),
        "http_bytes": counted["http"],
        "requests": counted["requests"],
        "ws_bytes": counted["ws"],
    }
    context.close()
    return result


def start_running_run(browser: Browser, base: str, scenario: str, speed: float, until: float):
    """A run of ``scenario`` played to simulated time ``until``; its page stays open."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/scenarios/{scenario}/play?speed={speed}")
    page.wait_for_function(
        "(until) => window.podviz && window.podviz.time >= until", arg=until, timeout=300_000
    )
    return context, page.url


def summarize(samples: list[dict[str, float]]) -> dict[str, float]:
    times = sorted(sample["first_chart_ms"] for sample in samples)
    all_lanes = sorted(sample["all_lanes_ms"] for sample in samples)
    return {
        "first_chart_ms_p50": round(statistics.median(times)),
        "first_chart_ms_min": round(times[0]),
        "first_chart_ms_max": round(times[-1]),
        "all_lanes_ms_p50": round(statistics.median(all_lanes)),
        "all_lanes_ms_max": round(all_lanes[-1]),
        "http_kB": round(statistics.median(s["http_bytes"] for s in samples) / 1000, 1),
        "requests": round(statistics.median(s["requests"] for s in samples)),
        "ws_kB": round(statistics.median(s["ws_bytes"] for s in samples) / 1000, 1),
        "samples": len(samples),
    }


def measure(
    base: str,
    scenario: str,
    repeat: int,
    join_at: float,
    join_speed: float,
    size: tuple[int, int],
    projector: bool,
):
    width, height = size
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        play_url = f"{base}/scenarios/{scenario}/play"
        opened = [measure_once(browser, play_url, width, height, projector) for _ in range(repeat)]
        teacher, run_url = start_running_run(browser, base, scenario, join_speed, join_at)
        joined = [measure_once(browser, run_url, width, height, projector) for _ in range(repeat)]
        teacher.close()
        browser.close()
    return {"open": summarize(opened), "join": summarize(joined)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="seed-story")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--join-at", type=float, default=600, help="simulated s before joining")
    parser.add_argument("--join-speed", type=float, default=100)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--projector", action="store_true", help="open in projector mode")
    args = parser.parse_args()
    size = tuple(int(part) for part in args.size.split("x"))
    port = free_port()
    database = Path(os.environ.get("TMPDIR", "/tmp")) / f"podviz-first-chart-{port}.sqlite3"
    server = start_server(port, database)
    try:
        result = measure(
            f"http://127.0.0.1:{port}",
            args.scenario,
            args.repeat,
            args.join_at,
            args.join_speed,
            size,
            args.projector,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        database.unlink(missing_ok=True)
    print({"scenario": args.scenario, "size": args.size, "projector": args.projector, **result})


if __name__ == "__main__":
    main()
