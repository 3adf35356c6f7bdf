"""Redis outage benchmark: a class on two Daphne processes while Redis is killed and restarted.

Starts a redis-server on a fixed free port and two dashboard processes (A and B) sharing it and one
SQLite file, starts one run of seed-story on A (speed 2) and connects followers, half to A and half
to B, that behave as the run page does: they take frames in sequence, and after a gap of 2 s, or
when the server closes the socket, they reconnect with the page's backoff (0.5 s doubling to 10 s)
and start again from a full state. Then Redis is killed (SIGKILL) for ``--outage`` seconds and
started again on the same port, empty, as a supervisor would restart it.

Figures: the closes the followers saw by code; per process, the time from Redis' return until
every follower of that process takes a frame again (frames the page accepts: in sequence after a
full state); the statuses the servers told the followers ("class.reconnecting"); a run started
after Redis returned (on B, watched from A): seconds until its first frame on A; the tracebacks
in the servers' logs.

    .venv/bin/python bench/bench_redis_outage.py --followers 40 --outage 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.servers import Browser, run_id_of
from tests.support.devserver import free_port, start_server

GAP_RESYNC_SECONDS = 2.0  # static/podviz/connection.js RESYNC_AFTER_MS
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 10.0


class Follower:
    def __init__(self, url: str, run_id: str, name: str) -> None:
        self.ws_url = url.replace("http://", "ws://") + f"/ws/runs/{run_id}/"
        self.origin = url
        self.name = name
        self.accepted: list[tuple[float, int]] = []  # (time, seq) of frames taken
        self.closes: Counter[str] = Counter()
        self.notices: Counter[str] = Counter()

    async def follow(self, stop_at: float) -> None:
        attempts = 0
        while time.time() < stop_at:
            try:
                async with websockets.connect(self.ws_url, origin=self.origin, max_size=None) as ws:
                    attempts = await self._read(ws, stop_at, attempts)
            except websockets.ConnectionClosed as closed:
                self.closes[str(closed.rcvd.code if closed.rcvd else "none")] += 1
            except (OSError, websockets.WebSocketException) as error:
                self.closes[type(error).__name__] += 1
            if time.time() >= stop_at:
                return
            await asyncio.sleep(min(BACKOFF_MAX, BACKOFF_FIRST * 2**attempts))
            attempts += 1

    async def _read(self, ws, stop_at: float, attempts: int) -> int:
        last_seq = None
        gap_since = None
        while time.time() < stop_at:
            try:
                text = await asyncio.wait_for(ws.recv(), 0.5)
            except TimeoutError:
                text = None
            now = time.time()
            if gap_since is not None and now - gap_since > GAP_RESYNC_SECONDS:
                return attempts  # the page closes and reconnects
            if text is None:
                continue
            message = json.loads(text)
            kind = message.get("type")
            if kind == "run.state":
                last_seq, gap_since, attempts = message["seq"], None, 0
            elif kind == "run.frame" and last_seq is not None and message["seq"] > last_seq:
                if message["seq"] > last_seq + 1:
                    gap_since = gap_since or now
                elif gap_since is None:
                    last_seq = message["seq"]
                    self.accepted.append((now, last_seq))
            elif kind.startswith("class.") and kind not in ("class.followers",):
                self.notices[kind] += 1
        return attempts


def back_after(followers: list[Follower], restarted_at: float) -> list[float | None]:
    result = []
    for follower in followers:
        later = [at for at, _ in follower.accepted if at > restarted_at]
        result.append(later[0] - restarted_at if later else None)
    return result


def start_redis(port: int, directory: str) -> subprocess.Popen:
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", directory]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    for _ in range(200):
        probe = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True)
        if probe.stdout.strip() == b"PONG":
            return process
        time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


async def main(args) -> None:
    with tempfile.TemporaryDirectory() as directory:
        redis_port = free_port()
        redis = start_redis(redis_port, directory)
        env = {"PODVIZ_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}
        database = Path(directory) / "db.sqlite3"
        servers, logs = [], []
        for name in ("a", "b"):
            log_path = Path(directory) / f"{name}.log"
            logs.append(log_path)
            port = free_port()
            with open(log_path, "w") as log:
                servers.append((f"http://127.0.0.1:{port}", start_server(port, database, log, env)))
        (a_url, _), (b_url, _) = servers
        try:
            run_url, _ = Browser().get(f"{a_url}/scenarios/seed-story/play?speed=2")
            run_id = run_id_of(run_url)
            half = args.followers // 2
            followers = [Follower(a_url, run_id, "A") for _ in range(half)]
            followers += [Follower(b_url, run_id, "B") for _ in range(args.followers - half)]
            stop_at = time.time() + args.before + args.outage + args.after
            tasks = [asyncio.create_task(f.follow(stop_at)) for f in followers]
            await asyncio.sleep(args.before)
            flowing = sum(1 for f in followers if f.accepted)
            redis.kill()
            redis.wait()
            killed_at = time.time()
            await asyncio.sleep(args.outage)
            redis = start_redis(redis_port, directory)
            restarted_at = time.time()
            # A new run, started on B after Redis returned, watched from A.
            new_run_url, _ = Browser().get(f"{b_url}/scenarios/seed-story/play?speed=2")
            newcomer = Follower(a_url, run_id_of(new_run_url), "new")
            tasks.append(asyncio.create_task(newcomer.follow(stop_at)))
            await asyncio.gather(*tasks)
        finally:
            for _, process in servers:
                process.terminate()
                process.wait(timeout=10)
            redis.terminate()
        closes: Counter[str] = Counter()
        notices: Counter[str] = Counter()
        for follower in followers:
            closes.update(follower.closes)
            notices.update(follower.notices)
        print(f"followers {len(followers)}, taking frames before the outage: {flowing}")
        print(f"outage {restarted_at - killed_at:.1f} s; closes seen by followers: {dict(closes)}")
        print(f"notices during the run: {dict(notices)}")
        for name in ("A", "B"):
            group = [f for f in followers if f.name == name]
            back = back_after(group, restarted_at)
            got = sorted(b for b in back if b is not None)
            worst = f"{got[-1]:.1f} s" if got else "-"
            print(
                f"process {name}: {len(got)}/{len(group)} take frames again; "
                f"last back after {worst} (median {got[len(got) // 2]:.1f} s)"
                if got
                else f"process {name}: 0/{len(group)} take frames again"
            )
        new_back = back_after([newcomer], restarted_at)[0]
        print(f"new run on B watched from A: first frame {new_back and round(new_back, 1)} s after")
        for log_path in logs:
            text = log_path.read_text()
            print(
                f"{log_path.name}: {text.count('Traceback')} tracebacks, "
                f"{text.count('Task exception was never retrieved')} 'never retrieved', "
                f"{text.count('ConnectionError')} ConnectionError lines"
            )
        if args.keep_logs:
            for log_path in logs:
                target = Path(args.keep_logs) / log_path.name
                target.write_text(log_path.read_text())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=40)
    parser.add_argument("--outage", type=float, default=10.0)
    parser.add_argument("--before", type=float, default=8.0)
    parser.add_argument("--after", type=float, default=15.0)
    parser.add_argument("--keep-logs", default=os.environ.get("KEEP_LOGS"))
    asyncio.run(main(parser.parse_args()))
