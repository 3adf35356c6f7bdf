"""A class around a run, through the real ASGI application: sessions, origin check and all.

The presenter is the browser (session cookie) that started the run; another browser follows:
its commands are refused with ``forbidden`` and change nothing. A presenter link hands the role
on; a follower forks a private copy from the current moment and goes back; a join code finds
the run; the run is kept in the database at every command.
"""

import asyncio
import json
import re

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import AsyncClient, Client

from classroom.views import is_loopback_host
from config.asgi import application
from runs import durable
from runs.host import get_host
from runs.models import ClassRun

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("database_thread_closed"),
]

ORIGIN = (b"origin", b"http://localhost")


async def start_class(client: AsyncClient, query: str = "") -> str:
    response = await client.get(f"/scenarios/seed-story/play{query}")
    assert response.status_code == 302
    return response["Location"].strip("/").split("/")[-1]


async def open_socket(run_id: str, client: AsyncClient | None = None) -> WebsocketCommunicator:
    headers = [ORIGIN]
    if client is not None and "sessionid" in client.cookies:
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    communicator = WebsocketCommunicator(application, f"/ws/runs/{run_id}/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def receive_until(communicator, predicate, timeout: float = 20):
    """The first message that ``predicate`` accepts, within ``timeout`` seconds in all."""
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await communicator.receive_from(timeout=timeout))
            if predicate(message):
                return message


async def receive_of_type(communicator: WebsocketCommunicator, kind: str, timeout: float = 20):
    return await receive_until(communicator, lambda message: message["type"] == kind, timeout)


async def test_only_the_presenter_changes_the_run(run_manager):
    teacher, student = AsyncClient(), AsyncClient()
    run_id = await start_class(teacher)
    await student.get(f"/runs/{run_id}/")
    run = run_manager.get(run_id)
    presenter = await open_socket(run_id, teacher)
    follower = await open_socket(run_id, student)
    nobody = await open_socket(run_id)
    for socket in (presenter, follower, nobody):
        await receive_of_type(socket, "run.state")

    for socket in (follower, nobody):
        await socket.send_to(text_data='{"type": "pause"}')
        error = await receive_of_type(socket, "error")
        assert error["code"] == "forbidden"
        assert "only the presenter" in error["detail"]
        await socket.send_to(text_data='{"type": "inject", "action": "NodeDown", "node": "node-1"}')
        assert (await receive_of_type(socket, "error"))["code"] == "forbidden"
    assert run.playing and run.injected == ()

    await presenter.send_to(text_data='{"type": "speed", "speed": 4}')
    await presenter.send_to(text_data='{"type": "pause"}')
    paused = await receive_until(follower, lambda m: m.get("playing") is False)
    assert paused["speed"] == 4
    record = await ClassRun.objects.aget(run_id=run_id)
    assert record.playing is False and record.speed == 4
    assert record.sim_time == pytest.approx(run.now)
    for socket in (presenter, follower, nobody):
        await socket.disconnect()


async def test_the_presenter_sees_how_many_follow(run_manager):
    teacher = AsyncClient()
    run_id = await start_class(teacher)
    presenter = await open_socket(run_id, teacher)
    followers = [await open_socket(run_id) for _ in range(3)]
    counted = await receive_until(
        presenter, lambda m: m["type"] == "class.followers" and m["followers"] == 3
    )
    assert counted["followers"] == 3
    await followers[0].disconnect()
    await receive_until(presenter, lambda m: m["type"] == "class.followers" and m["followers"] == 2)
    for socket in (presenter, *followers[1:]):
        await socket.disconnect()


async def test_the_run_page_shows_a_follower_no_controls_and_the_presenter_the_class(run_manager):
    teacher, student = AsyncClient(), AsyncClient()
    run_id = await start_class(teacher)
    teacher_page = (await teacher.get(f"/runs/{run_id}/")).content.decode()
    student_page = (await student.get(f"/runs/{run_id}/")).content.decode()
    record = await ClassRun.objects.aget(run_id=run_id)
    assert 'data-role="presenter"' in teacher_page
    assert record.join_code in teacher_page
    assert f"/runs/{run_id}/present#{record.presenter_secret}" in teacher_page
    assert 'data-role="follower"' in student_page
    assert record.presenter_secret not in student_page
    assert 'id="fork"' in student_page


