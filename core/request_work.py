"""Engine work that a request asks for (a sweep, a report, a check, a validation), kept apart
from the live runs.

The runs' ticks run in the event loop's default thread pool (``asyncio.to_thread``); work for a
request runs here instead, in its own small pool of worker processes (``request_workers``), so
however many heavy requests come in, the ticks always find a thread, and the work does not
compete with them for the interpreter's lock (a sweep in a thread of the server's process took
the class from 10 to 9.1 frames/s, docs/benchmarks.md). In front of the pool:

- a result cache keyed by the work and its whole input (the scenario's text, the grid, the
  language): a repeated request costs nothing, and identical requests in flight share one run;
- per client (address), at most ``heavy_requests_per_client`` pieces of work at once: 429 past it;
- at most ``request_queue`` pieces waiting for a worker: 503 past it (the server is busy).

Refusals are ``limits.LimitExceeded`` (code ``busy`` for the 503).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import multiprocessing
import os
from collections import Counter, OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import django
from django.utils.translation import gettext

from . import limits

CACHE_ENTRIES = 32
WORKER_NICENESS = 10


def work_key(name: str, *inputs: Any) -> str:
    """A cache key for the work ``name`` on ``inputs`` (JSON-encodable, or their ``repr``)."""
    text = json.dumps([name, *inputs], sort_keys=True, default=repr, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _start_worker(settings_module: str) -> None:
    # A fresh interpreter ("spawn": forking a process with Twisted's and asyncio's threads is
    # unsafe): the work functions live in modules that import Django's models.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    django.setup()
    # Below the server's priority: on a busy machine the live runs get the CPU first.
    os.nice(WORKER_NICENESS)


class RequestWork:
    def __init__(self, workers: int, queue: int, per_client: int) -> None:
        self.workers = workers
        self.queue = queue
        self.per_client = per_client
        self._executor = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),),
        )
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._in_flight: dict[str, asyncio.Future[Any]] = {}
        self._by_client: Counter[str] = Counter()
        self._pending = 0

    async def run[T](self, key: str, client: str, work: Callable[..., T], *args: Any) -> T:
        """``work(*args)`` in the request pool, or its cached or in-flight result for ``key``.
        ``work`` is a module-level function; its arguments and result cross to the worker
        process and back by pickling.

        Raises ``limits.LimitExceeded`` (``too_many_requests`` for this client, ``busy`` for a
        full queue) before any work, or whatever ``work`` raises.
        """
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        if key in self._in_flight:
            return await asyncio.shield(self._in_flight[key])
        if self._by_client[client] >= self.per_client:
            raise limits.LimitExceeded(
                gettext(
                    "you already have %(requests)d heavy requests (sweeps, reports, checks) "
                    "running here, the most one address may have; wait for them to finish"
                )
                % {"requests": self._by_client[client]},
                "too_many_requests",
            )
        if self._pending >= self.workers + self.queue:
            raise limits.LimitExceeded(
                gettext(
                    "the server is busy with %(requests)d sweeps, reports and checks; "
                    "the classes' runs go first: try again in a minute"
                )
                % {"requests": self._pending},
                "busy",
            )
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, functools.partial(work, *args))
        self._in_flight[key] = future
        self._pending += 1
        self._by_client[client] += 1
        try:
            result = await asyncio.shield(future)
        finally:
            self._pending -= 1
            self._by_client[client] -= 1
            if not self._by_client[client]:
                del self._by_client[client]
            self._in_flight.pop(key, None)
        self._cache[key] = result
        while len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)
        return result


_work: RequestWork | None = None


def get_request_work() -> RequestWork:
    """The process's request pool, sized by ``PODVIZ_LIMITS``."""
    global _work
    if _work is None:
        allowed = limits.current()
        _work = RequestWork(
            allowed.request_workers, allowed.request_queue, allowed.heavy_requests_per_client
        )
    return _work


async def run_for[T](request: Any, name: str, inputs: tuple, work: Callable[..., T], *args) -> T:
    """``work(*args)`` for ``request``'s client, cached under ``name`` and ``inputs``."""
    client = limits.client_address(request)
    return await get_request_work().run(work_key(name, *inputs), client, work, *args)
