"""The workload manifest: an apps/v1 Deployment, a v1 Pod or a batch/v1 Job, as kubectl takes it.

Fields the object does not have are refused as ``kubectl apply`` refuses them (schema.py); known
fields the engine does not model are accepted and listed. The fields the simulator uses are
validated with the API server's rules and messages (k8s ``pkg/apis/apps/validation/validation.go``
(ValidateDeploymentSpec, ValidateRollingUpdateDeployment), ``pkg/apis/batch/validation``
(validateJobSpec), ``pkg/apis/core/validation`` (ValidatePodSpec)).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from simulator.scenario.field_readers import (
    check_dns_subdomain,
    list_of_mappings,
    optional_mapping,
    read_bool,
    read_choice,
    read_int,
    read_list,
    read_mapping,
    read_str,
)
from simulator.scenario.manifests.pod_failure_policy import parse_pod_failure_policy
from simulator.scenario.manifests.pod_spec import parse_pod_spec
from simulator.scenario.manifests.schema import check_manifest_fields
from simulator.scenario.types import PodTemplate, Workload, WorkloadKind
from simulator.scenario.validation import FieldPath, Problems

MAX_REPLICAS = 250  # simulator limit: pods of one lane
API_VERSIONS = {"Deployment": "apps/v1", "Pod": "v1", "Job": "batch/v1", "StatefulSet": "apps/v1"}
_STRATEGY_TYPES = ("RollingUpdate", "Recreate")
_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
_PERCENT = re.compile(r"[0-9]+%")
_PERCENT_MESSAGE = (
    "a valid percent string must be a numeric string followed by an ending '%' "
    "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
)


def parse_workload(raw: Any, path: FieldPath, problems: Problems) -> Workload | None:
    manifest = read_mapping(raw, path, problems)
    if manifest is None:
        return None
    before = len(problems.found)
    kind = read_choice(
        manifest, "kind", path, problems, supported=API_VERSIONS, default=None, required=True
    )
    if kind is not None:
        read_choice(
            manifest,
            "apiVersion",
            path,
            problems,
            supported=(API_VERSIONS[kind],),
            default=None,
            required=True,
        )
    metadata = optional_mapping(manifest, "metadata", path, problems)
    name = read_str(metadata, "name", path.child("metadata"), problems, required=True)
    if name is not None:
        check_dns_subdomain(name, path.child("metadata").child("name"), problems)
    labels = _labels(metadata, path.child("metadata"), problems)
    spec_path = path.child("spec")
    if manifest.get("spec") is None:
        problems.required(spec_path)
        return None
    spec = read_mapping(manifest["spec"], spec_path, problems)
    if spec is None or kind is None:
        return None
    not_modelled = check_manifest_fields(manifest, kind, path, problems)
    workload = _PARSERS[kind](spec, spec_path, problems, labels)
    if workload is None or name is None or len(problems.found) > before:
        return None
    return Workload(kind=cast(WorkloadKind, kind), name=name, not_modelled=not_modelled, **workload)


def container_names(workload: Workload | None) -> list[str] | None:
    """The names of the workload's containers, init containers included; None without one."""
    if workload is None:
        return None
    template = workload.template
    return [container.name for container in template.containers + template.init_containers]


def _deployment(
    spec: Mapping[str, Any], path: FieldPath, problems: Problems, _labels: Mapping[str, str]
) -> dict[str, Any] | None:
    replicas = read_int(spec, "replicas", path, problems, default=1, minimum=0, limit=MAX_REPLICAS)
    template = _template(spec, path, problems, allowed=("Always",), default="Always")
    selector_ok = _check_selector(spec, path, problems, _template_labels(spec))
    strategy_type, max_surge, max_unavailable = _strategy(spec, path, problems)
    paused = read_bool(spec, "paused", path, problems, default=False)
    # ValidateDeploymentSpec: both non-negative, and progressDeadlineSeconds > minReadySeconds.
    min_ready = read_int(spec, "minReadySeconds", path, problems, default=0, minimum=0)
    deadline = read_int(spec, "progressDeadlineSeconds", path, problems, default=600, minimum=0)
    if min_ready is not None and deadline is not None and deadline <= min_ready:
        problems.invalid(
            path.child("progressDeadlineSeconds"),
            deadline,
            "must be greater than minReadySeconds",
        )
    if template is None or not selector_ok:
        return None
    return {
        "template": template,
        "replicas": replicas,
        "max_surge": max_surge,
        "max_unavailable": max_unavailable,
        "strategy_type": strategy_type,
        "paused": paused,
        "min_ready_seconds": min_ready,
        "progress_deadline_seconds": deadline,
    }


