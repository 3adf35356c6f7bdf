"""Predict, then reveal: the presets' questions measure what they say, and a round through the
real ASGI application (the presenter asks, followers answer, the presenter reveals)."""

import pytest
from django.test import AsyncClient

from podviz.questions import QUESTIONS, Poll
from simulator.engine.simulation import Simulation
from simulator.scenario import presets

from .test_classroom import open_socket, receive_of_type, receive_until, start_class


@pytest.mark.parametrize(
    ("slug", "question"),
    [(slug, question) for slug, asked in QUESTIONS.items() for question in asked],
    ids=lambda value: getattr(value, "id", value),
)
def test_each_question_measures_its_expected_answer_on_the_engine(slug, question):
    assert set(question.text) == {"en", "ko"} and all(question.text.values())
    scenario = presets.load_preset(slug)
    assert question.lane in {variant.name for variant in scenario.variants}
    simulation = Simulation(scenario)
    simulation.advance_to(question.end)
    measured, until = question.measure(simulation)
    assert until == question.end
    assert measured == pytest.approx(question.expected, abs=0.1)


def test_the_histogram_bins_answers_and_keeps_each_voters_last():
    poll = Poll(QUESTIONS["seed-story"][0])
    for voter, value in [("a", 5), ("b", 55), ("b", 51), ("c", 100), ("d", -3)]:
        poll.answer(voter, value)
    histogram = poll.histogram()
    assert histogram["edges"][0] == 0 and histogram["edges"][-1] == 100
    assert histogram["counts"] == [2, 0, 0, 0, 0, 1, 0, 0, 0, 1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_thread_closed")
async def test_a_round_of_predict_then_reveal(run_manager):
    teacher = AsyncClient()
    run_id = await start_class(teacher, "?t=60&speed=100")
    presenter = await open_socket(run_id, teacher)
    students = [await open_socket(run_id) for _ in range(2)]
    for socket in (presenter, *students):
        await receive_of_type(socket, "run.state")

    await students[0].send_json_to({"type": "ask", "question": "node-down-no-probes"})
    assert (await receive_of_type(students[0], "error"))["code"] == "forbidden"
    await presenter.send_json_to({"type": "ask", "question": "no-such-question"})
    assert "question: no such question" in (await receive_of_type(presenter, "error"))["detail"]

    await presenter.send_json_to({"type": "ask", "question": "node-down-no-probes"})
    asked = await receive_of_type(students[1], "class.question")
    assert asked["id"] == "node-down-no-probes" and "node2" in asked["text"]["en"]
    assert run_manager.get(run_id).playing is False  # asking pauses the run
    late = await open_socket(run_id)  # joins while the class answers: gets the question too
    await receive_of_type(late, "run.state")
    assert (await receive_of_type(late, "class.question"))["id"] == "node-down-no-probes"
    await late.disconnect()
    await students[0].send_json_to({"type": "answer", "value": "half"})
    assert (await receive_of_type(students[0], "error"))["detail"].startswith("value:")
    await students[0].send_json_to({"type": "answer", "value": 30})
    await students[1].send_json_to({"type": "answer", "value": 52})
    await receive_until(presenter, lambda m: m["type"] == "class.answers" and m["answers"] == 2)

    await presenter.send_json_to({"type": "play"})
    await receive_until(presenter, lambda m: m.get("time", 0) >= 110)
    await presenter.send_json_to({"type": "reveal"})
    reveal = await receive_of_type(students[0], "class.reveal")
    assert reveal["answers"] == 2
    assert reveal["histogram"]["counts"][3] == 1 and reveal["histogram"]["counts"][5] == 1
    assert reveal["measuredUntil"] == 110
    assert reveal["measured"] == pytest.approx(QUESTIONS["seed-story"][0].expected, abs=0.1)
    for socket in (presenter, *students):
        await socket.disconnect()
