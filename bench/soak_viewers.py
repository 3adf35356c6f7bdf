"""Soak: hundreds of viewers for minutes against Daphne serving podviz, with hostile clients.

Starts the dashboard as `make run` does (Daphne, in-memory layer; bench/soak_settings.py only
shortens the idle-run grace so the "after" memory is taken with the runs gone), opens ``--runs``
runs through the permalink and spreads ``--viewers`` reading viewers over them, plus ``--slow``
viewers that never read (their receive buffer is 4 KB) and, every minute, a client that sends 300
seeks and leaves. The server's memory (RSS) and CPU are sampled every few seconds, with the time
the home page takes; the viewers count frames, sequence gaps and how their sockets were closed.

    .venv/bin/python bench/soak_viewers.py --viewers 300 --minutes 10 --json soak.json

Traffic stays on 127.0.0.1. Results are recorded in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.devserver import ROOT, free_port, wait_for_port


def start_server(port: int, database: Path, log) -> subprocess.Popen:
    env = {**os.environ, "PODVIZ_DB_PATH": str(database), "PYTHONPATH": str(ROOT)}
    env["DJANGO_SETTINGS_MODULE"] = "bench.soak_settings"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(
        [*command, "config.asgi:application"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    wait_for_port(port, process)
    return process


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start_run(base: str, scenario: str, speed: float) -> str:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"{base}/scenarios/{scenario}/play?speed={speed}")
    except urllib.error.HTTPError as redirect:
        if redirect.code != 302:
            raise
        return redirect.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    raise RuntimeError("the permalink did not redirect to a run")


async def reader(url: str, origin: str, stop: asyncio.Event, stats: dict) -> None:
    import websockets

    last_seq = None
    try:
        async with websockets.connect(url, origin=origin, max_size=None, open_timeout=60) as ws:
            stats["connected"] += 1
            while not stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(decode=False), 1)
                except TimeoutError:
                    continue
                stats["messages"] += 1
                head = raw[:200]
                if head.startswith(b'{"type":"run.state"'):
                    stats["states"] += 1
                    last_seq = None
                elif head.startswith(b'{"type":"run.frame"'):
                    seq = int(head.split(b'"seq":', 1)[1].split(b",", 1)[0])
                    if last_seq is not None and seq > last_seq + 1:
                        stats["gaps"] += 1
                    last_seq = seq
                    stats["frames"] += 1
    except websockets.ConnectionClosed as closed:
        code = closed.rcvd.code if closed.rcvd else None
        stats["closed"][str(code)] = stats["closed"].get(str(code), 0) + 1
    except OSError:
        stats["failed"] += 1


async def never_reads(url: str, origin: str, port: int, stop: asyncio.Event, stats: dict):
    import websockets

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    try:
        async with websockets.connect(url, origin=origin, sock=sock, max_queue=1) as ws:
            stats["slow_connected"] += 1
            await asyncio.wait(
                [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(ws.wait_closed())],
                return_when=asyncio.FIRST_COMPLETED,
            )
            if ws.close_code is not None:
                key = str(ws.close_code)
                stats["slow_closed"][key] = stats["slow_closed"].get(key, 0) + 1
    except OSError:
        stats["failed"] += 1


async def seek_storm(url: str, origin: str, stats: dict) -> None:
    import websockets

    async with websockets.connect(url, origin=origin, max_size=None) as ws:
        for second in range(300):
            await ws.send(json.dumps({"type": "seek", "time": second}))
        stats["seek_storms"] += 1


def load_generator(urls, origin, port, viewers, slow, seconds, out):
    async def main():
        stats = {
            "connected": 0,
            "slow_connected": 0,
            "failed": 0,
            "messages": 0,
            "frames": 0,
            "states": 0,
            "gaps": 0,
            "seek_storms": 0,
            "closed": {},
            "slow_closed": {},
        }
        stop = asyncio.Event()
        tasks = []
        for index in range(viewers):
            url = urls[index % len(urls)]
            tasks.append(asyncio.create_task(reader(url, origin, stop, stats)))
            await asyncio.sleep(0.02)
        for index in range(slow):
            url = urls[index % len(urls)]
            tasks.append(asyncio.create_task(never_reads(url, origin, port, stop, stats)))
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            try:
                await seek_storm(urls[0], origin, stats)
            except OSError:
                stats["failed"] += 1
            await asyncio.sleep(min(60, max(0, seconds - (time.monotonic() - started))))
        stop.set()
        await asyncio.gather(*tasks)
        out.send(stats)

    asyncio.run(main())


def sample(server: psutil.Process, base: str) -> dict:
    started = time.perf_counter()
    with urllib.request.urlopen(base + "/") as response:
        response.read()
    return {
        "t": time.time(),
        "rss_mb": round(server.memory_info().rss / 2**20, 1),
        "cpu_pct": server.cpu_percent(None),
        "home_ms": round(1000 * (time.perf_counter() - started), 1),
    }


def soak(args: argparse.Namespace, port: int, log) -> dict:
    """Runs ``args.rounds`` rounds of load against one new server; the samples of each round and
    the viewers' counts (a second round tells memory kept for reuse from memory lost)."""
    base = f"http://127.0.0.1:{port}"
    database = Path(os.environ.get("TMPDIR", "/tmp")) / f"podviz-soak-{port}.sqlite3"
    process = start_server(port, database, log)
    server = psutil.Process(process.pid)
    report: dict = {"args": vars(args) | {"json": str(args.json)}, "load": os.getloadavg()}
    try:
        sample(server, base)  # the first request loads the templates and the URL conf
        time.sleep(args.every)
        report["before"] = sample(server, base)
        print("before", report["before"], flush=True)
        report["rounds"] = [load_round(args, port, base, server) for _ in range(args.rounds)]
        report["load_after"] = os.getloadavg()
    finally:
        process.terminate()
        process.wait(timeout=10)
        database.unlink(missing_ok=True)
    return report


