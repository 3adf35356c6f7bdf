"""Every claim the preset library makes on screen holds in the engine's results.

Each preset runs headless once (``load_preset``, then ``run_scenario``). Each test names its
preset and quotes the description or narration it checks; where Kubernetes' timing varies, the
tolerance comes from docs/kubernetes-model.md. Times are read from the results (history rows,
events, per-second series), never assumed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import replace
from functools import cache

import pytest

from simulator.engine.simulation import run_scenario
from simulator.scenario.presets import load_preset, preset_slugs
from simulator.scenario.types import NarrationStep, Scenario, VariantSpec
from tests.simulator.acceptance.reading import (
    Document,
    assert_between,
    backoff_tolerance,
    binomial_band,
    bucket_sum,
    cause_errors,
    event_times,
    events,
    first_event_time,
    first_time,
    lane_named,
    named,
    not_ready_since,
    pod,
    pod_errors,
    pod_names,
    pod_requests,
    ready_since,
    restart_times,
    row_at,
    running_since,
    total_errors,
    total_requests,
)

SLUGS = preset_slugs()
PROPAGATION = 1.0  # endpointPropagation default, docs/kubernetes-model.md §4.2
PLEG_LAG = 1.0  # δ: the kubelet sees a container start or exit within 1 s (§2.4)
PERIOD = 10  # probe periodSeconds default (§0)
FAILURE_THRESHOLD = 3  # probe failureThreshold default (§0)
# Detection of a broken app by a default probe: Δ ∈ [(FT−1)·P, FT·P] (§2.4), plus δ.
DETECTION = ((FAILURE_THRESHOLD - 1) * PERIOD, FAILURE_THRESHOLD * PERIOD + PLEG_LAG)
EVERY_LANE = ("*",)


@cache
def results(slug: str) -> Document:
    return run_scenario(load_preset(slug))


@cache
def scenario(slug: str) -> Scenario:
    return load_preset(slug)


def lane(slug: str, name: str) -> Document:
    return lane_named(results(slug), name)


def variant(slug: str, name: str) -> VariantSpec:
    return next(spec for spec in scenario(slug).variants if spec.name == name)


def rate(slug: str, name: str) -> float:
    return variant(slug, name).traffic.requests_per_second


def event_at(slug: str, action: str) -> float:
    """When the scenario's (first) event with ``action`` happens."""
    return next(entry.at for entry in scenario(slug).events if entry.action == action)


def series(lane_doc: Document) -> Document:
    return lane_doc["series"]


def errors_between(lane_doc: Document, start: float, end: float) -> int:
    return total_errors(series(lane_doc), start, end)


def requests_between(lane_doc: Document, start: float, end: float) -> int:
    return total_requests(series(lane_doc), start, end)


def cause_between(lane_doc: Document, cause: str, start: float, end: float) -> int:
    return cause_errors(series(lane_doc), cause, start, end)


def every_request_fails(lane_doc: Document, start: float, end: float) -> bool:
    offered = requests_between(lane_doc, start, end)
    return offered > 0 and errors_between(lane_doc, start, end) == offered


def starts(lane_doc: Document, pod_name: str, container: str = "app") -> list[float]:
    """When each instance of ``container`` in the pod started (its ``Started`` events)."""
    return [
        entry["time"]
        for entry in events(lane_doc, "Started", f"Pod/{pod_name}")
        if entry["message"] == f"Started container {container}"
    ]


def kills(lane_doc: Document, pod_name: str) -> list[float]:
    return event_times(lane_doc, "Killing", f"Pod/{pod_name}")


def statuses(pod_entry: Document) -> list[str]:
    """The STATUS values the pod went through, in order, without repeats."""
    seen: list[str] = []
    for row in pod_entry["history"]:
        if not seen or seen[-1] != row["status"]:
            seen.append(row["status"])
    return seen


def failed_at(pod_entry: Document) -> float:
    time = first_time(pod_entry, lambda row: row["phase"] == "Failed")
    assert time is not None, f"{pod_entry['name']} never failed: {pod_entry['history']}"
    return time


def ready_endpoints(lane_doc: Document, start: float, end: float) -> list[int]:
    data = series(lane_doc)
    return [
        count
        for time, count in zip(data["time"], data["readyEndpoints"], strict=True)
        if start <= time < end
    ]


def assert_wait(observed: float, nominal: float, what: str) -> None:
    """docs/kubernetes-model.md §3.3: each wait ≥ nominal and ≤ nominal + max(2 s, 15 %); at the
    300 s
    cap the e2e tests accept 300–390 s."""
    high = 390.0 if nominal >= 300 else nominal + backoff_tolerance(nominal)
    assert_between(observed, nominal, high, what)


def assert_share(count: float, trials: float, share: float, what: str) -> None:
    """docs/kubernetes-model.md §4.4: a share p of N requests lies within N·p ± 3·√(N·p(1−p))."""
    assert_between(count, *binomial_band(trials, share), what)


# ---------------------------------------------------------------------------------------------
# Narration, across the library
# ---------------------------------------------------------------------------------------------

# The lanes each narration step tied to an event speaks of. The dashboard shows such a step at
# the first event of that reason in any lane, so the event must happen in each of these lanes,
# and first in one of them.
NARRATED_EVENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "seed-story": {"NodeNotReady": EVERY_LANE, "TaintManagerEviction": EVERY_LANE},
    "seed-story-textbook": {"NodeNotReady": EVERY_LANE, "TaintManagerEviction": EVERY_LANE},
    "slow-boot-startup-probe": {"Killing": ("liveness-only",), "BackOff": ("liveness-only",)},
    "tcp-liveness-blind-to-500": {"Killing": ("http-liveness",)},
    "rolling-update-readiness": {"SuccessfulDelete": ("no-readiness",)},
    "graceful-shutdown-race": {"Killing": EVERY_LANE},
    "graceful-shutdown-prestop": {"Killing": EVERY_LANE},
    "init-containers-pending": {"BackOff": ("migration-fails",)},
    "job-success-and-failure": {"Completed": ("succeeds",), "BackoffLimitExceeded": ("fails",)},
    "liveness-death-spiral": {"Killing": ("shared-liveness",)},
    "liveness-shared-dependency": {
        "Killing": ("checks-database",),
        "BackOff": ("checks-database",),
    },
}


def event_steps() -> Iterator[tuple[str, str]]:
    for slug in SLUGS:
        for step in scenario(slug).narration:
            if step.event is not None:
                yield slug, step.event


def step_start(slug: str, step: NarrationStep) -> float | None:
    """When the dashboard shows the step: its time, or the first such event in any lane."""
    if step.at is not None:
        return step.at
    times = [
        time for lane_doc in results(slug)["variants"] for time in event_times(lane_doc, step.event)
    ]
    return min(times, default=None)


def spoken_lanes(slug: str, reason: str) -> list[str]:
    names = [spec.name for spec in scenario(slug).variants]
    wanted = NARRATED_EVENTS.get(slug, {}).get(reason)
    assert wanted is not None, f"{slug}: say which lanes the step on {reason!r} speaks of"
    return names if wanted == EVERY_LANE else list(wanted)


def test_every_event_step_says_which_lanes_it_speaks_of() -> None:
    told = {(slug, reason) for slug, reasons in NARRATED_EVENTS.items() for reason in reasons}
    assert told == set(event_steps())


@pytest.mark.parametrize(("slug", "reason"), sorted(set(event_steps())))
def test_narrated_event_happens_in_every_lane_it_speaks_of(slug: str, reason: str) -> None:
    lanes = spoken_lanes(slug, reason)
    for name in lanes:
        assert event_times(lane(slug, name), reason), f"{slug}: no {reason} in lane {name}"
    first_anywhere = min(
        time for lane_doc in results(slug)["variants"] for time in event_times(lane_doc, reason)
    )
    first_spoken = min(min(event_times(lane(slug, name), reason)) for name in lanes)
    assert first_spoken == first_anywhere, f"{slug}: {reason} happens first in another lane"


@pytest.mark.parametrize("slug", SLUGS)
def test_narration_times_lie_within_the_duration(slug: str) -> None:
    timed = [step.at for step in scenario(slug).narration if step.at is not None]
    assert timed, f"{slug}: the story starts at a time"
    assert all(0 <= at <= scenario(slug).duration for at in timed), timed


@pytest.mark.parametrize("slug", SLUGS)
def test_narration_is_shown_in_the_order_it_is_written(slug: str) -> None:
    shown = [step_start(slug, step) for step in scenario(slug).narration]
    assert None not in shown, shown
    assert shown == sorted(shown), shown


@pytest.mark.parametrize("slug", SLUGS)
def test_every_preset_has_its_claims_tested(slug: str) -> None:
    prefix = "test_" + slug.replace("-", "_") + "_"
    assert any(name.startswith(prefix) for name in globals()), f"no claim test for {slug}"


# ---------------------------------------------------------------------------------------------
# seed-story and seed-story-textbook: the story of the seed notes
# ---------------------------------------------------------------------------------------------

SEED_STORIES = ("seed-story", "seed-story-textbook")
SEED_LANES = ("no-probes", "readiness", "liveness", "readiness-and-liveness")
WITH_READINESS = ("readiness", "readiness-and-liveness")
WITHOUT_READINESS = ("no-probes", "liveness")
SEED_BOOT = 20


def detected(lane_doc: Document) -> float:
    return first_event_time(lane_doc, "NodeNotReady", "Node/node2")


def evicted(lane_doc: Document) -> float:
    return first_event_time(lane_doc, "TaintManagerEviction", "Pod/web-2")


def web3_start(lane_doc: Document) -> float:
    return running_since(pod(lane_doc, "web-3"))


def liveness_kill(lane_doc: Document, pod_name: str) -> float:
    (kill,) = [
        entry["time"]
        for entry in events(lane_doc, "Killing", f"Pod/{pod_name}")
        if "failed liveness probe" in entry["message"]
    ]
    return kill


def half_errors_band(trials: float, rate_per_second: float) -> tuple[float, float]:
    """Half of ``trials`` requests (§4.4 band), ± R/2 for the one-second buckets."""
    low, high = binomial_band(trials, 0.5)
    return low - rate_per_second / 2, high + rate_per_second / 2


