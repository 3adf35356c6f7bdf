"""Predict, then reveal, on a live run: the presenter asks one of the scenario's questions
(classroom/questions.py), each follower's socket answers, the reveal shows the answers'
histogram beside what the run measured. Applied by the process that owns the run; registered
as the runs' class polls (runs/class_polls.py) when the classroom app starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from math import isfinite
from typing import Any

from runs import commands
from runs.host import RunHost
from runs.live_run import CommandError, LiveRun
from simulator.runs.frames import encode

from . import questions


def question_message(question: questions.Question) -> str:
    return encode({"type": "class.question", **question.public()})


class LessonPolls:
    """The polls of the lessons' questions; each host keeps its open polls in ``host.polls``."""

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
            host.polls[run_id] = questions.Poll(question)
            await host.relay.publish(run_id, question_message(question), None)
            return
        poll = host.polls.get(run_id)
        if poll is None:
            raise CommandError("no question is open: wait for the presenter's", "no_question")
        if isinstance(command, commands.Answer):
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
        return question_message(poll.question) if poll is not None else None

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
        return {"question": poll.question.id, "answers": dict(poll.answers)}

    def restore(self, host: RunHost, run_id: str, slug: str, saved: Any) -> None:
        if not isinstance(saved, dict) or not isinstance(saved.get("answers"), dict):
            return
        question = questions.find_question(slug, str(saved.get("question")))
        if question is None:
            return
        poll = questions.Poll(question)
        for voter, value in saved["answers"].items():
            if isinstance(value, int | float) and not isinstance(value, bool) and isfinite(value):
                poll.answer(str(voter), float(value))
        host.polls[run_id] = poll
