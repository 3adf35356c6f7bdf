"""The class's polls as a run sees them: an extension point filled when the apps start.

Predict, then reveal: the presenter asks the class a question, the followers answer, the reveal
shows what the run measured. The questions and their measures belong to the classroom app
(classroom/polls.py, classroom/questions.py), which builds on runs; runs never imports it. What
the run host and the run page need of the polls is ``ClassPolls``; ``ClassroomConfig.ready()``
registers the classroom's. Without it (the classroom app not installed) a run has no questions:
an ask is refused with a clear error, and the page lists none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from .commands import Ask, PollCommand
from .live_run import CommandError

if TYPE_CHECKING:
    from .host import RunHost
    from .live_run import LiveRun


class ClassPolls(Protocol):
    def questions(self, slug: str) -> list[tuple[str, dict[str, str]]]:
        """The questions a presenter may ask on a run of scenario ``slug``: (id, text by
        language) each, in the order the page lists them."""
        ...

    async def apply(
        self, host: RunHost, run_id: str, run: LiveRun, command: PollCommand, voter: str
    ) -> None:
        """Apply an ask, an answer (from socket ``voter``) or a reveal to ``run``, owned by
        ``host``; raises ``CommandError`` for one that cannot apply."""
        ...

    def open_question(self, host: RunHost, run_id: str) -> str | None:
        """The question open on a run ``host`` owns, encoded as it was sent; None if none."""
        ...

    def own_answer(self, host: RunHost, run_id: str, voter: str) -> str | None:
        """``class.own_answer``: ``voter``'s answer to the question open on a run ``host`` owns,
        encoded; None if they have not answered or no question is open."""
        ...

    def spoils(self, prediction: Mapping[str, Any], slug: str) -> list[str]:
        """The ids of scenario ``slug``'s questions that one fault's predicted damage (a
        ``Prediction.as_dict()``) would give away; the page hides it while one is open."""
        ...

    def saved(self, host: RunHost, run_id: str) -> dict[str, Any] | None:
        """The poll open on a run ``host`` owns as JSON for the run's record (its question and
        every answer), so that a restart or a takeover brings it back; None if none is open."""
        ...

    def restore(self, host: RunHost, run_id: str, slug: str, saved: Any) -> None:
        """Open again on ``host`` the poll ``saved`` (what ``saved`` returned, read back from
        the record of a run of scenario ``slug``); ignores what no longer fits (a question the
        scenario no longer has, a malformed record)."""
        ...


class NoPolls:
    """No class polls: what a run has before (or without) the classroom app."""

    def questions(self, slug: str) -> list[tuple[str, dict[str, str]]]:
        return []

    async def apply(
        self, host: RunHost, run_id: str, run: LiveRun, command: PollCommand, voter: str
    ) -> None:
        if isinstance(command, Ask):
            raise CommandError("question: no such question for this scenario; use none")
        raise CommandError("no question is open: wait for the presenter's", "no_question")

    def open_question(self, host: RunHost, run_id: str) -> str | None:
        return None

    def own_answer(self, host: RunHost, run_id: str, voter: str) -> str | None:
        return None

    def spoils(self, prediction: Mapping[str, Any], slug: str) -> list[str]:
        return []

    def saved(self, host: RunHost, run_id: str) -> dict[str, Any] | None:
        return None

    def restore(self, host: RunHost, run_id: str, slug: str, saved: Any) -> None:
        return None


_polls: ClassPolls = NoPolls()


def register(polls: ClassPolls) -> None:
    """Make ``polls`` the class polls of every run (called from an AppConfig's ``ready()``)."""
    global _polls
    _polls = polls


def get() -> ClassPolls:
    """The class polls registered, else ``NoPolls``."""
    return _polls