def test_seed_story_description_sets_up_the_story() -> None:
    """seed-story: "At 60 s node2 dies. … web-3 on node3, whose app needs 20 s to boot. At 600 s
    the app in web-3 hangs and answers every request with HTTP 500." """
    story = scenario("seed-story")
    assert event_at("seed-story", "NodeDown") == 60
    assert event_at("seed-story", "AppHang") == 600
    (node_down, hang) = story.events
    assert (node_down.node, hang.pod) == ("node2", "web-3")
    for spec in story.variants:
        assert spec.behavior.for_container("app").boot_seconds == SEED_BOOT


@pytest.mark.parametrize("slug", SEED_STORIES)
def test_seed_story_pods_on_node1_and_node2_node3_empty(slug: str) -> None:
    """seed-story: "web-1 on node1, web-2 on node2; node3 is empty." """
    for name in SEED_LANES:
        lane_doc = lane(slug, name)
        assert [(entry["name"], entry["node"]) for entry in lane_doc["pods"]] == [
            ("web-1", "node1"),
            ("web-2", "node2"),
            ("web-3", "node3"),
        ]
        assert pod(lane_doc, "web-3")["createdAt"] >= evicted(lane_doc)


@pytest.mark.parametrize("slug", SEED_STORIES)
def test_seed_story_traffic_splits_50_50_once_the_apps_have_booted(slug: str) -> None:
    """seed-story: "Once the apps have booted (20 s), traffic splits 50/50."
    seed-story-textbook: "Two pods of web serve the traffic, 50/50." """
    death = event_at(slug, "NodeDown")
    start = SEED_BOOT + 2 * PROPAGATION + 3  # pull, start, first readiness answer, propagation
    for name in SEED_LANES:
        lane_doc = lane(slug, name)
        offered = requests_between(lane_doc, start, death)
        assert_share(pod_requests(series(lane_doc), "web-1", start, death), offered, 0.5, name)
        assert errors_between(lane_doc, start, death) == 0


def test_seed_story_every_lane_starts_with_errors_while_the_apps_boot() -> None:
    """seed-story: "Every lane starts with errors during that boot: without a readiness probe a
    pod counts as ready as soon as its container runs, and its booting app refuses the
    connections; with one, the Service has no ready endpoint yet and refuses them itself." """
    for name in WITHOUT_READINESS:
        lane_doc = lane("seed-story", name)
        assert cause_between(lane_doc, "ConnectionRefused", 0, SEED_BOOT) > 0
    for name in WITH_READINESS:
        lane_doc = lane("seed-story", name)
        assert cause_between(lane_doc, "ConnectionRefused", 0, SEED_BOOT) == 0
        assert cause_between(lane_doc, "NoEndpoints", 0, SEED_BOOT) > 0
        assert set(ready_endpoints(lane_doc, 0, SEED_BOOT)) == {0}


@pytest.mark.parametrize("slug", SEED_STORIES)
def test_seed_story_dead_node_keeps_half_the_traffic_and_it_times_out(slug: str) -> None:
    """seed-story: "node2 goes down … the Service keeps sending web-2 half of the requests, and
    they time out. Probes cannot help, because the kubelet that runs them died with the node."
    (docs/kubernetes-model.md §7 A15 phase A: Errors_A = (R/2)·(T_det + p), in every variant.)"""
    death = event_at(slug, "NodeDown")
    for name in SEED_LANES:
        lane_doc = lane(slug, name)
        until = detected(lane_doc) + PROPAGATION
        offered = requests_between(lane_doc, death, until)
        to_web2 = pod_requests(series(lane_doc), "web-2", death, until)
        assert_share(to_web2, offered, 0.5, f"{name}: web-2's share before detection")
        assert pod_errors(series(lane_doc), "web-2", death, until) == to_web2
        assert cause_between(lane_doc, "Timeout", death, until) == to_web2
        exposed = rate(slug, name) * (until - death)
        assert_between(to_web2, *half_errors_band(exposed, rate(slug, name)), "Errors_A")
    assert len({detected(lane(slug, name)) for name in SEED_LANES}) == 1


@pytest.mark.parametrize(("slug", "grace"), [("seed-story", 50), ("seed-story-textbook", 10)])
def test_seed_story_node_marked_not_ready_after_the_grace_period(slug: str, grace: int) -> None:
    """seed-story: "After the node-monitor grace period (50 s) the node controller marks node2
    NotReady and web-2 not Ready. The Service stops sending it traffic: everything goes to web-1.
    kubectl still prints web-2 as 1/1 Running." seed-story-textbook: "node2 is marked NotReady
    and web-2 not Ready: the Service sends everything to web-1. (… here 10 s.)"
    (docs/kubernetes-model.md §5.1: T_det ∈ (G − 10, G + 10).)"""
    assert variant(slug, "no-probes").cluster.node_monitor_grace_period == grace
    death = event_at(slug, "NodeDown")
    for name in SEED_LANES:
        lane_doc = lane(slug, name)
        noticed = detected(lane_doc)
        assert_between(noticed - death, grace - 10, grace + 10, "T_det")
        assert first_event_time(lane_doc, "NodeNotReady", "Pod/web-2") == noticed
        settled = noticed + PROPAGATION + 1
        assert pod_requests(series(lane_doc), "web-2", settled, evicted(lane_doc)) == 0
        assert errors_between(lane_doc, settled, evicted(lane_doc)) == 0
        stale = row_at(pod(lane_doc, "web-2"), noticed + 1)
        assert (stale["phase"], stale["status"], stale["ready"]) == ("Running", "Running", "1/1")


@pytest.mark.parametrize(("slug", "toleration"), [("seed-story", 300), ("seed-story-textbook", 20)])
def test_seed_story_eviction_after_the_toleration_makes_the_replacement(
    slug: str, toleration: int
) -> None:
    """seed-story: "Five minutes after node2 was tainted (tolerationSeconds: 300), web-2 is
    evicted. It stays Terminating while node2 is down. Only now does the ReplicaSet create a new
    pod, web-3, on node3." seed-story-textbook: "web-2 is evicted and stays Terminating; the
    ReplicaSet creates web-3 on node3. (… here 20 s.)" (docs/kubernetes-model.md §5.3.)"""
    for name in SEED_LANES:
        lane_doc = lane(slug, name)
        assert_between(evicted(lane_doc) - detected(lane_doc), toleration, toleration + 1, "evict")
        web2 = pod(lane_doc, "web-2")
        assert (web2["status"], web2["deletedAt"]) == ("Terminating", None)
        web3 = pod(lane_doc, "web-3")
        assert_between(web3["createdAt"], evicted(lane_doc), evicted(lane_doc) + 1, "web-3 made")
        assert pod_names(lane_doc) == ["web-1", "web-2", "web-3"]


def test_seed_story_textbook_timings_are_shortened_and_said_so() -> None:
    """seed-story-textbook: "the node is marked NotReady 10 s after it stops answering (real
    default 50 s) and its pod is evicted 20 s later (real default 300 s). In a real cluster with
    default settings it takes about six minutes before the pod is replaced." and "here it takes
    about 30 s" (docs/kubernetes-model.md §5.4: replacement ≈ 350 s after death, band (340,
    360))."""
    textbook_death = event_at("seed-story-textbook", "NodeDown")
    real_death = event_at("seed-story", "NodeDown")
    for name in SEED_LANES:
        textbook = pod(lane("seed-story-textbook", name), "web-3")["createdAt"] - textbook_death
        assert_between(textbook, 20, 40, "classroom replacement")
        real = pod(lane("seed-story", name), "web-3")["createdAt"] - real_death
        assert_between(real, 340, 360 + 1, "real replacement")
        assert_between(real / 60, 5.5, 6.5, "about six minutes")


@pytest.mark.parametrize(("slug", "step_at"), [("seed-story", 415), ("seed-story-textbook", 70)])
def test_seed_story_booting_replacement_without_readiness_refuses(
    slug: str, step_at: float
) -> None:
    """seed-story: "web-3's container is Running, but the app inside boots for 20 s. Without a
    readiness probe web-3 is Ready at once and its share of requests is refused."
    (docs/kubernetes-model.md §7 A15 phase B: Errors_B = (R/2)·max(0, B − δ − p).)"""
    for name in SEED_LANES:
        lane_doc = lane(slug, name)
        started = web3_start(lane_doc)
        assert started <= step_at < started + SEED_BOOT
        assert row_at(pod(lane_doc, "web-3"), step_at)["phase"] == "Running"
    for name in WITHOUT_READINESS:
        lane_doc = lane(slug, name)
        started = web3_start(lane_doc)
        lag = ready_since(pod(lane_doc, "web-3")) - started
        assert_between(lag, 0, PLEG_LAG, "ready at once")
        window = (started, started + SEED_BOOT + 1)
        refused = pod_errors(series(lane_doc), "web-3", *window)
        assert cause_between(lane_doc, "ConnectionRefused", *window) == refused
        exposed = rate(slug, name) * (SEED_BOOT - lag - PROPAGATION)
        assert_between(refused, *half_errors_band(exposed, rate(slug, name)), "Errors_B")


@pytest.mark.parametrize("slug", SEED_STORIES)
def test_seed_story_replacement_with_readiness_joins_only_when_it_answers(slug: str) -> None:
    """seed-story: "With a readiness probe it joins the Service only when the app answers, and
    traffic returns to 50/50 without errors." (docs/kubernetes-model.md §7 A15 phase B: Ready within
    [T_start + B, T_start + B + P + 1]; Errors_B = 0.)"""
    hang = event_at(slug, "AppHang")
    for name in WITH_READINESS:
        lane_doc = lane(slug, name)
        web3 = pod(lane_doc, "web-3")
        started = web3_start(lane_doc)
        ready = ready_since(web3)
        assert_between(ready - started, SEED_BOOT, SEED_BOOT + PERIOD + 1, "ready after boot")
        assert errors_between(lane_doc, evicted(lane_doc), hang) == 0
        joined = ready + PROPAGATION + 1
        offered = requests_between(lane_doc, joined, hang)
        assert_share(pod_requests(series(lane_doc), "web-3", joined, hang), offered, 0.5, name)


