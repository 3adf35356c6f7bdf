"""A server stopped gracefully (SIGTERM, as systemd stops it) saves every run first: the run comes
back at least where its viewers last saw it, not up to a save interval behind."""

import sqlite3

import pytest

from ..servers import Browser, Daphne, RunSocket, run_id_of


@pytest.fixture
def server(tmp_path):
    daphne = Daphne(tmp_path, tmp_path / "db.sqlite3", {}, "only").start()
    yield daphne
    daphne.stop()


async def test_a_graceful_stop_saves_the_clock_of_every_run(server):
    run_url, _ = Browser().get(f"{server.url}/scenarios/seed-story/play?speed=100")
    run_id = run_id_of(run_url)
    async with RunSocket(server.url, run_id) as viewer:
        await viewer.receive_of_type("run.state")
        seen = [(await viewer.receive_of_type("run.frame"))["time"] for _ in range(5)]
        server.stop()  # SIGTERM, then waits for the process to exit
    with sqlite3.connect(server.database) as connection:
        (saved,) = connection.execute(
            "SELECT sim_time FROM podviz_classrun WHERE run_id = ?", (run_id,)
        ).fetchone()
    assert saved >= seen[-1]
    assert "saved 1 runs before stopping" in server.log()
