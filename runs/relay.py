"""Frames cross the channel layer once per process, then fan out to the local viewers.

A run publishes each encoded frame to its group (``podviz.run.<id>``). Every process with viewers
of that run has one channel in the group, so a frame is one layer message per process whatever the
number of viewers; the relay hands the same text to each local viewer's mailbox. This keeps the
layer as the way frames cross processes (with channels_redis) without paying a layer message,
a copy and a consumer dispatch per viewer.

Through a Redis outage (runs/redis_layer.py) frames are dropped rather than queued, the local
viewers are told ``class.reconnecting`` (the page shows "reconnecting to the class server"), and
once Redis is back the relay adds its channel to its runs' groups again (a restarted Redis has
none); the run host then sends every viewer a fresh full state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

from channels.layers import BaseChannelLayer, get_channel_layer

from simulator.runs.frames import encode

from .redis_layer import LAYER_ERRORS, health_of
from .viewer import Viewer

logger = logging.getLogger(__name__)


RECONNECTING_MESSAGE = encode({"type": "class.reconnecting"})


def run_group(run_id: str) -> str:
    return f"podviz.run.{run_id}"


class FrameRelay:
    def __init__(self, layer: BaseChannelLayer | None = None) -> None:
        self.layer = layer if layer is not None else get_channel_layer()
        self.loop = asyncio.get_running_loop()
        self._channel: str | None = None
        self._viewers: defaultdict[str, set[Viewer]] = defaultdict(set)
        self._receiver: asyncio.Task[None] | None = None
        self.health = health_of(self.layer)
        if self.health is not None:
            self.health.on_lost(self._tell_reconnecting)
            self.health.on_restored(self._add_groups_again)

    @property
    def connected(self) -> bool:
        """Whether frames cross processes now (False while the layer has lost Redis)."""
        return self.health is None or self.health.up

    def viewers(self) -> dict[str, tuple[Viewer, ...]]:
        """The viewers on this process, by run id."""
        return {run_id: tuple(viewers) for run_id, viewers in self._viewers.items()}

    async def subscribe(self, run_id: str, viewer: Viewer) -> None:
        """Hand ``viewer`` the frames of ``run_id`` from now on (once Redis is back, if the
        layer lost it)."""
        channel = await self._ensure_channel()
        first = not self._viewers[run_id]
        self._viewers[run_id].add(viewer)
        if first:
            # While the layer has lost Redis, the group is added when it is back.
            with contextlib.suppress(*LAYER_ERRORS):
                await self.layer.group_add(run_group(run_id), channel)

    async def unsubscribe(self, run_id: str, viewer: Viewer) -> None:
        viewers = self._viewers.get(run_id)
        if viewers is None:
            return
        viewers.discard(viewer)
        if not viewers:
            del self._viewers[run_id]
            if self._channel is not None:
                # A restarted Redis has no groups; else channels_redis expires the membership.
                with contextlib.suppress(*LAYER_ERRORS):
                    await self.layer.group_discard(run_group(run_id), self._channel)

    async def publish(self, run_id: str, text: str, seq: int | None) -> None:
        """Send ``text`` to every viewer of ``run_id`` on every process; dropped while the layer
        has lost Redis (the viewers get a full state when it is back)."""
        message = {"type": "run.text", "run": run_id, "text": text, "seq": seq}
        with contextlib.suppress(*LAYER_ERRORS):  # the layer logs the outage, once
            await self.layer.group_send(run_group(run_id), message)

    async def _tell_reconnecting(self) -> None:
        for viewers in self.viewers().values():
            for viewer in viewers:
                await viewer.notify(RECONNECTING_MESSAGE)

    async def _add_groups_again(self) -> None:
        if self._channel is None:
            return
        for run_id in list(self._viewers):
            await self.layer.group_add(run_group(run_id), self._channel)

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
