"""A run whose full state is larger than one WebSocket message reaches its viewers in parts."""

import json

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from simulator.runs import frames
from simulator.scenario.loader import load_scenario
from tests.big_run import big_run_yaml

pytestmark = pytest.mark.django_db(transaction=True)

DAPHNE_MESSAGE_LIMIT = 1024 * 1024


def test_a_small_message_goes_whole():
    text = frames.encode({"type": "run.frame", "seq": 1})
    assert frames.split_message(text) == (text,)


def test_a_large_message_goes_in_parts_that_join_into_it():
    text = frames.encode({"type": "run.state", "blob": '"é\\' * 700_000})
    parts = [json.loads(part) for part in frames.split_message(text)]
    assert len(parts) > 1
    assert all(len(raw.encode()) < DAPHNE_MESSAGE_LIMIT for raw in frames.split_message(text))
    assert [part["index"] for part in parts] == list(range(len(parts)))
    assert {part["count"] for part in parts} == {len(parts)}
    assert len({part["id"] for part in parts}) == 1
    assert "".join(part["data"] for part in parts) == text


async def receive_whole(communicator) -> tuple[dict, int]:
    """The next message, joined from its parts if it came in parts; and how many parts."""
    parts = []
    while True:
        raw = await communicator.receive_from(timeout=60)
        assert len(raw.encode()) < DAPHNE_MESSAGE_LIMIT
        message = json.loads(raw)
        if message["type"] != "run.part":
            assert not parts, "a message came between the parts of another"
            return message, 0
        assert message["index"] == len(parts)
        parts.append(message)
        if len(parts) == message["count"]:
            return json.loads("".join(part["data"] for part in parts)), len(parts)


async def test_a_200_pod_run_streams_its_full_state_in_parts(run_manager):
    scenario = load_scenario(big_run_yaml())
    run = run_manager.start(scenario)
    await run.seek(60)
    communicator = WebsocketCommunicator(
        application, f"/ws/runs/{run.run_id}/", headers=[(b"origin", b"http://localhost")]
    )
    connected, _ = await communicator.connect(timeout=60)
    assert connected
    state, parts = await receive_whole(communicator)
    assert parts > 2
    assert state["type"] == "run.state" and state["time"] >= 60
    assert [len(lane["pods"]) for lane in state["lanes"]] == [200] * 4
    # Then frames (a long tick's may come in parts too), the narration's times and the faults'
    # predictions, in order.
    message, _ = await receive_whole(communicator)
    while message["type"] != "run.frame":
        assert message["type"] in ("run.narration", "run.prediction", "class.predictions")
        message, _ = await receive_whole(communicator)
    assert message["seq"] == state["seq"] + 1
    await communicator.disconnect()
