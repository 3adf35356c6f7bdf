"""Time to recover, on hand-made series and on the seed's story run by the engine."""

from simulator.engine.simulation import run_scenario
from simulator.results.recovery import Recovery, recoveries, recovery_after
from simulator.scenario.presets import load_preset


def test_errors_that_stop_give_the_time_from_the_disruption_to_the_last_error():
    errors = [0] * 10 + [5, 5, 0, 5] + [0] * 20
    assert recovery_after(errors, 10.0, 34) == 4.0
    assert recovery_after(errors, 9.5, 34) == 4.5


def test_no_errors_after_the_disruption_is_an_immediate_recovery():
    assert recovery_after([3, 3] + [0] * 30, 5.0, 32) == 0.0


def test_errors_still_running_or_too_recent_are_not_a_recovery():
    assert recovery_after([0] * 5 + [1] * 20, 5.0, 25) is None
    assert recovery_after([0] * 5 + [1] + [0] * 4, 5.0, 10) is None  # only 4 quiet seconds


def test_no_disruption_no_recovery():
    assert recoveries([1, 0, 0], [], 3) == []


def test_each_disruption_is_bounded_by_the_next():
    errors = [0] * 10 + [1] * 5 + [0] * 15 + [2] * 3 + [0] * 20
    assert recoveries(errors, [30, 10], 53) == [Recovery(10, 5.0), Recovery(30, 3.0)]


def test_seed_story_lanes_recover_as_their_probes_allow():
    """Without liveness the hung app never recovers; with readiness and liveness it does."""
    scenario = load_preset("seed-story")
    results = run_scenario(scenario)
    hang = next(event.at for event in scenario.events if event.action == "AppHang")
    by_lane = {}
    for variant in results["variants"]:
        series = variant["series"]
        per_second = [
            series["noEndpointErrors"][i] + sum(errors[i] for errors in series["errors"].values())
            for i in range(len(series["time"]))
        ]
        by_lane[variant["name"]] = recovery_after(per_second, hang, scenario.duration)
    assert by_lane["no-probes"] is None
    assert by_lane["readiness-and-liveness"] is not None
    assert 0 < by_lane["readiness-and-liveness"] < 60
