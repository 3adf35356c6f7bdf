"""docs/kubernetes-model.md §4.4: what the client sees for each state of the chosen backend."""

from .builders import deployment, event, program, scenario
from .reading import (
    ERROR_CAUSES,
    assert_between,
    cause_errors,
    only_lane,
    pod,
    run,
    running_since,
    simulate,
    total_errors,
    total_requests,
)

RATE = 20


def single_pod(duration: float, events=(), **behaviour) -> dict:
    return scenario(
        deployment(),
        duration=duration,
        requests_per_second=RATE,
        programs={"app": program(**behaviour)} if behaviour else None,
        events=events,
    )


def live_lane(doc: dict):
    """The lane's per-second series (with errorsByCause) and the run's results."""
    simulation = simulate(doc)
    return simulation.lanes[0].series, only_lane(simulation.results())


def assert_all_errors_are(series, cause: str, start: float, end: float) -> None:
    requests = total_requests(series, start, end)
    assert requests > 0
    assert total_errors(series, start, end) == requests
    assert cause_errors(series, cause, start, end) == requests


def test_results_count_errors_by_exactly_four_causes():
    """scenario-format results: errorsByCause has exactly NoEndpoints, ConnectionRefused, Timeout,
    ServerError."""
    lane = only_lane(run(single_pod(10)))
    assert set(lane["totals"]["errorsByCause"]) == set(ERROR_CAUSES)


def test_no_usable_endpoint_is_refused_at_the_service():
    """§4.4: no usable endpoint at all ⇒ immediate refusal (REJECT "has no endpoints")."""
    series, lane = live_lane(single_pod(20, bootSeconds=0))
    started = running_since(pod(lane, "web-1"))
    assert started >= 2
    assert_all_errors_are(series, "NoEndpoints", 0, int(started) - 1)


def test_a_booting_app_refuses_connections():
    """§4.4: pod IP alive, nothing listening ⇒ connection refused; then 200s."""
    boot = 10
    series, lane = live_lane(single_pod(40, bootSeconds=boot))
    started = running_since(pod(lane, "web-1"))
    assert_all_errors_are(series, "ConnectionRefused", started + 2, started + boot - 1)
    assert total_errors(series, started + boot + 1, 40) == 0


def test_a_healthy_app_answers_every_request():
    """§4.4: app healthy ⇒ 200."""
    series, lane = live_lane(single_pod(30))
    started = running_since(pod(lane, "web-1"))
    assert total_requests(series, started + 2, 30) > 0
    assert total_errors(series, started + 2, 30) == 0


def test_a_hung_app_answers_500():
    """§4.4: app hung returning 500 ⇒ 500 (ServerError)."""
    series, _ = live_lane(single_pod(40, events=[event(20, "AppHang", pod="web-1")]))
    assert_all_errors_are(series, "ServerError", 21, 40)


def test_an_unresponsive_app_times_out():
    """§4.4: app hung not responding ⇒ timeout."""
    series, _ = live_lane(single_pod(40, events=[event(20, "AppUnresponsive", pod="web-1")]))
    assert_all_errors_are(series, "Timeout", 21, 40)


def test_a_recovered_app_answers_again_without_a_restart():
    """scenario-format AppRecover: the fault clears without a restart."""
    doc = single_pod(
        40, events=[event(10, "AppHang", pod="web-1"), event(20, "AppRecover", pod="web-1")]
    )
    series, lane = live_lane(doc)
    assert total_errors(series, 11, 20) > 0
    assert total_errors(series, 21, 40) == 0
    assert pod(lane, "web-1")["restarts"] == 0


def test_a_crashed_app_refuses_connections_while_it_restarts_and_boots():
    """§4.4, §2.3: exited/booting ⇒ refused; the first restart is immediate and ready at once."""
    boot, crash = 10, 30
    series, lane = live_lane(
        single_pod(60, events=[event(crash, "AppCrash", pod="web-1")], bootSeconds=boot)
    )
    assert pod(lane, "web-1")["restarts"] == 1
    # The endpoint flaps for ≈p while the container is down (§4.2); then the boot refuses.
    assert_all_errors_are(series, "ConnectionRefused", crash + 3, crash + boot - 1)
    assert total_errors(series, crash + boot + 3, 60) == 0


def test_set_traffic_changes_the_request_rate():
    """scenario-format SetTraffic: the request rate changes at the event."""
    doc = single_pod(40, events=[event(20, "SetTraffic", requestsPerSecond=4 * RATE)])
    series, _ = live_lane(doc)
    assert_between(total_requests(series, 5, 15), 10 * RATE * 0.7, 10 * RATE * 1.3, "before")
    assert_between(total_requests(series, 25, 35), 40 * RATE * 0.85, 40 * RATE * 1.15, "after")
