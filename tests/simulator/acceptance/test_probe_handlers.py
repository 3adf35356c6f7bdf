"""docs/kubernetes-model.md §2.1: probe handlers and how each one judges the app's state."""

import pytest

from .builders import (
    container,
    deployment,
    event,
    exec_probe,
    grpc_probe,
    http_probe,
    program,
    scenario,
    tcp_probe,
)
from .reading import (
    assert_between,
    events,
    not_ready_since,
    only_lane,
    pod,
    ready_since,
    run,
    running_since,
)

HANDLERS = {"httpGet": http_probe, "tcpSocket": tcp_probe, "exec": exec_probe, "grpc": grpc_probe}
FAST = {"periodSeconds": 2, "failureThreshold": 2}
HANG_AT = 30


def liveness_run(handler: str, fault: str, duration: float = 100) -> dict:
    doc = scenario(
        deployment([container(liveness=HANDLERS[handler](**FAST))]),
        duration=duration,
        requests_per_second=2,
        events=[event(HANG_AT, fault, pod="web-1")],
    )
    return pod(only_lane(run(doc)), "web-1")


@pytest.mark.parametrize("handler", ["httpGet", "exec", "grpc"])
def test_liveness_restarts_an_app_that_answers_500(handler):
    """§2.1: hung app answering 500 ⇒ http/exec/grpc probes fail ⇒ liveness restart."""
    assert liveness_run(handler, "AppHang")["restarts"] >= 1


def test_tcp_liveness_never_restarts_an_app_that_answers_500():
    """§2.1: a TCP connect succeeds on a hung process (e2e "should *not* be restarted ...")."""
    web = liveness_run("tcpSocket", "AppHang")
    assert web["restarts"] == 0
    assert (web["status"], web["ready"]) == ("Running", "1/1")


def test_http_liveness_restarts_an_app_that_does_not_answer():
    """§2.1: no response ⇒ http Failure after timeoutSeconds."""
    assert liveness_run("httpGet", "AppUnresponsive")["restarts"] >= 1


def test_tcp_liveness_never_restarts_an_app_that_still_accepts_connections():
    """§2.1: "hung, no response" ⇒ tcp Success while the kernel still accepts."""
    assert liveness_run("tcpSocket", "AppUnresponsive")["restarts"] == 0


@pytest.mark.parametrize("handler", sorted(HANDLERS))
def test_every_handler_fails_while_the_app_boots(handler):
    """§2.1: booting/not listening ⇒ http, tcp, exec and grpc all fail; ready after boot."""
    boot, period = 12, 2
    doc = scenario(
        deployment([container(readiness=HANDLERS[handler](periodSeconds=period))]),
        duration=40,
        requests_per_second=1,
        programs={"app": program(bootSeconds=boot)},
    )
    web = pod(only_lane(run(doc)), "web-1")
    started = running_since(web)
    ready = ready_since(web)
    assert ready is not None
    assert_between(ready - started, boot, boot + period + 1, f"{handler} ready after start")


def test_tcp_readiness_keeps_a_hung_app_in_service():
    """§2.1: tcp readiness passes on an app answering 500, so it stays ready and gets traffic."""
    doc = scenario(
        deployment([container(readiness=tcp_probe(**FAST))]),
        duration=80,
        events=[event(HANG_AT, "AppHang", pod="web-1")],
    )
    lane = only_lane(run(doc))
    web = pod(lane, "web-1")
    assert not_ready_since(web, after=HANG_AT) is None
    assert lane["totals"]["errorsByCause"]["ServerError"] > 0


def test_http_readiness_takes_a_hung_app_out_of_service():
    """§2.1: http readiness fails on 500 ⇒ not ready; never restarted."""
    doc = scenario(
        deployment([container(readiness=http_probe(**FAST))]),
        duration=80,
        events=[event(HANG_AT, "AppHang", pod="web-1")],
    )
    web = pod(only_lane(run(doc)), "web-1")
    assert not_ready_since(web, after=HANG_AT) is not None
    assert (web["status"], web["ready"], web["restarts"]) == ("Running", "0/1", 0)


def test_unhealthy_event_reports_the_http_status_code():
    """§1.8: Unhealthy (Warning) "Liveness probe failed: HTTP probe failed with statuscode: 500"."""
    doc = scenario(
        deployment([container(liveness=http_probe(**FAST))]),
        duration=60,
        events=[event(HANG_AT, "AppHang", pod="web-1")],
    )
    unhealthy = events(only_lane(run(doc)), "Unhealthy", "Pod/web-1")
    assert unhealthy
    assert {entry["type"] for entry in unhealthy} == {"Warning"}
    assert any(
        entry["message"].startswith("Liveness probe failed: HTTP probe failed with statuscode: 500")
        for entry in unhealthy
    ), [entry["message"] for entry in unhealthy]
    assert all(entry["time"] >= HANG_AT for entry in unhealthy)


def test_readiness_failure_is_reported_as_unhealthy():
    """§1.8: Unhealthy "Readiness probe failed: HTTP probe failed with statuscode: 500"."""
    doc = scenario(
        deployment([container(readiness=http_probe(**FAST))]),
        duration=60,
        events=[event(HANG_AT, "AppHang", pod="web-1")],
    )
    messages = [entry["message"] for entry in events(only_lane(run(doc)), "Unhealthy", "Pod/web-1")]
    assert "Readiness probe failed: HTTP probe failed with statuscode: 500" in messages
