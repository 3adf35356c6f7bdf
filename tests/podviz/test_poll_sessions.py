"""A student's answers count once per question per browser session, and a reload lands on the
open question with their own answer (through the real ASGI application)."""

import pytest
from django.test import AsyncClient

from .test_classroom import open_socket, receive_of_type, receive_until, start_class


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_thread_closed")
async def test_a_reloading_student_counts_once_and_finds_their_answer(run_manager):
    teacher = AsyncClient()
    run_id = await start_class(teacher, "?t=60")
    presenter = await open_socket(run_id, teacher)
    await receive_of_type(presenter, "run.state")
    student = AsyncClient()
    page = await student.get(f"/runs/{run_id}/")
    assert page.status_code == 200
    assert "sessionid" in student.cookies  # the run page gives a follower a session

    first = await open_socket(run_id, student)
    await receive_of_type(first, "run.state")
    await presenter.send_json_to({"type": "ask", "question": "node-down-no-probes"})
    await receive_of_type(first, "class.question")
    await first.send_json_to({"type": "answer", "value": 30})
    await receive_until(presenter, lambda m: m["type"] == "class.answers" and m["answers"] == 1)
    await first.disconnect()

    # The same browser reloads: the question and its own answer come back, and a new answer
    # replaces the old one instead of counting twice.
    again = await open_socket(run_id, student)
    await receive_of_type(again, "run.state")
    assert (await receive_of_type(again, "class.question"))["id"] == "node-down-no-probes"
    own = await receive_of_type(again, "class.own_answer")
    assert own["value"] == 30 and own["id"] == "node-down-no-probes"
    await again.send_json_to({"type": "answer", "value": 45})
    answers = await receive_of_type(presenter, "class.answers")
    assert answers["answers"] == 1

    # Another browser is another voter.
    other = AsyncClient()
    await other.get(f"/runs/{run_id}/")
    stranger = await open_socket(run_id, other)
    await receive_of_type(stranger, "run.state")
    await receive_of_type(stranger, "class.question")
    await stranger.send_json_to({"type": "answer", "value": 80})
    await receive_until(presenter, lambda m: m["type"] == "class.answers" and m["answers"] == 2)
    for socket in (presenter, again, stranger):
        await socket.disconnect()
