"""Limits a client cannot talk around: a forged X-Forwarded-For, many sockets presenting one
run, a flood of refused commands, guessing join codes.

The first tests run against a real Daphne process (started as `make run`, without
``--proxy-headers``), reached directly from 127.0.0.1, which is not a configured proxy.
"""

import asyncio
import urllib.error
import urllib.request

import pytest
from django.test import Client, override_settings

from core import limits
from runs import durable

from ..servers import Browser, Daphne, RunSocket, run_id_of


@pytest.fixture
def server(tmp_path):
    env = {"PODVIZ_TRUSTED_PROXIES": "10.9.0.0/16"}
    daphne = Daphne(tmp_path, tmp_path / "db.sqlite3", env, "only").start()
    yield daphne
    daphne.stop()


def start_run(server: Daphne, forwarded_for: str) -> int:
    request = urllib.request.Request(
        f"{server.url}/scenarios/seed-story/play", headers={"X-Forwarded-For": forwarded_for}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_limits_hold_against_forged_headers_many_presenter_sockets_and_refused_floods(
    server,
):
    teacher = Browser()
    run_url, _ = teacher.get(f"{server.url}/scenarios/seed-story/play")
    run_id = run_id_of(run_url)
    # A fresh X-Forwarded-For per request names nobody: the peer is counted (8 runs at most).
    answers = [start_run(server, f"203.0.113.{n}") for n in range(8)]
    assert answers == [200] * 7 + [429]

    # Two sockets presenting one run share one command rate (burst 20): 15 pauses each.
    async with (
        RunSocket(server.url, run_id, teacher.cookie_header()) as first,
        RunSocket(server.url, run_id, teacher.cookie_header()) as second,
        RunSocket(server.url, run_id) as follower,
    ):
        for socket in (first, second, follower):
            await socket.receive_of_type("run.state")
        # 60 each: past the burst and whatever refills while a loaded machine sends them.
        for _ in range(60):
            await first.send({"type": "pause"})
            await second.send({"type": "pause"})
        limited = await asyncio.wait_for(second.receive_of_type("error"), 30)
        assert limited["code"] == "rate_limited"

        # A follower's refused commands count against its rate, and past it get one answer.
        for _ in range(100):
            await follower.send({"type": "play"})
        codes = []
        while "rate_limited" not in codes:
            codes.append((await asyncio.wait_for(follower.receive_of_type("error"), 30))["code"])
        assert set(codes) == {"forbidden", "rate_limited"}
        # The burst of 20, and the few the rate refilled while they were sent.
        assert 20 <= codes.count("forbidden") < 100
        more = []
        try:
            while True:
                more.append(await asyncio.wait_for(follower.receive_of_type("error"), 1.5))
        except TimeoutError:
            pass
        # Past the rate: one answer a second at most, not one per refused command.
        assert len(more) < 100 - len(codes)


def test_a_trusted_proxy_names_the_client_and_nobody_else_does():
    with override_settings(PODVIZ_TRUSTED_PROXIES=["10.9.0.0/16"]):
        assert limits.client_of("10.9.0.1", "198.51.100.7") == "198.51.100.7"
        # The client's own header comes first; the proxy appends what it saw.
        assert limits.client_of("10.9.0.1", "1.2.3.4, 198.51.100.7") == "198.51.100.7"
        assert limits.client_of("198.51.100.7", "1.2.3.4") == "198.51.100.7"
        assert limits.client_of("10.9.0.1", "10.9.0.2") == "10.9.0.1"
        assert limits.client_of("10.9.0.1", "not an address, 10.9.0.3") == "not an address"


@pytest.mark.django_db
def test_join_codes_are_tried_at_most_ten_a_minute_per_client():
    assert len(durable.new_join_code()) == 6
    guesser = Client(REMOTE_ADDR="198.51.100.9")
    answers = [guesser.get("/join", {"code": f"ZZZZZ{n}"}).status_code for n in range(11)]
    assert answers == [404] * 10 + [429]
    assert "too many codes tried" in guesser.get("/join", {"code": "AAAAAA"}).content.decode()
    assert Client(REMOTE_ADDR="198.51.100.10").get("/join", {"code": "ZZZZZZ"}).status_code == 404


@pytest.mark.django_db(transaction=True)
async def test_sockets_are_limited_per_client_and_a_closed_one_frees_its_place(
    run_manager, two_pod_scenario, database_thread_closed
):
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    run = run_manager.start(two_pod_scenario)

    def socket(address):
        return WebsocketCommunicator(
            application,
            f"/ws/runs/{run.run_id}/",
            headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")],
            spec_version="2.4",
        )

    with override_settings(PODVIZ_LIMITS={"sockets_per_client": 2, "sockets_per_process": 3}):
        opened = []
        for address in ("198.51.100.1", "198.51.100.1"):
            communicator = socket(address)
            communicator.scope["client"] = (address, 5000)
            assert (await communicator.connect())[0]
            await communicator.receive_from()
            opened.append(communicator)
        third = socket("198.51.100.1")
        third.scope["client"] = ("198.51.100.1", 5000)
        await third.connect()
        refused = await third.receive_json_from()
        assert refused["code"] == "too_many_sockets" and "from your address" in refused["detail"]
        assert (await third.receive_output())["code"] == 4430
        await opened[0].disconnect()
        again = socket("198.51.100.1")
        again.scope["client"] = ("198.51.100.1", 5000)
        await again.connect()
        assert (await again.receive_json_from())["type"] == "run.state"
        for communicator in (opened[1], again):
            await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_twelve_students_behind_one_address_each_fork_and_one_browser_is_limited(
    run_manager, database_thread_closed
):
    from django.test import AsyncClient

    from .test_classroom import start_class

    run_id = await start_class(AsyncClient())
    students = [AsyncClient() for _ in range(12)]  # one address (127.0.0.1), twelve browsers
    answers = [(await student.post(f"/runs/{run_id}/fork")).status_code for student in students]
    assert answers == [302] * 12
    one = students[0]
    more = [(await one.post(f"/runs/{run_id}/fork")).status_code for _ in range(8)]
    assert more == [302] * 7 + [429]
