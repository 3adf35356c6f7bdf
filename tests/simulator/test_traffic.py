"""Request counting without single requests: uniform arrivals and per-second series."""

from __future__ import annotations

import numpy as np

from simulator.clock import Clock
from simulator.network.kube_proxy import KubeProxy
from simulator.network.traffic import Traffic
from simulator.results.series import Series
from simulator.runtime.runtime import ContainerRuntime


def traffic(rate: float) -> tuple[Traffic, Series]:
    series = Series()
    clock = Clock()
    proxy = KubeProxy(clock, "iptables", 1.0, np.random.default_rng(1))
    return Traffic(rate, proxy, series, ContainerRuntime(clock, lambda: None)), series


def test_arrivals_in_an_interval_are_floor_differences():
    flow, series = traffic(2.5)
    for now in (0.3, 0.4, 1.0, 1.7, 2.0):
        flow.flush(now)
    series.close_bucket(0, 0, 0)
    # floor(2.5·2.0) − floor(0) = 5, however the interval is split.
    assert series.total_requests == [5]
    assert series.no_endpoint_errors == [5]


def test_rate_change_counts_from_the_change():
    flow, series = traffic(10)
    flow.set_rate(100, 0.5)
    flow.flush(1.0)
    series.close_bucket(0, 0, 0)
    assert series.total_requests == [5 + 50]


def test_series_lists_align_for_pods_created_later():
    series = Series()
    first = series.slot("web-1")
    series.add_slice(np.array([first]), np.array([4]), np.array([0]))
    series.close_bucket(0, 1, 1)
    second = series.slot("web-2")
    series.add_slice(np.array([first, second]), np.array([3, 2]), np.array([0, 2]))
    series.close_bucket(1, 2, 2)
    data = series.as_dict()
    assert data["requests"] == {"web-1": [4, 3], "web-2": [0, 2]}
    assert data["errors"] == {"web-1": [0, 0], "web-2": [0, 2]}
    assert data["errorsByCause"]["ConnectionRefused"] == [0, 2]
    assert data["totalRequests"] == [4, 5]
    assert series.totals == {"requests": 9, "errors": 2}


def test_series_grow_past_their_initial_capacity():
    series = Series()
    slots = np.array([series.slot(f"p{i}") for i in range(40)])
    for second in range(600):
        series.add_slice(slots, np.ones(40, dtype=np.int64), np.zeros(40, dtype=np.intp))
        series.close_bucket(second, 40, 40)
    data = series.as_dict()
    assert len(data["requests"]["p39"]) == 600
    assert sum(data["requests"]["p0"]) == 600
    assert series.totals["requests"] == 24000
