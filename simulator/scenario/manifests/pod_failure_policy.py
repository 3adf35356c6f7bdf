"""A Job's ``podFailurePolicy``, validated with the API server's rules (k/k
pkg/apis/batch/validation/validation.go (validatePodFailurePolicy,
validatePodFailurePolicyRuleOnExitCodes)): restartPolicy Never, at most 20 rules, each with
exactly one of ``onExitCodes`` and ``onPodConditions``; ``values`` 1–255 distinct codes, no 0
with ``In``. ``FailIndex`` needs ``backoffLimitPerIndex``, which is not modelled: refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from simulator.scenario.field_readers import (
    list_of_mappings,
    optional_mapping,
    read_choice,
    read_list,
    read_str,
)
from simulator.scenario.types import PodFailurePolicyRule, PodTemplate
from simulator.scenario.validation import FieldPath, Problems

MAX_RULES = 20
MAX_VALUES = 255
ACTIONS = ("FailJob", "Ignore", "Count")


def parse_pod_failure_policy(
    spec: Mapping[str, Any], path: FieldPath, problems: Problems, template: PodTemplate | None
) -> tuple[PodFailurePolicyRule, ...]:
    if spec.get("podFailurePolicy") is None:
        return ()
    policy_path = path.child("podFailurePolicy")
    policy = optional_mapping(spec, "podFailurePolicy", path, problems, known=("rules",))
    if template is not None and template.restart_policy != "Never":
        problems.invalid(
            path.child("template").child("spec").child("restartPolicy"),
            template.restart_policy,
            "only `Never` is supported when podFailurePolicy is specified",
        )
    raw = policy.get("rules")
    if raw is None:
        problems.required(policy_path.child("rules"))
        return ()
    if isinstance(raw, list) and len(raw) > MAX_RULES:
        problems.too_many(policy_path.child("rules"), len(raw), MAX_RULES)
        return ()
    rules = []
    for rule, rule_path in list_of_mappings(policy, "rules", policy_path, problems):
        parsed = _rule(rule, rule_path, problems)
        if parsed is not None:
            rules.append(parsed)
    return tuple(rules)


def _rule(
    rule: Mapping[str, Any], path: FieldPath, problems: Problems
) -> PodFailurePolicyRule | None:
    before = len(problems.found)
    if rule.get("action") == "FailIndex":
        problems.forbidden(
            path.child("action"), "FailIndex needs backoffLimitPerIndex, which is not modelled"
        )
        return None
    action = read_choice(
        rule, "action", path, problems, supported=ACTIONS, default=None, required=True
    )
    codes, conditions = rule.get("onExitCodes"), rule.get("onPodConditions")
    if (codes is None) == (conditions is None):
        problems.invalid(
            path, dict(rule), "specifying one of onExitCodes and onPodConditions is required"
        )
        return None
    if codes is not None:
        code_path = path.child("onExitCodes")
        block = optional_mapping(
            rule, "onExitCodes", path, problems, known=("containerName", "operator", "values")
        )
        container = read_str(block, "containerName", code_path, problems)
        operator = read_choice(
            block,
            "operator",
            code_path,
            problems,
            supported=("In", "NotIn"),
            default=None,
            required=True,
        )
        values_path = code_path.child("values")
        values = read_list(block.get("values"), values_path, problems) if "values" in block else []
        if not values:
            problems.required(values_path)
        if len(values) > MAX_VALUES:
            problems.too_many(values_path, len(values), MAX_VALUES)
        for index, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, int):
                problems.invalid(values_path.index(index), value, "must be an integer")
            elif value == 0 and operator == "In":
                problems.invalid(
                    values_path.index(index), value, "must not be 0 for the In operator"
                )
            elif value in values[:index]:
                problems.duplicate(values_path.index(index), value)
        if len(problems.found) > before or action is None:
            return None
        return PodFailurePolicyRule(
            action=cast(Any, action),
            container_name=container,
            operator=cast(Any, operator),
            values=tuple(values),
        )
    pairs = []
    for entry, entry_path in list_of_mappings(rule, "onPodConditions", path, problems):
        kind = read_str(entry, "type", entry_path, problems, required=True)
        status = read_choice(
            entry,
            "status",
            entry_path,
            problems,
            supported=("True", "False", "Unknown"),
            default="True",
        )
        if kind is not None and status is not None:
            pairs.append((kind, status))
    if len(problems.found) > before or action is None:
        return None
    return PodFailurePolicyRule(action=cast(Any, action), on_pod_conditions=tuple(pairs))
