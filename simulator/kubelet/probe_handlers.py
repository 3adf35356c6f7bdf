"""What one probe attempt returns for each app state (k8s-semantics.md §2.1).

| app state     | httpGet         | tcpSocket | exec            | grpc            |
|---------------|-----------------|-----------|-----------------|-----------------|
| Booting       | failure refused | failure   | failure         | failure         |
| Healthy       | success         | success   | success         | success         |
| Hung (500)    | failure 500     | success   | failure         | failure         |
| Unresponsive  | timeout         | success   | timeout         | timeout         |

Messages follow the kubelet's prober output (k/k pkg/probe/http/http.go DoHTTPProbe,
pkg/probe/tcp/tcp.go, pkg/probe/exec/exec.go, pkg/probe/grpc/grpc.go).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.runtime.app import BOOTING, HEALTHY, HUNG, UNRESPONSIVE
from simulator.scenario.types import Probe

SUCCESS = "success"
FAILURE = "failure"
TIMEOUT = "timeout"


@dataclass(frozen=True, slots=True)
class ProbeOutcome:
    result: str  # success / failure / timeout
    message: str  # the prober's output, shown in Unhealthy events


_SUCCESS = ProbeOutcome(SUCCESS, "")


def _port(probe: Probe) -> str:
    return str(probe.port) if probe.port is not None else "80"


def _http(probe: Probe, state: str, pod_ip: str) -> ProbeOutcome:
    if state == HEALTHY:
        return _SUCCESS
    address = f"{pod_ip}:{_port(probe)}"
    url = f"http://{address}{probe.path or '/'}"
    if state == HUNG:
        return ProbeOutcome(FAILURE, "HTTP probe failed with statuscode: 500")
    if state == UNRESPONSIVE:
        waiting = "(Client.Timeout exceeded while awaiting headers)"
        return ProbeOutcome(TIMEOUT, f'Get "{url}": context deadline exceeded {waiting}')
    return ProbeOutcome(FAILURE, f'Get "{url}": dial tcp {address}: connect: connection refused')


def _tcp(probe: Probe, state: str, pod_ip: str) -> ProbeOutcome:
    if state == BOOTING:
        address = f"{pod_ip}:{_port(probe)}"
        return ProbeOutcome(FAILURE, f"dial tcp {address}: connect: connection refused")
    # A hung or unresponsive server still completes the TCP handshake (the kernel accepts).
    return _SUCCESS


def _exec(probe: Probe, state: str, pod_ip: str) -> ProbeOutcome:
    command = " ".join(probe.command)
    if state == HEALTHY:
        return _SUCCESS
    if state == UNRESPONSIVE:
        return ProbeOutcome(TIMEOUT, f'command "{command}" timed out')
    return ProbeOutcome(FAILURE, f'command "{command}" exited with 1')


def _grpc(probe: Probe, state: str, pod_ip: str) -> ProbeOutcome:
    if state == HEALTHY:
        return _SUCCESS
    if state == HUNG:
        return ProbeOutcome(FAILURE, 'service unhealthy (responded with "NOT_SERVING")')
    timeout = f"{probe.timeout_seconds}s"
    if state == UNRESPONSIVE:
        return ProbeOutcome(TIMEOUT, f"timeout: health rpc did not complete within {timeout}")
    address = f"{pod_ip}:{_port(probe)}"
    return ProbeOutcome(
        FAILURE,
        f'failed to connect service "{address}" within {timeout}: context deadline exceeded',
    )


_HANDLERS = {"httpGet": _http, "tcpSocket": _tcp, "exec": _exec, "grpc": _grpc}


def run_probe(probe: Probe, app_state: str, pod_ip: str) -> ProbeOutcome:
    """The outcome of one attempt of ``probe`` against an app in ``app_state``."""
    if app_state == HEALTHY:
        return _SUCCESS  # every handler passes on a healthy app (the common case)
    return _HANDLERS[probe.handler](probe, app_state, pod_ip)