async def test_a_presenter_link_hands_the_role_to_another_device(run_manager):
    teacher, tablet = AsyncClient(), AsyncClient()
    run_id = await start_class(teacher)
    record = await ClassRun.objects.aget(run_id=run_id)
    # The page that reads the link's fragment, and its form.
    page = await tablet.get(f"/runs/{run_id}/present")
    assert page.status_code == 200 and 'name="secret"' in page.content.decode()
    assert (await tablet.get("/runs/no-such-run/present")).status_code == 404
    wrong = await tablet.post(f"/runs/{run_id}/present", {"secret": "not-the-secret"})
    assert wrong.status_code == 403 and "not valid" in wrong.content.decode()
    response = await tablet.post(f"/runs/{run_id}/present", {"secret": record.presenter_secret})
    assert response.status_code == 303 and response["Location"] == f"/runs/{run_id}/"
    socket = await open_socket(run_id, tablet)
    await receive_of_type(socket, "run.state")
    await socket.send_to(text_data='{"type": "pause"}')
    await receive_until(socket, lambda m: m.get("playing") is False)
    assert run_manager.get(run_id).playing is False
    await socket.disconnect()


async def test_a_follower_forks_from_the_current_moment_and_returns(run_manager):
    teacher, student = AsyncClient(), AsyncClient()
    run_id = await start_class(teacher, "?t=90")
    presenter = await open_socket(run_id, teacher)
    await receive_of_type(presenter, "run.state")
    await presenter.send_to(text_data='{"type": "inject", "action": "NodeDown", "node": "node2"}')
    await presenter.send_to(text_data='{"type": "pause"}')
    class_run = run_manager.get(run_id)
    await receive_until(presenter, lambda m: m.get("playing") is False)
    paused_at = class_run.now

    response = await student.post(f"/runs/{run_id}/fork")
    assert response.status_code == 302
    fork_id = response["Location"].strip("/").split("/")[-1]
    assert fork_id != run_id
    fork = run_manager.get(fork_id)
    assert fork.scenario == class_run.scenario
    assert fork.now == pytest.approx(class_run.now)
    assert fork.injected == class_run.injected and fork.injected[0].node == "node2"

    # The student presents the fork (and only the fork), and can go back to the class.
    page = (await student.get(f"/runs/{fork_id}/")).content.decode()
    assert 'data-role="presenter"' in page
    assert re.search(rf'id="return-to-class"[^>]*href="/runs/{run_id}/"', page)
    own = await open_socket(fork_id, student)
    await receive_of_type(own, "run.state")
    await own.send_to(text_data='{"type": "seek", "time": 10}')
    await receive_until(own, lambda m: m["type"] == "run.state" and m["time"] == 10)
    assert class_run.now == paused_at  # the fork's seek left the class alone
    for socket in (presenter, own):
        await socket.disconnect()


async def test_join_takes_the_code_in_any_case(run_manager):
    teacher, student = AsyncClient(), AsyncClient()
    run_id = await start_class(teacher)
    record = await ClassRun.objects.aget(run_id=run_id)
    response = await student.get(f"/join?code={record.join_code.lower()}")
    assert response.status_code == 302 and response["Location"] == f"/runs/{run_id}/"
    missing = await student.get("/join?code=ZZZZZ9")
    assert missing.status_code == 404
    assert "code: no class run has this code" in missing.content.decode()
    assert (await student.get("/join")).status_code == 200


async def test_the_class_view_has_the_code_and_a_qr_code_of_the_join_url(run_manager):
    teacher = AsyncClient()
    run_id = await start_class(teacher)
    record = await ClassRun.objects.aget(run_id=run_id)
    page = (await teacher.get(f"/runs/{run_id}/class")).content.decode()
    assert record.join_code in page
    assert f"/join?code={record.join_code}" in page
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert "<path" in svg