@pytest.mark.parametrize("slug", SEED_STORIES)
def test_seed_story_hung_app_without_probes_fails_forever(slug: str) -> None:
    """seed-story: "The app in web-3 hangs. The process stays up, so the pod stays Running, but
    every request gets HTTP 500" and "Without probes the errors never stop." """
    hang = event_at(slug, "AppHang")
    end = scenario(slug).duration
    lane_doc = lane(slug, "no-probes")
    to_web3 = pod_requests(series(lane_doc), "web-3", hang, end)
    assert to_web3 > 0
    assert pod_errors(series(lane_doc), "web-3", hang, end) == to_web3
    assert cause_between(lane_doc, "ServerError", hang, end) == to_web3
    assert pod_errors(series(lane_doc), "web-3", end - 30, end) > 0
    web3 = pod(lane_doc, "web-3")
    assert (web3["phase"], web3["status"], web3["ready"], web3["restarts"]) == (
        "Running",
        "Running",
        "1/1",
        0,
    )


@pytest.mark.parametrize("slug", SEED_STORIES)
def test_seed_story_readiness_takes_the_hung_pod_out_but_never_restarts_it(slug: str) -> None:
    """seed-story: "A readiness probe takes web-3 out of the Service after 20–30 s but never
    restarts it: it stays 0/1 and capacity stays halved." (docs/kubernetes-model.md §2.4, §7 A15
    C.)"""
    hang = event_at(slug, "AppHang")
    end = scenario(slug).duration
    lane_doc = lane(slug, "readiness")
    web3 = pod(lane_doc, "web-3")
    out = not_ready_since(web3, after=hang)
    assert_between(out - hang, *DETECTION, "Δ_r")
    assert pod_requests(series(lane_doc), "web-3", out + PROPAGATION + 1, end) == 0
    assert errors_between(lane_doc, out + PROPAGATION + 1, end) == 0
    assert (web3["status"], web3["ready"], web3["restarts"]) == ("Running", "0/1", 0)
    assert set(ready_endpoints(lane_doc, out + PROPAGATION + 1, end)) == {1}


@pytest.mark.parametrize("slug", SEED_STORIES)
def test_seed_story_liveness_restarts_the_container_in_place(slug: str) -> None:
    """seed-story: "A liveness probe restarts the container in place (RESTARTS 1), after a short
    burst of errors." (docs/kubernetes-model.md §7 A15 C: kill at H + Δ_l, 20–30 s.)"""
    hang = event_at(slug, "AppHang")
    end = scenario(slug).duration
    lane_doc = lane(slug, "liveness")
    kill = liveness_kill(lane_doc, "web-3")
    assert_between(kill - hang, *DETECTION, "Δ_l")
    web3 = pod(lane_doc, "web-3")
    assert (web3["status"], web3["ready"], web3["restarts"]) == ("Running", "1/1", 1)
    assert pod_names(lane_doc) == ["web-1", "web-2", "web-3"]
    assert errors_between(lane_doc, hang, kill) > 0
    assert errors_between(lane_doc, kill + SEED_BOOT + PLEG_LAG + 1, end) == 0


@pytest.mark.parametrize("slug", SEED_STORIES)
def test_seed_story_both_probes_burst_as_short_as_readiness_without_boot_errors(
    slug: str,
) -> None:
    """seed-story: "With both probes the burst is as short as with the readiness probe alone, and
    the restarted app rejoins the Service only once it answers: no boot errors."
    (docs/kubernetes-model.md §7 A15 C: Errors_C = (R/2)·(min(Δ_r, Δ_l) + p) with both, (R/2)·(Δ_r
    + p)
    with readiness alone.)"""
    hang = event_at(slug, "AppHang")
    end = scenario(slug).duration
    both = lane(slug, "readiness-and-liveness")
    burst = {name: errors_between(lane(slug, name), hang, end) for name in SEED_LANES[1:]}
    per_second = rate(slug, "readiness")
    low = half_errors_band(per_second * (DETECTION[0] + PROPAGATION), per_second)[0]
    high = half_errors_band(per_second * (DETECTION[1] + PROPAGATION), per_second)[1]
    for name in ("readiness", "readiness-and-liveness"):
        assert_between(burst[name], low, high, f"{name}: Errors_C")
    assert burst["readiness-and-liveness"] <= burst["readiness"] + 3 * math.sqrt(burst["readiness"])
    assert burst["liveness"] > burst["readiness-and-liveness"]
    kill = liveness_kill(both, "web-3")
    (restarted,) = restart_times(pod(both, "web-3"))
    assert errors_between(both, kill + PROPAGATION + 1, end) == 0
    rejoined = ready_since(pod(both, "web-3"), after=restarted)
    assert rejoined is not None
    assert rejoined - restarted >= SEED_BOOT


@pytest.mark.parametrize("slug", SEED_STORIES)
def test_seed_story_no_probe_shortens_the_node_failure(slug: str) -> None:
    """seed-story: "Neither shortens the minutes Kubernetes needs to notice a dead node." """
    assert len({detected(lane(slug, name)) for name in SEED_LANES}) == 1
    assert len({evicted(lane(slug, name)) for name in SEED_LANES}) == 1


# ---------------------------------------------------------------------------------------------
# crashloop-backoff
# ---------------------------------------------------------------------------------------------


def nominal_waits(count: int, initial: float, cap: float) -> list[float]:
    """docs/kubernetes-model.md §3.2: the first restart is immediate, then initial·2^k, capped."""
    return [0.0] + [min(initial * 2**k, cap) for k in range(count - 1)]


def test_crashloop_backoff_restarts_at_once_then_waits_10_20_40_up_to_300_s() -> None:
    """crashloop-backoff: "The kubelet restarts it at once the first time, then waits 10 s, 20 s,
    40 s, 80 s, 160 s and finally 300 s between restarts." and "The backoff resets only after a
    container runs for 10 minutes without trouble — which this one never does."
    (docs/kubernetes-model.md §3.2, §7 A6: starts 0, 0, 10, 30, 70, 150, 310, 610, 910 s.)"""
    times = starts(lane("crashloop-backoff", "default"), "crash-1")
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(gaps) == 8
    assert_between(gaps[0], 0, PLEG_LAG, "first restart")
    for index, (gap, nominal) in enumerate(zip(gaps, nominal_waits(8, 10, 300), strict=True)):
        if nominal:
            assert_wait(gap, nominal, f"wait {index}")


def test_crashloop_backoff_started_at_about_0_0_10_30_70_s() -> None:
    """crashloop-backoff at 75 s: "The container has started at about 0, 0, 10, 30 and 70 s." """
    times = [time for time in starts(lane("crashloop-backoff", "default"), "crash-1") if time < 75]
    offsets = [time - times[0] for time in times]
    for offset, nominal in zip(offsets, (0, 0, 10, 30, 70), strict=True):
        assert_between(offset, nominal, nominal + 3, "start")


def test_crashloop_backoff_pod_stays_running_and_shows_crashloopbackoff() -> None:
    """crashloop-backoff: "The pod stays in phase Running, READY 0/1, and STATUS shows
    CrashLoopBackOff during each wait." At 5 s: "It crashes again. Now the kubelet waits 10 s
    before the next start: STATUS shows CrashLoopBackOff, yet the pod's phase stays Running." At
    0 s: "The first restart is immediate: RESTARTS becomes 1 with no wait." """
    crash = pod(lane("crashloop-backoff", "default"), "crash-1")
    times = starts(lane("crashloop-backoff", "default"), "crash-1")
    after_start = [row for row in crash["history"] if row["time"] >= times[0]]
    assert {(row["phase"], row["ready"]) for row in after_start} == {("Running", "0/1")}
    for earlier, later in itertools.pairwise(times[1:]):
        waiting = [row["status"] for row in crash["history"] if earlier < row["time"] < later]
        assert "CrashLoopBackOff" in waiting, (earlier, later)
    at_five = row_at(crash, 5)
    assert (at_five["phase"], at_five["status"], at_five["restarts"]) == (
        "Running",
        "CrashLoopBackOff",
        1,
    )
    assert_between(restart_times(crash)[0] - times[0], 0, PLEG_LAG, "RESTARTS 1")
    assert crash["containers"][0]["lastState"]["exitCode"] == 1


def test_crashloop_backoff_second_lane_caps_the_wait_at_60_s() -> None:
    """crashloop-backoff: "A second lane sets the node's maximum backoff to 60 s" and at 320 s:
    "In the second lane the cap is 60 s, so it restarts far more often." """
    capped = lane("crashloop-backoff", "max-60s")
    times = starts(capped, "crash-1")
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    for index, (gap, nominal) in enumerate(
        zip(gaps, nominal_waits(len(gaps), 10, 60), strict=True)
    ):
        if nominal:
            assert_wait(gap, nominal, f"wait {index}")
    default_restarts = pod(lane("crashloop-backoff", "default"), "crash-1")["restarts"]
    assert pod(capped, "crash-1")["restarts"] >= 2 * default_restarts


def test_crashloop_backoff_wait_at_the_cap_is_five_minutes() -> None:
    """crashloop-backoff at 320 s: "The wait has reached its cap of 300 s (5 minutes): from now on
    one restart every 5 minutes." """
    times = starts(lane("crashloop-backoff", "default"), "crash-1")
    capped = [later - earlier for earlier, later in itertools.pairwise(times) if later > 320]
    assert capped
    for gap in capped:
        assert_wait(gap, 300, "wait at the cap")
    assert any(earlier <= 320 < later for earlier, later in itertools.pairwise(times))


# ---------------------------------------------------------------------------------------------
# slow-boot-startup-probe
# ---------------------------------------------------------------------------------------------

SLOW_BOOT = "slow-boot-startup-probe"
SLOW_PODS = ("legacy-1", "legacy-2")


