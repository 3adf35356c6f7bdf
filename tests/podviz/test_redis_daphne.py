"""A live run over the Redis channel layer, served by a real Daphne process.

The relay receives on a process-local channel while every consumer receives on its own; with
channels_redis both must share one receive loop, or frames stop after the first full state.
"""

import pytest

from ..servers import Browser, Daphne, RunSocket, redis_server, run_id_of


@pytest.fixture
def redis_daphne(tmp_path):
    with redis_server(tmp_path) as url:
        server = Daphne(tmp_path, tmp_path / "db.sqlite3", {"PODVIZ_REDIS_URL": url}, "daphne")
        server.start()
        try:
            yield server
        finally:
            server.stop()


async def test_a_live_run_streams_frames_over_redis(redis_daphne):
    run_url, _ = Browser().get(f"{redis_daphne.url}/scenarios/seed-story/play?speed=10")
    async with RunSocket(redis_daphne.url, run_id_of(run_url)) as socket:
        state = await socket.receive_of_type("run.state")
        sequences = [(await socket.receive_of_type("run.frame"))["seq"] for _ in range(20)]
    assert sequences == sorted(sequences) and sequences[0] > state["seq"]
    assert len(set(sequences)) == 20
