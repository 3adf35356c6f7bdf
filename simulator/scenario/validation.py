"""Validation problems, reported the way the Kubernetes API server reports them.

Every problem names the field by its path (``spec.workload.spec.replicas``) and the rule broken,
with the API server's phrasing (k8s.io/apimachinery ``pkg/util/validation/field/errors.go``):
``Required value``, ``Invalid value: <value>: <detail>``, ``Unsupported value: <value>: supported
values: ...``, ``Forbidden: <detail>``, ``Duplicate value: <value>``, ``Too many: <n>: <detail>``.
Validation collects every problem before failing, so a user fixes a file in one pass.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

PathPart = str | int
# Finds the (line, column) of a path in the source text; None where unknown.
PositionLookup = Callable[[tuple[PathPart, ...], bool], tuple[int, int] | None]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario; ``line`` and ``column`` count from 1."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        described = f"{self.path}: {self.message}" if self.path else self.message
        if self.line is None:
            return described
        return f"{described} (line {self.line}, column {self.column})"


class ScenarioError(ValueError):
    """A scenario that cannot run; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class FieldPath:
    """A field's place in the document: ``parts`` to find it, ``text`` to show it.

    Rendered like k8s ``field.Path``: ``.child`` for fields, ``[0]`` for list items and
    ``[name]`` for keys of free-form maps.
    """

    parts: tuple[PathPart, ...] = ()
    text: str = ""

    def child(self, name: str) -> FieldPath:
        text = f"{self.text}.{name}" if self.text else name
        return FieldPath((*self.parts, name), text)

    def index(self, position: int) -> FieldPath:
        return FieldPath((*self.parts, position), f"{self.text}[{position}]")

    def key(self, name: str) -> FieldPath:
        return FieldPath((*self.parts, name), f"{self.text}[{name}]")

    def __str__(self) -> str:
        return self.text

    @classmethod
    def from_parts(cls, parts: Iterable[PathPart]) -> FieldPath:
        path = cls()
        for part in parts:
            path = path.index(part) if isinstance(part, int) else path.child(str(part))
        return path


ROOT = FieldPath()


def format_value(value: Any) -> str:
    """A value as the API server prints it: strings quoted, null, true/false, numbers bare."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    except ValueError:  # a value that contains itself through a YAML alias
        return "<a value that contains itself>"
    return text if len(text) <= 80 else text[:77] + "..."


def quoted_list(values: Iterable[Any]) -> str:
    return ", ".join(format_value(value) for value in values)


class Problems:
    """Collects problems, each placed in the source text when positions are known."""

    def __init__(self, position_of: PositionLookup | None = None) -> None:
        self._position_of = position_of
        self.found: list[Problem] = []

    def __bool__(self) -> bool:
        return bool(self.found)

    def add(self, path: FieldPath, message: str, *, at_key: bool = False) -> None:
        position = self._locate(path.parts, at_key)
        line, column = position if position else (None, None)
        self.found.append(Problem(path.text, message, line, column))

    def _locate(self, parts: tuple[PathPart, ...], at_key: bool) -> tuple[int, int] | None:
        if self._position_of is None:
            return None
        # A missing field is placed at the nearest enclosing node that exists.
        while True:
            position = self._position_of(parts, at_key)
            if position is not None or not parts:
                return position
            parts, at_key = parts[:-1], False

    def required(self, path: FieldPath, detail: str = "") -> None:
        self.add(path, f"Required value: {detail}" if detail else "Required value")

    def invalid(self, path: FieldPath, value: Any, detail: str) -> None:
        self.add(path, f"Invalid value: {format_value(value)}: {detail}")

    def unsupported(self, path: FieldPath, value: Any, supported: Iterable[Any]) -> None:
        choices = quoted_list(sorted(supported, key=str))
        self.add(path, f"Unsupported value: {format_value(value)}: supported values: {choices}")

    def forbidden(self, path: FieldPath, detail: str) -> None:
        self.add(path, f"Forbidden: {detail}")

    def duplicate(self, path: FieldPath, value: Any, *, at_key: bool = False) -> None:
        self.add(path, f"Duplicate value: {format_value(value)}", at_key=at_key)

    def too_many(self, path: FieldPath, count: int, limit: int) -> None:
        self.add(path, f"Too many: {count}: must have at most {limit} items")

    def unknown_manifest_field(
        self, path: FieldPath, manifest_path: str, known: Iterable[str]
    ) -> None:
        """A field the Kubernetes object does not have, as ``kubectl apply`` refuses it (strict
        field validation), with the closest known field name."""
        name = manifest_path.rsplit(".", 1)[-1]
        message = f"unknown field {format_value(manifest_path)}"
        close = difflib.get_close_matches(name, sorted(known), n=1)
        if close:
            message += f", did you mean {format_value(close[0])}?"
        self.add(path, f"Unknown field: strict decoding error: {message}", at_key=True)

    def unknown_field(self, path: FieldPath, name: str, known: Iterable[str]) -> None:
        known = sorted(known)
        close = difflib.get_close_matches(name, known, n=1)
        if close:
            hint = f"did you mean {format_value(close[0])}?"
        else:
            hint = f"supported fields: {quoted_list(known)}"
        self.add(path, f"Unknown field: {hint}", at_key=True)