def _job(
    spec: Mapping[str, Any], path: FieldPath, problems: Problems, _labels: Mapping[str, str]
) -> dict[str, Any] | None:
    # validateJobSpec: all three non-negative; defaults from SetDefaults_Job.
    completions = read_int(
        spec, "completions", path, problems, default=1, minimum=0, limit=MAX_REPLICAS
    )
    parallelism = read_int(
        spec, "parallelism", path, problems, default=1, minimum=0, limit=MAX_REPLICAS
    )
    backoff_limit = read_int(spec, "backoffLimit", path, problems, default=6, minimum=0)
    # validateJobSpec: activeDeadlineSeconds, when given, must be non-negative.
    deadline = read_int(spec, "activeDeadlineSeconds", path, problems, default=None, minimum=0)
    template = _template(spec, path, problems, allowed=("Never", "OnFailure"), default=None)
    policy = parse_pod_failure_policy(spec, path, problems, template)
    if template is None:
        return None
    return {
        "pod_failure_policy": policy,
        "template": template,
        "completions": completions,
        "parallelism": parallelism,
        "backoff_limit": backoff_limit,
        "active_deadline_seconds": deadline,
    }


def _pod(
    spec: Mapping[str, Any], path: FieldPath, problems: Problems, labels: Mapping[str, str]
) -> dict[str, Any] | None:
    template = parse_pod_spec(
        spec,
        path,
        problems,
        labels=labels,
        allowed_restart_policies=("Always", "OnFailure", "Never"),
        default_restart_policy="Always",
    )
    return {"template": template, "replicas": 1} if template is not None else None


def _statefulset(
    spec: Mapping[str, Any], path: FieldPath, problems: Problems, _labels: Mapping[str, str]
) -> dict[str, Any] | None:
    """ValidateStatefulSetSpec (k/k pkg/apis/apps/validation/validation.go); defaults from
    SetDefaults_StatefulSet: OrderedReady, RollingUpdate, partition 0."""
    replicas = read_int(spec, "replicas", path, problems, default=1, minimum=0, limit=MAX_REPLICAS)
    template = _template(spec, path, problems, allowed=("Always",), default="Always")
    selector_ok = _check_selector(spec, path, problems, _template_labels(spec))
    policy = read_choice(
        spec,
        "podManagementPolicy",
        path,
        problems,
        supported=("OrderedReady", "Parallel"),
        default="OrderedReady",
    )
    strategy_path = path.child("updateStrategy")
    strategy = optional_mapping(spec, "updateStrategy", path, problems)
    strategy_type = read_choice(
        strategy,
        "type",
        strategy_path,
        problems,
        supported=("RollingUpdate", "OnDelete"),
        default="RollingUpdate",
    )
    rolling_path = strategy_path.child("rollingUpdate")
    rolling = optional_mapping(strategy, "rollingUpdate", strategy_path, problems)
    if strategy_type == "OnDelete" and strategy.get("rollingUpdate") is not None:
        problems.invalid(
            rolling_path,
            strategy["rollingUpdate"],
            "only allowed for updateStrategy 'RollingUpdate'",
        )
    partition = read_int(rolling, "partition", rolling_path, problems, default=0, minimum=0)
    if template is None or not selector_ok:
        return None
    return {
        "template": template,
        "replicas": replicas,
        "pod_management_policy": policy,
        "update_strategy_type": strategy_type,
        "partition": partition,
    }


_PARSERS = {"Deployment": _deployment, "Job": _job, "Pod": _pod, "StatefulSet": _statefulset}


def _template(
    spec: Mapping[str, Any],
    path: FieldPath,
    problems: Problems,
    *,
    allowed: tuple[str, ...],
    default: str | None,
) -> PodTemplate | None:
    template_path = path.child("template")
    if spec.get("template") is None:
        problems.required(template_path)
        return None
    template = read_mapping(spec["template"], template_path, problems)
    if template is None:
        return None
    metadata = optional_mapping(template, "metadata", template_path, problems)
    labels = _labels(metadata, template_path.child("metadata"), problems)
    if template.get("spec") is None:
        problems.required(template_path.child("spec"))
        return None
    return parse_pod_spec(
        template["spec"],
        template_path.child("spec"),
        problems,
        labels=labels,
        allowed_restart_policies=allowed,
        default_restart_policy=default,
    )


def _template_labels(spec: Mapping[str, Any]) -> Mapping[str, str] | None:
    """The template's labels as given (problems with them are reported by ``_template``)."""
    template = spec.get("template")
    metadata = template.get("metadata") if isinstance(template, Mapping) else None
    if metadata is None:
        return {} if isinstance(template, Mapping) else None
    labels = metadata.get("labels") if isinstance(metadata, Mapping) else None
    if not isinstance(labels, Mapping) and labels is not None:
        return None
    return {str(key): value for key, value in (labels or {}).items() if isinstance(value, str)}


def _labels(metadata: Mapping[str, Any], path: FieldPath, problems: Problems) -> dict[str, str]:
    raw = metadata.get("labels")
    if raw is None:
        return {}
    labels = read_mapping(raw, path.child("labels"), problems) or {}
    return _string_map(labels, path.child("labels"), problems)


def _string_map(values: Mapping[Any, Any], path: FieldPath, problems: Problems) -> dict[str, str]:
    strings = {}
    for key, value in values.items():
        if not isinstance(value, str):
            problems.invalid(path.key(str(key)), value, "must be a string")
        else:
            strings[str(key)] = value
    return strings


