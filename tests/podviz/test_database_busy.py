"""A database locked for longer than its timeout (SQLite: 5 s), under a real Daphne process.

Another connection holds an exclusive lock on the server's SQLite file: a page that needs the
database answers 503 with ``Retry-After`` (not 500), and a presenter's command, which applies to
the run in memory before its state is written, is not reported as failed; the state is written
once the lock is gone.
"""

import asyncio
import sqlite3
import urllib.error

import pytest

from ..servers import Browser, Daphne, RunSocket, run_id_of


@pytest.fixture
def server(tmp_path):
    daphne = Daphne(tmp_path, tmp_path / "db.sqlite3", {}, "only").start()
    yield daphne
    daphne.stop()


async def wait_for(predicate, timeout: float = 60) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.2)


def stored_playing(database, run_id):
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT playing FROM podviz_classrun WHERE run_id = ?", (run_id,)
        ).fetchone()
    return row[0]


async def test_a_locked_database_is_a_503_and_an_applied_command_is_not_failed(server):
    teacher = Browser()
    run_url, _ = teacher.get(f"{server.url}/scenarios/seed-story/play")
    run_id = run_id_of(run_url)
    async with RunSocket(server.url, run_id, teacher.cookie_header()) as presenter:
        await presenter.receive_of_type("run.state")
        lock = sqlite3.connect(server.database, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        try:
            await presenter.send({"type": "pause"})
            while (await presenter.receive()).get("playing") is not False:
                pass  # applied: the next frames say the run is paused

            with pytest.raises(urllib.error.HTTPError) as refused:
                await asyncio.to_thread(teacher.get, f"{server.url}/")
            assert refused.value.code == 503
            assert refused.value.headers["Retry-After"] == "5"
            assert "database is busy" in refused.value.read().decode()

            # The command's write gave up meanwhile: logged, not sent to the presenter.
            await wait_for(lambda: "could not write its state" in server.log())
            while True:
                try:
                    message = await presenter.receive(timeout=0.5)
                except TimeoutError:
                    break
                assert message["type"] != "error", message
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        await wait_for(lambda: stored_playing(server.database, run_id) == 0)
    assert "Traceback" not in server.log()
