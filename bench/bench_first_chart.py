"""First-chart benchmark: how long from opening a lesson to its first drawn chart point.

Starts the dashboard as `make run` does and, in headless Chromium (Playwright, Debian's
/usr/bin/chromium), measures two ways into a run, each in a fresh browser context (an empty
cache, as a student's laptop on the first visit):

- open: navigate to ``/scenarios/<slug>/play`` (starts a run, redirects to its page);
- join: navigate to the page of a run that has been playing for a while (at a given speed).

The time is the page's own ``performance.now()`` (milliseconds since the navigation started,
redirects included) at the first animation frame where a Plotly graph div (`.js-plotly-plot`)
holds a trace with a drawn x value. Bytes are what came over the network (HTTP bodies and
headers as encoded on the wire, plus the WebSocket messages received until then).

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
from podviz.devserver import CHROMIUM, CHROMIUM_ARGS, free_port, start_server

# Runs in every document before its own scripts: notes the time of the first drawn point.
FIRST_POINT_PROBE = """
(() => {
  const look = () => {
    const drawn = [...document.querySelectorAll('.js-plotly-plot')].some(
      (div) => (div.data || []).some((trace) => trace.x && trace.x.length > 0));
    if (drawn) window.__firstChartMs = performance.now();
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();
"""


def measure_once(browser: Browser, url: str, width: int, height: int) -> dict[str, float]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
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
    page.wait_for_function("() => window.__firstChartMs !== undefined", timeout=120_000)
    result = {
        "first_chart_ms": page.evaluate("window.__firstChartMs"),
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
    return {
        "first_chart_ms_p50": round(statistics.median(times)),
        "first_chart_ms_min": round(times[0]),
        "first_chart_ms_max": round(times[-1]),
        "http_kB": round(statistics.median(s["http_bytes"] for s in samples) / 1000, 1),
        "requests": round(statistics.median(s["requests"] for s in samples)),
        "ws_kB": round(statistics.median(s["ws_bytes"] for s in samples) / 1000, 1),
        "samples": len(samples),
    }


def measure(base: str, scenario: str, repeat: int, join_at: float, join_speed: float, size):
    width, height = size
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        play_url = f"{base}/scenarios/{scenario}/play"
        opened = [measure_once(browser, play_url, width, height) for _ in range(repeat)]
        teacher, run_url = start_running_run(browser, base, scenario, join_speed, join_at)
        joined = [measure_once(browser, run_url, width, height) for _ in range(repeat)]
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
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        database.unlink(missing_ok=True)
    print({"scenario": args.scenario, "size": args.size, **result})


if __name__ == "__main__":
    main()
