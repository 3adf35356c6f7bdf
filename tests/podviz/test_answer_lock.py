"""A question's countdown: every viewer gets the seconds left, and answers after it are refused
(through the real ASGI application)."""

import time

import pytest
from django.test import AsyncClient

from runs.host import get_host

from .test_classroom import open_socket, receive_of_type, start_class


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_thread_closed")
async def test_an_answer_after_the_countdown_is_refused_as_locked(run_manager):
    teacher = AsyncClient()
    run_id = await start_class(teacher, "?t=60")
    presenter = await open_socket(run_id, teacher)
    student = await open_socket(run_id)
    for socket in (presenter, student):
        await receive_of_type(socket, "run.state")

    await presenter.send_json_to({"type": "ask", "question": "node-down-no-probes", "seconds": 5})
    asked = await receive_of_type(student, "class.question")
    assert 4 <= asked["secondsLeft"] <= 5
    await student.send_json_to({"type": "answer", "value": 30})
    assert (await receive_of_type(presenter, "class.answers"))["answers"] == 1

    # The countdown ends: its deadline moved into the past rather than waited for.
    poll = get_host().polls[run_id]
    poll.deadline = time.time() - 1
    await student.send_json_to({"type": "answer", "value": 40})
    refused = await receive_of_type(student, "error")
    assert refused["code"] == "answers_locked" and "locked" in refused["detail"]
    assert list(poll.answers.values()) == [30]
    late = await open_socket(run_id)  # a late joiner gets the question, already locked
    await receive_of_type(late, "run.state")
    assert (await receive_of_type(late, "class.question"))["secondsLeft"] == 0

    # The presenter reveals as before; a question asked with 0 never locks.
    await presenter.send_json_to({"type": "reveal"})
    assert (await receive_of_type(student, "class.reveal"))["answers"] == 1
    await presenter.send_json_to({"type": "ask", "question": "node-down-no-probes", "seconds": 0})
    assert (await receive_of_type(student, "class.question"))["secondsLeft"] is None
    for socket in (presenter, student, late):
        await socket.disconnect()
