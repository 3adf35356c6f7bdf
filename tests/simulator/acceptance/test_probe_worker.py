"""docs/kubernetes-model.md §2.2–§2.3: the probe worker loop and its effects (and §7 A2)."""

from .builders import container, deployment, event, http_probe, program, scenario
from .reading import (
    assert_between,
    container_of,
    event_times,
    events,
    first_time,
    is_fully_ready,
    named,
    only_lane,
    pod,
    pod_errors,
    ready_since,
    restart_times,
    results_at,
    row_at,
    run,
    running_since,
    snapshot_at,
)

NEVER_BOOTS = program(bootSeconds=100_000)


def killing_times(lane: dict, subject: str, cause: str) -> list[float]:
    return [
        entry["time"] for entry in events(lane, "Killing", subject) if cause in entry["message"]
    ]


def test_readiness_starts_as_failure():
    """§2.2 initialValue: readiness = Failure, so a started container is 0/1 until a success."""
    doc = scenario(
        deployment([container(readiness=http_probe(initialDelaySeconds=10, periodSeconds=10))]),
        duration=40,
    )
    web = pod(only_lane(run(doc)), "web-1")
    started = running_since(web)
    assert row_at(web, started)["ready"] == "0/1"
    assert ready_since(web) - started >= 10


def test_without_a_readiness_probe_a_running_container_is_ready_at_once():
    """§2.3: no readiness probe ⇒ ready the moment it runs, long before the app has booted."""
    doc = scenario(deployment(), duration=30, programs={"app": program(bootSeconds=20)})
    web = pod(only_lane(run(doc)), "web-1")
    assert ready_since(web) - running_since(web) <= 1


def test_liveness_starts_as_success_and_needs_failure_threshold_failures():
    """§2.2: liveness = Success initially; a 15 s boot gives at most 2 failures of FT=3."""
    doc = scenario(
        deployment([container(liveness=http_probe(periodSeconds=10, failureThreshold=3))]),
        duration=90,
        requests_per_second=1,
        programs={"app": program(bootSeconds=15)},
    )
    web = pod(only_lane(run(doc)), "web-1")
    assert web["restarts"] == 0
    assert ready_since(web) - running_since(web) <= 1


def test_nothing_is_probed_during_the_initial_delay():
    """§2.2 step 6: no attempt while floor(now − startedAt) < initialDelaySeconds."""
    readiness = http_probe(initialDelaySeconds=15, periodSeconds=5)
    doc = scenario(
        deployment([container(readiness=readiness)]), duration=40, programs={"app": NEVER_BOOTS}
    )
    lane = only_lane(run(doc))
    started = running_since(pod(lane, "web-1"))
    unhealthy = event_times(lane, "Unhealthy", "Pod/web-1")
    assert unhealthy
    assert min(unhealthy) >= started + 15


def test_initial_delay_protects_a_slow_boot_from_liveness():
    """§2.2 step 6: liveness FT=1 would kill at once; the 30 s delay outlasts the 25 s boot."""
    liveness = http_probe(initialDelaySeconds=30, periodSeconds=5, failureThreshold=1)
    doc = scenario(
        deployment([container(liveness=liveness)]),
        duration=90,
        requests_per_second=1,
        programs={"app": program(bootSeconds=25)},
    )
    assert pod(only_lane(run(doc)), "web-1")["restarts"] == 0


def startup_gated_scenario(readiness_period: int = 5) -> dict:
    return scenario(
        deployment(
            [
                container(
                    startup=http_probe(periodSeconds=5, failureThreshold=10),
                    liveness=http_probe(periodSeconds=1, failureThreshold=1),
                    readiness=http_probe(periodSeconds=readiness_period),
                )
            ]
        ),
        duration=60,
        requests_per_second=1,
        programs={"app": program(bootSeconds=12)},
    )


def test_startup_probe_gates_liveness_and_readiness():
    """§2.2 step 7: until the startup probe succeeds only it probes; `started` is false."""
    doc = startup_gated_scenario()
    web = pod(only_lane(run(doc)), "web-1")
    assert web["restarts"] == 0, "liveness (FT=1) must not probe before the container started"
    started = running_since(web)
    early = pod(only_lane(results_at(doc, started + 5)), "web-1")
    app = container_of(early)
    assert (app["state"], app["started"], app["ready"]) == ("Running", False, False)
    assert container_of(web)["started"] is True


def test_readiness_is_retriggered_right_after_startup_success():
    """§2.2: the status sync after startup success triggers readiness at once (e2e ≤ 25 s)."""
    web = pod(only_lane(run(startup_gated_scenario(readiness_period=60))), "web-1")
    started = running_since(web)
    latest_startup_success = started + 12 + 5 + 1
    assert ready_since(web) <= latest_startup_success + 25


