"""Fan-out benchmark: real WebSocket viewers of one run, against Daphne serving podviz.

Starts the dashboard the way `make run` does (Daphne, in-memory channel layer), starts one run of a
built-in scenario, then connects N viewers from a separate load-generator process and, for a fixed
window, counts the frames each viewer receives and the delay from the server's encoding of a frame
(its `sentAt`) to its arrival. The server's CPU and memory are sampled with psutil meanwhile.

    .venv/bin/python bench/bench_fanout.py --viewers 10 100 300 1000 --seconds 20

Results go to stdout (a Markdown table) and, with --json FILE, to a JSON file. The figures of this
machine are recorded in docs/benchmarks.md. Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import json
import multiprocessing
import os
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.devserver import free_port, start_server

HEADER = re.compile(rb'"seq":(\d+).*?"sentAt":([0-9.]+)')


@dataclass
class Result:
    viewers: int
    connected: int
    seconds: float
    frames_published: int
    frames_expected: int
    frames_delivered: int
    delivered_pct: float
    resyncs: int
    latency_p50_ms: float
    latency_p99_ms: float
    latency_max_ms: float
    server_cpu_pct: float
    server_rss_mb: float


def start_run(base: str, scenario: str, speed: float) -> str:
    """Presses Play on the home page (CSRF included) and returns the new run's id."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/").read()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    request = urllib.request.Request(
        f"{base}/scenarios/{scenario}/run",
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
        headers={"Referer": base + "/", "X-CSRFToken": token},
    )
    response = opener.open(request)
    run_id = response.geturl().rstrip("/").rsplit("/", 1)[-1]
    asyncio.run(send_command(base, run_id, {"type": "speed", "speed": speed}))
    return run_id


async def send_command(base: str, run_id: str, command: dict) -> None:
    import websockets

    url = base.replace("http", "ws", 1) + f"/ws/runs/{run_id}/"
    async with websockets.connect(url, origin=base, max_size=None) as socket_:
        await socket_.recv()
        await socket_.send(json.dumps(command))


async def viewer(url: str, origin: str, stop_at: float, start_at: float, stats: dict) -> None:
    import websockets

    try:
        async with websockets.connect(url, origin=origin, max_size=None, open_timeout=60) as ws:
            stats["connected"] += 1
            while True:
                remaining = stop_at - time.time()
                if remaining <= 0:
                    return
                try:
                    raw = await asyncio.wait_for(ws.recv(decode=False), remaining)
                except TimeoutError:
                    return
                arrived = time.time()
                if raw.startswith(b'{"type":"run.state"'):
                    if arrived > start_at:
                        stats["resyncs"] += 1
                    continue
                match = HEADER.search(raw, 0, 400)
                if match is None or arrived < start_at:
                    continue
                seq = int(match.group(1))
                stats["seqs"].add(seq)
                stats["delivered"] += 1
                stats["latencies"].append(arrived - float(match.group(2)))
    except OSError:
        stats["failed"] += 1


def load_generator(url: str, origin: str, viewers: int, warmup: float, seconds: float, out):
    async def main():
        stats = {
            "connected": 0,
            "failed": 0,
            "resyncs": 0,
            "delivered": 0,
            "latencies": [],
            "seqs": set(),
        }
        now = time.time()
        # Connections open during the warm-up; the window measured starts after it.
        start_at = now + warmup
        stop_at = start_at + seconds
        tasks = []
        for _ in range(viewers):
            tasks.append(asyncio.create_task(viewer(url, origin, stop_at, start_at, stats)))
            await asyncio.sleep(warmup / 2 / viewers)
        await asyncio.gather(*tasks)
        seqs = stats.pop("seqs")
        # Every frame the server published in the window, whether or not anyone received it.
        stats["published"] = max(seqs) - min(seqs) + 1 if seqs else 0
        out.send(stats)

    asyncio.run(main())


def measure(base: str, server: psutil.Process, run_id: str, viewers: int, seconds: float) -> Result:
    warmup = max(5.0, viewers / 100)
    url = base.replace("http", "ws", 1) + f"/ws/runs/{run_id}/"
    receiver, sender = multiprocessing.Pipe(duplex=False)
    generator = multiprocessing.Process(
        target=load_generator, args=(url, base, viewers, warmup, seconds, sender)
    )
    generator.start()
    time.sleep(warmup)
    server.cpu_percent(None)
    samples = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1)
        samples.append((server.cpu_percent(None), server.memory_info().rss))
    stats = receiver.recv()
    generator.join()
    latencies = sorted(stats["latencies"]) or [float("nan")]
    published = stats["published"]
    expected = published * viewers
    return Result(
        viewers=viewers,
        connected=stats["connected"],
        seconds=seconds,
        frames_published=published,
        frames_expected=expected,
        frames_delivered=stats["delivered"],
        delivered_pct=round(100 * stats["delivered"] / expected, 2) if expected else 0.0,
        resyncs=stats["resyncs"],
        latency_p50_ms=round(1000 * statistics.median(latencies), 1),
        latency_p99_ms=round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1),
        latency_max_ms=round(1000 * latencies[-1], 1),
        server_cpu_pct=round(statistics.mean(cpu for cpu, _ in samples), 1),
        server_rss_mb=round(max(rss for _, rss in samples) / 2**20, 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, nargs="+", default=[10, 100, 300, 1000])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--scenario", default="seed-story")
    parser.add_argument("--speed", type=float, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    database = Path(os.environ.get("TMPDIR", "/tmp")) / f"podviz-bench-{port}.sqlite3"
    process = start_server(port, database)
    results = []
    try:
        server = psutil.Process(process.pid)
        for viewers in args.viewers:
            run_id = start_run(base, args.scenario, args.speed)
            results.append(measure(base, server, run_id, viewers, args.seconds))
            print(json.dumps(asdict(results[-1])), flush=True)
    finally:
        process.terminate()
        process.wait(timeout=10)
        database.unlink(missing_ok=True)

    print()
    print(
        "| viewers | connected | frames delivered | resyncs | p50 ms | p99 ms | max ms "
        "| server CPU % | server RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r.viewers} | {r.connected} | {r.frames_delivered}/{r.frames_expected} "
            f"({r.delivered_pct} %) | {r.resyncs} | {r.latency_p50_ms} | {r.latency_p99_ms} | "
            f"{r.latency_max_ms} | {r.server_cpu_pct} | {r.server_rss_mb} |"
        )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
