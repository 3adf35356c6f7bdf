"""Real server processes for the tests: a redis-server and Daphne processes on free ports.

Each process gets its own port and log file; the tests start, kill and restart them as a deployment
would see them start, crash and come back.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import websockets

from tests.support.devserver import free_port, start_server

REDIS_SERVER = shutil.which("redis-server")


def require_redis_server() -> str:
    """The redis-server binary; skips the test without it (fails under CI)."""
    if REDIS_SERVER is None:
        message = "redis-server is not installed: sudo apt-get install -y redis-server"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} (required under CI)")
        pytest.skip(message)
    return REDIS_SERVER


@contextmanager
def redis_server(directory: Path):
    """A redis-server on a free port of 127.0.0.1, without persistence; yields its URL."""
    binary = require_redis_server()
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(directory)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        for _ in range(200):
            probe = subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            )
            if probe.stdout.strip() == "PONG":
                break
            assert server.poll() is None, "redis-server exited"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


class RedisServer:
    """A redis-server on a free port of 127.0.0.1, without persistence, that a test may kill and
    start again on the same port (as a supervisor restarts it: empty)."""

    def __init__(self, directory: Path) -> None:
        self.binary = require_redis_server()
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.directory)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        for _ in range(200):
            probe = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if probe.stdout.strip() == "PONG":
                return self
            assert self.process.poll() is None, "redis-server exited"
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer PING")

    def kill(self) -> None:
        """Stop at once, as a crash would."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class Daphne:
    """One dashboard process (migrate, then Daphne, as `make run`), which a test may restart."""

    def __init__(self, directory: Path, database: Path, env: dict[str, str], name: str) -> None:
        self.database = database
        self.env = env
        self.log_path = directory / f"{name}.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Daphne:
        with open(self.log_path, "a") as log:
            self.process = start_server(self.port, self.database, log, self.env)
        return self

    def kill(self) -> None:
        """Stop at once, as a crash would: no clean-up runs."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


class Browser:
    """A browser's HTTP side without a browser: a cookie jar that follows redirects."""

    def __init__(self) -> None:
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str) -> tuple[str, str]:
        """GET ``url``; returns the final URL after redirects and the body."""
        with self.opener.open(url, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post(self, url: str, fields: dict[str, str]) -> tuple[str, str]:
        """POST ``fields`` as a form, with the CSRF token of the cookie jar; returns the final
        URL after redirects and the body."""
        token = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        with self.opener.open(url, data=data, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)


def run_id_of(run_url: str) -> str:
    """The run's id in a run page URL (``.../runs/<id>/``)."""
    return run_url.rstrip("/").rsplit("/", 1)[-1]


class RunSocket:
    """A WebSocket to a run on a Daphne process, as the run page opens it."""

    def __init__(self, server_url: str, run_id: str, cookie: str = "") -> None:
        self.url = server_url.replace("http://", "ws://") + f"/ws/runs/{run_id}/"
        self.origin = server_url
        self.cookie = cookie
        self.socket = None

    async def __aenter__(self) -> RunSocket:
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.socket = await websockets.connect(
            self.url, origin=self.origin, additional_headers=headers, max_size=None
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    async def receive(self, timeout: float = 10) -> dict:
        return json.loads(await asyncio.wait_for(self.socket.recv(), timeout))

    async def receive_of_type(self, kind: str, timeout: float = 10) -> dict:
        while True:
            message = await self.receive(timeout)
            if message["type"] == kind:
                return message

    async def send(self, command: dict) -> None:
        await self.socket.send(json.dumps(command))