def test_slow_boot_startup_probe_setup_matches_the_description() -> None:
    """slow-boot-startup-probe: "The app … needs 75 s to boot. Its liveness probe starts 10 s
    after the container starts, checks every 10 s and restarts the container after 3 failures
    in a row" and "The second lane adds a startup probe (every 10 s, failureThreshold 30, so up
    to 300 s to start)"; at 320 s: "failureThreshold × periodSeconds (here 30 × 10 s = 300 s)
    covers its slowest boot." """
    for name in ("liveness-only", "startup-and-liveness"):
        spec = variant(SLOW_BOOT, name)
        assert spec.behavior.for_container("app").boot_seconds == 75
        (container,) = spec.workload.template.containers
        liveness = container.liveness_probe
        assert liveness is not None
        assert (
            liveness.initial_delay_seconds,
            liveness.period_seconds,
            liveness.failure_threshold,
        ) == (10, 10, 3)
        assert container.readiness_probe is None
    (only,) = variant(SLOW_BOOT, "liveness-only").workload.template.containers
    assert only.startup_probe is None
    (guarded,) = variant(SLOW_BOOT, "startup-and-liveness").workload.template.containers
    startup = guarded.startup_probe
    assert startup is not None
    assert startup.period_seconds * startup.failure_threshold == 300 >= 75


def test_slow_boot_startup_probe_liveness_kills_every_instance_before_it_boots() -> None:
    """slow-boot-startup-probe: "about 30 s after start the third failed check kills the
    container, and the kubelet restarts it in place. The new instance boots from zero again, so
    it is killed at the same point." (docs/kubernetes-model.md §2.4: killed between D + (FT−1)·P and
    D + FT·P after start, plus δ.)"""
    lane_doc = lane(SLOW_BOOT, "liveness-only")
    assert pod_names(lane_doc) == list(SLOW_PODS)
    for name in SLOW_PODS:
        killed = kills(lane_doc, name)
        assert len(killed) >= 5
        for kill in killed:
            started = max(time for time in starts(lane_doc, name) if time < kill)
            assert_between(kill - started, 10 + 20, 10 + 30 + PLEG_LAG, "instance lifetime")
        messages = {entry["message"] for entry in events(lane_doc, "Killing", f"Pod/{name}")}
        assert messages == {"Container app failed liveness probe, will be restarted"}


def test_slow_boot_startup_probe_liveness_only_never_serves_a_request() -> None:
    """slow-boot-startup-probe: "the app never serves a request" and "Every request in this lane
    fails." """
    totals = lane(SLOW_BOOT, "liveness-only")["totals"]
    assert totals["requests"] > 0
    assert totals["errors"] == totals["requests"]


def test_slow_boot_startup_probe_crashloop_after_four_immediate_restarts() -> None:
    """slow-boot-startup-probe: "after four immediate restarts the kubelet starts to wait before
    each restart: 40 s, then 80 s, doubling up to 5 minutes. STATUS shows CrashLoopBackOff, yet
    the pod's phase stays Running." (docs/kubernetes-model.md §3.2: for liveness kills the backoff
    check
    uses the previous exited instance; the wait shows once b exceeds the instance lifetime.)"""
    lane_doc = lane(SLOW_BOOT, "liveness-only")
    assert variant(SLOW_BOOT, "liveness-only").cluster.crash_loop_backoff.max == 300
    for name in SLOW_PODS:
        entry = pod(lane_doc, name)
        first_wait = next(row for row in entry["history"] if row["status"] == "CrashLoopBackOff")
        assert first_wait["restarts"] == 4
        killed = kills(lane_doc, name)
        started = starts(lane_doc, name)
        for kill in killed[:4]:
            assert_between(min(t for t in started if t >= kill) - kill, 0, PLEG_LAG, "immediate")
        for kill, nominal in zip(killed[4:6], (40, 80), strict=True):
            assert_wait(min(t for t in started if t >= kill) - kill, nominal, "backoff")
        running = [row["phase"] for row in entry["history"] if row["time"] >= started[0]]
        assert set(running) == {"Running"}


def test_slow_boot_startup_probe_holds_the_liveness_probe_back() -> None:
    """slow-boot-startup-probe: "the liveness probe waits until the app has started" and "Until
    then the liveness probe did not run at all." (docs/kubernetes-model.md §2.2 step 7.)"""
    lane_doc = lane(SLOW_BOOT, "startup-and-liveness")
    messages = [entry["message"] for entry in events(lane_doc, "Unhealthy")]
    assert messages
    assert all(message.startswith("Startup probe failed") for message in messages)
    assert not events(lane_doc, "Killing")


def test_slow_boot_startup_probe_pods_ready_at_about_80_s_and_never_restarted() -> None:
    """slow-boot-startup-probe: "the pods are ready at about 80 s and are never restarted"; at 85
    s: "the startup probe succeeded at about 80 s, once the app had booted. … The pods are ready,
    have never restarted, and from now on every request succeeds." """
    lane_doc = lane(SLOW_BOOT, "startup-and-liveness")
    readiness = []
    for name in SLOW_PODS:
        entry = pod(lane_doc, name)
        started = running_since(entry)
        ready = ready_since(entry)
        assert_between(ready - started, 75, 75 + PERIOD + 1, "startup success after boot")
        assert ready <= 85
        assert (entry["restarts"], entry["ready"]) == (0, "1/1")
        readiness.append(ready)
    assert errors_between(lane_doc, max(readiness) + PROPAGATION + 1, 360) == 0
    assert requests_between(lane_doc, max(readiness) + PROPAGATION + 1, 360) > 0


# ---------------------------------------------------------------------------------------------
# tcp-liveness-blind-to-500
# ---------------------------------------------------------------------------------------------

TCP = "tcp-liveness-blind-to-500"
TCP_LANES = ("tcp-liveness", "http-liveness")


def test_tcp_liveness_blind_to_500_lanes_differ_only_in_the_liveness_probe() -> None:
    """tcp-liveness-blind-to-500: "each with a liveness probe and no readiness probe" and "The
    lanes differ only in the liveness probe: a tcpSocket check of port 8080, or an httpGet of
    /healthz on port 8080." """
    tcp, http = (variant(TCP, name) for name in TCP_LANES)
    (tcp_app,) = tcp.workload.template.containers
    (http_app,) = http.workload.template.containers
    assert tcp_app.liveness_probe is not None and http_app.liveness_probe is not None
    assert (tcp_app.liveness_probe.handler, tcp_app.liveness_probe.port) == ("tcpSocket", 8080)
    assert (
        http_app.liveness_probe.handler,
        http_app.liveness_probe.path,
        http_app.liveness_probe.port,
    ) == ("httpGet", "/healthz", 8080)
    assert tcp_app.readiness_probe is None and http_app.readiness_probe is None
    assert replace(tcp_app, liveness_probe=None) == replace(http_app, liveness_probe=None)
    assert (tcp.cluster, tcp.traffic, tcp.behavior) == (http.cluster, http.traffic, http.behavior)
    assert tcp.behavior.for_container("app").boot_seconds == 5  # "After a 5 s boot"


def test_tcp_liveness_blind_to_500_the_hang_fails_half_the_requests_in_both_lanes() -> None:
    """tcp-liveness-blind-to-500 at 60 s: "The app in web-1 hangs: the process is up and still
    accepts connections, but it answers every request with HTTP 500. In both lanes half of the
    requests now fail." (Before any probe can act: (FT−1)·P = 20 s.)"""
    hang = event_at(TCP, "AppHang")
    assert hang == 60
    window = (hang, hang + DETECTION[0])
    for name in TCP_LANES:
        lane_doc = lane(TCP, name)
        to_web1 = pod_requests(series(lane_doc), "web-1", *window)
        assert pod_errors(series(lane_doc), "web-1", *window) == to_web1
        assert cause_between(lane_doc, "ServerError", *window) == to_web1
        assert_share(
            errors_between(lane_doc, *window), requests_between(lane_doc, *window), 0.5, name
        )


def test_tcp_liveness_blind_to_500_tcp_probe_never_restarts_the_hung_app() -> None:
    """tcp-liveness-blind-to-500: "A tcpSocket liveness probe only opens a connection, so it keeps
    passing: web-1 is never restarted and half of the requests fail until someone steps in"; at
    120 s: "the probe connects every time, so it reports the hung app as alive. web-1 is never
    restarted and keeps answering 500 to half of the requests." (docs/kubernetes-model.md §2.1.)"""
    hang = event_at(TCP, "AppHang")
    end = scenario(TCP).duration
    lane_doc = lane(TCP, "tcp-liveness")
    assert not events(lane_doc, "Unhealthy")
    assert not events(lane_doc, "Killing")
    assert pod(lane_doc, "web-1")["restarts"] == 0
    to_web1 = pod_requests(series(lane_doc), "web-1", hang, end)
    assert pod_errors(series(lane_doc), "web-1", hang, end) == to_web1
    assert cause_between(lane_doc, "ServerError", hang, end) == to_web1
    assert_share(to_web1, requests_between(lane_doc, hang, end), 0.5, "web-1's share")


def test_tcp_liveness_blind_to_500_http_probe_restarts_the_hung_app() -> None:
    """tcp-liveness-blind-to-500: "An httpGet liveness probe sees the 500s, and 20–30 s later the
    kubelet restarts the container; after a short boot web-1 serves again." Killing step: "three
    failed checks in a row (HTTP 500), and the kubelet restarts the container in place:
    RESTARTS 1. After a 5 s boot, during which its connections are refused, web-1 serves
    again." """
    hang = event_at(TCP, "AppHang")
    end = scenario(TCP).duration
    boot = variant(TCP, "http-liveness").behavior.for_container("app").boot_seconds
    lane_doc = lane(TCP, "http-liveness")
    kill = liveness_kill(lane_doc, "web-1")
    assert_between(kill - hang, *DETECTION, "Δ_l")
    failures = [
        entry for entry in events(lane_doc, "Unhealthy", "Pod/web-1") if entry["time"] <= kill
    ]
    assert len(failures) == FAILURE_THRESHOLD
    assert all("statuscode: 500" in entry["message"] for entry in failures)
    assert (pod(lane_doc, "web-1")["restarts"], pod_names(lane_doc)) == (1, ["web-1", "web-2"])
    refused = pod_errors(series(lane_doc), "web-1", kill, kill + boot)
    assert refused > 0
    assert cause_between(lane_doc, "ConnectionRefused", kill, kill + boot) == refused
    assert errors_between(lane_doc, kill + boot + PLEG_LAG + 1, end) == 0


# ---------------------------------------------------------------------------------------------
# rolling-update-readiness
# ---------------------------------------------------------------------------------------------

ROLLING = "rolling-update-readiness"
ROLLING_LANES = ("no-readiness", "readiness")
OLD_PODS = ("web-1", "web-2", "web-3")
NEW_PODS = ("web-4", "web-5", "web-6")
ROLLING_BOOT = 15