def load_round(args: argparse.Namespace, port: int, base: str, server: psutil.Process) -> dict:
    run_ids = [start_run(base, args.scenario, args.speed) for _ in range(args.runs)]
    urls = [base.replace("http", "ws", 1) + f"/ws/runs/{run_id}/" for run_id in run_ids]
    receiver, sender = multiprocessing.Pipe(duplex=False)
    seconds = args.minutes * 60
    generator = multiprocessing.Process(
        target=load_generator,
        args=(urls, base, port, args.viewers, args.slow, seconds, sender),
    )
    generator.start()
    during = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(args.every)
        during.append(sample(server, base))
        print("during", during[-1], flush=True)
    result = {"viewers": receiver.recv(), "during": during}
    generator.join()
    time.sleep(10)
    result["after_10s"] = sample(server, base)
    print("after 10 s", result["after_10s"], flush=True)
    time.sleep(40)  # the runs' idle grace (30 s) and the reaper
    result["after_50s"] = sample(server, base)
    print("after 50 s", result["after_50s"], flush=True)
    time.sleep(10)
    result["after_60s"] = sample(server, base)
    print("after 60 s", result["after_60s"], flush=True)
    return result


def summary(before: dict, result: dict) -> dict:
    rss = [point["rss_mb"] for point in result["during"]]
    cpu = [point["cpu_pct"] for point in result["during"]]
    home = sorted(point["home_ms"] for point in result["during"])
    return {
        "rss_before_mb": before["rss_mb"],
        "rss_during_median_mb": statistics.median(rss),
        "rss_during_max_mb": max(rss),
        "rss_after_10s_mb": result["after_10s"]["rss_mb"],
        "rss_after_50s_mb": result["after_50s"]["rss_mb"],
        "rss_after_60s_mb": result["after_60s"]["rss_mb"],
        "cpu_during_mean_pct": round(statistics.mean(cpu), 1),
        "home_p50_ms": statistics.median(home),
        "home_p90_ms": home[int(0.9 * (len(home) - 1))],
        "home_max_ms": home[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, default=300)
    parser.add_argument("--slow", type=int, default=20)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--scenario", default="seed-story")
    parser.add_argument("--speed", type=float, default=2)
    parser.add_argument("--every", type=float, default=5, help="seconds between samples")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of load on one server")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    port = free_port()
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"podviz-soak-{port}.log"
    with open(log_path, "w") as log:
        report = soak(args, port, log)
    report["summary"] = [summary(report["before"], result) for result in report["rounds"]]
    viewers = [result["viewers"] for result in report["rounds"]]
    print(json.dumps({"summary": report["summary"], "viewers": viewers}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
