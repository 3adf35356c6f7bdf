"""Predict, then reveal: the presets' questions measure what they say, and a round through the
real ASGI application (the presenter asks, followers answer, the presenter reveals)."""

import pytest
from django.test import AsyncClient

from classroom.questions import FAILED_REQUESTS, QUESTIONS, RESTARTS, Poll, Question
from simulator.engine.simulation import Simulation
from simulator.scenario import presets

from .test_classroom import open_socket, receive_of_type, receive_until, start_class

EVERY_QUESTION = pytest.mark.parametrize(
    ("slug", "question"),
    [(slug, question) for slug, asked in QUESTIONS.items() for question in asked],
    ids=lambda value: getattr(value, "id", value),
)


def lane_of(simulation, name):
    return next(lane for lane in simulation.lanes if lane.variant.name == name)


@EVERY_QUESTION
def test_each_question_measures_its_expected_answer_on_the_engine(slug, question):
    assert set(question.text) == {"en", "ko"} and all(question.text.values())
    scenario = presets.load_preset(slug)
    assert question.lane in {variant.name for variant in scenario.variants}
    simulation = Simulation(scenario)
    simulation.advance_to(question.end)
    measured, until = question.measure(simulation)
    assert until == question.end
    assert measured == pytest.approx(question.expected, abs=0.1)
    assert question.low <= question.expected <= question.high
    if question.metric == RESTARTS and question.start == 0:
        # From the start of the run, the count is the pod's restartCount at the window's end.
        pod = lane_of(simulation, question.lane).api.pod(question.pod)
        assert measured == pod.restart_count


@EVERY_QUESTION
def test_each_question_fits_its_preset(slug, question):
    scenario = presets.load_preset(slug)
    assert 0 <= question.start < question.end <= scenario.duration
    assert question.lane in {variant.name for variant in scenario.variants}
    assert question.metric in {FAILED_REQUESTS, RESTARTS}
    if question.metric == RESTARTS:
        simulation = Simulation(scenario)
        simulation.advance_to(question.end)
        assert lane_of(simulation, question.lane).api.pod(question.pod) is not None
    else:
        assert question.unit == "%" and (question.low, question.high) == (0, 100)
    assert len(QUESTIONS[slug]) == len({asked.id for asked in QUESTIONS[slug]})


def test_restarts_are_counted_inside_the_window_only():
    scenario = presets.load_preset("crashloop-backoff")
    simulation = Simulation(scenario)
    simulation.advance_to(320)
    pod = lane_of(simulation, "max-60s").api.pod("crash-1")
    before = pod.restart_count
    simulation.advance_to(1000)
    after = pod.restart_count
    question = Question(
        id="late-restarts",
        text={"en": "?", "ko": "?"},
        lane="max-60s",
        start=320,
        end=1000,
        expected=0,
        high=20,
        unit="RESTARTS",
        metric=RESTARTS,
        pod="crash-1",
    )
    measured, until = question.measure(simulation)
    assert until == 1000
    assert 0 < measured == after - before < after


def test_a_question_half_way_measures_the_part_run_so_far():
    question = QUESTIONS["crashloop-backoff"][1]
    simulation = Simulation(presets.load_preset("crashloop-backoff"))
    simulation.advance_to(200)
    assert question.measure(simulation) == (5.0, 200)


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"metric": "latency"}, "metric"),
        ({"metric": RESTARTS}, "pod"),
        ({"start": 10, "end": 10}, "start"),
        ({"low": 5, "high": 5}, "low"),
    ],
)
def test_a_malformed_question_is_refused_naming_the_field(fields, named):
    base = {"id": "q", "text": {"en": "?"}, "lane": "a", "start": 0, "end": 10, "expected": 0}
    with pytest.raises(ValueError, match=named):
        Question(**{**base, **fields})


def test_the_public_question_names_its_metric_and_unit():
    public = QUESTIONS["crashloop-backoff"][0].public()
    assert public["metric"] == RESTARTS and public["unit"] == "RESTARTS"
    assert (public["low"], public["high"]) == (0, 20)
    assert QUESTIONS["seed-story"][0].public()["metric"] == FAILED_REQUESTS


def test_the_histogram_bins_answers_and_keeps_each_voters_last():
    poll = Poll(QUESTIONS["seed-story"][0])
    for voter, value in [("a", 5), ("b", 55), ("b", 51), ("c", 100), ("d", -3)]:
        poll.answer(voter, value)
    histogram = poll.histogram()
    assert histogram["edges"][0] == 0 and histogram["edges"][-1] == 100
    assert histogram["counts"] == [2, 0, 0, 0, 0, 1, 0, 0, 0, 1]


def test_the_histogram_of_a_restarts_question_spans_its_own_range():
    poll = Poll(QUESTIONS["crashloop-backoff"][2])
    for voter, value in [("a", 8), ("b", 19), ("c", 25), ("d", 0)]:
        poll.answer(voter, value)
    histogram = poll.histogram()
    assert histogram["edges"] == [2.0 * index for index in range(11)]
    assert histogram["counts"] == [1, 0, 0, 0, 1, 0, 0, 0, 0, 2]


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


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_thread_closed")
async def test_a_reveal_before_the_window_ends_gives_what_the_run_will_measure(run_manager):
    """Asked and revealed at 60 s for a window 60-110 s: the value comes from a copy of the run
    played on from the seed (the engine is deterministic); the run itself stays where it was."""
    teacher = AsyncClient()
    run_id = await start_class(teacher, "?t=60")
    presenter = await open_socket(run_id, teacher)
    await receive_of_type(presenter, "run.state")
    await presenter.send_json_to({"type": "ask", "question": "node-down-no-probes"})
    await receive_of_type(presenter, "class.question")
    paused_at = run_manager.get(run_id).now
    assert paused_at < 110
    await presenter.send_json_to({"type": "reveal"})
    reveal = await receive_of_type(presenter, "class.reveal")
    assert reveal["measuredUntil"] == 110
    assert reveal["measured"] == pytest.approx(QUESTIONS["seed-story"][0].expected, abs=0.1)
    assert run_manager.get(run_id).now == paused_at
    await presenter.disconnect()