def deletions(lane_doc: Document) -> list[float]:
    return [entry["time"] for entry in events(lane_doc, "SuccessfulDelete")]


def test_rolling_update_readiness_errors_at_first_then_none_until_the_rollout() -> None:
    """rolling-update-readiness at 0 s: "Three pods of web start, and their apps boot for 15 s,
    so every lane shows errors at first. The rollout starts at 40 s." """
    rollout = event_at(ROLLING, "RolloutRestart")
    assert rollout == 40
    for name in ROLLING_LANES:
        lane_doc = lane(ROLLING, name)
        assert errors_between(lane_doc, 0, ROLLING_BOOT) > 0
        assert errors_between(lane_doc, ROLLING_BOOT + PERIOD, rollout) == 0


def test_rolling_update_readiness_replaces_one_pod_at_a_time() -> None:
    """rolling-update-readiness: "replaces the three pods of the Deployment web one at a time
    (maxSurge 25%: one extra pod; maxUnavailable 25%: none missing)" and at 40 s: "a new
    ReplicaSet gets one extra pod (maxSurge 1), and an old pod goes only when a new one is
    available (maxUnavailable 0)." """
    rollout = event_at(ROLLING, "RolloutRestart")
    for name in ROLLING_LANES:
        lane_doc = lane(ROLLING, name)
        assert pod_names(lane_doc) == [*OLD_PODS, *NEW_PODS]
        changes = [
            (entry["time"], +1 if entry["reason"] == "SuccessfulCreate" else -1)
            for entry in lane_doc["events"]
            if entry["reason"] in ("SuccessfulCreate", "SuccessfulDelete")
            and entry["time"] >= rollout
        ]
        pods_kept = len(OLD_PODS)
        for _, change in changes:
            pods_kept += change
            assert len(OLD_PODS) <= pods_kept <= len(OLD_PODS) + 1, changes
        for deleted, new in zip(deletions(lane_doc), NEW_PODS, strict=True):
            assert ready_since(pod(lane_doc, new)) <= deleted


def test_rolling_update_readiness_without_readiness_old_pods_go_within_seconds() -> None:
    """rolling-update-readiness: "each new pod is ready a moment after its container starts, so
    the Deployment deletes the three old pods within 3 s." """
    rollout = event_at(ROLLING, "RolloutRestart")
    lane_doc = lane(ROLLING, "no-readiness")
    for name in NEW_PODS:
        entry = pod(lane_doc, name)
        assert_between(ready_since(entry) - running_since(entry), 0, PLEG_LAG, "ready at once")
    assert_between(max(deletions(lane_doc)) - rollout, 0, 3 + PLEG_LAG, "old pods deleted")


def test_rolling_update_readiness_without_readiness_booting_pods_refuse_everything() -> None:
    """rolling-update-readiness: "Only booting pods are left, and for about 15 s every request is
    refused." and "the Service is left with pods that are still booting: their connections are
    refused." """
    rollout = event_at(ROLLING, "RolloutRestart")
    lane_doc = lane(ROLLING, "no-readiness")
    gone = max(deletions(lane_doc)) + PROPAGATION
    first_booted = min(running_since(pod(lane_doc, name)) for name in NEW_PODS) + ROLLING_BOOT
    assert first_booted - gone >= 10
    assert every_request_fails(lane_doc, gone + 1, math.floor(first_booted))
    errors = errors_between(lane_doc, rollout, scenario(ROLLING).duration)
    assert cause_between(lane_doc, "ConnectionRefused", rollout, scenario(ROLLING).duration) == (
        errors
    )
    assert_between(errors / rate(ROLLING, "no-readiness"), 10, 20, "seconds of full outage")


def test_rolling_update_readiness_with_readiness_no_request_fails() -> None:
    """rolling-update-readiness at 60 s: "the Deployment waits for each new pod to pass its
    probe, after its 15 s boot, before it deletes an old one. The rollout takes about 50 s
    instead of 3 s, and not a single request fails." """
    rollout = event_at(ROLLING, "RolloutRestart")
    lane_doc = lane(ROLLING, "readiness")
    assert errors_between(lane_doc, rollout, scenario(ROLLING).duration) == 0
    for name in NEW_PODS:
        entry = pod(lane_doc, name)
        assert ready_since(entry) - running_since(entry) >= ROLLING_BOOT
    assert_between(max(deletions(lane_doc)) - rollout, 40, 60, "about 50 s")


def test_rolling_update_readiness_old_pods_shut_down_without_errors() -> None:
    """rolling-update-readiness: "Both lanes give the app a 5 s preStop sleep, so shutting the old
    pods down causes no errors by itself." """
    rollout = event_at(ROLLING, "RolloutRestart")
    end = scenario(ROLLING).duration
    for name in ROLLING_LANES:
        lane_doc = lane(ROLLING, name)
        (container,) = variant(ROLLING, name).workload.template.containers
        assert container.pre_stop_seconds == 5
        for old in OLD_PODS:
            assert pod_errors(series(lane_doc), old, rollout, end) == 0
            entry = pod(lane_doc, old)
            terminating = first_time(entry, lambda row: row["status"] == "Terminating")
            assert_between(entry["deletedAt"] - terminating, 5, 5 + PLEG_LAG, "preStop sleep")


# ---------------------------------------------------------------------------------------------
# graceful-shutdown-race and graceful-shutdown-prestop
# ---------------------------------------------------------------------------------------------

RACE = "graceful-shutdown-race"
PRESTOP = "graceful-shutdown-prestop"
SHUTDOWN_LANES = {"propagation-1s": 1.0, "propagation-3s": 3.0}


def stop_time(lane_doc: Document, pod_name: str) -> float:
    (stopped,) = [
        entry["time"]
        for entry in events(lane_doc, "Killing", f"Pod/{pod_name}")
        if entry["message"] == "Stopping container app"
    ]
    return stopped


def test_graceful_shutdown_race_lanes_differ_only_in_the_propagation_delay() -> None:
    """graceful-shutdown-race: "The second lane sets the propagation delay to 3 s, as on a busy
    cluster"; the app "exits at once on SIGTERM and has no preStop hook"."""
    for name, propagation in SHUTDOWN_LANES.items():
        spec = variant(RACE, name)
        assert spec.cluster.endpoint_propagation == propagation
        (container,) = spec.workload.template.containers
        assert container.pre_stop_seconds is None
        assert spec.behavior.for_container("app").handles_sigterm


def test_graceful_shutdown_race_deleted_pod_refuses_for_the_propagation_delay() -> None:
    """graceful-shutdown-race: "This app exits at once on SIGTERM and has no preStop hook, so for
    about that second the deleted pod still gets its share of new connections, and they are
    refused." Killing step: "The kubelet sends SIGTERM and the app exits at once, but kube-proxy
    still routes new connections to it until the endpoint removal arrives: about 1 s, or 3 s in
    the second lane." (docs/kubernetes-model.md §6.3.)"""
    rollout = event_at(RACE, "RolloutRestart")
    end = scenario(RACE).duration
    for name, propagation in SHUTDOWN_LANES.items():
        lane_doc = lane(RACE, name)
        for old in OLD_PODS:
            stopped = stop_time(lane_doc, old)
            assert_between(pod(lane_doc, old)["deletedAt"] - stopped, 0, PLEG_LAG, "exits at once")
            refused = pod_errors(series(lane_doc), old, stopped, stopped + propagation)
            assert refused > 0
            assert pod_requests(series(lane_doc), old, stopped, stopped + propagation) == refused
            assert pod_requests(series(lane_doc), old, stopped + propagation + 1, end) == 0
        errors = errors_between(lane_doc, rollout, end)
        assert cause_between(lane_doc, "ConnectionRefused", rollout, end) == errors


def test_graceful_shutdown_race_errors_grow_with_the_propagation_delay() -> None:
    """graceful-shutdown-race: "The second lane sets the propagation delay to 3 s, as on a busy
    cluster: three times the errors." Each deletion costs the deleted pod's share of p seconds
    of traffic; the surge pod's endpoint travels with the same delay, so the share is 1/3
    (docs/kubernetes-model.md §4.2, §4.4)."""
    rollout = event_at(RACE, "RolloutRestart")
    end = scenario(RACE).duration
    errors = {}
    for name, propagation in SHUTDOWN_LANES.items():
        errors[name] = errors_between(lane(RACE, name), rollout, end)
        trials = len(OLD_PODS) * rate(RACE, name) * propagation
        assert_share(errors[name], trials, 1 / 3, f"{name}: refused connections")
    assert errors["propagation-3s"] > 2 * errors["propagation-1s"]


def test_graceful_shutdown_race_new_pods_cause_no_errors() -> None:
    """graceful-shutdown-race at 80 s: "The rollout is done … The new pods caused none: the
    readiness probe kept them out until they answered." """
    rollout = event_at(RACE, "RolloutRestart")
    end = scenario(RACE).duration
    for name in SHUTDOWN_LANES:
        lane_doc = lane(RACE, name)
        assert max(deletions(lane_doc)) < 80
        for new in NEW_PODS:
            assert pod_errors(series(lane_doc), new, rollout, end) == 0
            assert pod(lane_doc, new)["ready"] == "1/1"


def test_graceful_shutdown_prestop_is_the_race_plus_a_5_s_prestop_sleep() -> None:
    """graceful-shutdown-prestop: "The rolling restart of graceful-shutdown-race, with one change
    to the manifest: a preStop hook that sleeps 5 s." and "The sleep must be longer than the
    propagation delay." """
    assert scenario(PRESTOP).events == scenario(RACE).events
    for name, propagation in SHUTDOWN_LANES.items():
        with_hook, without = variant(PRESTOP, name), variant(RACE, name)
        (container,) = with_hook.workload.template.containers
        assert container.pre_stop_seconds == 5 > propagation
        (plain,) = without.workload.template.containers
        hooked = (replace(plain, pre_stop_seconds=5),)
        template = replace(without.workload.template, containers=hooked)
        assert with_hook.workload == replace(without.workload, template=template)
        assert (with_hook.cluster, with_hook.traffic, with_hook.behavior) == (
            without.cluster,
            without.traffic,
            without.behavior,
        )


