"""A class run across real Daphne processes: restarts, two processes on Redis, a takeover.

Every test starts its own server processes on free ports with one SQLite file between them, and
for several processes a real redis-server; sockets connect as the run page's do, with the
presenter's session cookie or without one.
"""

import asyncio
import json
import sqlite3

import pytest
import websockets

from ..servers import Browser, Daphne, RunSocket, redis_server, run_id_of


def playing_is(value):
    return lambda message: message.get("playing") is value


async def receive_until(socket: RunSocket, predicate, timeout: float = 30) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            message = await socket.receive(timeout)
            if predicate(message):
                return message


async def state_after_restart(server_url: str, run_id: str, cookie: str = "") -> dict:
    """The run's first full state on a process that has just started, reconnecting as the page
    does when the server closes with 4503: the run's owner before the restart holds its lease
    for up to LEASE_SECONDS, and a socket that came meanwhile is told to come again."""
    async with asyncio.timeout(60):
        while True:
            try:
                async with RunSocket(server_url, run_id, cookie) as socket:
                    return await receive_until(socket, lambda m: m["type"] == "run.state")
            except websockets.exceptions.ConnectionClosedError as closed:
                if closed.rcvd is None or closed.rcvd.code != 4503:
                    raise


async def frames_after(socket: RunSocket, state: dict, count: int) -> list[dict]:
    """The next ``count`` frames newer than ``state``, as the page takes them (it drops a frame
    that crossed the state on the way)."""

    def newer(message):
        return message["type"] == "run.frame" and message["seq"] > state["seq"]

    return [await receive_until(socket, newer) for _ in range(count)]


async def written(database, run_id: str, sim_time: float, timeout: float = 30) -> None:
    """Until the database holds the run paused at ``sim_time``."""
    async with asyncio.timeout(timeout):
        while True:
            with sqlite3.connect(database) as connection:
                row = connection.execute(
                    "SELECT sim_time, playing FROM podviz_classrun WHERE run_id = ?", (run_id,)
                ).fetchone()
            if row == (pytest.approx(sim_time), 0):
                return
            await asyncio.sleep(0.1)


@pytest.fixture
def database(tmp_path):
    return tmp_path / "podviz.sqlite3"


@pytest.fixture
def servers(tmp_path):
    started: list[Daphne] = []
    yield started
    for server in started:
        server.stop()


async def test_after_a_restart_the_run_comes_back_where_it_was(tmp_path, database, servers):
    server = Daphne(tmp_path, database, {}, "only")
    servers.append(server.start())
    teacher = Browser()
    run_url, _ = teacher.get(f"{server.url}/scenarios/seed-story/play?t=100&speed=5")
    run_id = run_id_of(run_url)
    async with RunSocket(server.url, run_id, teacher.cookie_header()) as presenter:
        await receive_until(presenter, lambda m: m["type"] == "run.state")
        await presenter.send({"type": "inject", "action": "AppCrash", "pod": "web-1"})
        await presenter.send({"type": "seek", "time": 150})
        await presenter.send({"type": "pause"})
        paused = await receive_until(presenter, playing_is(False))
    # Written at every command: wait for the pause's write, then crash.
    await written(database, run_id, paused["time"])
    server.kill()
    server.start()

    state = await state_after_restart(server.url, run_id)
    assert state["time"] == pytest.approx(paused["time"])
    assert [(event["action"], event["pod"]) for event in state["injected"]] == [
        ("AppCrash", "web-1")
    ]
    # The presenter's session survived too: its commands still apply, a follower's do not.
    async with RunSocket(server.url, run_id, teacher.cookie_header()) as presenter:
        await receive_until(presenter, lambda m: m["type"] == "run.state")
        await presenter.send({"type": "play"})
        await receive_until(presenter, playing_is(True))
    async with RunSocket(server.url, run_id) as follower:
        await follower.send({"type": "pause"})
        refused = await receive_until(follower, lambda m: m["type"] == "error")
    assert refused["code"] == "forbidden"


def saved_class_state(database, run_id: str) -> dict:
    with sqlite3.connect(database) as connection:
        (text,) = connection.execute(
            "SELECT class_state FROM podviz_classrun WHERE run_id = ?", (run_id,)
        ).fetchone()
    return json.loads(text)


