"""Scenario files in, validated ``Scenario`` out (the format: docs/scenario-format.md).

``load_scenario`` takes YAML or JSON text, a ``Path`` or an already decoded mapping. Every problem
is collected before failing, as the Kubernetes API server does, and raised together in one
``ScenarioError``; problems in text sources carry the line and column of the offending node.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from simulator.scenario.field_readers import (
    read_choice,
    read_duration,
    read_int,
    read_mapping,
    read_str,
    read_text,
)
from simulator.scenario.manifests.disruption_budget import parse_disruption_budgets
from simulator.scenario.manifests.workload import container_names, parse_workload
from simulator.scenario.run_budget import MAX_POD_SECONDS, check_run_budget
from simulator.scenario.source.positions import DecodedText, YamlSyntaxError, decode_text
from simulator.scenario.spec.events import NodeSet, check_node, parse_events
from simulator.scenario.spec.narration import parse_narration
from simulator.scenario.spec.score_window import parse_score_window
from simulator.scenario.spec.sections import (
    parse_behavior,
    parse_cluster,
    parse_service,
    parse_traffic,
)
from simulator.scenario.spec.serving import check_dependencies, parse_dependencies
from simulator.scenario.spec.variants import NAME_PATTERN, NAME_RULE, Sections, parse_variants
from simulator.scenario.types import (
    Behavior,
    ClusterSpec,
    Scenario,
    ServiceSpec,
    TrafficSpec,
    VariantSpec,
)
from simulator.scenario.validation import ROOT, FieldPath, Problem, Problems, ScenarioError

__all__ = ["ScenarioError", "load_scenario", "with_overrides"]

API_VERSION = "podviz/v1"
KIND = "Scenario"
MAX_DURATION = 7200.0  # seconds: simulator limit
MAX_SEED = 2**63 - 1
MAX_SOURCE_BYTES = 1_048_576  # simulator limit: one scenario file

TOP_LEVEL_FIELDS = ("apiVersion", "kind", "metadata", "spec")
METADATA_FIELDS = ("name", "title", "description")
SPEC_FIELDS = (
    "duration",
    "seed",
    "cluster",
    "service",
    "traffic",
    "workload",
    "behavior",
    "events",
    "variants",
    "narration",
    "podDisruptionBudgets",
    "dependencies",
    "scoreWindow",
)

Source = str | bytes | Path | Mapping[str, Any]


def load_scenario(source: Source, *, max_pod_seconds: int | None = MAX_POD_SECONDS) -> Scenario:
    """The validated scenario in ``source``; raises ``ScenarioError`` listing every problem.
    ``max_pod_seconds``: the run budget (pods × seconds × variants); None lifts it."""
    decoded = _decode(source)
    problems = Problems(decoded.position_of)
    for parts in decoded.duplicate_keys:
        problems.duplicate(FieldPath.from_parts(parts), parts[-1], at_key=True)
    scenario = _parse_document(decoded.data, problems, max_pod_seconds)
    if problems or scenario is None:
        raise ScenarioError(problems.found)
    return scenario


def with_overrides(
    scenario: Scenario,
    *,
    seed: int | None = None,
    duration: float | str | None = None,
    max_pod_seconds: int | None = MAX_POD_SECONDS,
) -> Scenario:
    """``scenario`` with another seed or duration (the command line's ``--seed``, ``--duration``).

    A shorter duration drops the events and timed narration steps that would fall after it.
    """
    problems = Problems()
    changes: dict[str, Any] = {}
    if seed is not None:
        changes["seed"] = read_int(
            {"seed": seed}, "seed", ROOT, problems, default=None, minimum=0, maximum=MAX_SEED
        )
    if duration is not None:
        changes.update(_duration_changes(scenario, duration, problems, max_pod_seconds))
    if problems:
        # Named as the command-line options that set them.
        raise ScenarioError(
            [replace(problem, path="--" + problem.path) for problem in problems.found]
        )
    return replace(scenario, **changes)


def _duration_changes(
    scenario: Scenario, duration: float | str, problems: Problems, max_pod_seconds: int | None
) -> dict[str, Any]:
    seconds = read_duration(
        {"duration": duration},
        "duration",
        ROOT,
        problems,
        default=None,
        positive=True,
        limit=MAX_DURATION,
    )
    path = ROOT.child("duration")
    if seconds is None or not check_run_budget(
        seconds, scenario.variants, scenario.events, path, problems, max_pod_seconds
    ):
        return {}
    return {
        "duration": seconds,
        "events": tuple(event for event in scenario.events if event.at <= seconds),
        "narration": tuple(
            step for step in scenario.narration if step.at is None or step.at <= seconds
        ),
    }


def _decode(source: Source) -> DecodedText:
    if isinstance(source, Mapping):
        return DecodedText(data=dict(source))
    if isinstance(source, Path):
        source = _read_file(source)
    if isinstance(source, bytes):
        source = _text_of(source)
    if len(source.encode("utf-8", "surrogatepass")) > MAX_SOURCE_BYTES:
        raise _too_long()
    try:
        return decode_text(source)
    except YamlSyntaxError as error:
        raise ScenarioError([Problem("", error.message, error.line, error.column)]) from error


def _read_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise _too_long()
        return path.read_bytes()
    except OSError as error:
        raise ScenarioError([Problem("", f"cannot read {path}: {error.strerror}")]) from error


def _too_long() -> ScenarioError:
    message = f"Too long: must be at most {MAX_SOURCE_BYTES} bytes (simulator limit)"
    return ScenarioError([Problem("", message)])


def _text_of(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError(
            [Problem("", f"not UTF-8 text: byte {error.start} cannot be decoded")]
        ) from error


def _parse_document(
    document: Any, problems: Problems, max_pod_seconds: int | None
) -> Scenario | None:
    if document is None:
        problems.required(ROOT.child("apiVersion"), "the document is empty")
        return None
    root = read_mapping(document, ROOT, problems, known=TOP_LEVEL_FIELDS)
    if root is None:
        return None
    read_choice(
        root, "apiVersion", ROOT, problems, supported=(API_VERSION,), default=None, required=True
    )
    read_choice(root, "kind", ROOT, problems, supported=(KIND,), default=None, required=True)
    name, title, description = _metadata(root, problems)
    spec_path = ROOT.child("spec")
    if root.get("spec") is None:
        problems.required(spec_path)
        return None
    spec = read_mapping(root["spec"], spec_path, problems, known=SPEC_FIELDS)
    if spec is None:
        return None
    scenario = _parse_spec(spec, spec_path, problems, max_pod_seconds)
    if scenario is None or name is None:
        return None
    return replace(
        scenario,
        name=name,
        title=title or {"en": name},
        description=description,
        source=document,
    )


def _metadata(
    root: Mapping[str, Any], problems: Problems
) -> tuple[str | None, dict[str, str], dict[str, str]]:
    path = ROOT.child("metadata")
    if root.get("metadata") is None:
        problems.required(path.child("name"))
        return None, {}, {}
    metadata = read_mapping(root["metadata"], path, problems, known=METADATA_FIELDS) or {}
    name = read_str(metadata, "name", path, problems, required=True)
    if name is not None and not NAME_PATTERN.fullmatch(name):
        problems.invalid(path.child("name"), name, NAME_RULE)
        name = None
    title = read_text(metadata, "title", path, problems)
    description = read_text(metadata, "description", path, problems)
    return name, title, description


def _parse_spec(
    spec: Mapping[str, Any], path: FieldPath, problems: Problems, max_pod_seconds: int | None
) -> Scenario | None:
    before = len(problems.found)
    duration = read_duration(
        spec,
        "duration",
        path,
        problems,
        default=None,
        positive=True,
        limit=MAX_DURATION,
        required=True,
    )
    seed = read_int(spec, "seed", path, problems, default=0, minimum=0, maximum=MAX_SEED)
    sections = _sections(spec, path, problems)
    variants = parse_variants(spec.get("variants"), path.child("variants"), problems, sections)
    node_sets = _node_sets(sections, variants)
    if sections.workload is not None and sections.workload.template.node_name is not None:
        node_name_path = _node_name_path(path, sections.workload.kind)
        check_node(sections.workload.template.node_name, node_name_path, problems, node_sets)
    dependencies = parse_dependencies(
        spec.get("dependencies"), path.child("dependencies"), problems
    )
    check_dependencies(variants, dependencies, path, problems)
    events = parse_events(
        spec.get("events"),
        path.child("events"),
        problems,
        duration=duration,
        workload=sections.workload,
        node_sets=node_sets,
        dependencies=dependencies,
    )
    narration = parse_narration(
        spec.get("narration"), path.child("narration"), problems, duration=duration
    )
    score_window = parse_score_window(
        spec.get("scoreWindow"), path.child("scoreWindow"), problems, duration=duration
    )
    budgets = parse_disruption_budgets(
        spec.get("podDisruptionBudgets"), path.child("podDisruptionBudgets"), problems
    )
    if duration is None or seed is None or len(problems.found) > before:
        return None
    if not check_run_budget(
        duration, variants, events, path.child("duration"), problems, max_pod_seconds
    ):
        return None
    return Scenario(
        name="",
        duration=duration,
        seed=seed,
        variants=variants,
        events=events,
        narration=narration,
        disruption_budgets=budgets,
        dependencies=dependencies,
        score_window=score_window,
    )


def _sections(spec: Mapping[str, Any], path: FieldPath, problems: Problems) -> Sections:
    """The scenario's own sections, before any variant changes them."""
    workload = None
    if spec.get("workload") is None:
        problems.required(path.child("workload"))
    else:
        workload = parse_workload(spec["workload"], path.child("workload"), problems)
    return Sections(
        workload=workload,
        cluster=parse_cluster(spec.get("cluster"), path.child("cluster"), problems, ClusterSpec()),
        service=parse_service(spec.get("service"), path.child("service"), problems, ServiceSpec()),
        traffic=parse_traffic(spec.get("traffic"), path.child("traffic"), problems, TrafficSpec()),
        behavior=parse_behavior(
            spec.get("behavior"),
            path.child("behavior"),
            problems,
            Behavior(),
            container_names(workload),
        ),
    )


def _node_sets(sections: Sections, variants: tuple[VariantSpec, ...]) -> list[NodeSet]:
    """The scenario's nodes, then those of every variant that changes them."""
    node_sets: list[NodeSet] = [(None, sections.cluster.nodes)]
    for variant in variants:
        if variant.cluster.nodes != sections.cluster.nodes:
            node_sets.append((variant.name, variant.cluster.nodes))
    return node_sets


def _node_name_path(spec_path: FieldPath, kind: str) -> FieldPath:
    workload_spec = spec_path.child("workload").child("spec")
    if kind == "Pod":
        return workload_spec.child("nodeName")
    return workload_spec.child("template").child("spec").child("nodeName")
