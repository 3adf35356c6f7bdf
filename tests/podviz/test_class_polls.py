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


class HostStub:
    """What the polls keep on a run host: its open polls by run."""

    def __init__(self):
        self.polls = {}


def test_an_open_poll_read_back_from_the_record_opens_again_with_its_answers():
    polls = LessonPolls()
    question = questions_for("seed-story")[0]
    host = HostStub()
    record = {"question": question.id, "answers": {"s1": 20, "s2": question.high + 500}}
    polls.restore(host, "run", "seed-story", record)
    # Kept as an answer is kept: clamped to the question's range.
    assert polls.saved(host, "run") == {
        "question": question.id,
        "answers": {"s1": 20.0, "s2": question.high},
    }
    assert '"value":20.0' in polls.own_answer(host, "run", "s1")


@pytest.mark.parametrize(
    "record",
    [
        None,
        "node-down-no-probes",
        {"question": "no-such-question", "answers": {"s1": 20}},
        {"question": "node-down-no-probes", "answers": ["s1", 20]},
    ],
)
def test_a_record_that_no_longer_fits_opens_no_poll(record):
    host = HostStub()
    LessonPolls().restore(host, "run", "seed-story", record)
    assert host.polls == {}


def test_answers_that_are_not_numbers_are_left_out():
    host = HostStub()
    record = {"question": "node-down-no-probes", "answers": {"a": True, "b": "x", "c": 1e999}}
    LessonPolls().restore(host, "run", "seed-story", record)
    assert host.polls["run"].answers == {}
