"""Bounds that keep any YAML text cheap to read, checked before it is decoded."""

from __future__ import annotations

import yaml

from simulator.scenario.validation import Problem

# PyYAML's C composer recurses once per nesting level (a few thousand levels crash the process),
# libyaml slows down quadratically with flow nesting, and a few lines of aliases can stand for
# billions of nodes; these bounds keep any text cheap to read.
MAX_NESTING_DEPTH = 100
MAX_EXPANDED_NODES = 100_000
# libyaml's parser when PyYAML was built with it, else the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_shape_problem(text: str) -> Problem | None:
    """A problem if ``text`` nests deeper or expands (through aliases) to more nodes than the
    limits above; None otherwise, syntax errors included (the parser proper places those)."""
    # Nodes counted with aliases expanded: the count when each open collection started.
    expanded = 0
    open_collections: list[tuple[str | None, int]] = []
    anchored_sizes: dict[str, int] = {}
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                if len(open_collections) >= MAX_NESTING_DEPTH:
                    return _event_problem(
                        event, f"nested more than {MAX_NESTING_DEPTH} levels deep (simulator limit)"
                    )
                open_collections.append((event.anchor, expanded))
                expanded += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, started = open_collections.pop()
                if anchor is not None:
                    anchored_sizes[anchor] = expanded - started
            elif isinstance(event, yaml.ScalarEvent):
                expanded += 1
            elif isinstance(event, yaml.AliasEvent):
                expanded += anchored_sizes.get(event.anchor or "", 1)
            if expanded > MAX_EXPANDED_NODES:
                return _event_problem(
                    event,
                    f"stands for more than {MAX_EXPANDED_NODES} values once aliases are expanded "
                    "(simulator limit)",
                )
    except yaml.YAMLError:
        return None
    return None


def _event_problem(event: yaml.Event, message: str) -> Problem:
    mark = event.start_mark
    if mark is None:
        return Problem("", message)
    return Problem("", message, mark.line + 1, mark.column + 1)
