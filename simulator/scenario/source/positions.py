"""YAML (or JSON) text decoded together with the line and column of every node.

PyYAML composes the text into a node tree whose nodes carry their start marks; the document is
constructed from that same tree, and a walk over it maps each path (``("spec", "events", 0,
"at")``) to where its value, and its key, start. Problems found later are placed with this map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from simulator.scenario.source.limits import yaml_shape_problem
from simulator.scenario.validation import PathPart

# A YAML file of aliases can name exponentially many paths; positions stop being recorded past
# this many (the document itself is unaffected).
MAX_RECORDED_PATHS = 200_000

Position = tuple[int, int]
# libyaml's parser when PyYAML was built with it (several times faster), else the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlSyntaxError(ValueError):
    """Text that is not one YAML document; ``line``/``column`` count from 1."""

    def __init__(self, message: str, line: int | None, column: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class DecodedText:
    """A decoded document and where each of its nodes starts in the text."""

    data: Any
    value_positions: dict[tuple[PathPart, ...], Position] = field(default_factory=dict)
    key_positions: dict[tuple[PathPart, ...], Position] = field(default_factory=dict)
    # Paths of mapping keys given more than once (the later one wins, as in PyYAML).
    duplicate_keys: list[tuple[PathPart, ...]] = field(default_factory=list)

    def position_of(self, parts: tuple[PathPart, ...], at_key: bool = False) -> Position | None:
        if at_key and parts in self.key_positions:
            return self.key_positions[parts]
        return self.value_positions.get(parts)


def decode_text(text: str) -> DecodedText:
    """Decode one YAML document (JSON is YAML) with positions; raises ``YamlSyntaxError``,
    also for text too deep or too large once aliases are expanded (``yaml_limits``)."""
    _check_readable(text)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return DecodedText(data=None)
        decoded = DecodedText(data=None)
        _find_duplicate_keys(loader, root, (), decoded, set())
        decoded.data = loader.construct_document(root)
        _record_positions(loader, root, (), decoded, set())
        return decoded
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = ": ".join(part for part in (error.context, error.problem) if part)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise YamlSyntaxError(f"YAML syntax error: {message}", line, column) from error
    except yaml.YAMLError as error:
        raise YamlSyntaxError(f"YAML syntax error: {error}", None, None) from error
    except (ValueError, TypeError, AttributeError, RecursionError) as error:
        # PyYAML's constructors fail this way on values such as `!!int abc` or `2001-13-45`,
        # and on a value that contains itself through an alias.
        raise YamlSyntaxError(f"cannot read this YAML: {error}", None, None) from error
    finally:
        loader.dispose()


def _check_readable(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        message = f"not UTF-8 text: character {error.start} cannot be encoded"
        raise YamlSyntaxError(message, None, None) from None
    problem = yaml_shape_problem(text)
    if problem is not None:
        raise YamlSyntaxError(problem.message, problem.line, problem.column)


def _mark(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _key_of(loader: Any, key_node: yaml.Node) -> PathPart | None:
    if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
        return None
    key = loader.construct_object(key_node)
    return key if isinstance(key, str | int) and not isinstance(key, bool) else str(key)


def _find_duplicate_keys(
    loader: Any,
    node: yaml.Node,
    path: tuple[PathPart, ...],
    decoded: DecodedText,
    visited: set[int],
) -> None:
    """Before construction, while merge keys (``<<``) are still apart from a mapping's own keys."""
    if id(node) in visited:
        return
    visited.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[PathPart] = set()
        for key_node, value_node in node.value:
            key = _key_of(loader, key_node)
            if key is None:
                continue
            if key in seen:
                decoded.duplicate_keys.append((*path, key))
            seen.add(key)
            _find_duplicate_keys(loader, value_node, (*path, key), decoded, visited)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _find_duplicate_keys(loader, item, (*path, index), decoded, visited)


def _record_positions(
    loader: Any,
    node: yaml.Node,
    path: tuple[PathPart, ...],
    decoded: DecodedText,
    active: set[int],
) -> None:
    """After construction: merge keys have been folded into each mapping's node list."""
    if id(node) in active or len(decoded.value_positions) >= MAX_RECORDED_PATHS:
        return
    decoded.value_positions[path] = _mark(node)
    active.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = _key_of(loader, key_node)
            if key is None:
                continue
            # Later occurrences overwrite: the last one of a duplicated key is the one kept.
            decoded.key_positions[(*path, key)] = _mark(key_node)
            _record_positions(loader, value_node, (*path, key), decoded, active)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_positions(loader, item, (*path, index), decoded, active)
    active.discard(id(node))
