"""One socket's share of a run's messages.

A viewer joins the relay before its full state is built, so no frame published meanwhile is lost:
frames that arrive before the state went out are held, and once it has, only those newer than the
state follow it. After that every message is sent straight away, in the relay's own task: with
Daphne a send only hands the text to the connection, so a per-viewer task and queue would add a
wake-up per frame and viewer without taking any waiting off the event loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

# Frames held while the full state is being built; a state takes one tick or two to build.
HELD_FRAMES_LIMIT = 100

Send = Callable[[str], Awaitable[None]]


class Viewer:
    def __init__(self, send: Send) -> None:
        self._send = send
        self._state_seq: int | None = None
        self._held: list[tuple[int | None, str]] = []

    @property
    def started(self) -> bool:
        return self._state_seq is not None

    async def deliver(self, text: str, seq: int | None) -> None:
        """Send a message now, or hold it until the full state went out."""
        if self._state_seq is None:
            if len(self._held) < HELD_FRAMES_LIMIT:
                self._held.append((seq, text))
            return
        await self._send(text)

    async def start(self, state_text: str, state_seq: int) -> None:
        """Send the full state, then the held messages that are newer than it."""
        await self._send(state_text)
        while self._held:
            seq, text = self._held.pop(0)
            if seq is None or seq > state_seq:
                await self._send(text)
        self._state_seq = state_seq
