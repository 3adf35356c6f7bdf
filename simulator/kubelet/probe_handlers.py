"""What one probe attempt returns for each app state (docs/kubernetes-model.md §2.1).

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
from simulator.scenario.types import ContainerSpec, Probe

SUCCESS = "success"
FAILURE = "failure"
TIMEOUT = "timeout"


@dataclass(frozen=True, slots=True)
class ProbeOutcome:
    result: str  # success / failure / timeout
    message: str  # the prober's output, shown in Unhealthy events


_SUCCESS = ProbeOutcome(SUCCESS, "")


def resolve_port(probe: Probe, container: ContainerSpec) -> tuple[int | None, str | None]:
    """The port an attempt connects to, or the error that makes every attempt error.

    k/k pkg/probe/util.go ResolveContainerPort: a number is used as is (1–65535), a name is
    looked up in the container's ``ports`` (``port "web" not found`` when missing); exec has no
    port. Returns ``(port, None)`` or ``(None, error)``.
    """
    if probe.handler == "exec":
        return None, None
    port = probe.port
    if port is None:
        return 80, None
    if isinstance(port, str):
        number = container.named_ports.get(port)
        if number is None:
            return None, f'port "{port}" not found'
        port = number
    if 0 < port < 65536:
        return port, None
    return None, f"invalid port number: {port}"


def _http(probe: Probe, state: str, pod_ip: str, port: int) -> ProbeOutcome:
    if state == HEALTHY:
        return _SUCCESS
    address = f"{pod_ip}:{port}"
    url = f"http://{address}{probe.path or '/'}"
    if state == HUNG:
        return ProbeOutcome(FAILURE, "HTTP probe failed with statuscode: 500")
    if state == UNRESPONSIVE:
        waiting = "(Client.Timeout exceeded while awaiting headers)"
        return ProbeOutcome(TIMEOUT, f'Get "{url}": context deadline exceeded {waiting}')
    return ProbeOutcome(FAILURE, f'Get "{url}": dial tcp {address}: connect: connection refused')


def _tcp(probe: Probe, state: str, pod_ip: str, port: int) -> ProbeOutcome:
    if state == BOOTING:
        address = f"{pod_ip}:{port}"
        return ProbeOutcome(FAILURE, f"dial tcp {address}: connect: connection refused")
    # A hung or unresponsive server still completes the TCP handshake (the kernel accepts).
    return _SUCCESS


def _exec(probe: Probe, state: str, pod_ip: str, port: int) -> ProbeOutcome:
    command = " ".join(probe.command)
    if state == HEALTHY:
        return _SUCCESS
    if state == UNRESPONSIVE:
        return ProbeOutcome(TIMEOUT, f'command "{command}" timed out')
    return ProbeOutcome(FAILURE, f'command "{command}" exited with 1')


def _grpc(probe: Probe, state: str, pod_ip: str, port: int) -> ProbeOutcome:
    if state == HEALTHY:
        return _SUCCESS
    if state == HUNG:
        return ProbeOutcome(FAILURE, 'service unhealthy (responded with "NOT_SERVING")')
    timeout = f"{probe.timeout_seconds}s"
    if state == UNRESPONSIVE:
        return ProbeOutcome(TIMEOUT, f"timeout: health rpc did not complete within {timeout}")
    address = f"{pod_ip}:{port}"
    return ProbeOutcome(
        FAILURE,
        f'failed to connect service "{address}" within {timeout}: context deadline exceeded',
    )


def served_outcome(
    probe: Probe, pod_ip: str, port: int | None, answer_seconds: float, status: int
) -> tuple[ProbeOutcome, float]:
    """An httpGet or grpc attempt on an app with a serving model, whose answer (``status``)
    comes ``answer_seconds`` after the attempt starts: the outcome, and when it is known.

    The prober's client gives up after ``timeoutSeconds`` (k/k pkg/probe/http/http.go: the
    http.Client's Timeout; pkg/probe/grpc/grpc.go: the context's deadline); an HTTP answer counts
    as success from 200 to 399 (http.go DoHTTPProbe), a gRPC one when SERVING.
    """
    timeout = probe.timeout_seconds
    port = port if port is not None else 80
    if answer_seconds >= timeout:
        if probe.handler == "grpc":
            message = f"timeout: health rpc did not complete within {timeout}s"
        else:
            url = f"http://{pod_ip}:{port}{probe.path or '/'}"
            waiting = "(Client.Timeout exceeded while awaiting headers)"
            message = f'Get "{url}": context deadline exceeded {waiting}'
        return ProbeOutcome(TIMEOUT, message), float(timeout)
    if 200 <= status < 400:
        return _SUCCESS, answer_seconds
    if probe.handler == "grpc":
        return ProbeOutcome(
            FAILURE, 'service unhealthy (responded with "NOT_SERVING")'
        ), answer_seconds
    return ProbeOutcome(FAILURE, f"HTTP probe failed with statuscode: {status}"), answer_seconds


_HANDLERS = {"httpGet": _http, "tcpSocket": _tcp, "exec": _exec, "grpc": _grpc}


def run_probe(probe: Probe, app_state: str, pod_ip: str, port: int | None = None) -> ProbeOutcome:
    """The outcome of one attempt of ``probe`` against an app in ``app_state``; ``port`` is the
    resolved port (``resolve_port``; the probe's own number when not given)."""
    if app_state == HEALTHY:
        return _SUCCESS  # every handler passes on a healthy app (the common case)
    if port is None and isinstance(probe.port, int):
        port = probe.port
    return _HANDLERS[probe.handler](probe, app_state, pod_ip, port if port is not None else 80)
