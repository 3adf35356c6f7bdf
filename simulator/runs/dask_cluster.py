"""Running independent engine runs on a Dask distributed cluster (``--scheduler tcp://HOST:PORT``).

Each task is one whole run (a sweep cell, or one workload's drills), shipped to the workers by
``Client.map``; results come back in submission order. The workers must be able to import
``simulator`` (start them from the repository, or with it on ``PYTHONPATH``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TextIO

from tqdm import tqdm

CONNECT_TIMEOUT_SECONDS = 10


class SchedulerUnreachable(ConnectionError):
    """The scheduler at the address given could not be reached."""


def map_on_cluster(
    scheduler: str,
    function: Callable[..., Any],
    *arguments: Sequence[Any],
    progress: TextIO | None = None,
    description: str = "runs",
) -> list[Any]:
    """``[function(*args) for args in zip(*arguments)]``, each call a task on the cluster.

    Raises ``SchedulerUnreachable`` naming the address when no scheduler answers there, and
    re-raises a task's exception (a ``ScenarioError``, say) as the task raised it.
    """
    from distributed import Client, as_completed

    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_SECONDS)
    except (OSError, TimeoutError) as error:
        raise SchedulerUnreachable(
            f"--scheduler: cannot reach a Dask scheduler at {scheduler}: {error}"
        ) from None
    with client:
        futures = client.map(function, *arguments, pure=False)
        with tqdm(
            total=len(futures),
            desc=description,
            unit="run",
            file=progress,
            disable=progress is None,
        ) as bar:
            for _ in as_completed(futures):
                bar.update()
        return client.gather(futures)
