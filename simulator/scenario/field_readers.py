"""Typed reads of fields from a decoded document, each failure recorded as a problem.

A reader returns the value when it is valid, else records a problem and returns the default, so
validation goes on and reports every problem at once. An explicit ``null`` counts as absent, as in
Kubernetes manifests.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from simulator.scenario.durations import parse_duration
from simulator.scenario.validation import FieldPath, Problems

SIMULATOR_LIMIT = "simulator limit"

# k8s.io/apimachinery pkg/util/validation (IsDNS1123Label, IsDNS1123Subdomain), messages included.
_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
DNS1123_LABEL_MESSAGE = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
    "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS1123_SUBDOMAIN_MESSAGE = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


def read_mapping(
    value: Any,
    path: FieldPath,
    problems: Problems,
    *,
    known: Collection[str] | None = None,
) -> dict[str, Any] | None:
    """``value`` as a mapping, or None (with a problem) if it is not one.

    With ``known``, every other key is reported as an unknown field: our own format is strict so
    that a typo such as ``spec.trafic`` cannot pass silently.
    """
    if not isinstance(value, Mapping):
        problems.invalid(path, value, "must be a mapping")
        return None
    if known is not None:
        for name in value:
            if name not in known:
                problems.unknown_field(path.child(str(name)), str(name), known)
    return dict(value)


def optional_mapping(
    parent: Mapping[str, Any],
    name: str,
    path: FieldPath,
    problems: Problems,
    *,
    known: Collection[str] | None = None,
) -> dict[str, Any]:
    """The mapping under ``name``; an empty one when absent or invalid."""
    value = parent.get(name)
    if value is None:
        return {}
    return read_mapping(value, path.child(name), problems, known=known) or {}


def read_list(value: Any, path: FieldPath, problems: Problems) -> list[Any]:
    if isinstance(value, list):
        return value
    problems.invalid(path, value, "must be a list")
    return []


def list_of_mappings(
    parent: Mapping[str, Any], name: str, path: FieldPath, problems: Problems
) -> Iterator[tuple[dict[str, Any], FieldPath]]:
    """Each valid mapping of the list under ``name`` with its path (``name[i]``); nothing when
    the field is absent. A value that is not a list, or an item that is not a mapping, is
    recorded as a problem and skipped."""
    raw = parent.get(name)
    if raw is None:
        return
    list_path = path.child(name)
    for index, item in enumerate(read_list(raw, list_path, problems)):
        item_path = list_path.index(index)
        entry = read_mapping(item, item_path, problems)
        if entry is not None:
            yield entry, item_path


def read_int[D: (int | None)](
    parent: Mapping[str, Any],
    name: str,
    path: FieldPath,
    problems: Problems,
    *,
    default: D,
    minimum: int | None = None,
    maximum: int | None = None,
    limit: int | None = None,
    required: bool = False,
) -> int | D:
    """An integer field within [minimum, maximum]; ``limit`` is the simulator's own ceiling."""
    value, field_path = _field(parent, name, path, problems, required)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        problems.invalid(field_path, value, "must be an integer")
        return default
    if not _within(value, field_path, problems, minimum, maximum, limit):
        return default
    return value


def read_number[D: (float | None)](
    parent: Mapping[str, Any],
    name: str,
    path: FieldPath,
    problems: Problems,
    *,
    default: D,
    minimum: float | None = None,
    limit: float | None = None,
    required: bool = False,
) -> float | D:
    value, field_path = _field(parent, name, path, problems, required)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.invalid(field_path, value, "must be a number")
        return default
    if not _within(value, field_path, problems, minimum, None, limit):
        return default
    return float(value)


def read_duration[D: (float | None)](
    parent: Mapping[str, Any],
    name: str,
    path: FieldPath,
    problems: Problems,
    *,
    default: D,
    minimum: float = 0.0,
    positive: bool = False,
    limit: float | None = None,
    required: bool = False,
) -> float | D:
    """Seconds, as a number or a string such as "90s" or "1m30s" (``duration_strings``)."""
    value, field_path = _field(parent, name, path, problems, required)
    if value is None:
        return default
    try:
        seconds = parse_duration(value)
    except ValueError as error:
        problems.invalid(field_path, value, str(error))
        return default
    if positive and seconds <= 0:
        problems.invalid(field_path, value, "must be greater than 0")
        return default
    if not _within(seconds, field_path, problems, minimum, None, limit, shown=value):
        return default
    return seconds