def test_failed_startup_probe_kills_and_restarts_the_container():
    """§2.2 step 9, §1.8: startup Failure ⇒ Killing "… failed startup probe, will be restarted"."""
    doc = scenario(
        deployment([container(startup=http_probe(periodSeconds=5, failureThreshold=3))]),
        duration=60,
        requests_per_second=1,
        programs={"app": NEVER_BOOTS},
    )
    lane = only_lane(run(doc))
    assert killing_times(lane, "Pod/web-1", "failed startup probe, will be restarted")
    assert pod(lane, "web-1")["restarts"] >= 1


def liveness_kill_scenario(**liveness_settings) -> dict:
    liveness = http_probe(periodSeconds=2, failureThreshold=2, **liveness_settings)
    return scenario(
        deployment([container(liveness=liveness)], replicas=2),
        duration=110,
        requests_per_second=20,
        programs={"app": program(handlesSigterm=False)},
        events=[event(30, "AppHang", pod="web-1")],
    )


def test_liveness_kill_is_announced_and_graceful():
    """§1.8, §2.3: Killing "Container app failed liveness probe, will be restarted"; 30 s grace."""
    lane = only_lane(run(liveness_kill_scenario()))
    message = "Container app failed liveness probe, will be restarted"
    kills = killing_times(lane, "Pod/web-1", message)
    assert kills
    restart = restart_times(pod(lane, "web-1"))[0]
    assert_between(restart - kills[0], 30, 32, "SIGTERM ignored ⇒ restart after the 30 s grace")


def test_a_container_being_killed_stays_ready_and_in_the_endpoints():
    """§2.3: while stopping it still runs; without readiness it stays ready and serves 500s."""
    lane = only_lane(run(liveness_kill_scenario()))
    kill = killing_times(lane, "Pod/web-1", "failed liveness probe")[0]
    web = pod(lane, "web-1")
    assert row_at(web, kill + 20)["ready"] == "1/1"
    assert pod_errors(lane["series"], "web-1", kill + 2, kill + 28) > 0


def test_probe_level_grace_period_shortens_a_liveness_kill():
    """§0, §2.3: probe-level terminationGracePeriodSeconds overrides the pod's 30 s."""
    lane = only_lane(run(liveness_kill_scenario(terminationGracePeriodSeconds=5)))
    kill = killing_times(lane, "Pod/web-1", "failed liveness probe")[0]
    restart = restart_times(pod(lane, "web-1"))[0]
    assert_between(restart - kill, 5, 7, "restart after the probe-level grace period")


def test_liveness_worker_holds_after_its_verdict():
    """§2.2 step 9: after a liveness verdict no more probes until the next container instance."""
    lane = only_lane(run(liveness_kill_scenario()))
    kills = killing_times(lane, "Pod/web-1", "failed liveness probe")
    restarts = restart_times(pod(lane, "web-1"))
    assert len(kills) == len(restarts) == 1, (kills, restarts)
    first_kill, first_restart = kills[0], restarts[0]
    assert not [
        time
        for time in event_times(lane, "Unhealthy", "Pod/web-1")
        if first_kill < time < first_restart
    ]


def test_no_liveness_kill_during_graceful_termination_but_readiness_continues():
    """§2.2 step 5: deletionTimestamp ⇒ liveness set to Success and stopped; readiness goes on."""
    doc = scenario(
        deployment(
            [
                container(
                    readiness=http_probe(periodSeconds=2, failureThreshold=1),
                    liveness=http_probe(periodSeconds=2, failureThreshold=2),
                )
            ]
        ),
        duration=60,
        requests_per_second=1,
        programs={"app": program(handlesSigterm=False)},
        events=[event(20, "DeletePod", pod="web-1"), event(20.5, "AppHang", pod="web-1")],
    )
    lane = only_lane(run(doc))
    assert not killing_times(lane, "Pod/web-1", "liveness")
    web = pod(lane, "web-1")
    assert web["restarts"] == 0
    unready_while_terminating = first_time(
        web, lambda row: row["status"] == "Terminating" and not is_fully_ready(row)
    )
    assert unready_while_terminating is not None
    assert_between(unready_while_terminating, 20.5, 25, "readiness still probes while terminating")


def test_after_a_restart_readiness_starts_again_from_failure():
    """§2.3: a new container ID resets readiness to Failure; it is 0/1 until the app answers."""
    boot = 10
    doc = scenario(
        deployment(
            [
                container(
                    readiness=http_probe(periodSeconds=2),
                    liveness=http_probe(
                        initialDelaySeconds=boot + 2, periodSeconds=2, failureThreshold=2
                    ),
                )
            ]
        ),
        duration=80,
        requests_per_second=1,
        programs={"app": program(bootSeconds=boot)},
        events=[event(30, "AppHang", pod="web-1")],
    )
    web = pod(only_lane(run(doc)), "web-1")
    (restart,) = restart_times(web)
    assert not is_fully_ready(row_at(web, restart))
    assert_between(ready_since(web, after=restart) - restart, boot, boot + 2 + 1, "ready again")


