"""Viewers of a live run get each fault's predicted damage, from one headless run of the scenario
as written, through the real ASGI app."""

import json

import pytest
from channels.testing import WebsocketCommunicator

from classroom.questions import questions_for
from config.asgi import application
from simulator.advisor.foresight import foresee, has_pod_faults
from simulator.advisor.prediction import predicted_damage
from simulator.engine.simulation import run_scenario
from simulator.scenario.presets import load_preset

pytestmark = pytest.mark.django_db(transaction=True)


async def connect(run_id: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application, f"/ws/runs/{run_id}/", headers=[(b"origin", b"http://localhost")]
    )
    connected, _ = await communicator.connect(timeout=30)
    assert connected
    return communicator


async def receive_of_type(communicator: WebsocketCommunicator, kind: str) -> dict:
    while True:
        message = json.loads(await communicator.receive_from(timeout=60))
        if message["type"] == kind:
            return message


def advised_predictions(scenario) -> list[dict]:
    """What the advisor predicts, worked out here from a run of its own."""
    return [p.as_dict() for p in predicted_damage(scenario, run_scenario(scenario))]


def expected_predictions(scenario) -> list[dict]:
    """What a live run sends: the advisor's predictions, each with the lesson's questions whose
    window runs past its fault (those it would give away)."""
    return [
        {
            **p,
            "spoils": [q.id for q in questions_for(scenario.name) if q.end > p["at"]],
        }
        for p in advised_predictions(scenario)
    ]


async def test_viewers_get_the_predictions_when_ready_and_on_joining(run_manager):
    scenario = load_preset("seed-story")
    expected = expected_predictions(scenario)
    assert {p["action"] for p in expected} == {"NodeDown", "AppHang"}
    run = run_manager.start(scenario)
    run.pause()
    first = await connect(run.run_id)
    state = await receive_of_type(first, "run.state")
    told = await receive_of_type(first, "run.prediction")
    assert told["v"] == 1
    assert told["predictions"] == expected
    readiness = [p for p in told["predictions"] if p["variant"] == "readiness"]
    assert [p["detectionWindow"] for p in readiness] == [[40.0, 60.0], [20.0, 30.0]]
    assert "predictions" not in state["scenario"] or state["scenario"]["predictions"] == expected

    later = await connect(run.run_id)
    joined = await receive_of_type(later, "run.state")
    assert joined["scenario"]["predictions"] == expected
    await first.disconnect()
    await later.disconnect()


async def test_a_scenario_without_pod_faults_predicts_nothing(two_pod_scenario):
    assert not has_pod_faults(two_pod_scenario)
    assert foresee(two_pod_scenario).predictions == ()


def test_one_cached_headless_run_gives_times_and_predictions():
    scenario = load_preset("seed-story")
    foresight = foresee(scenario)
    assert foresee(load_preset("seed-story")) is foresight
    assert list(foresight.predictions) == advised_predictions(scenario)
    assert len(foresight.narration_times) == len(scenario.narration)
