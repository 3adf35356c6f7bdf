"""Browser redraw benchmark: how often the run page's charts visibly change, and how far they trail.

Starts the dashboard as `make run` does, opens a built-in scenario in headless Chromium
(Playwright, Debian's /usr/bin/chromium, software rendering) and plays it from time 0 at each
speed asked for. A script injected before the page loads watches, at every animation frame:

- the drawn charts themselves, not the page's counters: per lane, a *data update* is a change of
  the last x of any trace in Plotly's drawn data (`gd.data`); a *visible update* is a change of
  that, of the drawn SVG paths' lengths, or of the clock cursor's position (when the page draws
  one). At 1× a new data point arrives once a second (the series are per second), so the data
  cannot change more often than that there; what moves with every frame is the clock;
- the server's clock, from the header of the last frame the WebSocket delivered (`time`, `sentAt`,
  `speed`; server and browser share one wall clock on loopback), advanced by the wall time since;
- the *lag*: that clock minus the latest second the slowest lane's drawn data covers (its last
  point + 1 s), in simulated seconds and in frames (one frame = speed / 10 s). The series being
  per second, up to 1 s of it is inherent (10 frames at 1×, 1 frame at 10×, 0.1 at 100×). Between
  two frames the clock runs on while no newer data exists, so even a page that drew each frame at
  once would show up to one frame of this lag plus the delivery time;
- the lag *behind the frames received*: the time of the last frame the page received minus the
  same drawn second, in frames: the frames the page holds but has not drawn yet (0 when it keeps
  up).

It also samples the page's measure of each redraw (`window.podviz.drawCost`, ms).

    .venv/bin/python bench/bench_redraw.py --scenario seed-story --speeds 1 10 100 --seconds 10

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
from tests.support.devserver import CHROMIUM, CHROMIUM_ARGS, free_port, start_server

FRAME_RATE = 10  # frames per wall second while playing (PODVIZ_FRAME_RATE)

# Runs in the page before its own scripts: the watcher described in the module's docstring.
WATCHER = (Path(__file__).parent / "redraw_watcher.js").read_text()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))] if ordered else float("nan")


def measure_speed(page, speed: float, seconds: float) -> dict:
    """Play from time 0 at ``speed`` for ``seconds`` (or until the end) and read the watcher."""
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.wait_for_function("() => !window.podviz.playing")
    states = page.evaluate("window.podviz.statesReceived")
    page.evaluate("window.podviz.send({type: 'seek', time: 0})")
    page.wait_for_function(f"() => window.podviz.statesReceived > {states}")
    page.evaluate(f"window.podviz.send({{type: 'speed', speed: {speed}}})")
    page.wait_for_function(f"() => window.podviz.speed === {speed}")
    page.evaluate("window.podviz.send({type: 'play'})")
    page.wait_for_function("() => window.podviz.playing")
    page.evaluate(
        "(() => { const w = window.__redrawBench;"
        " w.lanes = []; w.lags = []; w.behind = []; w.running = true; })()"
    )
    started = time.monotonic()
    costs, seen = [], None
    while time.monotonic() - started < seconds:
        redraws, cost, finished = page.evaluate(
            "[window.podviz.redraws, window.podviz.drawCost, window.podviz.finished]"
        )
        if redraws != seen and cost is not None:
            costs.append(cost)
            seen = redraws
        if finished:
            break
        page.wait_for_timeout(50)
    elapsed = time.monotonic() - started
    watch = page.evaluate(
        "(() => { const w = window.__redrawBench; w.running = false;"
        " return {lanes: w.lanes, lags: w.lags, behind: w.behind}; })()"
    )
    frame_seconds = speed / FRAME_RATE
    lags = watch["lags"]
    behind = [value / frame_seconds for value in watch["behind"]]
    lanes = watch["lanes"]
    return {
        "speed": speed,
        "seconds": round(elapsed, 1),
        "visible_updates_per_s": [round(lane["visibleUpdates"] / elapsed, 1) for lane in lanes],
        "data_updates_per_s": [round(lane["dataUpdates"] / elapsed, 1) for lane in lanes],
        "lag_s_p50": round(percentile(lags, 0.5), 2),
        "lag_s_p95": round(percentile(lags, 0.95), 2),
        "lag_s_max": round(max(lags), 2) if lags else None,
        "lag_frames_p95": round(percentile(lags, 0.95) / frame_seconds, 2),
        "lag_frames_max": round(max(lags) / frame_seconds, 2) if lags else None,
        "behind_received_frames_p50": round(percentile(behind, 0.5), 2),
        "behind_received_frames_p95": round(percentile(behind, 0.95), 2),
        "behind_received_frames_max": round(max(behind), 2) if behind else None,
        "draw_ms_p50": round(statistics.median(costs), 1) if costs else None,
        "draw_ms_p95": round(percentile(costs, 0.95), 1) if costs else None,
    }


def profile_top(profile: dict, count: int = 25) -> dict[str, list[tuple[float, str]]]:
    """From a CDP `Profiler.stop` profile, in ms: the functions with the most self time, and the
    page's own functions (static/podviz) with the most total time (themselves and what they
    call, Plotly included)."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    parents = {child: node["id"] for node in profile["nodes"] for child in node.get("children", [])}
    spent = dict.fromkeys(nodes, 0.0)
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        spent[sample] += delta / 1000

    def where(node_id: int) -> str:
        frame = nodes[node_id]["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        return f"{name} {Path(frame['url']).name}:{frame['lineNumber']}"

    own: dict[str, float] = {}
    total: dict[str, float] = {}
    for node_id, ms in spent.items():
        own[where(node_id)] = own.get(where(node_id), 0.0) + ms
        seen, ancestor = set(), node_id
        while ancestor is not None:
            if "/static/podviz/" in nodes[ancestor]["callFrame"]["url"]:
                name = where(ancestor)
                if name not in seen:
                    seen.add(name)
                    total[name] = total.get(name, 0.0) + ms
            ancestor = parents.get(ancestor)

    def top(times: dict[str, float]) -> list[tuple[float, str]]:
        return sorted(((round(ms, 1), name) for name, ms in times.items()), reverse=True)[:count]

    return {"self_ms": top(own), "page_total_ms": top(total)}


# One lane's Plotly redraw (median of 7, ms) as drawn, with every trace cut to its last 90
# points, and with its first trace only: what the cost owes to the data and what to Plotly's
# fixed work per figure (defaults, axes, ticks, layout of the SVG).
PLOTLY_FLOOR = """async () => {
  const gd = document.querySelector(".lane-chart.js-plotly-plot");
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  const timed = async () => {
    const spent = [];
    for (let i = 0; i < 7; i += 1) {
      const started = performance.now();
      await Plotly.redraw(gd);
      spent.push(performance.now() - started);
    }
    return median(spent);
  };
  const data = gd.data.map((trace) => ({ ...trace }));
  const layout = gd.layout;
  const result = { traces: data.length, points: Math.max(...data.map((trace) => trace.x.length)) };
  result.asDrawnMs = await timed();
  const cut = data.map((trace) => ({ ...trace, x: trace.x.slice(-90), y: trace.y.slice(-90) }));
  await Plotly.react(gd, cut, layout);
  result.last90PointsMs = await timed();
  await Plotly.react(gd, data.slice(0, 1), layout);
  result.oneTraceMs = await timed();
  await Plotly.react(gd, data, layout);
  return result;
}"""


# Paused at the scenario's end, the redraw of all four lanes (ms, median of 12 rounds) with the
# lanes' figures changed in ways the profile suggested, the variants interleaved within each round
# so that the machine's load weighs on all alike: as drawn (Plotly stacks the shares and errors,
# `stackgroup`); stacked by the page (each band filled `tonexty` down to the one before, its top
# precomputed); the same with fill only (no edge line); without bands that are zero in view;
# without the errors panel's traces; every trace cut to its last 300 points; and no traces at all
# (what each figure costs before any data: axes, ticks, layers).
PLOTLY_VARIANTS = (Path(__file__).parent / "redraw_variants.js").read_text()


def plotly_variants(page) -> dict:
    """Paused at the scenario's end: the four lanes' redraw with the figure changed in the ways
    PLOTLY_VARIANTS lists, in ms."""
    pause_at_end(page)
    return {"plotly_variants": page.evaluate(PLOTLY_VARIANTS)}


def pause_at_end(page) -> None:
    """Pauses 10 s before the scenario's end and waits for the charts to draw that second."""
    page.evaluate("window.podviz.send({type: 'pause'})")
    page.wait_for_function("() => !window.podviz.playing")
    end = page.evaluate("window.podviz.duration") or 900
    page.evaluate(f"window.podviz.send({{type: 'seek', time: {end - 10}}})")
    page.wait_for_function(f"() => window.podviz.drawnTime >= {end - 10}")


def plotly_floor(page) -> dict:
    """Paused at the scenario's end: one lane's redraw cost as drawn, with less data, with one
    trace (see PLOTLY_FLOOR), in ms."""
    pause_at_end(page)
    return {"plotly_floor": page.evaluate(PLOTLY_FLOOR)}


def seek_costs(page, replicas: int) -> dict:
    """Paused, the cost (ms) of the redraw after seeks to 100, 200 and 300 s: a window full of
    pods' seconds, the most a redraw of the big run draws."""
    costs = {
        "replicas": replicas,
        "first_draw_ms": round(page.evaluate("window.podviz.drawCost"), 1),
    }
    page.evaluate("window.podviz.send({type: 'pause'})")
    for at in (100, 200, 300):
        page.evaluate(f"window.podviz.send({{type: 'seek', time: {at}}})")
        page.wait_for_function(f"() => window.podviz.drawnTime === {at} && !window.podviz.playing")
        costs[f"draw_after_seek_{at}_ms"] = round(page.evaluate("window.podviz.drawCost"), 1)
    return costs


def save_big_run(page, base: str, replicas: int) -> str:
    """Saves tests/big_run.py's scenario (the seed story with ``replicas`` pods per lane, 360 s)
    through the JSON API; returns its slug."""
    from tests.big_run import BIG_RUN_SLUG, big_run_yaml

    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        base + "/api/scenarios",
        data={"yaml": big_run_yaml(replicas=replicas, duration=360)},
        headers={"X-CSRFToken": token, "Referer": base + "/"},
    )
    if response.status != 201:
        raise SystemExit(f"saving the big run failed: {response.status} {response.text()}")
    return BIG_RUN_SLUG


