"""The score window: which seconds the comparison of the lanes counts (spec.scoreWindow)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from simulator.engine.simulation import run_scenario
from simulator.reports.run_report import run_report_html
from simulator.results.score import lane_score, score_window
from simulator.scenario.loader import ScenarioError, load_scenario

BASE: dict[str, Any] = {
    "apiVersion": "podviz/v1",
    "kind": "Scenario",
    "metadata": {"name": "two-pods"},
    "spec": {
        "duration": 120,
        "seed": 3,
        "traffic": {"requestsPerSecond": 20},
        "workload": {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [
                            {
                                "name": "app",
                                "image": "tomcat:10",
                                "readinessProbe": {
                                    "httpGet": {"path": "/ready", "port": 8080},
                                    "periodSeconds": 5,
                                },
                            }
                        ]
                    },
                },
            },
        },
        "behavior": {"imagePullSeconds": 2, "containers": {"app": {"bootSeconds": 15}}},
        "events": [{"at": 60, "action": "AppHang", "pod": "web-1"}],
        "variants": [
            {"name": "readiness"},
            {"name": "no-readiness", "probes": {"readinessProbe": None}},
        ],
    },
}


def scenario_with(window: Any = None):
    document = copy.deepcopy(BASE)
    if window is not None:
        document["spec"]["scoreWindow"] = window
    return load_scenario(document)


def test_after_boot_is_the_default_and_waits_for_the_slowest_lane():
    window = score_window(scenario_with())
    # Image pull 2 s + boot 15 s + one readiness period 5 s + endpoint propagation 1 s.
    assert (window.start, window.end, window.rule) == (23.0, 120.0, "afterBoot")


def test_from_first_fault_and_named_windows():
    assert score_window(scenario_with("fromFirstFault")).start == 60.0
    named = score_window(scenario_with({"start": 40, "end": "1m30s"}))
    assert (named.start, named.end, named.rule) == (40.0, 90.0, "named")
    assert score_window(scenario_with({"start": 40})).end == 120.0


@pytest.mark.parametrize(
    ("window", "path", "words"),
    [
        ("afterBot", "spec.scoreWindow", "afterBoot"),
        ({"start": 200}, "spec.scoreWindow.start", "before spec.duration"),
        ({"start": 50, "end": 40}, "spec.scoreWindow.end", "after start"),
        ({"begin": 5}, "spec.scoreWindow.begin", ""),
    ],
)
def test_a_bad_window_names_its_field_and_the_fix(window, path, words):
    with pytest.raises(ScenarioError) as raised:
        scenario_with(window)
    message = str(raised.value)
    assert path in message
    assert words in message


def test_the_score_counts_only_the_window_and_only_up_to_now():
    series = {
        "time": [0, 1, 2, 3, 4],
        "totalRequests": [10, 10, 10, 10, 10],
        "errorsByCause": {
            "NoEndpoints": [10, 10, 0, 0, 0],
            "ConnectionRefused": [0, 0, 0, 5, 0],
            "Timeout": [0, 0, 0, 0, 0],
            "ServerError": [0, 0, 0, 0, 0],
        },
    }
    window = score_window(scenario_with({"start": 2, "end": 100}))
    score = lane_score(series, window, now=5)
    assert score["requests"] == 30
    assert score["errors"] == 5
    assert score["errorsByCause"]["NoEndpoints"] == 0
    assert score["failedPercent"] == pytest.approx(100 * 5 / 30)
    assert score["counted"] == [2.0, 5]
    before = lane_score(series, window, now=1.5)
    assert before["counted"] is None


def test_a_serving_lane_s_score_counts_its_queue_and_client_causes():
    """liveness-death-spiral: the lanes that keep their pods still turn clients away
    (QueueFull) during the spike; their score says so, it is not 0 %."""
    from simulator.scenario import presets

    results = run_scenario(presets.load_preset("liveness-death-spiral"))
    for variant in results["variants"]:
        score = variant["score"]
        start, end = score["window"]
        series = variant["series"]
        inside = [start <= time < end for time in series["time"]]
        expected = sum(
            count
            for counts in series["errorsByCause"].values()
            for count, counted in zip(counts, inside, strict=True)
            if counted
        )
        assert score["errors"] == expected, variant["name"]
        assert score["errorsByCause"].get("QueueFull", 0) > 0, variant["name"]
        assert score["failedPercent"] > 1, variant["name"]


def test_results_and_report_carry_the_window():
    scenario = scenario_with()
    results = run_scenario(scenario)
    assert results["scoreWindow"] == {"start": 23.0, "end": 120.0, "rule": "afterBoot"}
    for variant in results["variants"]:
        score = variant["score"]
        assert score["requests"] < variant["totals"]["requests"]
        assert score["errors"] <= variant["totals"]["errors"]
    # Both lanes fail while booting; after it, the lane with a readiness probe fails less.
    readiness, bare = (variant["score"]["failedPercent"] for variant in results["variants"])
    assert readiness < bare
    assert "failed % in 23–120 s" in run_report_html(scenario, results)


def score(requests, errors):
    return {
        "counted": [0, 10],
        "requests": requests,
        "errors": errors,
        "failedPercent": 100 * errors / requests if requests else None,
    }


def test_lanes_within_chance_of_each_other_tie():
    from simulator.results.score import rank_scores

    # 5.1 % and 5.3 % of 3000 requests: chance, not a better configuration.
    assert rank_scores([score(3000, 153), score(3000, 159)]) == ["even", "even"]
    # 0 % and 14 % of 2400: a real difference.
    assert rank_scores([score(2400, 336), score(2400, 0)]) == ["behind", "best"]
    assert rank_scores([score(2400, 336), score(2400, 0), score(2400, 3)]) == [
        "behind",
        "best",
        "best",
    ]
    assert rank_scores([score(0, 0), {**score(5, 0), "counted": None}]) == ["none", "none"]
