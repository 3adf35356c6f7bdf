"""Predict, then reveal: numeric questions a presenter asks the class, and what the run measured.

The questions of a preset live here, keyed by the preset's slug, so the scenario files keep their
format. Each question measures the share of requests that failed (%) in one lane over a window of
simulated time, from the run's own series; ``expected`` is that measure on the preset as shipped,
checked by tests/podviz/test_questions.py against the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.engine.simulation import Simulation

HISTOGRAM_BINS = 10


@dataclass(frozen=True)
class Question:
    """A question with a numeric answer in ``low``..``high`` (percent of requests)."""

    id: str
    text: dict[str, str]  # by language
    lane: str  # the variant whose series is measured
    start: float  # seconds, inclusive
    end: float  # seconds, exclusive
    expected: float  # the measure on the preset as shipped, percent
    low: float = 0.0
    high: float = 100.0
    unit: str = "%"

    def measure(self, simulation: Simulation) -> tuple[float | None, float]:
        """The share of requests that failed in the lane, percent, over the window up to now.

        Returns (share, until): ``until`` is the end of the part measured (seconds), less than
        ``end`` if the run has not got there yet; share is None if no request was sent.
        """
        lane = next(lane for lane in simulation.lanes if lane.variant.name == self.lane)
        series = lane.series
        requests = errors = 0
        for start, sent, failed in zip(
            series["time"], series["totalRequests"], series["totalErrors"], strict=True
        ):
            if self.start <= start < self.end:
                requests += sent
                errors += failed
        until = min(self.end, simulation.now)
        return (100.0 * errors / requests if requests else None), until

    def public(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
        }


@dataclass
class Poll:
    """One question put to the class: the latest answer of each follower's socket."""

    question: Question
    answers: dict[str, float] = field(default_factory=dict)

    def answer(self, voter: str, value: float) -> None:
        self.answers[voter] = min(self.question.high, max(self.question.low, value))

    def histogram(self) -> dict:
        """``edges`` (HISTOGRAM_BINS + 1 numbers) and ``counts`` of the answers in each bin."""
        low, high = self.question.low, self.question.high
        width = (high - low) / HISTOGRAM_BINS
        counts = [0] * HISTOGRAM_BINS
        for value in self.answers.values():
            counts[min(HISTOGRAM_BINS - 1, int((value - low) / width))] += 1
        edges = [low + width * index for index in range(HISTOGRAM_BINS + 1)]
        return {"edges": edges, "counts": counts}


SEED_STORY = (
    Question(
        id="node-down-no-probes",
        text={
            "en": "node2 died at 60 s. Without probes, what share of requests (%) fail "
            "from 60 s to 110 s?",
            "ko": "60초에 node2가 죽었습니다. Probe가 없을 때 60초부터 110초까지 요청의 몇 %가 "
            "실패할까요?",
        },
        lane="no-probes",
        start=60,
        end=110,
        expected=50.8,
    ),
    Question(
        id="node-down-readiness",
        text={
            "en": "And with a readiness probe: what share of requests (%) fail from 60 s to 110 s?",
            "ko": "Readiness Probe가 있으면 60초부터 110초까지 요청의 몇 %가 실패할까요?",
        },
        lane="readiness",
        start=60,
        end=110,
        expected=50.7,
    ),
    Question(
        id="hang-readiness",
        text={
            "en": "At 600 s the app in web-3 hangs. With a readiness probe, what share of "
            "requests (%) fail from 600 s to 900 s?",
            "ko": "600초에 web-3의 앱이 멈춥니다. Readiness Probe가 있으면 600초부터 900초까지 "
            "요청의 몇 %가 실패할까요?",
        },
        lane="readiness",
        start=600,
        end=900,
        expected=4.1,
    ),
)

QUESTIONS: dict[str, tuple[Question, ...]] = {"seed-story": SEED_STORY}


def questions_for(slug: str) -> tuple[Question, ...]:
    """The questions of a preset's slug (none for other scenarios)."""
    return QUESTIONS.get(slug, ())


def find_question(slug: str, question_id: str) -> Question | None:
    return next((q for q in questions_for(slug) if q.id == question_id), None)
