"""No lesson's title or narration contradicts the lane scores on screen at the time it is shown.

Every built-in lesson plays second by second through the frames the page receives
(simulator/runs/frames.py: each lane's ``score`` in the lesson's score window); each step is on
screen from its start (simulator/advisor/foresight.py) until the next step starts, a title the whole
run. A claim about the numbers ("none", "not a single failed request", "every request fails",
"fewest") is written below as what it says of which lanes, and checked at every second it is
shown. Every step whose English or Korean text makes such a claim must be listed: with its
claims, or with the reason it says nothing about the scores (it speaks of restarts, of one pod,
of the errors per second from then on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pytest

from simulator.advisor.foresight import foresee
from simulator.engine.simulation import Simulation
from simulator.runs import frames
from simulator.scenario.presets import load_preset, preset_slugs

TITLE = "title"
NONE = "none"  # not one request failed in the window
ALL = "all"  # every request in the window failed
FEWEST = "fewest"  # the lane's score is marked as the fewest errors (ties included)

# Words that claim something of the failed requests, per language.
CLAIM_WORDS = {
    "en": re.compile(
        r"\bnone\b|\bfewest\b|not a single|without a single|every request (succeeds|fails|is "
        r"refused)|serves every request|no request fails|without errors|no boot errors|never "
        r"serve|no refused",
        re.IGNORECASE,
    ),
    "ko": re.compile(
        r"하나 없이|단 하나도|하나도|모든 요청이 (성공|실패)|모든 요청을 처리|오류 없이|오류 없음|"
        r"거절되는 연결 없음|가장 적"
    ),
}


@dataclass(frozen=True)
class Claim:
    kind: str
    lanes: tuple[str, ...]


# (lesson, step index or TITLE) -> the claims the text makes of the scores, or why it makes none.
CLAIMS: dict[tuple[str, int | str], tuple[Claim, ...] | str] = {
    ("graceful-shutdown-prestop", TITLE): (Claim(NONE, ("propagation-1s", "propagation-3s")),),
    ("graceful-shutdown-prestop", 1): (Claim(NONE, ("propagation-1s", "propagation-3s")),),
    ("graceful-shutdown-prestop", 2): (Claim(NONE, ("propagation-1s", "propagation-3s")),),
    ("graceful-shutdown-race", 2): "the new pods' errors, not a lane's",
    ("rolling-update-readiness", TITLE): (Claim(NONE, ("readiness",)),),
    ("rolling-update-readiness", 2): "the errors per second of those 15 s (the errors chart)",
    ("rolling-update-readiness", 3): (Claim(NONE, ("readiness",)), Claim(FEWEST, ("readiness",))),
    ("rolling-update-readiness", 4): (Claim(FEWEST, ("readiness",)),),
    ("init-containers-pending", 0): "the boot, which the score leaves out",
    ("init-containers-pending", 3): (Claim(NONE, ("migration-succeeds",)),),
    ("init-containers-pending", 4): (
        Claim(ALL, ("migration-fails",)),
        Claim(FEWEST, ("migration-succeeds",)),
    ),
    ("sidecar-readiness", 1): (Claim(NONE, ("proxy-stalls", "proxy-healthy")),),
    ("sidecar-readiness", 2): "the proxy's probe failures before the pod leaves the Service",
    ("sidecar-readiness", 3): (
        Claim(NONE, ("proxy-healthy",)),
        Claim(FEWEST, ("proxy-healthy",)),
    ),
    (
        "slow-boot-startup-probe",
        1,
    ): "shown during the boot, which is not counted; steps 2 and 3 check it",
    ("slow-boot-startup-probe", 2): (
        Claim(NONE, ("startup-and-liveness",)),
        Claim(ALL, ("liveness-only",)),
    ),
    ("slow-boot-startup-probe", 3): (
        Claim(ALL, ("liveness-only",)),
        Claim(FEWEST, ("startup-and-liveness",)),
    ),
    ("slow-boot-startup-probe", 4): (Claim(FEWEST, ("startup-and-liveness",)),),
    ("seed-story", 4): "the errors per second once web-3 has joined, not the score so far",
    ("seed-story", 6): "the restarted app's boot, not the score so far",
    ("seed-story", 7): (Claim(FEWEST, ("readiness-and-liveness",)),),
    ("seed-story-textbook", 6): (Claim(FEWEST, ("readiness-and-liveness",)),),
    ("liveness-shared-dependency", 3): "the endpoints left, not failed requests",
    ("liveness-shared-dependency", 4): "restarts, not failed requests",
    ("job-success-and-failure", 2): "restarts of a Job's pod, not failed requests",
    ("liveness-death-spiral", 3): "restarts (none in the other lanes), not failed requests",
}


def shown(rate: float) -> str:
    """A rate as lane_score.js prints it: one decimal (ranks come from the server)."""
    return f"{rate:.1f}"


@dataclass(frozen=True)
class Moment:
    """The lane scores on screen at one second: by lane, the server's ``score``."""

    time: float
    scores: dict[str, dict]

    def failed(self, lane: str) -> str | None:
        score = self.scores[lane]
        if not score["counted"] or not score["requests"]:
            return None
        return shown(score["failedPercent"])

    def fewest(self) -> set[str]:
        """The lanes marked with the fewest errors (the server's rank; all when even)."""
        return {lane for lane, score in self.scores.items() if score["rank"] in ("best", "even")}


