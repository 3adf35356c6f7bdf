"""Kubernetes manifests as YAML or JSON text: the documents in it, and the objects they hold.

Both the pasted-manifest path (a Deployment, Pod or Job turned into a scenario) and the probe
advisor (``python -m simulator check``) read manifests through here, so hostile text (deep
nesting, alias bombs, values PyYAML's constructors cannot build) is refused the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

import yaml

from simulator.scenario.source.limits import yaml_shape_problem
from simulator.scenario.validation import Problem, ScenarioError

# libyaml's parser when PyYAML was built with it, else the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_documents(text: str, source: str = "") -> list[Any]:
    """Every YAML document in ``text`` (JSON is YAML), decoded with the safe loader.

    ``source`` names the file in problems (``""`` for pasted text). Raises ``ScenarioError`` with
    one problem, with its line and column where PyYAML gives them, when the text is not YAML or
    is shaped to exhaust the parser (``simulator.scenario.source.limits``).
    """
    shape_problem = yaml_shape_problem(text)
    if shape_problem is not None:
        raise ScenarioError([dataclasses.replace(shape_problem, path=source)])
    try:
        return list(yaml.load_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = ": ".join(part for part in (error.context, error.problem) if part)
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ScenarioError(
            [Problem(source, f"YAML syntax error: {message}", line, column)]
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, AttributeError) as error:
        # PyYAML's constructors fail this way on values such as `!!int abc` or `2001-13-45`.
        raise ScenarioError([Problem(source, f"YAML syntax error: {error}")]) from None


def kubernetes_objects(
    documents: Iterable[Any], unpacked: frozenset[int] = frozenset()
) -> Iterator[dict[str, Any]]:
    """The Kubernetes objects (mappings with a ``kind``) in ``documents``, in order.

    ``kind: List`` documents (what ``kubectl get -o yaml`` prints) are unpacked, nested ones too,
    each list once: an alias can make a list contain itself.
    """
    for document in documents:
        if not isinstance(document, dict) or id(document) in unpacked:
            continue
        if document.get("kind") == "List" or (
            "kind" not in document and isinstance(document.get("items"), list)
        ):
            items = document.get("items")
            yield from kubernetes_objects(
                items if isinstance(items, list) else [], unpacked | {id(document)}
            )
        elif "kind" in document:
            yield document