def measure(
    base: str,
    scenario: str,
    speeds: list[float],
    seconds: float,
    size: tuple[int, int],
    profile: bool = False,
    floor: bool = False,
    variants: bool = False,
    big_run: int | None = None,
):
    width, height = size
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport={"width": width, "height": height})
        page.add_init_script(WATCHER)
        page.set_default_timeout(600_000 if big_run else 60_000)
        frames: list[int] = []
        page.on(
            "websocket",
            lambda socket: socket.on(
                "framereceived",
                lambda payload: (
                    frames.append(len(payload)) if '"run.frame"' in str(payload)[:40] else None
                ),
            ),
        )
        page.goto(base + "/")
        if big_run:
            scenario = save_big_run(page, base, big_run)
            page.goto(f"{base}/scenarios/{scenario}/play")
        else:
            page.locator(f"button[data-scenario='{scenario}']").click()
        page.wait_for_function("() => window.podviz && window.podviz.redraws > 0")
        results = []
        if big_run:
            results.append(seek_costs(page, big_run))
        for speed in speeds:
            session = page.context.new_cdp_session(page) if profile else None
            if session:
                session.send("Profiler.enable")
                session.send("Profiler.setSamplingInterval", {"interval": 500})
                session.send("Profiler.start")
            results.append(measure_speed(page, speed, seconds))
            if session:
                top = profile_top(session.send("Profiler.stop")["profile"])
                results.append({"speed": speed, **top})
        if floor:
            results.append(plotly_floor(page))
        if variants:
            results.append(plotly_variants(page))
        if frames:
            results.append({"run_frame_chars_p50": int(statistics.median(frames))})
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="seed-story")
    parser.add_argument("--speeds", type=float, nargs="+", default=[1, 10, 100])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--size", default="1280x800")
    parser.add_argument(
        "--profile", action="store_true", help="also print the JS functions with most self time"
    )
    parser.add_argument(
        "--floor", action="store_true", help="also time one lane's Plotly redraw with less data"
    )
    parser.add_argument(
        "--variants",
        action="store_true",
        help="also time the four lanes' Plotly redraw with the figures changed (PLOTLY_VARIANTS)",
    )
    parser.add_argument(
        "--big-run",
        type=int,
        metavar="REPLICAS",
        help="open tests/big_run.py's seed story with REPLICAS pods per lane instead of --scenario",
    )
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    port = free_port()
    database = Path(os.environ.get("TMPDIR", "/tmp")) / f"podviz-redraw-{port}.sqlite3"
    server = start_server(port, database)
    try:
        base = f"http://127.0.0.1:{port}"
        results = measure(
            base,
            args.scenario,
            args.speeds,
            args.seconds,
            (width, height),
            profile=args.profile,
            floor=args.floor,
            variants=args.variants,
            big_run=args.big_run,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        database.unlink(missing_ok=True)
    name = f"big run of {args.big_run} replicas" if args.big_run else args.scenario
    print(f"{name} at {args.size}, {os.getloadavg()[0]:.2f} load (1 min)")
    for result in results:
        print(result)


if __name__ == "__main__":
    main()
