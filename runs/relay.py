"""Frames cross the channel layer once per process, then fan out to the local viewers.

A run publishes each encoded frame to its group (``podviz.run.<id>``). Every process with viewers
of that run has one channel in the group, so a frame is one layer message per process whatever the
number of viewers; the relay hands the same text to each local viewer's mailbox. This keeps the
layer as the way frames cross processes (with channels_redis) without paying a layer message,
a copy and a consumer dispatch per viewer.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

from channels.layers import BaseChannelLayer, get_channel_layer

from .viewer import Viewer

logger = logging.getLogger(__name__)


def run_group(run_id: str) -> str:
    return f"podviz.run.{run_id}"


class FrameRelay:
    def __init__(self, layer: BaseChannelLayer | None = None) -> None:
        self.layer = layer if layer is not None else get_channel_layer()
        self.loop = asyncio.get_running_loop()
        self._channel: str | None = None
        self._viewers: defaultdict[str, set[Viewer]] = defaultdict(set)
        self._receiver: asyncio.Task[None] | None = None

    async def subscribe(self, run_id: str, viewer: Viewer) -> None:
        channel = await self._ensure_channel()
        if not self._viewers[run_id]:
            await self.layer.group_add(run_group(run_id), channel)
        self._viewers[run_id].add(viewer)

    async def unsubscribe(self, run_id: str, viewer: Viewer) -> None:
        viewers = self._viewers.get(run_id)
        if viewers is None:
            return
        viewers.discard(viewer)
        if not viewers:
            del self._viewers[run_id]
            if self._channel is not None:
                await self.layer.group_discard(run_group(run_id), self._channel)

    async def publish(self, run_id: str, text: str, seq: int | None) -> None:
        message = {"type": "run.text", "run": run_id, "text": text, "seq": seq}
        await self.layer.group_send(run_group(run_id), message)

    async def _ensure_channel(self) -> str:
        if self._channel is None:
            # The default prefix, as every consumer's channel has: channels_redis serves all of a
            # process's channels from one receive loop on one Redis list per prefix, so a channel
            # of another prefix waits forever while a consumer's receive holds that loop.
            self._channel = await self.layer.new_channel()
            self._receiver = self.loop.create_task(self._receive_forever(self._channel))
        return self._channel

    async def _receive_forever(self, channel: str) -> None:
        while True:
            message = await self.layer.receive(channel)
            try:
                run_id, text, seq = message["run"], message["text"], message["seq"]
            except (KeyError, TypeError):
                logger.warning("relay: dropped a malformed layer message %r", message)
                continue
            for viewer in tuple(self._viewers.get(run_id, ())):
                try:
                    await viewer.deliver(text, seq)
                except Exception:
                    # One broken socket must not starve the others.
                    logger.exception("relay: a viewer of run %s could not be sent a frame", run_id)


_relay: FrameRelay | None = None


def get_relay() -> FrameRelay:
    """The relay of the running event loop (one per process in production)."""
    global _relay
    if _relay is None or _relay.loop is not asyncio.get_running_loop():
        _relay = FrameRelay()
    return _relay
