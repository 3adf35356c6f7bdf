"""Predict, then reveal, on a live run: the presenter asks one of the scenario's questions
(classroom/questions.py), each follower's socket answers, the reveal shows the answers'
histogram beside what the run measured. Applied by the process that owns the run; registered
as the runs' class polls (runs/class_polls.py) when the classroom app starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from math import isfinite
from typing import Any

from runs import commands
from runs.host import RunHost
from runs.live_run import CommandError, LiveRun
from simulator.runs.frames import encode

from . import questions


def question_message(poll: questions.Poll, now: float) -> str:
    """``class.question`` for the open poll, with ``secondsLeft`` until its answers lock as of
    ``now`` (null: no lock): a duration, which each page counts down on its own clock."""
    left = poll.seconds_left(now)
    seconds_left = None if left is None else round(left, 1)
    return encode({"type": "class.question", **poll.question.public(), "secondsLeft": seconds_left})


class LessonPolls:
    """The polls of the lessons' questions; each host keeps its open polls in ``host.polls``.
    ``clock``: the wall clock the answers' deadlines are set and checked on."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock

    def questions(self, slug: str) -> list[tuple[str, dict[str, str]]]:
        return [(question.id, question.text) for question in questions.questions_for(slug)]

    async def apply(
        self, host: RunHost, run_id: str, run: LiveRun, command: commands.PollCommand, voter: str
    ) -> None:
        owned = host.owned.get(run_id)
        slug = owned.info.scenario_slug if owned is not None else ""
        if isinstance(command, commands.Ask):
            question = questions.find_question(slug, command.question)
            if question is None:
                known = ", ".join(q.id for q in questions.questions_for(slug)) or "none"
                raise CommandError(f"question: no such question for this scenario; use {known}")
            run.pause()
            now = self.clock()
            deadline = now + command.seconds if command.seconds else None
            poll = questions.Poll(question, deadline=deadline)
            host.polls[run_id] = poll
            await host.relay.publish(run_id, question_message(poll, now), None)
            return
        poll = host.polls.get(run_id)
        if poll is None:
            raise CommandError("no question is open: wait for the presenter's", "no_question")
        if isinstance(command, commands.Answer):
            if poll.locked(self.clock()):
                raise CommandError(
                    "answers are locked: the countdown ended; wait for the reveal",
                    "answers_locked",
                )
            poll.answer(voter, command.value)
            answers = {"type": "class.answers", "answers": len(poll.answers)}
            await host.relay.publish(run_id, encode(answers), None)
        else:
            del host.polls[run_id]
            # Revealed before the run got to the window's end: measured on a copy played on.
            measured, until = await run.measure(poll.question.measure, poll.question.end)
            reveal = {
                "type": "class.reveal",
                "id": poll.question.id,
                "text": poll.question.text,
                "unit": poll.question.unit,
                "answers": len(poll.answers),
                "histogram": poll.histogram(),
                "measured": measured,
                "measuredUntil": until,
                "end": poll.question.end,
            }
            await host.relay.publish(run_id, encode(reveal), None)

    def open_question(self, host: RunHost, run_id: str) -> str | None:
        poll = host.polls.get(run_id)
        return question_message(poll, self.clock()) if poll is not None else None

    def own_answer(self, host: RunHost, run_id: str, voter: str) -> str | None:
        poll = host.polls.get(run_id)
        if poll is None or voter not in poll.answers:
            return None
        own = {"type": "class.own_answer", "id": poll.question.id, "value": poll.answers[voter]}
        return encode(own)

    def spoils(self, prediction: Mapping[str, Any], slug: str) -> list[str]:
        return questions.spoiled_questions(prediction, slug)

    def saved(self, host: RunHost, run_id: str) -> dict[str, Any] | None:
        poll = host.polls.get(run_id)
        if poll is None:
            return None
        return {
            "question": poll.question.id,
            "answers": dict(poll.answers),
            "deadline": poll.deadline,
        }

    def restore(self, host: RunHost, run_id: str, slug: str, saved: Any) -> None:
        if not isinstance(saved, dict) or not isinstance(saved.get("answers"), dict):
            return
        question = questions.find_question(slug, str(saved.get("question")))
        if question is None:
            return
        deadline = saved.get("deadline")  # absent in records saved before answers locked
        poll = questions.Poll(question, deadline=float(deadline) if _finite(deadline) else None)
        for voter, value in saved["answers"].items():
            if _finite(value):
                poll.answer(str(voter), float(value))
        host.polls[run_id] = poll


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and isfinite(value)
