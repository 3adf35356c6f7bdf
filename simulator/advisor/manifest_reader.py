"""Kubernetes objects out of a YAML file, a directory of them, or standard input.

Multi-document YAML and ``kind: List`` (what ``kubectl get -o yaml`` prints) are both read. The
workloads the simulator runs (Deployment, StatefulSet, Pod, Job) and the Services in front of
them are kept; every other object is named in ``skipped`` so the user sees it was not forgotten
(and ``check`` says whether it can judge without it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.scenario.source.documents import kubernetes_objects, load_documents
from simulator.scenario.validation import Problem, ScenarioError

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "Pod", "Job")
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
MAX_MANIFEST_BYTES = 8 * 1024 * 1024  # a whole cluster's export, not more


@dataclass(frozen=True)
class ManifestObject:
    """One object and where it came from (``source``: a file name, or ``-``)."""

    source: str
    manifest: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.manifest.get("kind"))

    @property
    def name(self) -> str:
        metadata = self.manifest.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        return name if isinstance(name, str) and name else "unnamed"

    @property
    def namespace(self) -> str | None:
        metadata = self.manifest.get("metadata")
        namespace = metadata.get("namespace") if isinstance(metadata, dict) else None
        return namespace if isinstance(namespace, str) else None

    @property
    def label(self) -> str:
        """``Kind/name``, as kubectl names objects."""
        return f"{self.kind}/{self.name}"


@dataclass
class ManifestSet:
    workloads: list[ManifestObject] = field(default_factory=list)
    services: list[ManifestObject] = field(default_factory=list)
    skipped: list[ManifestObject] = field(default_factory=list)


def read_manifests(location: str, stdin_text: str | None = None) -> ManifestSet:
    """The objects at ``location``: a file, a directory (its ``*.yaml``, ``*.yml`` and ``*.json``
    files, recursively, in name order) or ``-`` (``stdin_text``).

    Raises ``ScenarioError`` when the location does not exist, a file is not YAML, or no
    Deployment, Pod or Job is found.
    """
    texts = list(_texts(location, stdin_text))
    found = ManifestSet()
    for source, text in texts:
        for manifest in kubernetes_objects(load_documents(text, source)):
            kind = manifest.get("kind")
            if kind in WORKLOAD_KINDS:
                found.workloads.append(ManifestObject(source, manifest))
            elif kind == "Service":
                found.services.append(ManifestObject(source, manifest))
            else:
                found.skipped.append(ManifestObject(source, manifest))
    if not found.workloads:
        seen = ", ".join(item.label for item in found.services + found.skipped) or "nothing"
        raise ScenarioError(
            [
                Problem(
                    "",
                    f"no Deployment, Pod or Job, nor a StatefulSet, found (found: {seen}); "
                    "give a workload",
                )
            ]
        )
    return found


def _texts(location: str, stdin_text: str | None) -> Iterator[tuple[str, str]]:
    if location == "-":
        yield "-", stdin_text or ""
        return
    path = Path(location)
    if path.is_dir():
        files = sorted(
            item for item in path.rglob("*") if item.is_file() and item.suffix in MANIFEST_SUFFIXES
        )
        if not files:
            raise ScenarioError([Problem("", f"{location}: no .yaml, .yml or .json file in it")])
        for item in files:
            yield str(item), _read(item)
    elif path.is_file():
        yield location, _read(path)
    else:
        raise ScenarioError([Problem("", f"{location}: no such file or directory")])


def _read(path: Path) -> str:
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        limit = MAX_MANIFEST_BYTES // (1024 * 1024)
        raise ScenarioError([Problem("", f"{path}: larger than {limit} MiB; split it")])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError([Problem("", f"{path}: not UTF-8 text")]) from None
