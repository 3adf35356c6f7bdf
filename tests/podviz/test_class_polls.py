"""The extension point between runs and the classroom (runs/class_polls.py): the classroom app
fills it at start, and without it a run has no questions and says so."""

import pytest

from classroom.polls import LessonPolls
from classroom.questions import questions_for
from runs import class_polls, commands
from runs.live_run import CommandError


def test_the_classroom_app_registers_its_polls_at_start():
    assert isinstance(class_polls.get(), LessonPolls)
    asked = class_polls.get().questions("crashloop-backoff")
    assert asked == [
        (question.id, question.text) for question in questions_for("crashloop-backoff")
    ]
    assert asked, "crashloop-backoff has questions"


async def test_without_the_classroom_a_run_has_no_questions_and_refuses_polls():
    polls = class_polls.NoPolls()
    assert polls.questions("crashloop-backoff") == []
    assert polls.open_question(None, "run") is None
    with pytest.raises(CommandError, match="no such question for this scenario; use none"):
        await polls.apply(None, "run", None, commands.Ask("q1"), "voter")
    with pytest.raises(CommandError) as no_question:
        await polls.apply(None, "run", None, commands.Answer(50.0), "voter")
    assert no_question.value.code == "no_question"


def test_registering_replaces_the_polls_of_every_run():
    registered = class_polls.get()
    try:
        class_polls.register(class_polls.NoPolls())
        assert class_polls.get().questions("crashloop-backoff") == []
    finally:
        class_polls.register(registered)
