"""The Redis channel layer, made to live through a Redis outage.

channels_redis raises ``redis.ConnectionError`` from every call while Redis is away: a consumer's
receive then ends its socket (1011), the relay's and the run host's receive loops end for good, and
a run's tick that publishes a frame ends the run. Here instead:

- ``receive`` never fails for a lost connection: the first failure marks the layer down, and every
  receiver waits until a single probe per process (a ``PING`` with backoff, from 0.1 s doubling to
  ``PROBE_MAX_SECONDS``) finds Redis back;
- ``LayerHealth`` tells the relay and the run host when the layer goes down and comes back, so they
  can tell their viewers, re-add their groups (a restarted Redis has none) and send every viewer a
  fresh full state;
- sends while the layer is down are not attempted (``LayerDown``): a frame of a live run is worth
  nothing seconds later, and waiting for Redis would stall the run's clock.

Redis keeps no state of podviz that must survive (docs/deploy.md): runs, leases and sessions are in
the database, so a Redis that comes back empty loses only the frames of the outage.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Awaitable, Callable

from channels.layers import BaseChannelLayer
from channels_redis.core import RedisChannelLayer
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What a lost or refused connection to Redis raises through channels_redis.
LAYER_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
PROBE_FIRST_SECONDS = 0.1
PROBE_MAX_SECONDS = 1.0  # Redis back: everything resumes within this, plus a resync

Listener = Callable[[], Awaitable[None]]


class LayerDown(ConnectionError):
    """The channel layer cannot reach Redis now; it retries by itself."""


class LayerHealth:
    """Whether the layer reaches Redis, for one event loop (one server process).

    ``on_lost`` listeners are awaited when the layer goes down, ``on_restored`` ones when it is
    back, in the order they were added; a listener's failure is logged and the others still run.
    """

    def __init__(self, probe: Callable[[], Awaitable[object]]) -> None:
        self.up = True
        self.lost_at: float | None = None
        self._probe = probe
        self._back = asyncio.Event()
        self._back.set()
        self._probing: asyncio.Task[None] | None = None
        self._on_lost: list[Listener] = []
        self._on_restored: list[Listener] = []

    def on_lost(self, listener: Listener) -> None:
        self._on_lost.append(listener)

    def on_restored(self, listener: Listener) -> None:
        self._on_restored.append(listener)

    async def wait_up(self) -> None:
        await self._back.wait()

    def lost(self, error: BaseException) -> None:
        """Mark the layer down after ``error``, once per outage, and start probing for Redis."""
        if not self.up:
            return
        self.up = False
        self.lost_at = time.monotonic()
        self._back.clear()
        logger.warning("channel layer: lost Redis (%s); retrying", error or type(error).__name__)
        self._probing = asyncio.get_running_loop().create_task(
            self._probe_until_back(), name="podviz-layer-probe"
        )

    async def _probe_until_back(self) -> None:
        await self._notify(self._on_lost)
        delay = PROBE_FIRST_SECONDS
        while True:
            await asyncio.sleep(delay)
            try:
                await self._probe()
                break
            except LAYER_ERRORS:
                delay = min(PROBE_MAX_SECONDS, delay * 2)
        lost_for = time.monotonic() - (self.lost_at or time.monotonic())
        logger.warning("channel layer: Redis is back after %.1f s", lost_for)
        self.up = True
        self._back.set()
        await self._notify(self._on_restored)

    async def _notify(self, listeners: list[Listener]) -> None:
        for listener in tuple(listeners):
            try:
                await listener()
            except LAYER_ERRORS as error:
                # Lost again meanwhile: the next probe round notifies again.
                self.lost(error)
            except Exception:
                logger.exception("channel layer: a listener failed")


class ResilientRedisChannelLayer(RedisChannelLayer):
    """channels_redis' layer, whose receivers wait out a Redis outage instead of failing."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._health: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LayerHealth] = (
            weakref.WeakKeyDictionary()
        )

    def health(self) -> LayerHealth:
        """The layer's health in the running event loop."""
        loop = asyncio.get_running_loop()
        health = self._health.get(loop)
        if health is None:
            health = self._health[loop] = LayerHealth(self._ping)
        return health

    async def _ping(self) -> None:
        for index in range(self.ring_size):
            connection = self.connection(index)
            await connection.ping()
            # The pool's idle connections were opened before the outage: each would fail once on
            # its next use (and mark the layer down again). Nothing else uses the pool while the
            # layer is down, so all of them go, the ping's own included.
            await connection.connection_pool.disconnect(inuse_connections=False)

    async def receive(self, channel: str) -> dict:
        """The next message on ``channel``; waits, however long, while Redis is away."""
        health = self.health()
        while True:
            await health.wait_up()
            try:
                return await super().receive(channel)
            except LAYER_ERRORS as error:
                health.lost(error)

    async def send(self, channel: str, message: dict) -> None:
        """Raises ``LayerDown`` while Redis is away (after marking the layer down)."""
        await self._while_up(super().send(channel, message))

    async def group_send(self, group: str, message: dict) -> None:
        """Raises ``LayerDown`` while Redis is away (after marking the layer down)."""
        await self._while_up(super().group_send(group, message))

    async def group_add(self, group: str, channel: str) -> None:
        """Raises ``LayerDown`` while Redis is away (after marking the layer down)."""
        await self._while_up(super().group_add(group, channel))

    async def group_discard(self, group: str, channel: str) -> None:
        """Raises ``LayerDown`` while Redis is away (after marking the layer down)."""
        await self._while_up(super().group_discard(group, channel))

    async def _while_up(self, call: Awaitable[None]) -> None:
        health = self.health()
        if not health.up:
            call.close()  # type: ignore[attr-defined]  # a coroutine never started
            raise LayerDown("the channel layer is reconnecting to Redis")
        try:
            await call
        except LAYER_ERRORS as error:
            health.lost(error)
            raise LayerDown(f"the channel layer lost Redis: {error}") from error

    async def _clean_receive_backup(self, index: int, channel: str) -> None:
        # Run as a detached task by channels_redis after each receive; failing there would log
        # "Task exception was never retrieved". A message left in the backup queue is received
        # once more later, which frames (ordered by seq) and replies tolerate.
        try:
            await super()._clean_receive_backup(index, channel)
        except LAYER_ERRORS as error:
            self.health().lost(error)


def health_of(layer: BaseChannelLayer) -> LayerHealth | None:
    """The health of ``layer`` in the running loop; None for a layer that cannot be lost
    (in memory)."""
    if isinstance(layer, ResilientRedisChannelLayer):
        return layer.health()
    return None
