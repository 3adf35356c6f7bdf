"""Class benchmark: one class run, its followers spread over two Daphne processes on Redis.

Starts a redis-server and two dashboard processes (A and B) sharing it and one SQLite file, starts
one run of a built-in scenario on A as its presenter, then connects N followers, half to A and half
to B, from two load-generator processes (one per server, bench/bench_fanout.py's viewer). Over a
fixed window it counts the frames each follower receives and the delay from the owner's encoding of
a frame (`sentAt`) to its arrival, and samples each server's CPU and memory with psutil.

Then the restart: 30 followers (15 per process) that reconnect as the page does; both processes
are killed and started again one after the other (migrate, then Daphne, as `make run`); the
figures are the time to start both again and, from the kill, the time until each follower holds
a fresh full state of the same run.

    .venv/bin/python bench/bench_class.py --followers 30 300 1000 --seconds 15
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_fanout import viewer

from tests.servers import Browser, redis_server, run_id_of
from tests.support.devserver import free_port, start_server


def load_generator(url: str, origin: str, followers: int, warmup: float, seconds: float, out):
    """bench_fanout's viewers, counting a refused or dropped socket as failed instead of
    stopping the generator."""

    async def follower(stop_at: float, start_at: float, stats: dict) -> None:
        import websockets

        try:
            await viewer(url, origin, stop_at, start_at, stats)
        except websockets.WebSocketException:
            stats["failed"] += 1

    async def main():
        stats = {"connected": 0, "failed": 0, "resyncs": 0, "delivered": 0, "latencies": []}
        stats["seqs"] = set()
        start_at = time.time() + warmup
        stop_at = start_at + seconds
        tasks = []
        for _ in range(followers):
            tasks.append(asyncio.create_task(follower(stop_at, start_at, stats)))
            await asyncio.sleep(warmup / 2 / followers)
        await asyncio.gather(*tasks)
        seqs = stats.pop("seqs")
        stats["published"] = max(seqs) - min(seqs) + 1 if seqs else 0
        out.send(stats)

    asyncio.run(main())


class Servers:
    def __init__(self, directory: Path, redis_url: str) -> None:
        self.database = directory / "class.sqlite3"
        self.env = {"PODVIZ_REDIS_URL": redis_url}
        self.ports = [free_port(), free_port()]
        self.processes: list[subprocess.Popen] = []
        self.log = open(directory / "daphne.log", "a")  # noqa: SIM115

    @property
    def bases(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def start(self) -> None:
        self.processes = [
            start_server(port, self.database, self.log, self.env) for port in self.ports
        ]

    def kill(self) -> None:
        for process in self.processes:
            process.kill()
            process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.wait(timeout=10)


def measure(servers: Servers, run_id: str, followers: int, seconds: float) -> dict:
    warmup = max(5.0, followers / 100)
    monitors = [psutil.Process(process.pid) for process in servers.processes]
    generators, receivers = [], []
    for index, base in enumerate(servers.bases):
        url = base.replace("http", "ws", 1) + f"/ws/runs/{run_id}/"
        share = followers // 2 + (followers % 2 if index == 0 else 0)
        receiver, sender = multiprocessing.Pipe(duplex=False)
        generator = multiprocessing.Process(
            target=load_generator, args=(url, base, share, warmup, seconds, sender)
        )
        generator.start()
        generators.append(generator)
        receivers.append(receiver)
    time.sleep(warmup)
    for monitor in monitors:
        monitor.cpu_percent(None)
    samples: list[list[tuple[float, int]]] = [[] for _ in monitors]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1)
        for index, monitor in enumerate(monitors):
            samples[index].append((monitor.cpu_percent(None), monitor.memory_info().rss))
    for receiver, generator in zip(receivers, generators, strict=True):
        if not receiver.poll(warmup + 120):
            raise RuntimeError(f"a load generator stopped (exit code {generator.exitcode})")
    stats = [receiver.recv() for receiver in receivers]
    for generator in generators:
        generator.join()
    latencies = sorted(latency for part in stats for latency in part["latencies"]) or [0.0]
    published = max(part["published"] for part in stats)
    expected = published * followers
    delivered = sum(part["delivered"] for part in stats)
    return {
        "followers": followers,
        "connected": sum(part["connected"] for part in stats),
        "failed": sum(part["failed"] for part in stats),
        "frames": f"{delivered}/{expected} ({100 * delivered / max(1, expected):.1f} %)",
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1),
        "cpu_pct": [round(statistics.mean(cpu for cpu, _ in part), 1) for part in samples],
        "rss_mb": [round(max(rss for _, rss in part) / 2**20, 1) for part in samples],
    }


async def reconnecting_follower(url: str, origin: str, states: list[float], stop: asyncio.Event):
    """Follows as the page does: on a closed socket, reconnects after 0.5 s."""
    import websockets

    while not stop.is_set():
        try:
            async with websockets.connect(url, origin=origin, max_size=None) as socket:
                async for raw in socket:
                    if raw.startswith('{"type":"run.state"'):
                        states.append(time.monotonic())
        except (TimeoutError, OSError, websockets.ConnectionClosed):
            pass
        await asyncio.sleep(0.5)


async def resync_after_restart(servers: Servers, run_id: str, count: int = 30) -> dict:
    stop = asyncio.Event()
    states: list[list[float]] = [[] for _ in range(count)]
    tasks = []
    for index in range(count):
        base = servers.bases[index % 2]
        url = base.replace("http", "ws", 1) + f"/ws/runs/{run_id}/"
        tasks.append(asyncio.create_task(reconnecting_follower(url, base, states[index], stop)))
    while not all(states):
        await asyncio.sleep(0.1)
    killed_at = time.monotonic()
    servers.kill()
    await asyncio.to_thread(servers.start)
    listening_at = time.monotonic()
    # The first process back may resync its followers before the second one listens.
    while not all(any(t > killed_at for t in follower) for follower in states):
        await asyncio.sleep(0.05)
    resynced = [min(t for t in follower if t > killed_at) for follower in states]
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "followers": count,
        "restart_both_s": round(listening_at - killed_at, 2),
        "resync_after_kill_p50_s": round(statistics.median(resynced) - killed_at, 2),
        "resync_after_kill_max_s": round(max(resynced) - killed_at, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, nargs="+", default=[30, 300, 1000])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--speed", type=float, default=5)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="podviz-class-") as directory,
        redis_server(Path(directory)) as redis_url,
    ):
        servers = Servers(Path(directory), redis_url)
        servers.start()
        try:
            teacher = Browser()
            for followers in args.followers:
                run_url, _ = teacher.get(
                    f"{servers.bases[0]}/scenarios/seed-story/play?speed={args.speed}"
                )
                result = measure(servers, run_id_of(run_url), followers, args.seconds)
                print(json.dumps(result), flush=True)
            print(json.dumps(asyncio.run(resync_after_restart(servers, run_id_of(run_url)))))
        finally:
            servers.stop()


if __name__ == "__main__":
    main()
