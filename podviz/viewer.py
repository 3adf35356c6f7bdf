"""One socket's mailbox: encoded texts waiting to be sent, or a request for the full state."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

# Frames a viewer may have waiting before it is resynchronised with the full state instead.
VIEWER_BACKLOG_LIMIT = 20


@dataclass(eq=False)
class Viewer:
    """A slow viewer is not given a backlog: past the limit it gets the full state instead."""

    queue: asyncio.Queue[str] = field(default_factory=lambda: asyncio.Queue(VIEWER_BACKLOG_LIMIT))
    needs_full_state: bool = False

    def offer(self, text: str) -> None:
        if self.needs_full_state:
            return
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            self._drop_backlog()

    def _drop_backlog(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()
        self.needs_full_state = True
        self.queue.put_nowait("")  # wakes the sender, which then asks for the full state
