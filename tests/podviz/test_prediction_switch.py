"""Predicted damage never gives a question away: which questions each prediction answers, and
the presenter's switch (off / after reveal / always) through the real ASGI application."""

import pytest
from django.test import AsyncClient

from classroom.questions import QUESTIONS, spoiled_questions
from runs import class_polls
from runs.live_run import with_spoils
from simulator.advisor.foresight import foresee
from simulator.scenario import presets

from .test_classroom import open_socket, receive_of_type, start_class


def test_a_prediction_names_the_questions_whose_window_runs_past_its_fault():
    # The classroom app registers its polls (runs/class_polls.py); a run adds their spoils.
    assert not isinstance(class_polls.get(), class_polls.NoPolls)
    predictions = with_spoils(foresee(presets.load_preset("seed-story")).predictions, "seed-story")
    node_down = next(p for p in predictions if p["action"] == "NodeDown")
    hang = next(p for p in predictions if p["action"] == "AppHang")
    windows = {question.id: question.end for question in QUESTIONS["seed-story"]}
    assert node_down["spoils"] == [qid for qid, end in windows.items() if end > node_down["at"]]
    assert "node-down-no-probes" in node_down["spoils"]
    assert "node-down-no-probes" not in hang["spoils"]  # its window ends before the hang
    assert spoiled_questions({"at": 10_000}, "seed-story") == []
    assert spoiled_questions({"at": 0}, "not-a-lesson") == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_thread_closed")
async def test_the_presenters_switch_reaches_every_screen_and_late_joiners(run_manager):
    teacher = AsyncClient()
    run_id = await start_class(teacher, "?t=60")
    presenter = await open_socket(run_id, teacher)
    student = await open_socket(run_id)
    await receive_of_type(presenter, "run.state")
    await receive_of_type(student, "run.state")
    assert (await receive_of_type(student, "class.predictions"))["show"] == "afterReveal"

    await student.send_json_to({"type": "predictions", "show": "always"})
    assert (await receive_of_type(student, "error"))["code"] == "forbidden"
    await presenter.send_json_to({"type": "predictions", "show": "sometimes"})
    assert "show: must be one of off" in (await receive_of_type(presenter, "error"))["detail"]

    await presenter.send_json_to({"type": "predictions", "show": "off"})
    assert (await receive_of_type(student, "class.predictions"))["show"] == "off"
    late = await open_socket(run_id)
    await receive_of_type(late, "run.state")
    assert (await receive_of_type(late, "class.predictions"))["show"] == "off"
    for socket in (presenter, student, late):
        await socket.disconnect()
