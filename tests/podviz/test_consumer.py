"""The run consumer through channels.testing.WebsocketCommunicator."""

import itertools
import json

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from config.routing import websocket_urlpatterns
from runs.commands import MAX_COMMAND_BYTES
from runs.consumers import CLOSE_RUN_NOT_FOUND, RunConsumer

# Channels closes stale database connections around every consumer dispatch.
pytestmark = pytest.mark.django_db(transaction=True)

application = URLRouter(websocket_urlpatterns)


async def connect(run_id: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/runs/{run_id}/")
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def receive_of_type(communicator: WebsocketCommunicator, kind: str, timeout: float = 5):
    while True:
        message = json.loads(await communicator.receive_from(timeout=timeout))
        if message["type"] == kind:
            return message


async def test_sends_full_state_then_frames_with_rising_sequence(run_manager, two_pod_scenario):
    run = run_manager.start(two_pod_scenario)
    run.set_speed(20)
    communicator = await connect(run.run_id)
    state = json.loads(await communicator.receive_from(timeout=5))
    assert state["type"] == "run.state"
    assert state["scenario"]["name"] == "two-pods"
    assert [lane["name"] for lane in state["lanes"]] == ["default"]

    frames = [await receive_of_type(communicator, "run.frame") for _ in range(10)]
    sequences = [frame["seq"] for frame in frames]
    assert sequences == sorted(sequences) and len(set(sequences)) == 10
    assert frames[-1]["time"] > frames[0]["time"]
    # Each frame continues the series exactly where the previous one ended.
    for earlier, later in itertools.pairwise(frames):
        lane_before, lane_after = earlier["lanes"][0], later["lanes"][0]
        assert lane_after["seriesStart"] == lane_before["seriesStart"] + len(
            lane_before["series"]["time"]
        )
    await communicator.disconnect()


async def test_reconnect_gets_the_history_so_far(run_manager, two_pod_scenario):
    run = run_manager.start(two_pod_scenario)
    run.set_speed(50)
    first = await connect(run.run_id)
    await first.receive_from(timeout=5)
    for _ in range(5):
        await receive_of_type(first, "run.frame")
    await first.disconnect()

    second = await connect(run.run_id)
    state = json.loads(await second.receive_from(timeout=5))
    assert state["type"] == "run.state"
    series = state["lanes"][0]["series"]
    assert state["lanes"][0]["seriesStart"] == 0
    assert len(series["time"]) >= 1
    assert series["time"] == list(range(len(series["time"])))
    await second.disconnect()


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        ('{"type": "warp"}', "unknown_command"),
        ('{"type": "speed", "speed": "fast"}', "bad_value"),
        ('{"type": "speed", "speed": true}', "bad_value"),
        ('{"type": "speed", "speed": 1e999}', "bad_value"),
        ('{"type": "seek", "time": -1}', "bad_value"),
        ('{"type": "seek", "time": 99999}', "bad_value"),
        ('{"type": "step", "seconds": "x"}', "bad_value"),
        ('{"type": "inject", "action": "Explode"}', "bad_value"),
        ('{"type": "inject", "action": "NodeDown"}', "bad_value"),
        ('{"type": "inject", "action": "NodeDown", "node": "nowhere"}', "bad_value"),
        ('{"type": "inject", "action": "AppHang", "pod": ["web-1"]}', "bad_value"),
        ("{}", "unknown_command"),
        ("null", "bad_json"),
        (json.dumps({"type": "play", "pad": "x" * MAX_COMMAND_BYTES}), "too_large"),
    ],
)
async def test_bad_messages_get_an_error_and_the_connection_stays(
    run_manager, two_pod_scenario, payload, code
):
    run = run_manager.start(two_pod_scenario)
    communicator = await connect(run.run_id)
    await receive_of_type(communicator, "run.state")
    await communicator.send_to(text_data=payload)
    error = await receive_of_type(communicator, "error")
    assert error["code"] == code
    # Still connected, and the run goes on.
    await communicator.send_to(text_data='{"type": "speed", "speed": 10}')
    frame = await receive_of_type(communicator, "run.frame")
    while frame["speed"] != 10:  # frames encoded before the command may still be on their way
        frame = await receive_of_type(communicator, "run.frame")
    assert run_manager.get(run.run_id) is run
    await communicator.disconnect()


async def test_binary_message_gets_an_error(run_manager, two_pod_scenario):
    run = run_manager.start(two_pod_scenario)
    communicator = await connect(run.run_id)
    await receive_of_type(communicator, "run.state")
    await communicator.send_to(bytes_data=b"\x00\x01")
    error = await receive_of_type(communicator, "error")
    assert error["code"] == "bad_message"
    await communicator.disconnect()


async def test_pause_stops_the_clock_and_play_resumes(run_manager, two_pod_scenario):
    run = run_manager.start(two_pod_scenario)
    run.set_speed(20)
    communicator = await connect(run.run_id)
    await receive_of_type(communicator, "run.state")
    await communicator.send_to(text_data='{"type": "pause"}')
    paused = await receive_of_type(communicator, "run.frame")
    while paused["playing"]:
        paused = await receive_of_type(communicator, "run.frame")
    assert await communicator.receive_nothing(timeout=0.5)
    assert run.now == paused["time"]
    await communicator.send_to(text_data='{"type": "play"}')
    resumed = await receive_of_type(communicator, "run.frame")
    later = await receive_of_type(communicator, "run.frame")
    assert resumed["playing"] and later["time"] > paused["time"]
    await communicator.disconnect()


async def test_unknown_run_is_refused_with_a_reason(run_manager):
    communicator = await connect("no-such-run")
    error = json.loads(await communicator.receive_from(timeout=5))
    assert error == {"type": "error", "code": "run_not_found", "detail": "no run 'no-such-run'"}
    closed = await communicator.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": CLOSE_RUN_NOT_FOUND}


async def test_run_outlives_its_viewers(run_manager, two_pod_scenario):
    run = run_manager.start(two_pod_scenario)
    communicator = await connect(run.run_id)
    await receive_of_type(communicator, "run.state")
    await communicator.disconnect()
    assert run_manager.get(run.run_id) is run
    assert run.viewer_count == 0


async def test_a_reply_to_a_connection_already_closed_is_dropped_not_raised(caplog):
    # Daphne raises on a send to a connection its client closed (autobahn's Disconnected); a
    # refusal or a class reply racing the close must not become an exception in the consumer.
    consumer = RunConsumer()

    async def closed_connection(message):
        raise RuntimeError("Attempt to send on a closed protocol")

    consumer.base_send = closed_connection
    with caplog.at_level("INFO", logger="runs.consumers"):
        await consumer._refuse("forbidden", "only the presenter can change this run")
        await consumer.class_reply({"text": "{}"})
    assert caplog.text.count("reply found its connection closed") == 2
