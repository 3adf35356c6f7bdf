"""One path through the full config.asgi.application, origin check included."""

import json

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application

# Channels closes stale database connections around every consumer dispatch.
pytestmark = pytest.mark.django_db(transaction=True)


async def test_full_application_streams_a_run(run_manager, two_pod_scenario):
    run = run_manager.start(two_pod_scenario)
    communicator = WebsocketCommunicator(
        application, f"/ws/runs/{run.run_id}/", headers=[(b"origin", b"http://localhost")]
    )
    connected, _ = await communicator.connect()
    assert connected
    state = json.loads(await communicator.receive_from(timeout=5))
    assert state["type"] == "run.state"
    frame = json.loads(await communicator.receive_from(timeout=5))
    while frame["type"] != "run.frame":  # who sees predictions, the narration's times
        assert frame["type"] in ("class.predictions", "run.narration", "run.prediction"), frame
        frame = json.loads(await communicator.receive_from(timeout=5))
    assert frame["seq"] > state["seq"]
    await communicator.disconnect()


async def test_full_application_rejects_a_foreign_origin(run_manager, two_pod_scenario):
    run = run_manager.start(two_pod_scenario)
    communicator = WebsocketCommunicator(
        application, f"/ws/runs/{run.run_id}/", headers=[(b"origin", b"http://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected
