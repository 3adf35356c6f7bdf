"""docs/kubernetes-model.md §7 A15: the seed's story (node death, reschedule, boot, hang) in four
probe
configurations, with the worked example R = 10 req/s, boot N = 20 s and default probes.

Phase windows come from the results: A from the node's death to the TaintManagerEviction,
B from the eviction to the hang, C from the hang to the end.
"""

import pytest

from .builders import deployment, event, http_probe, program, scenario, variant
from .reading import (
    assert_between,
    binomial_band,
    cause_errors,
    events,
    first_event_time,
    lane_named,
    not_ready_since,
    pod,
    pod_names,
    pod_requests,
    ready_since,
    restart_times,
    results_at,
    row_at,
    running_since,
    simulate,
    total_errors,
)

RATE = 10
BOOT = 20
# Node2 dies once both pods have booted and passed their probes.
DEATH = 60
HANG = 500
END = 650
PROPAGATION = 1
VARIANTS = ("no-probes", "readiness", "liveness", "both")
WITH_READINESS = ("readiness", "both")
WITHOUT_READINESS = ("no-probes", "liveness")


def seed_story(duration: float = END, fault: str = "AppHang", handles_sigterm: bool = True) -> dict:
    readiness, liveness = http_probe("/ready"), http_probe("/healthz")
    return scenario(
        deployment(replicas=2),
        duration=duration,
        requests_per_second=RATE,
        programs={"app": program(bootSeconds=BOOT, handlesSigterm=handles_sigterm)},
        events=[event(DEATH, "NodeDown", node="node2"), event(HANG, fault, pod="web-3")],
        variants=[
            variant("no-probes", readinessProbe=None, livenessProbe=None),
            variant("readiness", readinessProbe=readiness, livenessProbe=None),
            variant("liveness", readinessProbe=None, livenessProbe=liveness),
            variant("both", readinessProbe=readiness, livenessProbe=liveness),
        ],
    )


class Story:
    """One lane of the story: its results, its live per-second series and its phase bounds."""

    def __init__(self, lane: dict, series: dict) -> None:
        self.lane = lane
        self.series = series
        self.detected = first_event_time(lane, "NodeNotReady", "Pod/web-2")
        self.evicted = min(
            entry["time"]
            for entry in events(lane, "TaintManagerEviction", "Pod/web-2")
            if entry["message"].startswith("Marking for deletion")
        )
        self.web3 = pod(lane, "web-3")

    def errors(self, start: float, end: float) -> int:
        return total_errors(self.series, start, end)


def tell(document: dict) -> dict[str, Story]:
    simulation = simulate(document)
    results = simulation.results()
    return {
        lane.name: Story(lane_named(results, lane.name), lane.series) for lane in simulation.lanes
    }


@pytest.fixture(scope="module")
def stories() -> dict[str, Story]:
    return tell(seed_story())


@pytest.fixture(scope="module")
def after_detection() -> dict:
    return results_at(seed_story(), DEATH + 200)


def errors_band(requests_offered: float) -> tuple[float, float]:
    """Half the offered requests fail (§4.4 band), ± R/2 for the one-second buckets."""
    low, high = binomial_band(requests_offered, 0.5)
    return low - RATE / 2, high + RATE / 2


def test_lanes_are_the_four_probe_configurations(stories):
    """scenario-format: one lane per variant, in the scenario's order."""
    assert tuple(stories) == VARIANTS


@pytest.mark.parametrize("name", VARIANTS)
def test_phase_a_errors_are_half_the_traffic_until_detection(stories, name):
    """A15 A: Errors_A = (R/2)·(T_det + p), ≈255 (205–305), all timeouts, in every variant."""
    story = stories[name]
    assert_between(story.detected - DEATH, 40, 60, "T_det")
    errors = story.errors(DEATH, story.evicted)
    exposed = story.detected + PROPAGATION - DEATH
    assert_between(errors, *errors_band(RATE * exposed), "Errors_A vs observed T_det")
    assert_between(errors, errors_band(RATE * 41)[0], errors_band(RATE * 61)[1], "205–305")
    assert cause_errors(story.series, "Timeout", DEATH, story.evicted) == errors
    assert story.errors(story.detected + PROPAGATION + 1, story.evicted) == 0


def test_phase_a_detection_is_the_same_with_and_without_probes(stories):
    """A15 A, §5.2: identical with and without probes."""
    assert len({story.detected for story in stories.values()}) == 1


