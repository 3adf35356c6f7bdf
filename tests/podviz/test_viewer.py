"""A viewer's bounded backlog: frames are skipped while its connection is behind, it then gets the
latest full state, and a viewer that stays behind is closed."""

import asyncio

from runs.viewer import CLOSE_TOO_SLOW, Viewer


class Connection:
    def __init__(self):
        self.sent: list[str] = []
        self.backlog = 0
        self.closed_with: int | None = None
        self.now = 0.0

    async def send(self, text):
        self.sent.append(text)

    async def close(self, code):
        self.closed_with = code

    async def full_state(self):
        return 10, "state@10"


def viewer_of(connection: Connection) -> Viewer:
    return Viewer(
        connection.send,
        backlog=lambda: connection.backlog,
        full_state=connection.full_state,
        close=connection.close,
        buffer_bytes=1000,
        slow_seconds=5,
        clock=lambda: connection.now,
    )


async def test_a_viewer_behind_skips_frames_then_gets_the_latest_state():
    connection = Connection()
    viewer = viewer_of(connection)
    await viewer.start("state@1", 1)
    await viewer.deliver("frame@2", 2)
    connection.backlog = 5000
    for seq in (3, 4, 5):
        await viewer.deliver(f"frame@{seq}", seq)
    assert connection.sent == ["state@1", "frame@2"]
    assert viewer.skipped == 3
    connection.backlog = 0
    await viewer.deliver("frame@11", 11)
    await asyncio.sleep(0)  # the resync task
    await viewer.deliver("frame@12", 12)
    assert connection.sent == ["state@1", "frame@2", "state@10", "frame@11", "frame@12"]
    assert connection.closed_with is None


async def test_a_viewer_behind_for_too_long_is_closed():
    connection = Connection()
    viewer = viewer_of(connection)
    await viewer.start("state@1", 1)
    connection.backlog = 5000
    for seq in range(2, 10):
        connection.now += 1
        await viewer.deliver(f"frame@{seq}", seq)
    assert connection.closed_with == CLOSE_TOO_SLOW
    assert viewer.closed
    await viewer.deliver("frame@10", 10)
    assert connection.sent == ["state@1"]


async def test_without_a_readable_backlog_every_frame_is_sent():
    connection = Connection()
    viewer = Viewer(connection.send)
    await viewer.start("state@1", 1)
    await viewer.deliver("frame@2", 2)
    assert connection.sent == ["state@1", "frame@2"]


async def test_a_connection_that_refuses_a_frame_gets_no_more():
    attempts = []

    async def closing_after_the_state(text):
        attempts.append(text)
        if text != "state@1":
            raise ConnectionError("Attempt to send on a closed protocol")

    viewer = Viewer(closing_after_the_state)
    await viewer.start("state@1", 1)
    await viewer.deliver("frame@2", 2)
    await viewer.deliver("frame@3", 3)
    assert attempts == ["state@1", "frame@2"] and viewer.closed
