"""What re-running a drill with a suggested change showed: the verdict a suggestion carries.

A change is ``verified`` only on a clear gain in the figure its rule is about (its measure:
fewer errors, fewer restarts, more endpoints at the end): the measure must improve by at least
``CLEAR_GAIN_FRACTION`` of its value before the change, and by at least one unit of it (one
restart, one endpoint, one second of traffic for errors); a change that cuts restarts must not
raise the drill's errors by such a margin. A smaller improvement is ``marginal``; none is
``no-gain``. A change on a workload whose outcome a blocking finding decides
(``simulator.advisor.blocking``) is ``blocked``; a change no drill can show is ``not-run``.
docs/advisor.md, "Verdicts".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from simulator.advisor import messages
from simulator.advisor.blocking import Blocker
from simulator.advisor.drills import DEPENDENCY_OUTAGE, DrillResult

VERIFIED = "verified"
MARGINAL = "marginal"
NO_GAIN = "no-gain"
BLOCKED = "blocked"
NOT_RUN = "not-run"
VERDICTS = (VERIFIED, MARGINAL, NO_GAIN, BLOCKED, NOT_RUN)

# The share of the measure's value before the change that a verified change must win.
CLEAR_GAIN_FRACTION = 0.10

# The measures: the DrillResult figure a rule wants changed, and whether it should go down.
ERRORS = "errors"
RESTARTS = "restarts"
ENDPOINTS_AT_END = "endpointsAtEnd"
_LOWER_IS_BETTER = {ERRORS: True, RESTARTS: True, ENDPOINTS_AT_END: False}


@dataclass(frozen=True)
class Gain:
    """A measure's value before and after a change, the gain a verified change needs on it
    (``needed``), and the verdict they give."""

    measure: str
    before: float
    after: float
    needed: float
    verdict: str

    @property
    def gain(self) -> float:
        """How much the measure improved (negative: it got worse)."""
        change = self.after - self.before
        return -change if _LOWER_IS_BETTER[self.measure] else change


def judge(measure: str, before: DrillResult, after: DrillResult, rps: float) -> Gain:
    """The verdict on a change from the drill ``before`` and the same drill ``after`` it, on
    ``measure`` (``ERRORS``, ``RESTARTS`` or ``ENDPOINTS_AT_END``); ``rps``: the requests per
    second of the drills, one second of which is the smallest clear gain in errors."""
    old, new = _value(before, measure), _value(after, measure)
    needed = max(_unit(measure, rps), CLEAR_GAIN_FRACTION * old)
    gain = Gain(measure, old, new, needed, NO_GAIN)
    errors_rise = after.errors - before.errors
    if measure == RESTARTS and errors_rise >= max(rps, CLEAR_GAIN_FRACTION * before.errors):
        # Fewer restarts bought with clearly more failed requests is a trade, not a gain.
        return gain
    if gain.gain <= 0:
        return gain
    return replace(gain, verdict=VERIFIED if gain.gain >= needed else MARGINAL)


def _value(result: DrillResult, measure: str) -> float:
    return float(result.numbers()[measure])


def _unit(measure: str, rps: float) -> float:
    return rps if measure == ERRORS else 1.0


def run_suggestion(
    text: str,
    change: Mapping[str, Any],
    before: DrillResult,
    after: DrillResult,
    measure: str,
    lang: str,
    rps: float,
    blocked_by: Sequence[Blocker] = (),
) -> dict[str, Any]:
    """A suggestion (``text``, ``change``) tried by re-running its drill: ``before`` as written,
    ``after`` with the change. ``verified`` is true only for the ``verified`` verdict; on a
    workload ``blocked_by`` a blocking finding the verdict is ``blocked``."""
    gain = judge(measure, before, after, rps)
    verdict = BLOCKED if blocked_by else gain.verdict
    figures = {
        "drill": before.name,
        "before": figures_text(before, lang),
        "after": figures_text(after, lang),
    }
    if verdict == BLOCKED:
        note = messages.text("blocked-fix", lang, blocker=blocked_by[0].name(lang), **figures)
    else:
        note = messages.text(
            verdict,
            lang,
            measure=messages.text(f"measure-{measure}", lang),
            old=gain.before,
            new=gain.after,
            gain=gain.gain,
            needed=gain.needed,
            **figures,
        )
    return {
        "text": text,
        "change": dict(change),
        "verified": verdict == VERIFIED,
        "verdict": verdict,
        "verification": {
            "drill": before.name,
            "measure": measure,
            "before": before.numbers(),
            "after": after.numbers(),
            "text": note,
        },
    }


def unrun_suggestion(
    text: str, change: Mapping[str, Any], note: str, lang: str, blocked_by: Sequence[Blocker] = ()
) -> dict[str, Any]:
    """A suggestion no drill re-run shows (``note`` says why): ``not-run``, or ``blocked`` on
    a workload a blocking finding blocks."""
    if blocked_by:
        note = messages.text("blocked-not-run", lang, blocker=blocked_by[0].name(lang))
    return {
        "text": text,
        "change": dict(change),
        "verified": False,
        "verdict": BLOCKED if blocked_by else NOT_RUN,
        "verification": {"drill": None, "text": note},
    }


def figures_text(result: DrillResult, lang: str) -> str:
    """A drill's figures in a line: errors, restarts, endpoints, detection and recovery, each of
    the last two with the moment it is counted from (docs/advisor.md, "The drills")."""
    detection = result.detection_seconds
    recovery = result.recovery_seconds
    recovery_from = (
        "recovery-after-return" if result.name == DEPENDENCY_OUTAGE else "recovery-after-fault"
    )
    return messages.text(
        "figures",
        lang,
        errors=result.errors,
        restarts=result.restarts,
        endpoints=result.endpoints_at_end,
        detection=messages.text(
            "detection-after-fault", lang, seconds=messages.seconds(detection, lang)
        )
        if detection is not None
        else messages.text("none", lang),
        recovery=messages.text(recovery_from, lang, seconds=messages.seconds(recovery, lang))
        if recovery is not None
        else messages.text("not-recovered", lang),
    )