def read_bool(
    parent: Mapping[str, Any], name: str, path: FieldPath, problems: Problems, *, default: bool
) -> bool:
    value = parent.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        problems.invalid(path.child(name), value, "must be true or false")
        return default
    return value


def read_str(
    parent: Mapping[str, Any],
    name: str,
    path: FieldPath,
    problems: Problems,
    *,
    required: bool = False,
) -> str | None:
    value = parent.get(name)
    field_path = path.child(name)
    if value is None or value == "":
        if required:
            problems.required(field_path)
        return None
    if not isinstance(value, str):
        problems.invalid(field_path, value, "must be a string")
        return None
    return value


def read_choice[D: (str | None)](
    parent: Mapping[str, Any],
    name: str,
    path: FieldPath,
    problems: Problems,
    *,
    supported: Collection[str],
    default: D,
    required: bool = False,
) -> str | D:
    value = parent.get(name)
    field_path = path.child(name)
    if value is None:
        if required:
            problems.required(field_path, f"supported values: {_choices(supported)}")
        return default
    if not isinstance(value, str) or value not in supported:
        problems.unsupported(field_path, value, supported)
        return default
    return value


def check_dns_label(value: str, path: FieldPath, problems: Problems) -> bool:
    if len(value) <= 63 and _DNS1123_LABEL.fullmatch(value):
        return True
    if len(value) > 63:
        problems.invalid(path, value, "must be no more than 63 characters")
    else:
        problems.invalid(path, value, DNS1123_LABEL_MESSAGE)
    return False


def check_dns_subdomain(value: str, path: FieldPath, problems: Problems) -> bool:
    if len(value) <= 253 and _DNS1123_SUBDOMAIN.fullmatch(value):
        return True
    if len(value) > 253:
        problems.invalid(path, value, "must be no more than 253 characters")
    else:
        problems.invalid(path, value, DNS1123_SUBDOMAIN_MESSAGE)
    return False


def _field(
    parent: Mapping[str, Any], name: str, path: FieldPath, problems: Problems, required: bool
) -> tuple[Any, FieldPath]:
    """The field's value (None when absent, reported if required) and its path."""
    value = parent.get(name)
    field_path = path.child(name)
    if value is None and required:
        problems.required(field_path)
    return value, field_path


def _within(
    value: float,
    path: FieldPath,
    problems: Problems,
    minimum: float | None,
    maximum: float | None,
    limit: float | None,
    *,
    shown: Any = None,
) -> bool:
    shown = value if shown is None else shown
    if minimum is not None and value < minimum:
        problems.invalid(path, shown, f"must be greater than or equal to {_number(minimum)}")
        return False
    if maximum is not None and value > maximum:
        problems.invalid(path, shown, f"must be less than or equal to {_number(maximum)}")
        return False
    if limit is not None and value > limit:
        problems.invalid(
            path, shown, f"must be less than or equal to {_number(limit)} ({SIMULATOR_LIMIT})"
        )
        return False
    return True


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _choices(supported: Collection[str]) -> str:
    return ", ".join(f'"{choice}"' for choice in sorted(supported))


_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def read_text(
    parent: Mapping[str, Any],
    name: str,
    path: FieldPath,
    problems: Problems,
    *,
    required: bool = False,
) -> dict[str, str]:
    """Text for people: a string, or a map of language to string such as ``{en: ..., ko: ...}``.

    A plain string is English. A map must hold English, the fallback for every other language.
    """
    value = parent.get(name)
    field_path = path.child(name)
    if value is None or value == "":
        if required:
            problems.required(field_path)
        return {}
    if isinstance(value, str):
        return {"en": value}
    texts = read_mapping(value, field_path, problems)
    if texts is None:
        return {}
    localized: dict[str, str] = {}
    for language, text in texts.items():
        language_path = field_path.child(str(language))
        if not isinstance(language, str) or not _LANGUAGE_TAG.fullmatch(language):
            problems.invalid(language_path, language, 'must be a language tag such as "en" or "ko"')
        elif not isinstance(text, str) or not text:
            problems.invalid(language_path, text, "must be a non-empty string")
        else:
            localized[language] = text
    if "en" not in texts:
        problems.required(field_path.child("en"), "English is the fallback for other languages")
    return localized