@pytest.mark.parametrize("name", VARIANTS)
def test_phase_a_dead_pod_prints_stale_running(after_detection, name):
    """A15 A, §5.2: node2 NotReady; pod2 `1/1 Running` (stale) with Ready=False."""
    web2 = pod(lane_named(after_detection, name), "web-2")
    assert (web2["status"], web2["ready"], web2["phase"]) == ("Running", "1/1", "Running")
    assert web2["conditions"]["Ready"] is False


@pytest.mark.parametrize("name", VARIANTS)
def test_phase_a_all_traffic_goes_to_pod1_after_detection(stories, name):
    """A15 A: then 100 % → pod1."""
    story = stories[name]
    start = story.detected + PROPAGATION + 1
    assert pod_requests(story.series, "web-2", start, story.evicted) == 0
    assert pod_requests(story.series, "web-1", start, story.evicted) > 0


@pytest.mark.parametrize("name", VARIANTS)
def test_phase_b_replacement_only_at_eviction(stories, name):
    """A15 B, §5.3: at T_evict ≈ T_det + 300 pod2 → Terminating (stays); pod2′ on node3."""
    story = stories[name]
    assert_between(story.evicted - DEATH, 340, 360, "T_evict")
    assert pod_names(story.lane) == ["web-1", "web-2", "web-3"]
    assert_between(story.web3["createdAt"], story.evicted, story.evicted + 1, "pod2′ created")
    assert story.web3["node"] == "node3"
    web2 = pod(story.lane, "web-2")
    assert (web2["status"], web2["ready"], web2["phase"]) == ("Terminating", "1/1", "Running")
    phases = {row["phase"] for entry in story.lane["pods"] for row in entry["history"]}
    assert "Unknown" not in phases


@pytest.mark.parametrize("name", WITHOUT_READINESS)
def test_phase_b_without_readiness_the_booting_pod_refuses_connections(stories, name):
    """A15 B: pod2′ Ready at T_start + δ, serves at T_start + B ⇒ Errors_B = (R/2)(B − δ − p)."""
    story = stories[name]
    started = running_since(story.web3)
    delta = ready_since(story.web3) - started
    assert_between(delta, 0, 1, "δ")
    assert row_at(story.web3, started + BOOT / 2)["ready"] == "1/1"
    errors = story.errors(story.evicted, HANG)
    assert_between(errors, *errors_band(RATE * (BOOT - delta - PROPAGATION)), "Errors_B")
    assert cause_errors(story.series, "ConnectionRefused", story.evicted, HANG) == errors


@pytest.mark.parametrize("name", WITH_READINESS)
def test_phase_b_with_readiness_there_are_no_errors(stories, name):
    """A15 B: Ready within [T_start + B, T_start + B + P + 1]; 0/1 Running until then; no errors."""
    story = stories[name]
    started = running_since(story.web3)
    ready = ready_since(story.web3)
    assert_between(ready - started, BOOT, BOOT + 10 + 1, "pod2′ ready after start")
    booting = row_at(story.web3, started + BOOT / 2)
    assert (booting["status"], booting["ready"]) == ("Running", "0/1")
    assert story.errors(story.evicted, HANG) == 0
    assert pod_requests(story.series, "web-3", story.evicted, ready) == 0
    assert pod_requests(story.series, "web-3", ready + PROPAGATION + 1, HANG) > 0


def test_phase_c_without_probes_errors_never_stop(stories):
    """A15 C: no liveness, no readiness ⇒ 50 % errors for any window; 1/1 Running, no restart."""
    story = stories["no-probes"]
    window = END - HANG
    errors = story.errors(HANG, END)
    assert_between(errors, *errors_band(RATE * window), "Errors_C(W)")
    assert cause_errors(story.series, "ServerError", HANG, END) == errors
    assert story.errors(END - 20, END) > 0
    assert (story.web3["status"], story.web3["ready"], story.web3["restarts"]) == (
        "Running",
        "1/1",
        0,
    )


def test_phase_c_readiness_only_stops_errors_but_halves_capacity(stories):
    """A15 C: NotReady at H + Δ_r (20–30 s) ⇒ Errors_C = (R/2)(Δ_r + p) ≈ 130 (105–155);
    then 0 errors but pod2′ stays `0/1 Running`, never restarted."""
    story = stories["readiness"]
    detected = not_ready_since(story.web3, after=HANG) - HANG
    assert_between(detected, 20, 30, "Δ_r")
    errors = story.errors(HANG, END)
    assert_between(errors, *errors_band(RATE * (detected + PROPAGATION)), "Errors_C")
    assert_between(errors, errors_band(RATE * 21)[0], errors_band(RATE * 31)[1], "105–155")
    assert story.errors(HANG + detected + PROPAGATION + 1, END) == 0
    assert (story.web3["status"], story.web3["ready"], story.web3["restarts"]) == (
        "Running",
        "0/1",
        0,
    )


