"""Running a sweep's cells on every core (a process pool), with a progress bar on stderr."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TextIO

from tqdm import tqdm

from simulator.sweep.cells import run_cell


def run_sweep(
    document: Mapping[str, Any],
    combinations: Sequence[Mapping[str, Any]],
    *,
    workers: int | None = None,
    progress: TextIO | None = sys.stderr,
    scheduler: str | None = None,
) -> list[dict[str, Any]]:
    """Every combination's cells, in the order of ``combinations`` (then of the variants).

    ``workers``: processes (default: one per core; 1 runs in this process). ``progress``: where
    the progress bar goes (None: no bar). ``scheduler``: a Dask scheduler's address
    (``tcp://HOST:PORT``) to run the cells on its workers instead. Raises ``ScenarioError`` from
    the first invalid cell, ``SchedulerUnreachable`` when the scheduler cannot be reached.
    """
    if scheduler is not None:
        from simulator.runs.dask_cluster import map_on_cluster

        documents = [document] * len(combinations)
        found = map_on_cluster(
            scheduler,
            run_cell,
            documents,
            list(combinations),
            progress=progress,
            description="sweep",
        )
        return [cell for cells in found for cell in cells]
    count = workers or os.cpu_count() or 1
    bar = tqdm(
        total=len(combinations),
        desc="sweep",
        unit="run",
        file=progress,
        disable=progress is None,
    )
    results: list[list[dict[str, Any]]] = []
    with bar:
        if count == 1 or len(combinations) == 1:
            for values in combinations:
                results.append(run_cell(document, values))
                bar.update()
        else:
            # Spawned, not forked: the caller may run threads (a web server, a test runner).
            context = multiprocessing.get_context("spawn")
            workers_used = min(count, len(combinations))
            with ProcessPoolExecutor(max_workers=workers_used, mp_context=context) as pool:
                documents = [document] * len(combinations)
                for cells in pool.map(run_cell, documents, combinations):
                    results.append(cells)
                    bar.update()
    return [cell for cells in results for cell in cells]