async def test_the_class_view_on_a_loopback_address_warns_that_students_cannot_open_it(run_manager):
    run_id = await start_class(AsyncClient())
    # AsyncClient always sends Host: testserver; the sync client lets a test name the host.
    browser = Client()

    async def class_view(host: str, **headers: str) -> str:
        response = await sync_to_async(browser.get)(
            f"/runs/{run_id}/class", HTTP_HOST=host, headers=headers
        )
        assert response.status_code == 200
        return response.content.decode()

    for host, command in [
        ("127.0.0.1:8000", "make run HOST=0.0.0.0</code>"),
        ("localhost:8123", "make run HOST=0.0.0.0 PORT=8123</code>"),
        ("[::1]:8000", "make run HOST=0.0.0.0</code>"),
    ]:
        page = await class_view(host)
        warning = re.search(r'<div class="loopback-warning".*?</div>', page, re.S).group(0)
        assert "only works on this computer" in warning
        assert "PODVIZ_ALLOWED_HOSTS=" in warning and command in warning
    assert "이 컴퓨터에서만 열립니다" in await class_view("127.0.0.1:8000", accept_language="ko")
    network = await class_view("testserver")
    assert "loopback-warning" not in network and "/join?code=" in network


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1:8000", True),
        ("127.3.2.1", True),
        ("[::1]:8000", True),
        ("localhost", True),
        ("LOCALHOST:8000", True),
        ("192.168.1.20:8000", False),
        ("[fe80::1]:8000", False),
        ("podviz.example.org", False),
    ],
)
def test_loopback_hosts_are_127_8_ipv6_1_and_localhost(host, loopback):
    assert is_loopback_host(host) is loopback


async def test_a_run_stopped_here_comes_back_from_the_database_at_its_time(run_manager):
    teacher = AsyncClient()
    run_id = await start_class(teacher, "?t=120")
    presenter = await open_socket(run_id, teacher)
    await receive_of_type(presenter, "run.state")
    await presenter.send_to(text_data='{"type": "inject", "action": "NodeDown", "node": "node2"}')
    await presenter.send_to(text_data='{"type": "pause"}')
    await receive_until(presenter, lambda m: m.get("playing") is False)
    before = run_manager.get(run_id)
    expected_time, expected_injected = before.now, before.injected
    await presenter.disconnect()
    # As a restart does: no run in memory, the database alone remembers it.
    run_manager.stop(run_id)
    get_host().owned.clear()
    await ClassRun.objects.filter(run_id=run_id).aupdate(lease_expires_at=None)

    follower = await open_socket(run_id)
    state = await receive_of_type(follower, "run.state")
    assert state["time"] == pytest.approx(expected_time)
    assert state["playing"] is False
    assert [event["action"] for event in state["injected"]] == ["NodeDown"]
    brought_back = run_manager.get(run_id)
    assert brought_back is not before and brought_back.injected == expected_injected
    await follower.disconnect()


async def test_clean_up_deletes_runs_nobody_opened(run_manager):
    teacher = AsyncClient()
    run_id = await start_class(teacher)
    await ClassRun.objects.filter(run_id=run_id).aupdate(lease_expires_at=None)
    assert await durable.adelete_stale(3600) == 0
    assert await durable.adelete_stale(-1) == 1
    assert not await ClassRun.objects.filter(run_id=run_id).aexists()


async def test_a_teacher_reopening_the_lesson_is_offered_the_class_run(run_manager):
    teacher, student = AsyncClient(), AsyncClient()
    run_id = await start_class(teacher)
    record = await ClassRun.objects.aget(run_id=run_id)
    home = (await teacher.get("/")).content.decode()
    offer = re.search(r'<p class="continue-class" data-continue="seed-story">.*?</p>', home, re.S)
    assert offer and f'href="/runs/{run_id}/"' in offer.group(0)
    assert record.join_code in offer.group(0)
    assert "continue-class" not in (await student.get("/")).content.decode()