def liveness_kill(story: Story) -> float:
    kills = [
        entry["time"]
        for entry in events(story.lane, "Killing", "Pod/web-3")
        if "liveness" in entry["message"]
    ]
    assert len(kills) == 1, kills
    return kills[0]


def test_phase_c_liveness_only_restarts_and_boots_with_refusals(stories):
    """A15 C: kill at H + Δ_l (20–30 s), t_term = 0, immediate restart, B s of refusals ⇒
    Errors_C ≈ (R/2)(Δ_l + B) ≈ 225 (195–255); restartCount 1; afterwards 0 errors."""
    story = stories["liveness"]
    killed = liveness_kill(story)
    assert_between(killed - HANG, 20, 30, "Δ_l")
    (restarted,) = restart_times(story.web3)
    assert_between(restarted - killed, 0, 1, "first restart is immediate")
    errors = story.errors(HANG, END)
    exposed = restarted + BOOT - HANG
    assert_between(errors, *errors_band(RATE * exposed), "Errors_C")
    assert_between(errors, errors_band(RATE * 39)[0], errors_band(RATE * 51)[1], "195–255")
    assert cause_errors(story.series, "ServerError", HANG, killed) > 0
    assert cause_errors(story.series, "ConnectionRefused", killed, restarted + BOOT) > 0
    assert story.errors(restarted + BOOT + 2, END) == 0
    assert (story.web3["status"], story.web3["ready"], story.web3["restarts"]) == (
        "Running",
        "1/1",
        1,
    )


def test_phase_c_liveness_and_readiness_cut_errors_without_boot_errors(stories):
    """A15 C: out of the endpoints at H + min(Δ_r, Δ_l) + p ⇒ Errors_C = (R/2)(min + p) ≈ 130;
    the restarted container is not ready until it answers; restartCount 1."""
    story = stories["both"]
    killed = liveness_kill(story) - HANG
    unready = not_ready_since(story.web3, after=HANG) - HANG
    first = min(killed, unready)
    assert_between(first, 20, 30, "min(Δ_r, Δ_l)")
    errors = story.errors(HANG, END)
    assert_between(errors, *errors_band(RATE * (first + PROPAGATION)), "Errors_C")
    assert story.errors(HANG + first + PROPAGATION + 1, END) == 0
    (restarted,) = restart_times(story.web3)
    assert_between(
        ready_since(story.web3, after=restarted) - restarted, BOOT, BOOT + 10 + 1, "ready again"
    )
    assert (story.web3["status"], story.web3["ready"], story.web3["restarts"]) == (
        "Running",
        "1/1",
        1,
    )


def test_phase_c_liveness_only_with_an_app_ignoring_sigterm():
    """A15 C: an app that ignores SIGTERM stays in the endpoints for t_term = g = 30 s after the
    kill ⇒ Errors_C ≈ (R/2)(Δ_l + 30 + B)."""
    story = tell(seed_story(handles_sigterm=False))["liveness"]
    killed = liveness_kill(story)
    assert_between(killed - HANG, 20, 30, "Δ_l")
    (restarted,) = restart_times(story.web3)
    assert_between(restarted - killed, 30, 32, "t_term = grace")
    assert cause_errors(story.series, "ServerError", killed + 2, killed + 28) > 0
    errors = story.errors(HANG, END)
    assert_between(errors, *errors_band(RATE * (restarted + BOOT - HANG)), "Errors_C")
    assert story.errors(restarted + BOOT + 2, END) == 0


def test_phase_c_no_response_is_detected_with_timeouts():
    """A15 C: a hang without response gives the same formulas with timeouts instead of 500s,
    Δ grown by up to FT·timeoutSeconds (readiness only: Δ_r ∈ [20, 33])."""
    story = tell(seed_story(fault="AppUnresponsive"))["readiness"]
    detected = not_ready_since(story.web3, after=HANG) - HANG
    assert_between(detected, 20, 33, "Δ_r with timeouts")
    errors = story.errors(HANG, END)
    assert_between(errors, *errors_band(RATE * (detected + PROPAGATION)), "Errors_C")
    assert cause_errors(story.series, "Timeout", HANG, END) == errors
