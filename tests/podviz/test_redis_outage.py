"""A class through a Redis outage: Redis killed and started again under two Daphne processes.

The run lives on process A; followers watch it on A and on B, a presenter drives it from B. While
Redis is away no socket closes and every viewer is told ``class.reconnecting``; once Redis is back
(empty, as a supervisor restarts it) every viewer gets a fresh full state and frames whose sequence
numbers go on from it, on both processes, commands cross processes again, and a run started after
the outage streams to the other process too. The servers' logs hold no traceback.
"""

import asyncio

import pytest

from ..servers import Browser, Daphne, RedisServer, RunSocket, run_id_of


async def receive_until(socket: RunSocket, predicate, timeout: float = 30) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            message = await socket.receive(timeout)
            if predicate(message):
                return message


def of_type(kind):
    return lambda message: message["type"] == kind


async def frames_after(socket: RunSocket, state: dict, count: int) -> list[dict]:
    def newer(message):
        return message["type"] == "run.frame" and message["seq"] > state["seq"]

    return [await receive_until(socket, newer) for _ in range(count)]


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.kill()


@pytest.fixture
def two_processes(tmp_path, redis):
    env = {"PODVIZ_REDIS_URL": redis.url}
    database = tmp_path / "podviz.sqlite3"
    servers = [Daphne(tmp_path, database, env, name).start() for name in ("a", "b")]
    yield servers
    for server in servers:
        server.stop()


async def test_a_class_comes_back_on_every_process_after_redis_restarts(redis, two_processes):
    a, b = two_processes
    teacher = Browser()
    run_url, _ = teacher.get(f"{a.url}/scenarios/seed-story/play?speed=5")
    run_id = run_id_of(run_url)
    async with (
        RunSocket(a.url, run_id) as follower_a,
        RunSocket(b.url, run_id) as follower_b,
        RunSocket(b.url, run_id, teacher.cookie_header()) as presenter_b,
    ):
        followers = (follower_a, follower_b)
        for socket in (*followers, presenter_b):
            state = await receive_until(socket, of_type("run.state"))
            await frames_after(socket, state, 3)

        redis.kill()
        for socket in (*followers, presenter_b):
            await receive_until(socket, of_type("class.reconnecting"))
        # A command while Redis is away is refused with a reason, not lost as "applied".
        await presenter_b.send({"type": "pause"})
        refused = await receive_until(presenter_b, of_type("error"))
        assert refused["code"] == "reconnecting"

        redis.start()
        before = {}
        for socket in followers:
            state = await receive_until(socket, of_type("run.state"))
            frames = await frames_after(socket, state, 5)
            sequences = [frame["seq"] for frame in frames]
            assert sequences == list(range(state["seq"] + 1, state["seq"] + 6))
            assert frames[-1]["time"] > state["time"]
            before[socket] = frames[-1]

        # Commands cross processes again: the presenter on B pauses the run on A.
        await receive_until(presenter_b, of_type("run.state"))
        await presenter_b.send({"type": "pause"})
        for socket in followers:
            await receive_until(socket, lambda m: m.get("playing") is False)

    # A run started after the outage, on B, streams to a viewer on A.
    new_url, _ = Browser().get(f"{b.url}/scenarios/seed-story/play?speed=5")
    async with RunSocket(a.url, run_id_of(new_url)) as newcomer:
        state = await receive_until(newcomer, of_type("run.state"))
        frames = await frames_after(newcomer, state, 3)
        assert frames[-1]["seq"] > state["seq"]

    for server in (a, b):
        log = server.log()
        # Once per outage and process, each line printed once.
        assert log.count("lost Redis") == 1 and log.count("Redis is back") == 1
        assert "Traceback" not in log
        assert "never retrieved" not in log
