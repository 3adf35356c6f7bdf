"""App state → probe result, per handler (docs/kubernetes-model.md §2.1)."""

from __future__ import annotations

import pytest

from simulator.kubelet.probe_handlers import FAILURE, SUCCESS, TIMEOUT, run_probe
from simulator.runtime.app import BOOTING, HEALTHY, HUNG, UNRESPONSIVE

from .factories import exec_probe, grpc_probe, http_probe, tcp_probe

TABLE = {
    "httpGet": {BOOTING: FAILURE, HEALTHY: SUCCESS, HUNG: FAILURE, UNRESPONSIVE: TIMEOUT},
    "tcpSocket": {BOOTING: FAILURE, HEALTHY: SUCCESS, HUNG: SUCCESS, UNRESPONSIVE: SUCCESS},
    "exec": {BOOTING: FAILURE, HEALTHY: SUCCESS, HUNG: FAILURE, UNRESPONSIVE: TIMEOUT},
    "grpc": {BOOTING: FAILURE, HEALTHY: SUCCESS, HUNG: FAILURE, UNRESPONSIVE: TIMEOUT},
}
PROBES = {
    "httpGet": http_probe(),
    "tcpSocket": tcp_probe(),
    "exec": exec_probe(),
    "grpc": grpc_probe(),
}


@pytest.mark.parametrize(
    ("handler", "state"), [(h, s) for h, row in TABLE.items() for s in row], ids=str
)
def test_result_table(handler, state):
    assert run_probe(PROBES[handler], state, "10.244.1.1").result == TABLE[handler][state]


def test_http_messages_are_the_kubelet_prober_output():
    probe = http_probe("/ready")
    assert run_probe(probe, HUNG, "10.244.1.1").message == "HTTP probe failed with statuscode: 500"
    refused = run_probe(probe, BOOTING, "10.244.1.1").message
    assert refused == (
        'Get "http://10.244.1.1:8080/ready": dial tcp 10.244.1.1:8080: connect: connection refused'
    )
    assert "context deadline exceeded" in run_probe(probe, UNRESPONSIVE, "10.244.1.1").message


def test_exec_timeout_message():
    assert run_probe(exec_probe(), UNRESPONSIVE, "ip").message == (
        'command "cat /tmp/healthy" timed out'
    )
