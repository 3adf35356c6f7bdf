"""One socket's share of a run's messages, with a bounded backlog.

A viewer joins the relay before its full state is built, so no frame published meanwhile is lost:
frames that arrive before the state went out are held, and once it has, only those newer than the
state follow it. After that every message is sent straight away, in the relay's own task: with
Daphne a send only hands the text to the connection, so a per-viewer task and queue would add a
wake-up per frame and viewer without taking any waiting off the event loop.

That hand-over never waits, so a viewer that reads slower than the run publishes (a stalled
laptop, a client that never reads) would pile every frame up in the server's memory. Before each
send the viewer looks at the bytes its connection has not yet handed to the kernel: past
``buffer_bytes`` it skips frames; once the backlog drains it gets the latest full state and
continues from there; if the backlog stays past the bound for ``slow_seconds``, the viewer is
closed with ``CLOSE_TOO_SLOW``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

# Frames held while the full state is being built; a state takes one tick or two to build.
HELD_FRAMES_LIMIT = 100
# Close code for a viewer that stayed behind for too long (4000-4999: for applications).
CLOSE_TOO_SLOW = 4429

Send = Callable[[str], Awaitable[None]]
Backlog = Callable[[], int]
FullState = Callable[[], Awaitable[tuple[int, str]]]
Close = Callable[[int], Awaitable[None]]


def daphne_backlog(send: object) -> Backlog | None:
    """The bytes a Daphne WebSocket connection holds but has not yet given to the kernel.

    ``send`` is the ASGI send callable of the connection: Daphne's is ``partial(handle_reply,
    protocol)``, whose Twisted transport buffers every write that the socket does not take at
    once (``dataBuffer`` after ``offset``, and ``_tempDataLen`` bytes not yet joined to it). None
    under any other server, where no backlog can be read. Channels' session middleware in
    between is looked through.
    """
    # Channels' SessionMiddleware hands the application a send of its own, which passes every
    # message on to the server's (its ``real_send``).
    while hasattr(getattr(send, "__self__", None), "real_send"):
        send = send.__self__.real_send
    if not isinstance(send, functools.partial) or not send.args:
        return None
    transport = getattr(send.args[0], "transport", None)
    if not all(hasattr(transport, name) for name in ("dataBuffer", "offset", "_tempDataLen")):
        return None

    def pending() -> int:
        return len(transport.dataBuffer) - transport.offset + transport._tempDataLen

    return pending


class Viewer:
    def __init__(
        self,
        send: Send,
        *,
        backlog: Backlog | None = None,
        full_state: FullState | None = None,
        close: Close | None = None,
        buffer_bytes: int = 1_048_576,
        slow_seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._send = send
        self._backlog = backlog
        self._full_state = full_state
        self._close = close
        self.buffer_bytes = buffer_bytes
        self.slow_seconds = slow_seconds
        self._clock = clock
        self._state_seq: int | None = None
        self._held: list[tuple[int | None, str]] = []
        self._behind_since: float | None = None
        self._resync: asyncio.Task[None] | None = None
        self.closed = False
        self.skipped = 0

    @property
    def started(self) -> bool:
        return self._state_seq is not None

    async def deliver(self, text: str, seq: int | None) -> None:
        """Send a message now, hold it until the full state went out, or skip it while the
        connection is behind."""
        if self.closed:
            return
        if self._state_seq is None:
            if len(self._held) < HELD_FRAMES_LIMIT:
                self._held.append((seq, text))
            return
        if seq is not None and seq <= self._state_seq:
            # Older than the full state this viewer was sent: over Redis, a frame published
            # before the state was encoded can arrive after it.
            return
        if self._backlog is not None and not await self._keeps_up(text, seq):
            return
        try:
            await self._send(text)
        except Exception as error:
            # The connection is gone (Daphne raises until it has told the consumer): send
            # nothing more; the consumer leaves the run when the disconnect arrives.
            logger.info("viewer stopped: its connection refused a frame (%s)", error)
            self.stop()

    async def _keeps_up(self, text: str, seq: int | None) -> bool:
        """Whether to send this message now; starts a resync or closes a viewer left behind."""
        if self._backlog() > self.buffer_bytes:
            self.skipped += 1
            now = self._clock()
            if self._behind_since is None:
                self._behind_since = now
            elif now - self._behind_since > self.slow_seconds:
                await self.close(CLOSE_TOO_SLOW)
            return False
        if self._behind_since is None:
            return True
        # Caught up after skipping frames: the latest full state, then frames newer than it.
        self._behind_since = None
        if self._full_state is None:
            return True
        self._state_seq = None
        self._held = [(seq, text)]
        self._resync = asyncio.get_running_loop().create_task(self._send_latest_state())
        return False

    async def _send_latest_state(self) -> None:
        seq, state = await self._full_state()
        if not self.closed:
            await self.start(state, seq)

    async def notify(self, text: str) -> None:
        """Send a message outside the run's order now, started or not (``class.reconnecting``)."""
        if self.closed:
            return
        try:
            await self._send(text)
        except Exception as error:
            logger.info("viewer stopped: its connection refused a notice (%s)", error)
            self.stop()

    def restart(self) -> None:
        """Wait for a new full state (``start``): frames meanwhile are held, as at the start."""
        self._state_seq = None
        self._held.clear()
        self._behind_since = None
        if self._resync is not None:
            self._resync.cancel()

    async def start(self, state_text: str, state_seq: int) -> None:
        """Send the full state, then the held messages that are newer than it."""
        await self._send(state_text)
        while self._held:
            seq, text = self._held.pop(0)
            if seq is None or seq > state_seq:
                await self._send(text)
        self._state_seq = state_seq

    async def close(self, code: int) -> None:
        """Stop sending, and close the connection with ``code``."""
        if self.closed:
            return
        self.stop()
        logger.info("viewer closed with %d after %d skipped messages", code, self.skipped)
        if self._close is not None:
            await self._close(code)

    def stop(self) -> None:
        """Send nothing more (the connection ended)."""
        self.closed = True
        self._held.clear()
        if self._resync is not None:
            self._resync.cancel()
