"""The app's serving model and memory (``behavior.containers.<name>.serving`` / ``.memory``) and
the scenario's ``dependencies`` (docs/scenario-format.md "The serving model").

Not part of Kubernetes: what the program inside the container does with the requests it gets.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

from simulator.scenario.field_readers import (
    check_dns_label,
    read_bool,
    read_choice,
    read_duration,
    read_int,
    read_list,
    read_mapping,
    read_number,
)
from simulator.scenario.types import (
    ContainerBehavior,
    DependencySpec,
    LatencySpec,
    MemorySpec,
    PathSpec,
    ServingSpec,
    VariantSpec,
    WarmUp,
)
from simulator.scenario.validation import FieldPath, Problems, format_value

SERVING_FIELDS = ("concurrency", "queueLimit", "latency", "paths", "dependsOn", "warmUp")
LATENCY_FIELDS = ("distribution", "median", "p99", "mean")
PATH_FIELDS = ("status", "latency", "dependsOn", "servedApart")
MEMORY_FIELDS = ("startMiB", "leakMiBPerMinute")
WARM_UP_FIELDS = ("seconds", "factor")
DEPENDENCY_FIELDS = ("latency",)
DISTRIBUTIONS = ("lognormal", "exponential")
MAX_CONCURRENCY = 10_000  # simulator limit
MAX_QUEUE_LIMIT = 1_000_000  # simulator limit
MAX_PATHS = 20  # simulator limit
MAX_DEPENDENCIES = 20  # simulator limit
# The standard normal's 99th percentile: a lognormal's p99 is median · exp(sigma · Z99).
Z99 = 2.3263478740408408
_LATENCY_HINT = (
    "give {median, p99} (lognormal) or {mean} (exponential), e.g. {median: 50ms, p99: 200ms}"
)


def parse_serving(raw: Any, path: FieldPath, problems: Problems) -> ServingSpec | None:
    """``serving``: concurrency, queue, service time, per-path answers. None when invalid."""
    serving = read_mapping(raw, path, problems, known=SERVING_FIELDS)
    if serving is None:
        return None
    before = len(problems.found)
    concurrency = read_int(
        serving, "concurrency", path, problems, default=1, minimum=1, limit=MAX_CONCURRENCY
    )
    queue_limit = read_int(
        serving, "queueLimit", path, problems, default=None, minimum=0, limit=MAX_QUEUE_LIMIT
    )
    latency = None
    if serving.get("latency") is None:
        problems.required(path.child("latency"), _LATENCY_HINT)
    else:
        latency = parse_latency(serving["latency"], path.child("latency"), problems)
    paths = _paths(serving.get("paths"), path.child("paths"), problems)
    depends_on = read_names(serving, "dependsOn", path, problems)
    warm_up = _warm_up(serving.get("warmUp"), path.child("warmUp"), problems)
    if latency is None or len(problems.found) > before:
        return None
    return ServingSpec(
        concurrency=concurrency,
        queue_limit=queue_limit,
        latency=latency,
        paths=paths,
        depends_on=depends_on,
        warm_up=warm_up,
    )


def parse_latency(raw: Any, path: FieldPath, problems: Problems) -> LatencySpec | None:
    """``{median, p99}`` (lognormal) or ``{mean}`` (exponential); ``distribution: exponential``
    also takes a median (mean = median / ln 2)."""
    latency = read_mapping(raw, path, problems, known=LATENCY_FIELDS)
    if latency is None:
        return None
    before = len(problems.found)
    given = {
        name: read_duration(latency, name, path, problems, default=None, positive=True)
        for name in ("median", "p99", "mean")
    }
    if len(problems.found) > before:
        return None
    default = "exponential" if given["mean"] is not None else "lognormal"
    distribution = read_choice(
        latency, "distribution", path, problems, supported=DISTRIBUTIONS, default=default
    )
    median, p99, mean = given["median"], given["p99"], given["mean"]
    if mean is not None and median is not None:
        problems.forbidden(
            path.child("mean"), f"give either median or mean, not both: {_LATENCY_HINT}"
        )
        return None
    if distribution == "exponential":
        if p99 is not None:
            problems.forbidden(
                path.child("p99"),
                "an exponential distribution is given by its mean (or median) alone",
            )
            return None
        if mean is None and median is None:
            problems.required(path.child("mean"), _LATENCY_HINT)
            return None
        mean = mean if mean is not None else (median or 0.0) / math.log(2)
        return LatencySpec(distribution="exponential", mean=mean, median=mean * math.log(2))
    if mean is not None:
        problems.forbidden(
            path.child("mean"),
            "a lognormal distribution is given by median and p99; for a mean alone add "
            "distribution: exponential",
        )
        return None
    if median is None or p99 is None:
        missing = "median" if median is None else "p99"
        problems.required(path.child(missing), _LATENCY_HINT)
        return None
    if p99 < median:
        problems.invalid(
            path.child("p99"),
            latency["p99"],
            f"must be at least the median ({format_value(latency['median'])})",
        )
        return None
    sigma = math.log(p99 / median) / Z99
    return LatencySpec(
        distribution="lognormal", median=median, p99=p99, mean=median * math.exp(sigma**2 / 2)
    )


def _paths(raw: Any, path: FieldPath, problems: Problems) -> dict[str, PathSpec]:
    if raw is None:
        return {}
    entries = read_mapping(raw, path, problems) or {}
    if len(entries) > MAX_PATHS:
        problems.too_many(path, len(entries), MAX_PATHS)
        return {}
    paths = {}
    for name, value in entries.items():
        entry_path = path.key(str(name))
        if not isinstance(name, str) or not name.startswith("/"):
            problems.invalid(entry_path, name, 'must be a path starting with "/", e.g. /healthz')
            continue
        entry = read_mapping(
            value if value is not None else {}, entry_path, problems, known=PATH_FIELDS
        )
        if entry is None:
            continue
        status = read_int(
            entry, "status", entry_path, problems, default=200, minimum=100, maximum=599
        )
        latency = read_duration(entry, "latency", entry_path, problems, default=0.0)
        paths[name] = PathSpec(
            status=status,
            latency=latency,
            depends_on=read_names(entry, "dependsOn", entry_path, problems),
            served_apart=read_bool(entry, "servedApart", entry_path, problems, default=False),
        )
    return paths


def read_names(
    parent: Mapping[str, Any], name: str, path: FieldPath, problems: Problems
) -> tuple[str, ...]:
    """A list of dependency names (``check_dependencies`` checks them against
    ``spec.dependencies``)."""
    raw = parent.get(name)
    if raw is None:
        return ()
    list_path = path.child(name)
    names = []
    for index, item in enumerate(read_list(raw, list_path, problems)):
        if not isinstance(item, str):
            problems.invalid(list_path.index(index), item, "must be the name of a dependency")
        else:
            names.append(item)
    return tuple(names)


def _warm_up(raw: Any, path: FieldPath, problems: Problems) -> WarmUp:
    if raw is None:
        return WarmUp()
    entry = read_mapping(raw, path, problems, known=WARM_UP_FIELDS) or {}
    seconds = read_duration(entry, "seconds", path, problems, default=0.0)
    factor = read_number(entry, "factor", path, problems, default=1.0, minimum=1, limit=1000)
    return WarmUp(seconds=seconds, factor=factor)


def parse_memory(raw: Any, path: FieldPath, problems: Problems) -> MemorySpec | None:
    """``memory``: MiB at each start and MiB gained per minute."""
    memory = read_mapping(raw, path, problems, known=MEMORY_FIELDS)
    if memory is None:
        return None
    return MemorySpec(
        start_mib=read_number(memory, "startMiB", path, problems, default=0.0, minimum=0),
        leak_mib_per_minute=read_number(
            memory, "leakMiBPerMinute", path, problems, default=0.0, minimum=0
        ),
    )


def parse_dependencies(raw: Any, path: FieldPath, problems: Problems) -> dict[str, DependencySpec]:
    """``spec.dependencies``: name → ``{latency}``."""
    if raw is None:
        return {}
    entries = read_mapping(raw, path, problems) or {}
    if len(entries) > MAX_DEPENDENCIES:
        problems.too_many(path, len(entries), MAX_DEPENDENCIES)
        return {}
    dependencies = {}
    for name, value in entries.items():
        entry_path = path.key(str(name))
        if not isinstance(name, str) or not check_dns_label(name, entry_path, problems):
            continue
        entry = read_mapping(
            value if value is not None else {}, entry_path, problems, known=DEPENDENCY_FIELDS
        )
        if entry is None:
            continue
        latency = read_duration(entry, "latency", entry_path, problems, default=0.0)
        dependencies[name] = DependencySpec(latency=latency)
    return dependencies


def check_dependencies(
    variants: tuple[VariantSpec, ...],
    dependencies: Collection[str],
    spec_path: FieldPath,
    problems: Problems,
) -> None:
    """Every ``dependsOn`` names an entry of ``spec.dependencies``."""
    reported: set[tuple[str, str]] = set()
    for variant in variants:
        for container, behavior in variant.behavior.containers.items():
            for where, names in _depends_on(behavior):
                for name in names:
                    if name in dependencies or (container, name) in reported:
                        continue
                    reported.add((container, name))
                    field = spec_path.child("behavior").child("containers").key(container)
                    for part in where:
                        field = field.key(part) if part.startswith("/") else field.child(part)
                    problems.invalid(
                        field.child("dependsOn"),
                        name,
                        f"not a dependency: declare it under spec.dependencies "
                        f"(declared: {', '.join(sorted(dependencies)) or 'none'})",
                    )


def _depends_on(behavior: ContainerBehavior) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    serving = behavior.serving
    if serving is None:
        return []
    found: list[tuple[tuple[str, ...], tuple[str, ...]]] = [(("serving",), serving.depends_on)]
    for name, path in serving.paths.items():
        found.append((("serving", "paths", name), path.depends_on))
    return found
