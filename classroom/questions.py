"""Predict, then reveal: numeric questions a presenter asks the class, and what the run measured.

The questions of a preset live here, keyed by the preset's slug, so the scenario files keep their
format. Each question measures one lane over a window of simulated time, from the run's own record:
the share of requests that failed (%, from the lane's series) or the restarts of one pod's
containers (from the lane's events). ``expected`` is that measure on the preset as shipped,
checked by tests/podviz/test_questions.py against the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.lane import Lane
from simulator.engine.simulation import Simulation

HISTOGRAM_BINS = 10

FAILED_REQUESTS = "failedRequests"  # percent of the requests sent in the window
# Container restarts of one pod in the window: its containers' restartCount summed, which is
# kubectl's RESTARTS for a pod with one container.
RESTARTS = "restarts"
METRICS = (FAILED_REQUESTS, RESTARTS)
RESTARTS_UNIT = "RESTARTS"  # kubectl's column, a term the English and Korean texts share


@dataclass(frozen=True)
class Question:
    """A question with a numeric answer in ``low``..``high`` (``unit``).

    ``metric`` is FAILED_REQUESTS (percent, the default) or RESTARTS (a count; ``pod`` names the
    pod whose restarts are counted). Raises ValueError for an unknown metric, a RESTARTS question
    without ``pod``, an empty window or an empty answer range.
    """

    id: str
    text: dict[str, str]  # by language
    lane: str  # the variant whose series is measured
    start: float  # seconds, inclusive
    end: float  # seconds, exclusive
    expected: float  # the measure on the preset as shipped, in ``unit``
    low: float = 0.0
    high: float = 100.0
    unit: str = "%"
    metric: str = FAILED_REQUESTS
    pod: str | None = None  # the pod a RESTARTS question counts

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"{self.id}: metric: unknown {self.metric!r}; use one of {METRICS}")
        if self.metric == RESTARTS and not self.pod:
            raise ValueError(f"{self.id}: pod: a {RESTARTS} question names the pod it counts")
        if not self.start < self.end:
            raise ValueError(f"{self.id}: start must be before end")
        if not self.low < self.high:
            raise ValueError(f"{self.id}: low must be below high")

    def measure(self, simulation: Simulation) -> tuple[float | None, float]:
        """The question's measure in the lane, over the window up to now.

        Returns (value, until): ``until`` is the end of the part measured (seconds), less than
        ``end`` if the run has not got there yet. For FAILED_REQUESTS the value is the share of
        requests that failed, percent, or None if no request was sent; for RESTARTS it is the
        number of container restarts of ``pod`` that happened in the window.
        """
        lane = next(lane for lane in simulation.lanes if lane.variant.name == self.lane)
        until = min(self.end, simulation.now)
        if self.metric == RESTARTS:
            return float(self._restarts(lane)), until
        series = lane.series
        requests = errors = 0
        for start, sent, failed in zip(
            series["time"], series["totalRequests"], series["totalErrors"], strict=True
        ):
            if self.start <= start < self.end:
                requests += sent
                errors += failed
        return (100.0 * errors / requests if requests else None), until

    def _restarts(self, lane: Lane) -> int:
        """Restarts of the pod's containers in the window: each Started event of a container that
        had started before (the kubelet's restartCount grows then, simulator/api/container.py)."""
        reference = f"Pod/{self.pod}"
        started: set[str] = set()
        restarts = 0
        for event in lane.events:
            if event["object"] != reference or event["reason"] != "Started":
                continue
            container = event["message"].removeprefix("Started container ")
            if container in started and self.start <= event["time"] < self.end:
                restarts += 1
            started.add(container)
        return restarts

    def public(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "metric": self.metric,
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

ROLLING_UPDATE_READINESS = (
    Question(
        id="rollout-no-readiness",
        text={
            "en": "The rollout starts at 40 s, and each new pod's app boots for 15 s. Without a "
            "readiness probe, what share of requests (%) fail from 40 s to 100 s?",
            "ko": "40초에 롤아웃이 시작되고, 새 Pod의 앱은 15초 동안 기동합니다. Readiness Probe가 "
            "없으면 40초부터 100초까지 요청의 몇 %가 실패할까요?",
        },
        lane="no-readiness",
        start=40,
        end=100,
        expected=22.1,
    ),
    Question(
        id="rollout-readiness",
        text={
            "en": "And with a readiness probe: what share of requests (%) fail from 40 s to 100 s?",
            "ko": "Readiness Probe가 있으면 40초부터 100초까지 요청의 몇 %가 실패할까요?",
        },
        lane="readiness",
        start=40,
        end=100,
        expected=0.0,
    ),
)

LIVENESS_SHARED_DEPENDENCY = (
    Question(
        id="outage-restarts",
        text={
            "en": "checks-database: the kubelet has just restarted all three pods. What will "
            "RESTARTS of web-1 show at 300 s, when the database returns?",
            "ko": "checks-database: kubelet이 방금 세 Pod를 모두 재시작했습니다. 데이터베이스가 "
            "돌아오는 300초에 web-1의 RESTARTS는 얼마일까요?",
        },
        lane="checks-database",
        start=0,
        end=300,
        expected=5,
        high=10,
        unit=RESTARTS_UNIT,
        metric=RESTARTS,
        pod="web-1",
    ),
    Question(
        id="after-outage-checks-database",
        text={
            "en": "The database returns at 300 s. With the database in the liveness check "
            "(checks-database), what share of requests (%) fail from 300 s to 390 s?",
            "ko": "300초에 데이터베이스가 돌아옵니다. Liveness Probe가 데이터베이스를 검사하면"
            "(checks-database) 300초부터 390초까지 요청의 몇 %가 실패할까요?",
        },
        lane="checks-database",
        start=300,
        end=390,
        expected=83.9,
    ),
    Question(
        id="after-outage-checks-process",
        text={
            "en": "And when the liveness probe checks only the process (checks-process): what "
            "share of requests (%) fail from 300 s to 390 s?",
            "ko": "Liveness Probe가 프로세스만 검사하면(checks-process) 300초부터 390초까지 요청의 "
            "몇 %가 실패할까요?",
        },
        lane="checks-process",
        start=300,
        end=390,
        expected=0.0,
    ),
)

SLOW_BOOT_STARTUP_PROBE = (
    Question(
        id="boot-startup-probe",
        text={
            "en": "Startup and liveness: the app needs 75 s to boot, and the startup probe checks "
            "every 10 s. What share of requests (%) fail from 0 s to 120 s?",
            "ko": "Startup Probe와 Liveness Probe: 앱은 기동에 75초가 걸리고 Startup Probe는 "
            "10초마다 검사합니다. 0초부터 120초까지 요청의 몇 %가 실패할까요?",
        },
        lane="startup-and-liveness",
        start=0,
        end=120,
        expected=70.0,
    ),
    Question(
        id="restarts-liveness-only",
        text={
            "en": "Liveness only: legacy-1 was killed about 30 s after it started, and its app "
            "needs 75 s to boot. What will RESTARTS of legacy-1 show at the end of the run "
            "(360 s)?",
            "ko": "Liveness Probe만 사용: legacy-1이 시작 후 약 30초 만에 죽었고, 앱은 기동에 "
            "75초가 필요합니다. 실행이 끝나는 360초에 legacy-1의 RESTARTS는 얼마일까요?",
        },
        lane="liveness-only",
        start=0,
        end=360,
        expected=6,
        high=20,
        unit=RESTARTS_UNIT,
        metric=RESTARTS,
        pod="legacy-1",
    ),
)

TCP_LIVENESS_BLIND_TO_500 = (
    Question(
        id="hang-tcp-liveness",
        text={
            "en": "At 60 s the app in web-1 hangs and answers HTTP 500. With a tcpSocket liveness "
            "probe, what share of requests (%) fail from 60 s to 180 s?",
            "ko": "60초에 web-1의 앱이 멈춰 HTTP 500으로 응답합니다. tcpSocket Liveness Probe를 "
            "쓰면 60초부터 180초까지 요청의 몇 %가 실패할까요?",
        },
        lane="tcp-liveness",
        start=60,
        end=180,
        expected=49.8,
    ),
    Question(
        id="hang-http-liveness",
        text={
            "en": "And with an httpGet liveness probe: what share of requests (%) fail from 60 s "
            "to 180 s?",
            "ko": "httpGet Liveness Probe를 쓰면 60초부터 180초까지 요청의 몇 %가 실패할까요?",
        },
        lane="http-liveness",
        start=60,
        end=180,
        expected=12.1,
    ),
)

GRACEFUL_SHUTDOWN_RACE = (
    Question(
        id="deletion-propagation-1s",
        text={
            "en": "The first old pod was deleted at 51 s, and its app exits at once. With endpoint "
            "propagation of 1 s, what share of requests (%) fail from 51 s to 56 s?",
            "ko": "51초에 첫 번째 기존 Pod가 삭제되고 앱은 곧바로 종료합니다. 엔드포인트 전파가 "
            "1초일 때 51초부터 56초까지 요청의 몇 %가 실패할까요?",
        },
        lane="propagation-1s",
        start=51,
        end=56,
        expected=7.3,
    ),
    Question(
        id="deletion-propagation-3s",
        text={
            "en": "And on a busy cluster, with endpoint propagation of 3 s: what share of "
            "requests (%) fail from 51 s to 56 s?",
            "ko": "엔드포인트 전파가 3초인 바쁜 클러스터에서는 51초부터 56초까지 요청의 몇 %가 "
            "실패할까요?",
        },
        lane="propagation-3s",
        start=51,
        end=56,
        expected=20.0,
    ),
)

GRACEFUL_SHUTDOWN_PRESTOP = (
    Question(
        id="rollout-prestop-3s",
        text={
            "en": "The rolling restart begins at 40 s, and each old pod now sleeps 5 s in its "
            "preStop hook before SIGTERM. On a busy cluster (endpoint propagation 3 s), what "
            "share of requests (%) fail from 40 s to 80 s?",
            "ko": "40초에 롤링 재시작이 시작되고, 이제 기존 Pod는 SIGTERM 전에 preStop 훅에서 "
            "5초 동안 sleep합니다. 엔드포인트 전파가 3초인 바쁜 클러스터에서 40초부터 80초까지 "
            "요청의 몇 %가 실패할까요?",
        },
        lane="propagation-3s",
        start=40,
        end=80,
        expected=0.0,
    ),
)

SIDECAR_READINESS = (
    Question(
        id="proxy-stalls-removal",
        text={
            "en": "Proxy stalls: the proxy sidecar stops answering about 60 s after it started "
            "(at about 62 s); its readiness probe checks every 5 s with failureThreshold 3. What "
            "share of requests (%) fail from 60 s to 100 s?",
            "ko": "프록시 멈춤: 프록시 사이드카가 시작 후 약 60초(약 62초)에 응답을 멈춥니다. "
            "Readiness Probe는 5초마다 검사하고 failureThreshold는 3입니다. 60초부터 100초까지 "
            "요청의 몇 %가 실패할까요?",
        },
        lane="proxy-stalls",
        start=60,
        end=100,
        expected=62.5,
    ),
    Question(
        id="proxy-stalls-healthy-app",
        text={
            "en": "Proxy stalls: the app container itself stays healthy all along. What share of "
            "requests (%) fail from 100 s to 180 s?",
            "ko": "프록시 멈춤: 앱 컨테이너 자체는 내내 정상입니다. 100초부터 180초까지 요청의 "
            "몇 %가 실패할까요?",
        },
        lane="proxy-stalls",
        start=100,
        end=180,
        expected=100.0,
    ),
)

SEED_STORY_TEXTBOOK = (
    Question(
        id="node-down-readiness",
        text={
            "en": "node2 died at 30 s, and here the control plane notices after 10 s. With a "
            "readiness probe, what share of requests (%) fail from 30 s to 60 s?",
            "ko": "30초에 node2가 죽었고, 여기서는 컨트롤 플레인이 10초 뒤에 알아차립니다. "
            "Readiness Probe가 있으면 30초부터 60초까지 요청의 몇 %가 실패할까요?",
        },
        lane="readiness",
        start=30,
        end=60,
        expected=18.7,
    ),
    Question(
        id="replacement-no-probes",
        text={
            "en": "At 60 s web-2 is evicted and the ReplicaSet creates web-3, whose app boots for "
            "20 s. Without probes, what share of requests (%) fail from 60 s to 90 s?",
            "ko": "60초에 web-2가 축출되고 ReplicaSet이 web-3을 만듭니다. web-3의 앱은 20초 동안 "
            "기동합니다. Probe가 없으면 60초부터 90초까지 요청의 몇 %가 실패할까요?",
        },
        lane="no-probes",
        start=60,
        end=90,
        expected=31.4,
    ),
    Question(
        id="hang-liveness",
        text={
            "en": "At 200 s the app in web-3 hangs. With a liveness probe, what share of requests "
            "(%) fail from 200 s to 260 s?",
            "ko": "200초에 web-3의 앱이 멈춥니다. Liveness Probe가 있으면 200초부터 260초까지 "
            "요청의 몇 %가 실패할까요?",
        },
        lane="liveness",
        start=200,
        end=260,
        expected=36.0,
    ),
)

CRASHLOOP_BACKOFF = (
    Question(
        id="restarts-by-320s",
        text={
            "en": "Default backoff: the container started at 0 s and was restarted at once, then "
            "at about 10, 30 and 70 s; each wait doubles up to 300 s. What will RESTARTS of "
            "crash-1 show at 320 s?",
            "ko": "기본 백오프: 컨테이너는 0초에 시작해 곧바로 한 번 재시작했고, 그 뒤 10초, 30초, "
            "70초쯤에 다시 시작했습니다. 기다리는 시간은 300초까지 매번 두 배가 됩니다. 320초에 "
            "crash-1의 RESTARTS는 얼마일까요?",
        },
        lane="default",
        start=0,
        end=320,
        expected=6,
        high=20,
        unit=RESTARTS_UNIT,
        metric=RESTARTS,
        pod="crash-1",
    ),
    Question(
        id="restarts-by-end-default",
        text={
            "en": "Default backoff: the wait has reached its cap of 300 s. What will RESTARTS of "
            "crash-1 show at the end of the run (1000 s)?",
            "ko": "기본 백오프: 기다리는 시간이 상한인 300초에 도달했습니다. 실행이 끝나는 "
            "1000초에 crash-1의 RESTARTS는 얼마일까요?",
        },
        lane="default",
        start=0,
        end=1000,
        expected=8,
        high=20,
        unit=RESTARTS_UNIT,
        metric=RESTARTS,
        pod="crash-1",
    ),
    Question(
        id="restarts-by-end-max-60s",
        text={
            "en": "And with the node's backoff cap at 60 s (second lane): what will RESTARTS of "
            "crash-1 show at 1000 s?",
            "ko": "노드의 백오프 상한이 60초인 두 번째 레인에서는 1000초에 crash-1의 RESTARTS가 "
            "얼마일까요?",
        },
        lane="max-60s",
        start=0,
        end=1000,
        expected=19,
        high=20,
        unit=RESTARTS_UNIT,
        metric=RESTARTS,
        pod="crash-1",
    ),
)

QUESTIONS: dict[str, tuple[Question, ...]] = {
    "seed-story": SEED_STORY,
    "seed-story-textbook": SEED_STORY_TEXTBOOK,
    "rolling-update-readiness": ROLLING_UPDATE_READINESS,
    "liveness-shared-dependency": LIVENESS_SHARED_DEPENDENCY,
    "slow-boot-startup-probe": SLOW_BOOT_STARTUP_PROBE,
    "tcp-liveness-blind-to-500": TCP_LIVENESS_BLIND_TO_500,
    "graceful-shutdown-race": GRACEFUL_SHUTDOWN_RACE,
    "graceful-shutdown-prestop": GRACEFUL_SHUTDOWN_PRESTOP,
    "sidecar-readiness": SIDECAR_READINESS,
    "crashloop-backoff": CRASHLOOP_BACKOFF,
}


def questions_for(slug: str) -> tuple[Question, ...]:
    """The questions of a preset's slug (none for other scenarios)."""
    return QUESTIONS.get(slug, ())


def find_question(slug: str, question_id: str) -> Question | None:
    return next((q for q in questions_for(slug) if q.id == question_id), None)


def spoiled_questions(prediction: Mapping[str, Any], slug: str) -> list[str]:
    """The ids of ``slug``'s questions that the predicted damage of one fault (a
    ``Prediction.as_dict()``) would give away: those whose window runs past the fault's time
    ``at``, in any lane (a prediction in one lane hints at the others: the fault is the same)."""
    return [question.id for question in questions_for(slug) if question.end > prediction["at"]]
