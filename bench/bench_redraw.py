"""Browser redraw benchmark: what one redraw of the run page costs in Chromium.

Starts the dashboard as `make run` does, opens a built-in scenario in headless Chromium
(Playwright, Debian's /usr/bin/chromium), plays it at a given speed and samples the page's own
measure of its last redraw (`window.podviz.drawCost`, in ms) for a while.

    .venv/bin/python bench/bench_redraw.py --scenario seed-story --speed 10 --seconds 20

Figures of this machine are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from podviz.devserver import CHROMIUM, CHROMIUM_ARGS, free_port, start_server


def measure(base: str, scenario: str, speed: float, seconds: float, width: int, height: int):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(base + "/")
        page.locator(f"button[data-scenario='{scenario}']").click()
        page.wait_for_function("() => window.podviz && window.podviz.redraws > 0", timeout=60_000)
        page.evaluate(f"window.podviz.send({{type: 'speed', speed: {speed}}})")
        costs, seen = [], None
        start_redraws = page.evaluate("window.podviz.redraws")
        start_frames = page.evaluate("window.podviz.framesReceived")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            redraws, cost = page.evaluate("[window.podviz.redraws, window.podviz.drawCost]")
            if redraws != seen:
                costs.append(cost)
                seen = redraws
            page.wait_for_timeout(50)
        redraws = page.evaluate("window.podviz.redraws") - start_redraws
        frames = page.evaluate("window.podviz.framesReceived") - start_frames
        browser.close()
    costs.sort()
    return {
        "redraws_per_second": round(redraws / seconds, 1),
        "frames_per_second": round(frames / seconds, 1),
        "draw_ms_p50": round(statistics.median(costs), 1),
        "draw_ms_p95": round(costs[int(0.95 * (len(costs) - 1))], 1),
        "draw_ms_max": round(costs[-1], 1),
        "samples": len(costs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="seed-story")
    parser.add_argument("--speed", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    port = free_port()
    database = Path(os.environ.get("TMPDIR", "/tmp")) / f"podviz-redraw-{port}.sqlite3"
    server = start_server(port, database)
    try:
        result = measure(
            f"http://127.0.0.1:{port}", args.scenario, args.speed, args.seconds, width, height
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        database.unlink(missing_ok=True)
    print({"scenario": args.scenario, "speed": args.speed, "size": args.size, **result})


if __name__ == "__main__":
    main()