async def test_a_crash_mid_question_keeps_the_question_its_answers_and_the_switch(
    tmp_path, database, servers
):
    server = Daphne(tmp_path, database, {}, "only")
    servers.append(server.start())
    teacher = Browser()
    run_url, _ = teacher.get(f"{server.url}/scenarios/seed-story/play?t=60")
    run_id = run_id_of(run_url)
    students = [Browser() for _ in range(3)]
    for student in students:
        student.get(f"{server.url}/runs/{run_id}/")  # the run page gives each a session
    async with RunSocket(server.url, run_id, teacher.cookie_header()) as presenter:
        await receive_until(presenter, lambda m: m["type"] == "run.state")
        await presenter.send({"type": "predictions", "show": "off"})
        await presenter.send({"type": "ask", "question": "node-down-no-probes"})
        await receive_until(presenter, lambda m: m["type"] == "class.question")
        for count, (student, value) in enumerate(zip(students, (20, 40, 90), strict=True), 1):
            async with RunSocket(server.url, run_id, student.cookie_header()) as socket:
                await receive_until(socket, lambda m: m["type"] == "class.question")
                await socket.send({"type": "answer", "value": value})
                await receive_until(presenter, lambda m, n=count: m.get("answers") == n)
    # Answers are written with the next save round, not one write each: wait for it, then crash.
    async with asyncio.timeout(30):
        while len((saved_class_state(database, run_id).get("poll") or {}).get("answers", {})) < 3:
            await asyncio.sleep(0.1)
    server.kill()
    server.start()

    await state_after_restart(server.url, run_id)
    # A student who reloads lands on the open question with their own answer.
    async with RunSocket(server.url, run_id, students[1].cookie_header()) as socket:
        question = await receive_until(socket, lambda m: m["type"] == "class.question")
        own = await receive_until(socket, lambda m: m["type"] == "class.own_answer")
    assert question["id"] == own["id"] == "node-down-no-probes" and own["value"] == 40
    async with RunSocket(server.url, run_id, teacher.cookie_header()) as presenter:
        switch = await receive_until(presenter, lambda m: m["type"] == "class.predictions")
        assert switch["show"] == "off"
        await presenter.send({"type": "reveal"})
        reveal = await receive_until(presenter, lambda m: m["type"] == "class.reveal")
    assert reveal["answers"] == 3 and sum(reveal["histogram"]["counts"]) == 3
    assert reveal["measured"] is not None
    # Revealed: the record holds no open question any more.
    async with asyncio.timeout(30):
        while saved_class_state(database, run_id).get("poll") is not None:
            await asyncio.sleep(0.1)


@pytest.fixture
def two_processes(tmp_path, database, servers):
    with redis_server(tmp_path) as url:
        env = {"PODVIZ_REDIS_URL": url}
        servers.extend(Daphne(tmp_path, database, env, name).start() for name in ("a", "b"))
        yield servers
        for server in servers:
            server.stop()


async def test_two_processes_share_a_class_run_and_one_takes_it_over(two_processes):
    a, b = two_processes
    teacher = Browser()
    run_url, _ = teacher.get(f"{a.url}/scenarios/seed-story/play?speed=5")
    run_id = run_id_of(run_url)
    _, student_page = Browser().get(f"{b.url}/runs/{run_id}/")
    assert 'data-role="follower"' in student_page

    async with (
        RunSocket(a.url, run_id) as follower_a,
        RunSocket(b.url, run_id) as follower_b,
        RunSocket(b.url, run_id, teacher.cookie_header()) as presenter_b,
    ):
        state_b = await receive_until(follower_b, lambda m: m["type"] == "run.state")
        frames = await frames_after(follower_b, state_b, 5)
        sequences = [frame["seq"] for frame in frames]
        assert sequences == sorted(set(sequences)) and frames[-1]["time"] > state_b["time"]

        # The presenter's command, sent to process b, reaches the run on process a.
        await presenter_b.send({"type": "pause"})
        await receive_until(follower_a, playing_is(False))
        await follower_b.send({"type": "play"})
        assert (await receive_until(follower_b, lambda m: m["type"] == "error"))["code"] == (
            "forbidden"
        )
        await presenter_b.send({"type": "inject", "action": "NodeDown", "node": "node2"})
        await presenter_b.send({"type": "play"})
        before = await receive_until(follower_b, playing_is(True))

        # The presenter counts the followers on both processes.
        await receive_until(
            presenter_b, lambda m: m["type"] == "class.followers" and m["followers"] == 2
        )

        a.kill()
        # Process b takes the run over from the database: its viewers get a new full state,
        # with the fault and at least the time they had seen, and frames go on.
        resumed = await receive_until(follower_b, lambda m: m["type"] == "run.state")
        assert resumed["time"] >= before["time"] - 2 * 5  # the clock is written every 2 s
        assert [event["action"] for event in resumed["injected"]] == ["NodeDown"]
        later = await frames_after(follower_b, resumed, 5)
        assert later[-1]["time"] > resumed["time"]
        await presenter_b.send({"type": "pause"})
        await receive_until(follower_b, playing_is(False))
