"""Frames crossing processes through a real Redis server (channels_redis).

Each test gets its own redis-server on a free port. Two relays with two separate layer objects
(two connection pools, as two server processes would have) share a run's frames only through
Redis.
"""

import asyncio

import pytest

from config.settings import channel_layer
from runs.redis_layer import ResilientRedisChannelLayer
from runs.relay import FrameRelay
from runs.viewer import Viewer

from ..servers import redis_server


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(tmp_path) as url:
        yield url


def redis_layer(url: str) -> ResilientRedisChannelLayer:
    return ResilientRedisChannelLayer(**channel_layer(url)["CONFIG"])


class Collected:
    def __init__(self):
        self.texts = []
        self.arrived = asyncio.Event()

    async def __call__(self, text):
        self.texts.append(text)
        self.arrived.set()

    async def next_text(self, timeout=5.0):
        await asyncio.wait_for(self.arrived.wait(), timeout)
        self.arrived.clear()
        return self.texts[-1]


async def started_viewer():
    collected = Collected()
    viewer = Viewer(collected)
    await viewer.start("state", 0)
    await collected.next_text()
    return viewer, collected


def test_the_settings_give_redis_a_host_without_socket_timeout():
    assert channel_layer(None) == {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    config = channel_layer("redis://cache:6379/1")
    assert config["BACKEND"] == "runs.redis_layer.ResilientRedisChannelLayer"
    assert config["CONFIG"]["hosts"] == [
        {"address": "redis://cache:6379/1", "socket_timeout": None}
    ]


async def test_a_frame_published_in_one_process_reaches_viewers_in_another(redis_url):
    publisher = FrameRelay(redis_layer(redis_url))
    elsewhere = FrameRelay(redis_layer(redis_url))
    local_viewer, local = await started_viewer()
    remote_viewer, remote = await started_viewer()
    await publisher.subscribe("run1", local_viewer)
    await elsewhere.subscribe("run1", remote_viewer)

    await publisher.publish("run1", '{"type":"run.frame","seq":1}', 1)
    assert await remote.next_text() == '{"type":"run.frame","seq":1}'
    assert await local.next_text() == '{"type":"run.frame","seq":1}'

    # Frames of another run do not reach these viewers.
    await publisher.publish("run2", '{"type":"run.frame","seq":7}', 7)
    await publisher.publish("run1", '{"type":"run.frame","seq":2}', 2)
    assert await remote.next_text() == '{"type":"run.frame","seq":2}'
    assert all('seq":7' not in text for text in remote.texts)


async def test_an_idle_subscriber_still_receives_after_a_quiet_spell(redis_url):
    """redis-py 8's default socket timeout would drop the idle subscription (docs/deploy.md)."""
    publisher = FrameRelay(redis_layer(redis_url))
    elsewhere = FrameRelay(redis_layer(redis_url))
    viewer, collected = await started_viewer()
    await elsewhere.subscribe("run1", viewer)
    await asyncio.sleep(7)
    await publisher.publish("run1", "after the quiet spell", 3)
    assert await collected.next_text() == "after the quiet spell"


async def test_the_last_viewer_leaving_unsubscribes_the_process(redis_url):
    publisher = FrameRelay(redis_layer(redis_url))
    elsewhere = FrameRelay(redis_layer(redis_url))
    viewer, collected = await started_viewer()
    await elsewhere.subscribe("run1", viewer)
    await elsewhere.unsubscribe("run1", viewer)
    await publisher.publish("run1", "nobody is listening", 4)
    witness_viewer, witness = await started_viewer()
    await publisher.subscribe("run1", witness_viewer)
    await publisher.publish("run1", "witness", 5)
    assert await witness.next_text() == "witness"
    assert collected.texts == ["state"]
