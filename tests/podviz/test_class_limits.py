"""Roles and limits together, through the real ASGI application (sessions and origin check).

A follower's commands are refused as ``forbidden`` before any limit or coalescing sees them; a
presenter's burst of seeks is coalesced; followers' answers count against their command rate;
a fork counts against the runs of the browser that forks; a command forwarded to the process
that owns the run is decoded and checked again there.
"""

import asyncio
import json

import pytest
from channels.layers import get_channel_layer
from django.test import AsyncClient

from runs.host import get_host

from .test_classroom import open_socket, receive_of_type, receive_until, start_class

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("database_thread_closed"),
]


class BrowserAt(AsyncClient):
    """A browser whose requests come from ``address`` (the runs per client count by address)."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def _base_scope(self, **request):
        return {**super()._base_scope(**request), "client": [self.address, 0]}


def client_at(address: str) -> AsyncClient:
    return BrowserAt(address)


async def test_a_followers_burst_of_seeks_is_refused_each_time_not_coalesced(
    run_manager, monkeypatch
):
    teacher, student = client_at("10.0.0.1"), client_at("10.0.0.2")
    run_id = await start_class(teacher)
    run = run_manager.get(run_id)
    applied = []

    async def seek(time_):
        applied.append(time_)

    monkeypatch.setattr(run, "seek", seek)
    await student.get(f"/runs/{run_id}/")
    follower = await open_socket(run_id, student)
    await receive_of_type(follower, "run.state")
    # More seeks than the command burst (20): each is refused, never coalesced into a seek; past
    # the burst the refusals count against the rate, and one rate_limited answers the rest.
    for second in range(1, 31):
        await follower.send_to(text_data=json.dumps({"type": "seek", "time": second}))
    codes = []
    while "rate_limited" not in codes:
        codes.append((await receive_of_type(follower, "error"))["code"])
    assert codes[-1] == "rate_limited" and set(codes[:-1]) == {"forbidden"}
    assert 20 <= len(codes) - 1 <= 22
    # Commands are taken in order: a presenter's command after them shows nothing was queued.
    presenter = await open_socket(run_id, teacher)
    await receive_of_type(presenter, "run.state")
    await presenter.send_to(text_data='{"type": "speed", "speed": 3}')
    await receive_until(follower, lambda m: m["type"] == "run.frame" and m["speed"] == 3)
    assert applied == []
    for socket in (follower, presenter):
        await socket.disconnect()


async def test_a_presenters_burst_of_seeks_runs_the_first_and_the_last(run_manager, monkeypatch):
    teacher = client_at("10.0.0.1")
    run_id = await start_class(teacher)
    run = run_manager.get(run_id)
    applied = []
    release = asyncio.Event()
    real_seek = run.seek

    async def seek(time_):
        applied.append(time_)
        await release.wait()
        await real_seek(time_)

    monkeypatch.setattr(run, "seek", seek)
    presenter = await open_socket(run_id, teacher)
    await receive_of_type(presenter, "run.state")
    for second in range(1, 301):
        await presenter.send_to(text_data=json.dumps({"type": "seek", "time": second}))
    await presenter.send_to(text_data='{"type": "speed", "speed": 2}')
    await receive_until(presenter, lambda m: m["type"] == "run.frame" and m["speed"] == 2)
    release.set()
    await receive_until(presenter, lambda m: m["type"] == "run.state" and m["time"] == 300)
    assert applied == [1, 300]
    await presenter.disconnect()


async def test_followers_answers_count_against_their_command_rate(run_manager, settings):
    settings.PODVIZ_LIMITS = {"commands_per_second": 0.001, "command_burst": 3}
    teacher = client_at("10.0.0.1")
    run_id = await start_class(teacher, "?t=60")
    presenter = await open_socket(run_id, teacher)
    follower = await open_socket(run_id)
    for socket in (presenter, follower):
        await receive_of_type(socket, "run.state")
    await presenter.send_json_to({"type": "ask", "question": "node-down-no-probes"})
    await receive_of_type(follower, "class.question")
    for guess in (10, 20, 30, 40):
        await follower.send_json_to({"type": "answer", "value": guess})
    error = await receive_of_type(follower, "error")
    assert error["code"] == "rate_limited"
    assert list(get_host().polls[run_id].answers.values()) == [30]  # the third, the last taken
    for socket in (presenter, follower):
        await socket.disconnect()


async def test_a_fork_counts_against_the_runs_of_the_browser_that_forks(run_manager, settings):
    settings.PODVIZ_LIMITS = {"runs_per_client": 1}
    teacher, student, other = (client_at(f"10.0.0.{n}") for n in (1, 2, 3))
    run_id = await start_class(teacher)
    assert (await student.post(f"/runs/{run_id}/fork")).status_code == 302
    refused = await student.post(f"/runs/{run_id}/fork")
    assert refused.status_code == 429
    assert "you already have 1 runs open here" in refused.content.decode()
    # The student's fork is the student's: another browser still may fork, the teacher not start.
    assert (await other.post(f"/runs/{run_id}/fork")).status_code == 302
    assert (await teacher.get("/scenarios/seed-story/play")).status_code == 429


async def test_a_forwarded_command_is_decoded_and_limited_again_by_the_owner(run_manager, settings):
    settings.PODVIZ_LIMITS = {"injected_faults_per_run": 0}
    run_id = await start_class(client_at("10.0.0.1"))
    host = get_host()
    layer = get_channel_layer()
    reply = await layer.new_channel()
    forwarded = [
        '{"type": "inject", "action": ["NodeDown"], "node": "node2"}',
        '{"type": "inject", "action": "NodeDown", "node": "node2"}',
        "[" * 2040 + "]" * 2040,
    ]
    codes = []
    for text in forwarded:
        message = {"type": "class.command", "run": run_id, "command": text, "reply": reply}
        await layer.send(host.channel, message)
        answer = await asyncio.wait_for(layer.receive(reply), 10)
        codes.append(json.loads(answer["text"])["code"])
    assert codes == ["bad_value", "too_many_faults", "bad_json"]
    assert run_manager.get(run_id).injected == ()