def test_graceful_shutdown_prestop_no_request_fails_during_the_rollout() -> None:
    """graceful-shutdown-prestop: "No request fails during the rollout in either lane" and at 80
    s: "The rollout is done without a single failed request, in both lanes." """
    rollout = event_at(PRESTOP, "RolloutRestart")
    end = scenario(PRESTOP).duration
    for name in SHUTDOWN_LANES:
        lane_doc = lane(PRESTOP, name)
        assert max(deletions(lane_doc)) < 80
        assert errors_between(lane_doc, rollout, end) == 0
        assert requests_between(lane_doc, rollout, end) > 0


def test_graceful_shutdown_prestop_old_pods_stay_terminating_5_s_longer() -> None:
    """graceful-shutdown-prestop: "each old pod simply stays Terminating 5 s longer" and the
    Killing step: "The kubelet runs the preStop sleep before SIGTERM, so the app keeps answering
    while kube-proxy catches up." """
    for name in SHUTDOWN_LANES:
        for old in OLD_PODS:
            with_hook = lane(PRESTOP, name)
            lingered = pod(with_hook, old)["deletedAt"] - stop_time(with_hook, old)
            without = lane(RACE, name)
            quick = pod(without, old)["deletedAt"] - stop_time(without, old)
            assert_between(lingered - quick, 5 - PLEG_LAG, 5 + PLEG_LAG, "5 s longer")
            stopped = stop_time(with_hook, old)
            assert row_at(pod(with_hook, old), stopped + 1)["status"] == "Terminating"
            assert pod_requests(series(with_hook), old, stopped, stopped + 1) > 0


# ---------------------------------------------------------------------------------------------
# init-containers-pending
# ---------------------------------------------------------------------------------------------

INIT = "init-containers-pending"
INIT_LANES = ("migration-fails", "migration-succeeds")
WAIT_FOR_DB = 30


def test_init_containers_pending_run_one_after_the_other() -> None:
    """init-containers-pending: "two init containers that run one after the other before its
    app: wait-for-db takes 30 s, then migrate runs the database migration"; at 0 s: "STATUS
    Init:0/2 while wait-for-db waits for the database (30 s)"; at 33 s: "wait-for-db exited with
    code 0: STATUS Init:1/2, and migrate runs next." """
    for name in INIT_LANES:
        lane_doc = lane(INIT, name)
        shop = pod(lane_doc, "shop")
        (waited,) = starts(lane_doc, "shop", "wait-for-db")
        migrations = starts(lane_doc, "shop", "migrate")
        assert min(migrations) >= waited + WAIT_FOR_DB
        before = [row for row in shop["history"] if row["time"] < waited + WAIT_FOR_DB]
        assert {(row["phase"], row["status"]) for row in before} == {("Pending", "Init:0/2")}
        assert row_at(shop, 33)["status"] == "Init:1/2"
        assert all(time >= min(migrations) + 5 for time in starts(lane_doc, "shop"))


def test_init_containers_pending_no_endpoint_while_initializing() -> None:
    """init-containers-pending at 0 s: "The app container is not started yet, and the Service
    has no endpoint: every request is refused." """
    for name in INIT_LANES:
        lane_doc = lane(INIT, name)
        assert every_request_fails(lane_doc, 0, WAIT_FOR_DB)
        assert cause_between(lane_doc, "NoEndpoints", 0, WAIT_FOR_DB) == errors_between(
            lane_doc, 0, WAIT_FOR_DB
        )


def test_init_containers_pending_failing_migration_retries_with_backoff() -> None:
    """init-containers-pending: "migrate exits with code 1 after 5 s: the kubelet restarts it
    (restartPolicy Always) with the crash-loop backoff of 10 s, 20 s, 40 s …"; BackOff step:
    "migrate exited with code 1 (Init:Error). The kubelet restarted it at once, it failed again,
    and now it waits 10 s, then 20 s, 40 s … before each retry: Init:CrashLoopBackOff."
    (docs/kubernetes-model.md §1.5, §3.2.)"""
    lane_doc = lane(INIT, "migration-fails")
    assert variant(INIT, "migration-fails").behavior.for_container("migrate").exit_code == 1
    run = variant(INIT, "migration-fails").behavior.for_container("migrate").exit_after_seconds
    times = starts(lane_doc, "shop", "migrate")
    waits = [later - earlier - run for earlier, later in itertools.pairwise(times)]
    assert len(waits) >= 4
    assert_between(waits[0], 0, PLEG_LAG, "first retry")
    for index, (wait, nominal) in enumerate(
        zip(waits, nominal_waits(len(waits), 10, 300), strict=True)
    ):
        if nominal:
            assert_wait(wait, nominal, f"retry {index}")
    seen = statuses(pod(lane_doc, "shop"))
    assert {"Init:Error", "Init:CrashLoopBackOff"} <= set(seen)


def test_init_containers_pending_failing_migration_keeps_the_pod_pending() -> None:
    """init-containers-pending: "the app container never starts, and the pod stays Pending …, so
    the Service has no endpoint"; at 150 s: "RESTARTS keeps climbing with the init container's
    retries while the pod never leaves Pending." """
    lane_doc = lane(INIT, "migration-fails")
    shop = pod(lane_doc, "shop")
    assert starts(lane_doc, "shop") == []
    assert {row["phase"] for row in shop["history"]} == {"Pending"}
    restarts = [row["restarts"] for row in shop["history"]]
    assert restarts == sorted(restarts)
    assert shop["restarts"] >= 4
    assert row_at(shop, 150)["restarts"] < shop["restarts"]
    assert shop["conditions"]["Initialized"] is False
    totals = lane_doc["totals"]
    assert totals["errors"] == totals["requests"] == totals["errorsByCause"]["NoEndpoints"]


def test_init_containers_pending_successful_migration_initializes_and_serves() -> None:
    """init-containers-pending: "In the second lane the migration succeeds: PodInitializing, then
    Running, and the pod serves once its app has booted"; at 50 s: "both init containers exited
    with code 0, so Initialized is True. STATUS went from PodInitializing to Running, the app
    booted, and once its readiness probe passed the pod serves every request." """
    lane_doc = lane(INIT, "migration-succeeds")
    shop = pod(lane_doc, "shop")
    assert statuses(shop) == ["Init:0/2", "Init:1/2", "PodInitializing", "Running"]
    assert shop["conditions"]["Initialized"] is True
    (app_started,) = starts(lane_doc, "shop")
    boot = variant(INIT, "migration-succeeds").behavior.for_container("app").boot_seconds
    assert ready_since(shop) >= app_started + boot
    at_step = row_at(shop, 50)
    assert (at_step["phase"], at_step["ready"]) == ("Running", "1/1")
    assert errors_between(lane_doc, 50, scenario(INIT).duration) == 0


# ---------------------------------------------------------------------------------------------
# job-success-and-failure
# ---------------------------------------------------------------------------------------------

JOB = "job-success-and-failure"
JOB_LANES = ("succeeds", "fails")


def test_job_success_and_failure_has_no_traffic_and_no_probes() -> None:
    """job-success-and-failure: "There is no Service in front of a Job here, so there is no
    traffic"; at 0 s: "Its pod pulls the image and runs: Running, READY 1/1 (it has no
    probes)." """
    for name in JOB_LANES:
        lane_doc = lane(JOB, name)
        assert lane_doc["totals"]["requests"] == 0
        (container,) = variant(JOB, name).workload.template.containers
        assert (container.readiness_probe, container.liveness_probe, container.startup_probe) == (
            None,
            None,
            None,
        )
        running = row_at(pod(lane_doc, "report-1"), 5)
        assert (running["phase"], running["status"], running["ready"]) == (
            "Running",
            "Running",
            "1/1",
        )


def test_job_success_and_failure_completed_pod_and_job() -> None:
    """job-success-and-failure: "the container works for 20 s and exits with code 0: the pod
    ends Succeeded with STATUS Completed, and the Job completes"; Completed step: "The pod is
    Succeeded, STATUS Completed, READY 0/1 and Ready False, and the Job is complete. Nothing
    restarts it." (docs/kubernetes-model.md §1.6.)"""
    lane_doc = lane(JOB, "succeeds")
    assert pod_names(lane_doc) == ["report-1"]
    report = pod(lane_doc, "report-1")
    assert (report["phase"], report["status"], report["ready"], report["restarts"]) == (
        "Succeeded",
        "Completed",
        "0/1",
        0,
    )
    assert report["conditions"]["Ready"] is False
    done = first_event_time(lane_doc, "Completed", "Job/report")
    assert_between(done - running_since(report), 20, 20 + PLEG_LAG, "works for 20 s")
    assert not events(lane_doc, "BackoffLimitExceeded")


def test_job_success_and_failure_each_failed_pod_shows_error() -> None:
    """job-success-and-failure: "it exits with code 1 after 5 s: the pod ends Failed with STATUS
    Error. With restartPolicy Never nothing restarts that container"; at 10 s: "the container
    exited with code 1, so the pod is Failed, STATUS Error." """
    lane_doc = lane(JOB, "fails")
    assert variant(JOB, "fails").workload.template.restart_policy == "Never"
    for entry in lane_doc["pods"]:
        assert (entry["phase"], entry["status"], entry["restarts"]) == ("Failed", "Error", 0)
        assert_between(failed_at(entry) - running_since(entry), 5, 5 + PLEG_LAG, "fails after 5 s")
    at_step = row_at(pod(lane_doc, "report-1"), 10)
    assert (at_step["phase"], at_step["status"]) == ("Failed", "Error")


def test_job_success_and_failure_new_pod_after_10_20_40_s() -> None:
    """job-success-and-failure: "the Job controller creates a new pod instead, after 10 s, then 20
    s, then 40 s"; at 50 s: "the Job controller waits longer before each new one: 10 s, then 20
    s, then 40 s." (docs/kubernetes-model.md §1.6: 10 s doubling.)"""
    pods = lane(JOB, "fails")["pods"]
    for (earlier, later), nominal in zip(itertools.pairwise(pods), (10, 20, 40), strict=True):
        assert_wait(later["createdAt"] - failed_at(earlier), nominal, later["name"])