def test_after_a_restart_without_readiness_probe_the_container_is_ready_at_once():
    """§2.3: without a readiness probe the new instance is ready the moment it runs."""
    boot = 10
    liveness = http_probe(initialDelaySeconds=boot + 2, periodSeconds=2, failureThreshold=2)
    doc = scenario(
        deployment([container(liveness=liveness)]),
        duration=80,
        requests_per_second=1,
        programs={"app": program(bootSeconds=boot)},
        events=[event(30, "AppHang", pod="web-1")],
    )
    web = pod(only_lane(run(doc)), "web-1")
    (restart,) = restart_times(web)
    assert ready_since(web, after=restart) - restart <= 1


def test_a2_readiness_always_failing_never_ready_never_restarted():
    """§7 A2: never Ready for ≥ 60 s; Running 0/1, 0 restarts; the Service refuses everything."""
    doc = scenario(
        deployment([container(readiness=http_probe())]),
        duration=90,
        programs={"app": NEVER_BOOTS},
    )
    lane = only_lane(run(doc))
    web = pod(lane, "web-1")
    assert ready_since(web) is None
    assert (web["status"], web["ready"], web["restarts"], web["phase"]) == (
        "Running",
        "0/1",
        0,
        "Running",
    )
    totals = lane["totals"]
    assert totals["requests"] > 0
    assert totals["errors"] == totals["errorsByCause"]["NoEndpoints"] == totals["requests"]
    assert sum(lane["series"]["requests"].get("web-1", [])) == 0
    assert set(lane["series"]["readyEndpoints"]) == {0}


def probe_state(container_state: dict, kind: str) -> dict:
    return named(container_state["probes"], kind, key="type")


def test_initial_cached_results_before_any_attempt():
    """§2.2: a new container starts with readiness Failure and liveness Success."""
    doc = scenario(
        deployment(
            [
                container(
                    readiness=http_probe(initialDelaySeconds=30),
                    liveness=http_probe(initialDelaySeconds=30),
                )
            ]
        ),
        duration=40,
        requests_per_second=1,
    )
    started = running_since(pod(only_lane(run(doc)), "web-1"))
    (app,) = named(snapshot_at(doc, started + 10)["pods"], "web-1")["containers"]
    assert probe_state(app, "readiness")["result"] == "Failure"
    assert probe_state(app, "liveness")["result"] == "Success"
    assert app["ready"] is False


def test_liveness_worker_is_on_hold_while_the_killed_container_stops():
    """§2.2 step 9: after the liveness verdict the worker holds until the next instance."""
    doc = liveness_kill_scenario()
    lane = only_lane(run(doc))
    kill = killing_times(lane, "Pod/web-1", "failed liveness probe")[0]
    (app,) = named(snapshot_at(doc, kill + 15)["pods"], "web-1")["containers"]
    assert app["state"] == "Running"
    assert probe_state(app, "liveness")["onHold"] is True


def _long_timeout_kill(action: str) -> float:
    """When a liveness probe with timeoutSeconds 30 over a period of 10 (FT 3) kills web-1,
    whose app goes wrong (``action``) at 60 s."""
    liveness = http_probe(periodSeconds=10, timeoutSeconds=30, failureThreshold=3)
    doc = scenario(
        deployment([container(liveness=liveness)]),
        duration=240,
        requests_per_second=1,
        events=[event(60, action, pod="web-1")],
    )
    lane = only_lane(run(doc))
    return killing_times(lane, "Pod/web-1", "failed liveness probe")[0]


def test_an_answer_within_the_period_keeps_the_ticker_whatever_the_timeout():
    """§2.2: a tick is dropped only while an attempt still runs. An app answering 500 at once
    fails an attempt every period: 3 failures within 20–30 s, not one per timeoutSeconds."""
    assert_between(_long_timeout_kill("AppHang") - 60, 20, 30.5, "3 fast failures, 10 s apart")


def test_an_attempt_that_runs_past_the_period_drops_the_ticks_it_spans():
    """§2.2, §2.4: an app that never answers makes each attempt last timeoutSeconds (30 s), so
    the next attempt starts when it ends: the 3rd failure ends about 3 × 30 s after the fault."""
    assert_between(_long_timeout_kill("AppUnresponsive") - 60, 80, 100, "3 attempts of 30 s each")
