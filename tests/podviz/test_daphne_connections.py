"""Frames the ASGI test client cannot send, and viewers that never read, against a real Daphne
process started as `make run` starts it (tests/podviz/daphne_settings.py makes the slow-viewer
bounds small)."""

import asyncio
import json
import socket
import urllib.error
import urllib.request

import pytest
import websockets

from tests.support.devserver import free_port, start_server


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    log_path = tmp_path_factory.mktemp("logs") / "daphne.log"
    with open(log_path, "w") as log:
        process = start_server(
            port,
            tmp_path_factory.mktemp("db") / "db.sqlite3",
            log,
            settings="tests.podviz.daphne_settings",
        )
        try:
            yield port, log_path
        finally:
            process.terminate()
            process.wait(timeout=10)


def start_run(port: int) -> str:
    """A new run's id; its presenter's session cookie goes into ``PRESENTER``."""
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"http://127.0.0.1:{port}/scenarios/crashloop-backoff/play")
    assert redirect.value.code == 302
    PRESENTER["Cookie"] = redirect.value.headers["Set-Cookie"].split(";", 1)[0]
    return redirect.value.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


# The sockets below send commands: they are the run's presenter (runs/roles.py).
PRESENTER: dict[str, str] = {}


def socket_url(port: int, run_id: str) -> tuple[str, str]:
    return f"ws://127.0.0.1:{port}/ws/runs/{run_id}/", f"http://127.0.0.1:{port}"


async def next_of_type(ws, kind: str) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] == kind:
            return message


async def test_text_binary_and_oversized_messages_over_a_real_socket(server):
    port, _ = server
    url, origin = socket_url(port, start_run(port))
    async with websockets.connect(
        url, origin=origin, additional_headers=PRESENTER, max_size=None
    ) as ws:
        await next_of_type(ws, "run.state")
        await ws.send(json.dumps({"type": "play", "pad": "😀" * 30_000}))
        assert (await next_of_type(ws, "error"))["code"] == "too_large"
        await ws.send(b"\xff\xfe binary")
        assert (await next_of_type(ws, "error"))["code"] == "bad_message"
        await ws.send("[" * 2040 + "]" * 2040)
        assert (await next_of_type(ws, "error"))["code"] == "bad_json"
        await ws.send('{"type": "speed", "speed": 3}')
        frame = await next_of_type(ws, "run.frame")
        while frame["speed"] != 3:
            frame = await next_of_type(ws, "run.frame")


async def test_invalid_utf8_and_huge_messages_drop_only_their_own_connection(server):
    # The WebSocket layer (autobahn under Daphne) fails these connections itself, by dropping
    # them (its failByDrop default), before the application sees a message: RFC 6455 §8.1 for
    # invalid UTF-8, Daphne's 1 MB message limit for the other.
    port, _ = server
    url, origin = socket_url(port, start_run(port))
    async with websockets.connect(
        url, origin=origin, additional_headers=PRESENTER, max_size=None
    ) as watcher:
        await next_of_type(watcher, "run.state")
        for payload in (b'{"type": "\xff"}', b"x" * 2_000_000):
            async with websockets.connect(
                url, origin=origin, additional_headers=PRESENTER, max_size=None
            ) as ws:
                await next_of_type(ws, "run.state")
                # Dropped while the client still sends (a reset) or once it reads (closed).
                with pytest.raises((websockets.ConnectionClosed, ConnectionResetError)):
                    await ws.send(payload, text=True)
                    while True:
                        await asyncio.wait_for(ws.recv(), 10)
        # The run and its other viewer go on.
        await watcher.send('{"type": "speed", "speed": 5}')
        frame = await next_of_type(watcher, "run.frame")
        while frame["speed"] != 5:
            frame = await next_of_type(watcher, "run.frame")


async def test_a_viewer_that_never_reads_is_closed_with_4429(server):
    port, log_path = server
    run_id = start_run(port)
    url, origin = socket_url(port, run_id)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    async with (
        websockets.connect(
            url, origin=origin, additional_headers=PRESENTER, max_size=None
        ) as driver,
        websockets.connect(
            url, origin=origin, additional_headers=PRESENTER, sock=sock, max_queue=1
        ),
    ):
        await next_of_type(driver, "run.state")
        # Every seek sends every viewer a full state: far more than the stalled one takes.
        for round_ in range(5000):
            if "viewer closed with 4429" in log_path.read_text():
                break
            await driver.send(json.dumps({"type": "seek", "time": 100 + round_ % 2}))
            await next_of_type(driver, "run.state")
        assert "viewer closed with 4429" in log_path.read_text()
        # The reading viewer was not held back.
        await driver.send('{"type": "speed", "speed": 4}')
        frame = await next_of_type(driver, "run.frame")
        while frame["speed"] != 4:
            frame = await next_of_type(driver, "run.frame")


async def test_a_client_that_closes_right_after_a_refused_command_costs_no_error(server):
    # A follower's command is refused with an error message; a client that closed meanwhile
    # (it sent and left) must not turn that reply into an exception inside the application.
    port, log_path = server
    run_id = start_run(port)
    url, origin = socket_url(port, run_id)
    for _ in range(10):
        async with websockets.connect(url, origin=origin) as follower:
            await next_of_type(follower, "run.state")
            for _ in range(15):  # within the command rate's burst: each refusal is answered
                await follower.send('{"type": "pause"}')
    async with websockets.connect(url, origin=origin) as follower:
        await next_of_type(follower, "run.state")
        await follower.send('{"type": "pause"}')
        assert (await next_of_type(follower, "error"))["code"] == "forbidden"
    # Whether a reply finds its client gone depends on the machine's timing (the unit test in
    # test_consumer.py makes it happen every time); once all 11 sockets are seen closed, none of
    # the replies may have raised.
    async with asyncio.timeout(30):
        while log_path.read_text().count(f"WSDISCONNECT /ws/runs/{run_id}/") < 11:
            await asyncio.sleep(0.1)
    assert "Exception inside application" not in log_path.read_text()