def test_job_success_and_failure_gives_up_after_the_backoff_limit() -> None:
    """job-success-and-failure: "After the fourth failure, one more than backoffLimit, it gives
    up: BackoffLimitExceeded, the Job has failed"; BackoffLimitExceeded step: "Its four Error
    pods stay, so their logs can still be read." """
    lane_doc = lane(JOB, "fails")
    assert variant(JOB, "fails").workload.backoff_limit == 3
    pods = lane_doc["pods"]
    assert len(pods) == 4
    (gave_up,) = event_times(lane_doc, "BackoffLimitExceeded", "Job/report")
    assert_between(gave_up - failed_at(pods[-1]), 0, PLEG_LAG, "gives up at the 4th failure")
    assert all(entry["createdAt"] < gave_up for entry in pods)
    assert all(entry["deletedAt"] is None and entry["status"] == "Error" for entry in pods)


# ---------------------------------------------------------------------------------------------
# liveness-shared-dependency
# ---------------------------------------------------------------------------------------------

SHARED = "liveness-shared-dependency"
SHARED_PODS = ("web-1", "web-2", "web-3")
OUTAGE = (60, 300)


def test_liveness_shared_dependency_is_modelled_as_described() -> None:
    """liveness-shared-dependency: "the database is a dependency of the scenario, down from 60 s
    to 300 s; every client request and the /healthz path call it, so while it is down each app,
    a restarted one included, answers them HTTP 503. The check of the process alone is an
    httpGet probe on /livez, a path that does not call the database." """
    outage = [(entry.at, entry.action, entry.dependency) for entry in scenario(SHARED).events]
    assert outage == [(60, "DependencyDown", "db"), (300, "DependencyRecover", "db")]
    assert "db" in scenario(SHARED).dependencies
    for name in ("checks-database", "checks-process"):
        behavior = variant(SHARED, name).behavior.for_container("app")
        assert behavior.boot_seconds == 10
        assert behavior.serving is not None
        assert behavior.serving.depends_on == ("db",)
        assert behavior.serving.paths["/healthz"].depends_on == ("db",)
        assert behavior.serving.paths["/livez"].depends_on == ()
    (database,) = variant(SHARED, "checks-database").workload.template.containers
    (process,) = variant(SHARED, "checks-process").workload.template.containers
    assert database.liveness_probe is not None and process.liveness_probe is not None
    assert (database.liveness_probe.handler, database.liveness_probe.path) == (
        "httpGet",
        "/healthz",
    )
    assert (process.liveness_probe.handler, process.liveness_probe.path) == ("httpGet", "/livez")
    during = lane(SHARED, "checks-database")
    assert any(
        entry["message"] == "Liveness probe failed: HTTP probe failed with statuscode: 503"
        for entry in events(during, "Unhealthy", "Pod/web-1")
    )


def test_liveness_shared_dependency_every_request_fails_during_the_outage() -> None:
    """liveness-shared-dependency: "Every request fails during the outage in both lanes"; at 60 s:
    "In both lanes every request now gets HTTP 503." """
    for name in ("checks-database", "checks-process"):
        lane_doc = lane(SHARED, name)
        # A request is counted when its answer comes: in the outage's first second, only those
        # already in an app when the database went down may still succeed.
        assert every_request_fails(lane_doc, OUTAGE[0] + 1, OUTAGE[1])
        first = OUTAGE[0]
        in_apps = sum(counts[first - 1] or 0 for counts in series(lane_doc)["inSystem"].values())
        answered = requests_between(lane_doc, first, first + 1) - errors_between(
            lane_doc, first, first + 1
        )
        assert answered <= in_apps
        before_probes = (OUTAGE[0], OUTAGE[0] + DETECTION[0])
        assert cause_between(lane_doc, "ServerError", *before_probes) == errors_between(
            lane_doc, *before_probes
        )


def test_liveness_shared_dependency_restarts_every_pod_at_once_again_and_again() -> None:
    """liveness-shared-dependency: "the kubelet restarts all three pods at the same moment, again
    and again"; Killing step: "the three liveness probes fail together, and the kubelet restarts
    all three containers at the same moment. … the new instances boot for 10 s, refusing
    connections, fail their probes again and are killed again." Real kubelets probe each pod on
    its own phase, so "the same moment" is within one period (docs/kubernetes-model.md §2.4)."""
    lane_doc = lane(SHARED, "checks-database")
    rounds = list(zip(*(kills(lane_doc, name) for name in SHARED_PODS), strict=True))
    assert len([moment for moment in rounds if moment[0] < OUTAGE[1]]) >= 5
    for moment in rounds:
        assert max(moment) - min(moment) <= PERIOD, moment
    assert_between(min(rounds[0]) - OUTAGE[0], *DETECTION, "first kill")
    for kill in (min(moment) for moment in rounds[:-1]):
        refused = cause_between(lane_doc, "ConnectionRefused", kill, kill + 10)
        assert refused > 0
    for name in SHARED_PODS:
        messages = {entry["message"] for entry in events(lane_doc, "Killing", f"Pod/{name}")}
        assert messages == {"Container app failed liveness probe, will be restarted"}


def test_liveness_shared_dependency_all_pods_wait_in_crashloop_with_no_endpoint() -> None:
    """liveness-shared-dependency, BackOff step: "the kubelet now makes each restart wait longer
    (CrashLoopBackOff, 80 s here). All three pods wait at the same time, and the Service has no
    endpoint left." """
    lane_doc = lane(SHARED, "checks-database")
    waiting = first_event_time(lane_doc, "BackOff")
    for name in SHARED_PODS:
        backoff = first_event_time(lane_doc, "BackOff", f"Pod/{name}")
        assert backoff - waiting <= PERIOD
        assert row_at(pod(lane_doc, name), backoff + 1)["status"] == "CrashLoopBackOff"
        restarted = min(time for time in starts(lane_doc, name) if time > backoff)
        assert_wait(restarted - backoff, 80, f"{name}: backoff")
    assert set(ready_endpoints(lane_doc, waiting + PROPAGATION + PERIOD, waiting + 80)) == {0}


def test_liveness_shared_dependency_process_check_recovers_with_the_database() -> None:
    """liveness-shared-dependency: "Checking only the process, no pod restarts and service
    returns the moment the database does"; at 300 s: "checks-process: the same three pods answer
    at once, none was ever restarted." """
    lane_doc = lane(SHARED, "checks-process")
    assert pod_names(lane_doc) == list(SHARED_PODS)
    assert not events(lane_doc, "Killing")
    assert all(pod(lane_doc, name)["restarts"] == 0 for name in SHARED_PODS)
    assert errors_between(lane_doc, OUTAGE[1], scenario(SHARED).duration) == 0


def test_liveness_shared_dependency_database_check_outlasts_the_outage() -> None:
    """liveness-shared-dependency: "when the database returns they are still waiting, then
    booting, and the outage lasts more than a minute longer"; at 300 s: "checks-database: every
    pod is still in CrashLoopBackOff and must then boot: more than a minute of total outage
    after the database has recovered." """
    lane_doc = lane(SHARED, "checks-database")
    back = OUTAGE[1]
    for name in SHARED_PODS:
        entry = pod(lane_doc, name)
        assert row_at(entry, back)["status"] == "CrashLoopBackOff"
        restarted = min(time for time in starts(lane_doc, name) if time > back)
        assert ready_since(entry, after=restarted) is not None
    assert every_request_fails(lane_doc, back, back + 61)
    recovered = bucket_sum(series(lane_doc), series(lane_doc)["readyEndpoints"], back, back + 61)
    assert recovered == 0
    assert errors_between(lane_doc, back + 90, scenario(SHARED).duration) == 0


# ---------------------------------------------------------------------------------------------
# liveness-death-spiral
# ---------------------------------------------------------------------------------------------

SPIRAL = "liveness-death-spiral"
SPIRAL_PODS = ("web-1", "web-2", "web-3", "web-4")
SPIKE = (60, 180)
FIXES = ("health-served-apart", "long-timeout", "no-liveness")
DEADLINE = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
QUEUE_FULL = "HTTP probe failed with statuscode: 503"


def spiral_capacity() -> float:
    """Requests a second the four apps serve at most: workers / mean service time (the mean of
    the lognormal given by its median and p99)."""
    serving = variant(SPIRAL, "no-liveness").behavior.for_container("app").serving
    assert serving is not None
    return 4 * serving.concurrency / serving.latency.mean


def error_share(lane_doc: Document, start: float, end: float) -> float:
    return errors_between(lane_doc, start, end) / requests_between(lane_doc, start, end)


def test_liveness_death_spiral_capacity_and_spike_are_as_described() -> None:
    """liveness-death-spiral: "Four pods of web each serve 8 requests at once (about 40 ms each,
    p99 200 ms) … about 640 requests a second in all. The clients send 300 a second, then 900 a
    second (3x) from 60 s to 180 s." Measured: what the pods serve while the spike saturates
    them."""
    assert spiral_capacity() == pytest.approx(640, rel=0.05)
    assert rate(SPIRAL, "no-liveness") == 300
    rates = [(e.at, e.requests_per_second) for e in scenario(SPIRAL).events]
    assert rates == [(60, 900), (180, 300)]
    lane_doc = lane(SPIRAL, "no-liveness")
    served = requests_between(lane_doc, 80, 180) - errors_between(lane_doc, 80, 180)
    assert served / 100 == pytest.approx(spiral_capacity(), rel=0.05)


def test_liveness_death_spiral_before_the_spike_every_lane_serves_everything() -> None:
    """At 0 s: "The clients send 300 a second" — and four pods serve them all."""
    for name in (*FIXES, "shared-liveness"):
        lane_doc = lane(SPIRAL, name)
        assert requests_between(lane_doc, 20, 60) > 0
        assert errors_between(lane_doc, 20, 60) == 0


