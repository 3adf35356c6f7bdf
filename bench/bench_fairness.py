"""Fairness benchmark: a class keeps its frame rate while one client runs every heavy endpoint.

Starts one dashboard process (as `make run`), one class run of seed-story at speed 1 with one
follower that counts its frames per second, then one attacker (one address, as one client) that
loops over the heavy requests with ``--parallel`` requests at once: the largest sweep the page
allows (25 cells, a different grid each time so no cache helps), the run's report, the advisor's
check of its example manifest (POST, with the CSRF token a browser would have) and the API's
validate. Figures: the follower's frames per second (mean, worst second), seconds without a
frame, and the attacker's answers by status.

    .venv/bin/python bench/bench_fairness.py --seconds 30 --parallel 6
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import re
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.servers import Browser, run_id_of
from tests.support.devserver import free_port, start_server


def heavy_requests(url: str, run_id: str):
    """The attacker's requests, endlessly: (label, callable returning a status)."""
    browser = Browser()
    _, page = browser.get(f"{url}/check/?example=storefront")
    manifest = re.search(r'<textarea[^>]*name="manifest"[^>]*>(.*?)</textarea>', page, re.S)
    manifest_text = manifest.group(1) if manifest else "apiVersion: v1"
    token = next((c.value for c in browser.cookies if c.name == "csrftoken"), "")
    periods = itertools.count(1)

    def sweep():
        start = next(periods)
        first = ",".join(str(start + i) for i in range(5))
        vary = [
            f"readinessProbe.periodSeconds={first}",
            "readinessProbe.failureThreshold=1,2,3,4,5",
        ]
        query = urllib.parse.urlencode({"scenario": "seed-story", "vary": vary}, doseq=True)
        return browser.opener.open(f"{url}/sweep/?{query}", timeout=120)

    def report():
        return browser.opener.open(f"{url}/runs/{run_id}/report", timeout=120)

    def check():
        data = urllib.parse.urlencode({"manifest": manifest_text, "csrfmiddlewaretoken": token})
        return browser.opener.open(f"{url}/check/", data=data.encode(), timeout=120)

    def validate():
        request = urllib.request.Request(
            f"{url}/api/scenarios/validate",
            data=json.dumps({"yaml": "apiVersion: podviz/v1\n"}).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": token},
        )
        return browser.opener.open(request, timeout=120)

    return [("sweep", sweep), ("report", report), ("check", check), ("validate", validate)]


def attack(calls, stop_at: float, answers: Counter) -> None:
    for label, call in itertools.cycle(calls):
        if time.time() >= stop_at:
            return
        try:
            with call() as response:
                response.read()
                answers[f"{label} {response.status}"] += 1
        except urllib.error.HTTPError as error:
            answers[f"{label} {error.code}"] += 1
        except OSError as error:
            answers[f"{label} {type(error).__name__}"] += 1


async def follow(url: str, run_id: str, stop_at: float, per_second: Counter) -> None:
    ws_url = url.replace("http://", "ws://") + f"/ws/runs/{run_id}/"
    async with websockets.connect(ws_url, origin=url, max_size=None) as socket:
        while time.time() < stop_at:
            try:
                message = json.loads(await asyncio.wait_for(socket.recv(), 1.0))
            except TimeoutError:
                continue
            if message.get("type") == "run.frame":
                per_second[int(time.time())] += 1


async def main(args) -> None:
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with open(Path(directory) / "server.log", "w") as log:
            server = start_server(port, Path(directory) / "db.sqlite3", log)
        try:
            run_url, _ = Browser().get(f"{url}/scenarios/seed-story/play")
            run_id = run_id_of(run_url)
            per_second: Counter[int] = Counter()
            answers: Counter[str] = Counter()
            start = time.time() + 3
            stop_at = start + args.seconds
            follower = asyncio.create_task(follow(url, run_id, stop_at, per_second))
            await asyncio.sleep(3)
            calls = heavy_requests(url, run_id)
            loop = asyncio.get_running_loop()
            with ThreadPoolExecutor(max(1, args.parallel)) as pool:
                attackers = [
                    loop.run_in_executor(pool, attack, calls, stop_at, answers)
                    for _ in range(args.parallel)
                ]
                await asyncio.gather(follower, *attackers)
        finally:
            server.terminate()
            server.wait(timeout=10)
    seconds = range(int(start) + 1, int(stop_at))
    rates = [per_second.get(second, 0) for second in seconds]
    print(f"{args.parallel} heavy requests at once for {args.seconds} s")
    print(
        f"class: {sum(rates) / len(rates):.2f} frames/s mean, worst second {min(rates)}, "
        f"seconds without a frame {sum(1 for rate in rates if rate == 0)} of {len(rates)}"
    )
    print("attacker's answers:", dict(sorted(answers.items())))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--parallel", type=int, default=6)
    asyncio.run(main(parser.parse_args()))