@cache
def played(slug: str) -> tuple[Moment, ...]:
    """The scores of every lane at each whole second of the lesson, as the frames carry them."""
    scenario = load_preset(slug)
    simulation = Simulation(scenario)
    cursors = [frames.LaneCursor() for _ in simulation.lanes]
    latest: dict[str, dict] = {}
    moments = []
    for second in range(int(scenario.duration) + 1):
        simulation.advance_to(second)
        for view in frames.lane_views(simulation, cursors):
            if "score" in view:
                latest[view["name"]] = view["score"]
        moments.append(Moment(simulation.now, dict(latest)))
    return tuple(moments)


def shown_between(slug: str, key: int | str) -> tuple[float, float] | None:
    """The seconds [start, end) a step (or the title) is on screen; None if it never shows."""
    scenario = load_preset(slug)
    if key == TITLE:
        return 0.0, scenario.duration + 1
    times = foresee(scenario).narration_times
    start = times[int(key)]
    if start is None:
        return None
    later = [time for time in times if time is not None and time > start]
    return start, min(later, default=scenario.duration + 1)


def violations(slug: str, key: int | str, claims: tuple[Claim, ...]) -> list[str]:
    window = shown_between(slug, key)
    assert window is not None, f"{slug} step {key} never shows: its claim is never checked"
    found = []
    checked = 0
    for moment in played(slug):
        if not window[0] <= moment.time < window[1]:
            continue
        for claim in claims:
            for lane in claim.lanes:
                rate = moment.failed(lane)
                if rate is None:
                    continue  # the score shows no number yet: nothing to contradict
                checked += 1
                score = moment.scores[lane]
                wrong = (
                    (claim.kind == NONE and score["errors"] != 0)
                    or (claim.kind == ALL and score["errors"] != score["requests"])
                    or (claim.kind == FEWEST and lane not in moment.fewest())
                )
                if wrong:
                    found.append(f"{moment.time:g} s: {lane} shows {rate} % ({claim.kind}?)")
    assert checked, f"{slug} step {key}: no number is on screen while it is shown"
    return found


@pytest.mark.parametrize(
    ("slug", "key"),
    [key for key, claims in CLAIMS.items() if not isinstance(claims, str)],
    ids=lambda value: str(value),
)
def test_the_scores_on_screen_never_contradict_the_lesson(slug, key):
    claims = CLAIMS[(slug, key)]
    assert not isinstance(claims, str)
    assert violations(slug, key, claims) == []


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("slug", preset_slugs())
def test_every_claim_about_failed_requests_is_checked(slug, lang):
    scenario = load_preset(slug)
    texts: list[tuple[int | str, str]] = [(TITLE, scenario.title.get(lang, ""))]
    texts += [(index, step.text.get(lang, "")) for index, step in enumerate(scenario.narration)]
    unchecked = [
        (key, text[:80])
        for key, text in texts
        if CLAIM_WORDS[lang].search(text) and (slug, key) not in CLAIMS
    ]
    assert unchecked == []


def test_a_contradiction_is_found():
    # The check itself: the lane without readiness fails during the rollout, so claiming it
    # has no failed requests must be caught.
    assert violations("rolling-update-readiness", TITLE, (Claim(NONE, ("no-readiness",)),))


def test_the_boot_is_not_counted():
    # The lesson's title says "none with it": every lane fails while it boots, so counting the
    # boot would show 15.8 % on the lane with a readiness probe.
    final = played("rolling-update-readiness")[-1]
    assert final.failed("readiness") == "0.0"
    assert final.scores["readiness"]["window"][0] > 0