def _check_selector(
    spec: Mapping[str, Any], path: FieldPath, problems: Problems, labels: Mapping[str, str] | None
) -> bool:
    """apps/v1 requires a selector that is not empty and matches the template's labels."""
    selector_path = path.child("selector")
    if spec.get("selector") is None:
        problems.required(selector_path)
        return False
    selector = read_mapping(spec["selector"], selector_path, problems)
    if selector is None:
        return False
    before = len(problems.found)
    match_labels = _string_map(
        optional_mapping(selector, "matchLabels", selector_path, problems),
        selector_path.child("matchLabels"),
        problems,
    )
    expressions = _match_expressions(selector, selector_path, problems)
    if len(problems.found) > before:
        return False
    if not match_labels and not expressions:
        problems.invalid(selector_path, selector, "empty selector is invalid for deployment")
        return False
    if labels is None:
        return True
    if not _selects(match_labels, expressions, labels):
        problems.invalid(
            path.child("template").child("metadata").child("labels"),
            dict(labels),
            "`selector` does not match template `labels`",
        )
        return False
    return True


def _match_expressions(
    selector: Mapping[str, Any], path: FieldPath, problems: Problems
) -> list[tuple[str, str, tuple[str, ...]]]:
    expressions = []
    for expression, item_path in list_of_mappings(selector, "matchExpressions", path, problems):
        key = read_str(expression, "key", item_path, problems, required=True)
        operator = read_choice(
            expression,
            "operator",
            item_path,
            problems,
            supported=_SELECTOR_OPERATORS,
            default=None,
            required=True,
        )
        values = expression.get("values") or []
        values_path = item_path.child("values")
        if operator in ("In", "NotIn") and not values:
            problems.required(values_path, "must be specified when `operator` is 'In' or 'NotIn'")
        elif operator in ("Exists", "DoesNotExist") and values:
            problems.forbidden(
                values_path, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
            )
        values = _string_map(
            dict(enumerate(read_list(values, values_path, problems))), values_path, problems
        )
        if key is not None and operator is not None:
            expressions.append((key, operator, tuple(values.values())))
    return expressions


def _selects(
    match_labels: Mapping[str, str],
    expressions: list[tuple[str, str, tuple[str, ...]]],
    labels: Mapping[str, str],
) -> bool:
    # k8s.io/apimachinery pkg/labels (Requirement.Matches)
    if any(labels.get(key) != value for key, value in match_labels.items()):
        return False
    for key, operator, values in expressions:
        present = key in labels
        if operator == "In" and not (present and labels[key] in values):
            return False
        if operator == "NotIn" and present and labels[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


def _strategy(
    spec: Mapping[str, Any], path: FieldPath, problems: Problems
) -> tuple[str, int | str, int | str]:
    """The strategy's type, maxSurge and maxUnavailable; Kubernetes defaults RollingUpdate,
    25%/25% (SetDefaults_Deployment). Recreate has neither maxSurge nor maxUnavailable: the
    defaults are returned and not used."""
    strategy_path = path.child("strategy")
    strategy = optional_mapping(spec, "strategy", path, problems)
    strategy_type = read_choice(
        strategy,
        "type",
        strategy_path,
        problems,
        supported=_STRATEGY_TYPES,
        default="RollingUpdate",
    )
    rolling_path = strategy_path.child("rollingUpdate")
    if strategy_type == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            problems.forbidden(
                rolling_path, "may not be specified when strategy `type` is 'Recreate'"
            )
        return "Recreate", "25%", "25%"
    rolling = optional_mapping(strategy, "rollingUpdate", strategy_path, problems)
    max_surge = _int_or_percent(rolling, "maxSurge", rolling_path, problems)
    max_unavailable = _int_or_percent(rolling, "maxUnavailable", rolling_path, problems)
    if _is_zero(max_surge) and _is_zero(max_unavailable):
        problems.invalid(
            rolling_path.child("maxUnavailable"),
            max_unavailable,
            "may not be 0 when `maxSurge` is 0",
        )
    if isinstance(max_unavailable, str) and int(max_unavailable[:-1]) > 100:
        problems.invalid(
            rolling_path.child("maxUnavailable"), max_unavailable, "must not be greater than 100%"
        )
    return "RollingUpdate", max_surge, max_unavailable


def _int_or_percent(
    rolling: Mapping[str, Any], name: str, path: FieldPath, problems: Problems
) -> int | str:
    value = rolling.get(name)
    if value is None:
        return "25%"
    if isinstance(value, str):
        if not _PERCENT.fullmatch(value):
            problems.invalid(path.child(name), value, _PERCENT_MESSAGE)
            return "25%"
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        # ValidatePositiveIntOrPercent
        problems.invalid(path.child(name), value, "must be an integer or percentage (e.g '5%')")
        return "25%"
    checked = read_int(rolling, name, path, problems, default=None, minimum=0)
    return "25%" if checked is None else checked


def _is_zero(value: int | str) -> bool:
    return value == 0 or (isinstance(value, str) and int(value[:-1]) == 0)