def test_liveness_death_spiral_shared_liveness_restarts_every_pod_again_and_again() -> None:
    """liveness-death-spiral: "its answers come later than its 1 s timeoutSeconds: the kubelet
    kills every pod at about the same moment, the Service is left with no endpoint while they
    restart, and the new instances meet the same flood and are killed again. Every pod restarts
    again and again while the spike lasts"; Killing step: "the probe times out after 1 s
    ("context deadline exceeded") or finds it full (503), and after three failures the kubelet
    kills the container. It does so to every pod at about the same moment." """
    lane_doc = lane(SPIRAL, "shared-liveness")
    rounds = list(zip(*(kills(lane_doc, name) for name in SPIRAL_PODS), strict=True))
    assert len(rounds) >= 2
    for moment in rounds:
        assert max(moment) - min(moment) <= PERIOD, moment
        assert SPIKE[0] < min(moment) <= SPIKE[1] + PERIOD
    for name in SPIRAL_PODS:
        liveness = [
            entry["message"]
            for entry in events(lane_doc, "Unhealthy", f"Pod/{name}")
            if entry["message"].startswith("Liveness")
            # While a new instance boots (10 s), the attempts are refused.
            and not entry["message"].endswith("connect: connection refused")
        ]
        assert liveness and liveness[0].endswith(DEADLINE)
        assert all(message.endswith((DEADLINE, QUEUE_FULL)) for message in liveness)
    first = min(rounds[0])
    assert 0 in ready_endpoints(lane_doc, first, first + 20)


def test_liveness_death_spiral_shared_liveness_fails_about_half_the_fixes_a_quarter() -> None:
    """liveness-death-spiral: "about half of the requests fail, where the fixes turn away about a
    quarter"; at 180 s: "in the other three lanes none was [restarted], and they only turned away
    what did not fit in their queues." """
    spiral = error_share(lane(SPIRAL, "shared-liveness"), *SPIKE)
    assert 0.4 <= spiral <= 0.6
    for name in FIXES:
        lane_doc = lane(SPIRAL, name)
        share = error_share(lane_doc, *SPIKE)
        assert 0.2 <= share <= 0.33
        assert cause_between(lane_doc, "QueueFull", *SPIKE) == errors_between(lane_doc, *SPIKE)
        assert not events(lane_doc, "Killing")
        assert all(pod(lane_doc, name)["restarts"] == 0 for name in SPIRAL_PODS)


def test_liveness_death_spiral_fixes_keep_the_pods_and_recover_at_the_spike_end() -> None:
    """liveness-death-spiral: "In all three the spike only makes clients wait … no pod restarts,
    from 2 s after the spike no request fails, and the queues drain within about 15 s. Readiness
    is a tcpSocket probe in every lane:
    … the full queues do not take the pods out of the Service"; at 60 s: "clients wait seconds for
    an answer"; health-served-apart / long-timeout: "a timeoutSeconds of 10 s, longer than the
    longest wait in a full queue"."""
    serving = variant(SPIRAL, "long-timeout").behavior.for_container("app").serving
    assert serving is not None and serving.queue_limit is not None
    longest_wait = serving.queue_limit * serving.latency.mean / serving.concurrency
    (container,) = variant(SPIRAL, "long-timeout").workload.template.containers
    assert container.liveness_probe is not None
    assert container.liveness_probe.timeout_seconds == 10 > longest_wait
    apart = variant(SPIRAL, "health-served-apart").behavior.for_container("app").serving
    assert apart is not None and apart.paths["/healthz"].served_apart
    (without,) = variant(SPIRAL, "no-liveness").workload.template.containers
    assert without.liveness_probe is None
    for name in FIXES:
        lane_doc = lane(SPIRAL, name)
        (spec,) = variant(SPIRAL, name).workload.template.containers
        assert spec.readiness_probe is not None and spec.readiness_probe.handler == "tcpSocket"
        assert set(ready_endpoints(lane_doc, *SPIKE)) == {4}
        p99 = series(lane_doc)["latencyP99"]
        assert max(p99[SPIKE[0] + 20 : SPIKE[1]]) > 2  # seconds of waiting
        # No request fails from 2 s after the spike, and the queues drain within about 15 s.
        assert errors_between(lane_doc, SPIKE[1] + 2, scenario(SPIRAL).duration) == 0
        assert max(p99[SPIKE[1] + 15 :]) < 0.5


# ---------------------------------------------------------------------------------------------
# sidecar-readiness
# ---------------------------------------------------------------------------------------------

SIDECAR = "sidecar-readiness"
SIDECAR_LANES = ("proxy-stalls", "proxy-healthy")
PROXY_PERIOD = 5  # the proxy's readinessProbe periodSeconds
PROXY_FAILURES = 3  # its failureThreshold


def proxy_startup_succeeded(lane_doc: Document) -> float:
    """The end of the proxy's startup: its last failed startup attempt plus a period at most."""
    failed = [
        entry["time"]
        for entry in events(lane_doc, "Unhealthy", "Pod/shop")
        if entry["message"].startswith("Startup probe failed")
    ]
    return max(failed)


def proxy_stalled_at(lane_doc: Document) -> float:
    (proxy_started,) = starts(lane_doc, "shop", "proxy")
    hang = variant(SIDECAR, "proxy-stalls").behavior.for_container("proxy").hang_after_seconds
    assert hang == 60
    return proxy_started + hang


def test_sidecar_readiness_the_app_starts_once_the_proxy_has_started() -> None:
    """sidecar-readiness: "The kubelet starts it first and starts the app only once the proxy has
    started (its startup probe succeeded): STATUS Init:0/1, then PodInitializing, then Running,
    and READY counts both containers (2/2)"; at 0 s: "STATUS Init:0/1 until its startup probe
    succeeds. The app container is not started yet, and the Service has no endpoint."
    (docs/kubernetes-model.md §1.9.)"""
    for name in SIDECAR_LANES:
        lane_doc = lane(SIDECAR, name)
        shop = pod(lane_doc, "shop")
        (proxy_started,) = starts(lane_doc, "shop", "proxy")
        (app_started,) = starts(lane_doc, "shop")
        boot = variant(SIDECAR, name).behavior.for_container("proxy").boot_seconds
        assert app_started >= proxy_started + boot
        assert app_started > proxy_startup_succeeded(lane_doc)
        assert statuses(shop) == ["Init:0/1", "PodInitializing", "Running"]
        assert {row["status"] for row in rows_before(shop, proxy_startup_succeeded(lane_doc))} == {
            "Init:0/1"
        }
        assert any(row["ready"] == "2/2" for row in shop["history"])
        assert every_request_fails(lane_doc, 0, app_started)
        assert cause_between(lane_doc, "NoEndpoints", 0, app_started) == errors_between(
            lane_doc, 0, app_started
        )


def rows_before(pod_entry: Document, time: float) -> list[Document]:
    return [row for row in pod_entry["history"] if row["time"] <= time]


def test_sidecar_readiness_ready_only_while_both_containers_are_ready() -> None:
    """sidecar-readiness: "The proxy keeps running beside the app with its own readiness probe,
    and the pod is Ready only while both containers are ready"; at 30 s: "the proxy keeps
    running: STATUS Running, READY 2/2 once both readiness probes passed, and the pod serves
    every request." """
    for name in SIDECAR_LANES:
        lane_doc = lane(SIDECAR, name)
        shop = pod(lane_doc, "shop")
        (proxy,) = shop["initContainers"]
        assert (proxy["name"], proxy["state"], proxy["restartCount"]) == ("proxy", "Running", 0)
        became_ready = ready_since(shop)
        assert became_ready is not None
        assert row_at(shop, became_ready)["ready"] == "2/2"
        assert all(row["ready"] != "2/2" for row in rows_before(shop, became_ready - 0.001))
        at_step = row_at(shop, 30)
        assert (at_step["status"], at_step["ready"]) == ("Running", "2/2")
        assert errors_between(lane_doc, became_ready + PROPAGATION, 60) == 0


def test_sidecar_readiness_a_stalled_proxy_takes_the_pod_out_of_the_service() -> None:
    """sidecar-readiness: "In the first lane the proxy stalls 60 s after it starts: its readiness
    probe fails three times, READY drops to 1/2, the pod's Ready condition turns False and the
    Service stops sending it requests, although the app itself is healthy"; at 100 s: "READY
    shows 1/2 and the pod's Ready condition is False (containers with unready status: [proxy]).
    The Service removed the pod, and every request is refused, although the app is healthy."
    (docs/kubernetes-model.md §1.9, §2.4.)"""
    lane_doc = lane(SIDECAR, "proxy-stalls")
    shop = pod(lane_doc, "shop")
    stalled = proxy_stalled_at(lane_doc)
    lost = not_ready_since(shop, stalled)
    assert lost is not None
    # Three failures at the 5 s period: [(3−1)·5, 3·5] after the stall.
    assert_between(
        lost - stalled,
        (PROXY_FAILURES - 1) * PROXY_PERIOD,
        PROXY_FAILURES * PROXY_PERIOD,
        "readiness lost",
    )
    failures = [
        entry
        for entry in events(lane_doc, "Unhealthy", "Pod/shop")
        if stalled <= entry["time"] <= lost
    ]
    assert len(failures) >= PROXY_FAILURES
    assert all(entry["message"].startswith("Readiness probe failed") for entry in failures)
    assert row_at(shop, lost)["ready"] == "1/2"
    assert row_at(shop, 100)["ready"] == "1/2"
    ready = named(shop["conditionDetails"], "Ready", key="type")
    assert (ready["status"], ready["message"]) == (
        "False",
        "containers with unready status: [proxy]",
    )
    assert shop["containers"][0]["ready"] is True  # the app itself is healthy
    end = scenario(SIDECAR).duration
    assert every_request_fails(lane_doc, lost + PROPAGATION + 1, end)
    assert cause_between(lane_doc, "NoEndpoints", lost + PROPAGATION + 1, end) == errors_between(
        lane_doc, lost + PROPAGATION + 1, end
    )


def test_sidecar_readiness_a_healthy_proxy_keeps_the_pod_serving() -> None:
    """sidecar-readiness: "In the second lane the proxy stays healthy and the pod serves every
    request"; at 100 s: "Proxy healthy: the pod is still Ready and serves every request." """
    lane_doc = lane(SIDECAR, "proxy-healthy")
    shop = pod(lane_doc, "shop")
    became_ready = ready_since(shop)
    assert became_ready is not None
    assert not_ready_since(shop, became_ready) is None
    assert row_at(shop, 100)["ready"] == "2/2"
    assert shop["conditions"]["Ready"] is True
    assert errors_between(lane_doc, became_ready + PROPAGATION, scenario(SIDECAR).duration) == 0
