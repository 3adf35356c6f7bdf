"""The run consumer under hostile or careless clients: limits, coalesced seeks, and viewers that
leave their run whatever ends their connection."""

import asyncio
import json

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from config.routing import websocket_urlpatterns
from runs.consumers import RunConsumer
from runs.relay import get_relay

pytestmark = pytest.mark.django_db(transaction=True)

application = URLRouter(websocket_urlpatterns)


async def connect(run_id: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/runs/{run_id}/")
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def receive_of_type(communicator, kind: str, timeout: float = 5):
    while True:
        message = json.loads(await communicator.receive_from(timeout=timeout))
        if message["type"] == kind:
            return message


async def wait_for_speed(communicator, speed: float):
    frame = await receive_of_type(communicator, "run.frame")
    while frame["speed"] != speed:
        frame = await receive_of_type(communicator, "run.frame")


def relay_viewers(run_id: str) -> int:
    return len(get_relay()._viewers.get(run_id, ()))


async def test_a_crash_in_receive_still_removes_the_viewer(
    run_manager, two_pod_scenario, monkeypatch
):
    async def crash(self, message):
        raise RuntimeError("a bug in receive")

    monkeypatch.setattr(RunConsumer, "websocket_receive", crash)
    run = run_manager.start(two_pod_scenario)
    communicator = await connect(run.run_id)
    await receive_of_type(communicator, "run.state")
    assert run.viewer_count == 1 and relay_viewers(run.run_id) == 1
    await communicator.send_to(text_data='{"type": "play"}')
    with pytest.raises(RuntimeError, match="a bug in receive"):
        await communicator.wait(timeout=5)
    assert run.viewer_count == 0
    assert relay_viewers(run.run_id) == 0


async def test_a_cancelled_connection_removes_the_viewer(run_manager, two_pod_scenario):
    run = run_manager.start(two_pod_scenario)
    communicator = await connect(run.run_id)
    await receive_of_type(communicator, "run.state")
    # What Daphne does to an application instance that outlives its connection.
    communicator.future.cancel()
    with pytest.raises(asyncio.CancelledError):
        await communicator.future
    assert run.viewer_count == 0
    assert relay_viewers(run.run_id) == 0


async def test_a_run_whose_viewers_all_died_is_reaped(run_manager, two_pod_scenario):
    run = run_manager.start(two_pod_scenario)
    communicator = await connect(run.run_id)
    await receive_of_type(communicator, "run.state")
    communicator.future.cancel()
    with pytest.raises(asyncio.CancelledError):
        await communicator.future
    run.last_viewer_left -= run_manager.idle_seconds + 1
    assert run_manager.reap_idle() == [run.run_id]
    assert run_manager.get(run.run_id) is None


async def test_a_burst_of_seeks_runs_the_first_and_the_last(
    run_manager, two_pod_scenario, monkeypatch
):
    run = run_manager.start(two_pod_scenario)
    applied = []
    release = asyncio.Event()
    real_seek = run.seek

    async def seek(time_):
        applied.append(time_)
        await release.wait()
        await real_seek(time_)

    monkeypatch.setattr(run, "seek", seek)
    communicator = await connect(run.run_id)
    await receive_of_type(communicator, "run.state")
    for second in range(1, 301):
        await communicator.send_to(text_data=json.dumps({"type": "seek", "time": second}))
    # Commands are taken in order: once this one shows, every seek has been received.
    await communicator.send_to(text_data='{"type": "speed", "speed": 2}')
    await wait_for_speed(communicator, 2)
    release.set()
    state = await receive_of_type(communicator, "run.state")
    while state["time"] != 300:
        state = await receive_of_type(communicator, "run.state")
    assert applied == [1, 300]
    await communicator.disconnect()


async def test_commands_past_the_rate_are_refused_with_a_clear_error(
    run_manager, two_pod_scenario, settings
):
    settings.PODVIZ_LIMITS = {"commands_per_second": 0.001, "command_burst": 3}
    run = run_manager.start(two_pod_scenario)
    communicator = await connect(run.run_id)
    await receive_of_type(communicator, "run.state")
    for speed in (2, 3, 4, 5):
        await communicator.send_to(text_data=json.dumps({"type": "speed", "speed": speed}))
    error = await receive_of_type(communicator, "error")
    assert error["code"] == "rate_limited"
    assert "at most 0.001 per second (bursts of 3)" in error["detail"]
    assert run.speed == 4
    await communicator.disconnect()


async def test_injected_faults_past_the_limit_are_refused(run_manager, two_pod_scenario, settings):
    settings.PODVIZ_LIMITS = {"injected_faults_per_run": 2}
    run = run_manager.start(two_pod_scenario)
    communicator = await connect(run.run_id)
    await receive_of_type(communicator, "run.state")
    for action in ("NodeDown", "NodeUp", "NodeDown"):
        command = {"type": "inject", "action": action, "node": "node1"}
        await communicator.send_to(text_data=json.dumps(command))
    error = await receive_of_type(communicator, "error")
    assert error["code"] == "too_many_faults"
    assert "2 injected faults" in error["detail"]
    assert run.injected_count == 2
    # A restart forgets the faults, and with them the count.
    await communicator.send_to(text_data='{"type": "restart"}')
    await receive_of_type(communicator, "run.state")
    assert run.injected_count == 0
    await communicator.disconnect()
