"""Engine work for requests runs in its own worker processes, behind a cache and per-client
limits, so a client with heavy requests cannot take the threads the live runs' ticks need."""

import asyncio
import os
import secrets
import time

import pytest
from django.utils import translation

from core import limits
from core.request_work import RequestWork, work_key


@pytest.fixture
def work():
    return RequestWork(workers=1, queue=1, per_client=1)


async def test_the_work_runs_in_another_process_and_a_repeat_is_served_from_the_cache(work):
    pid = await work.run(work_key("pid"), "10.0.0.1", os.getpid)
    assert pid != os.getpid()
    first = await work.run(work_key("token", 16), "10.0.0.1", secrets.token_hex, 16)
    again = await work.run(work_key("token", 16), "10.0.0.2", secrets.token_hex, 16)
    other = await work.run(work_key("token", 17), "10.0.0.1", secrets.token_hex, 16)
    assert again == first and other != first


async def test_one_client_gets_one_piece_of_work_at_once_and_a_full_queue_is_busy(work):
    running = asyncio.create_task(work.run(work_key("sleep", 1), "10.0.0.1", time.sleep, 1))
    await asyncio.sleep(0)
    with pytest.raises(limits.LimitExceeded) as refused:
        await work.run(work_key("sleep", 2), "10.0.0.1", time.sleep, 2)
    assert refused.value.code == "too_many_requests"
    # The same work asked again shares the one in flight, whoever asks.
    shared = asyncio.create_task(work.run(work_key("sleep", 1), "10.0.0.9", time.sleep, 1))
    queued = asyncio.create_task(work.run(work_key("sleep", 0.1), "10.0.0.2", time.sleep, 0.1))
    await asyncio.sleep(0)
    with translation.override("en"), pytest.raises(limits.LimitExceeded) as busy:
        await work.run(work_key("sleep", 3), "10.0.0.3", time.sleep, 3)
    assert busy.value.code == "busy" and "classes' runs go first" in str(busy.value)
    assert await asyncio.gather(running, shared, queued) == [None, None, None]
    # Once done, the client may ask again.
    assert await work.run(work_key("sleep", 0), "10.0.0.1", time.sleep, 0) is None


def test_a_refused_heavy_page_is_429_or_503_with_the_reason():
    response = limits.limit_response(limits.LimitExceeded("busy now", "busy"))
    assert response.status_code == 503 and response["Retry-After"]
    assert (
        limits.limit_response(limits.LimitExceeded("yours", "too_many_requests")).status_code == 429
    )


async def test_a_refusal_is_a_page_in_the_visitors_language(work, rf):
    work._by_client["10.0.0.1"] = 1  # one heavy request of this client already running
    with translation.override("ko"):
        with pytest.raises(limits.LimitExceeded) as refused:
            await work.run(work_key("pid"), "10.0.0.1", os.getpid)
        page = limits.limit_response(refused.value, rf.get("/sweep/"))
    assert page.status_code == 429
    text = page.content.decode()
    assert "지금은 할 수 없습니다" in text and "무거운 요청" in text
