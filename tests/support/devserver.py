"""The dashboard and a headless browser, started for the browser tests and the benchmarks.

The server is started exactly as `make run` starts it (migrate, collect the static files if a
source changed, then Daphne), on a free port of 127.0.0.1, with its own SQLite file.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PODVIZ_CHROMIUM", "/usr/bin/chromium")
# Chromium as root in a container whose only network is loopback: no sandbox, no GPU, and none of
# the background connections that would be refused.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server did not listen on port {port} within {timeout} s")


def start_server(
    port: int,
    database: Path,
    log: IO[str] | int = subprocess.DEVNULL,
    extra_env: dict[str, str] | None = None,
    settings: str = "config.settings",
) -> subprocess.Popen:
    """Migrate ``database``, collect the static files if a source changed, serve the dashboard
    on ``port`` with the ``settings`` module and wait until it listens.

    ``extra_env`` adds environment variables, e.g. ``PODVIZ_REDIS_URL``.
    """
    env = {**os.environ, "PODVIZ_DB_PATH": str(database), "PYTHONPATH": str(ROOT)}
    env.update(extra_env or {})
    env["DJANGO_SETTINGS_MODULE"] = settings
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic_if_stale", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(
        [*command, "config.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for_port(port, process)
    return process
