"""``python -m simulator check`` on a corpus of public manifests (tests/advisor/corpus/), each
modelled on a well-known project's manifest, against the outcome Kubernetes gives it
(tests/advisor/corpus/expected.yaml, reasoned from docs/kubernetes-model.md).

The command runs in this process (``simulator.cli.main``, the entry point of ``python -m
simulator``), with its JSON output. A case where check's answer differs from Kubernetes' is
an expected failure naming the gap, never a bent expectation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (CORPUS / "expected.yaml").read_text(encoding="utf-8")
)
MANIFESTS = sorted(path.name for path in CORPUS.glob("*.yaml") if path.name != "expected.yaml")


def _case(name: str) -> Any:
    expected = EXPECTED.get(name, {})
    marks = [pytest.mark.xfail(strict=True, reason=expected["gap"])] if "gap" in expected else []
    return pytest.param(name, id=name.removesuffix(".yaml"), marks=marks)


def test_every_manifest_has_an_expected_outcome_and_a_source():
    assert len(MANIFESTS) >= 20
    assert set(EXPECTED) == set(MANIFESTS)
    for name in MANIFESTS:
        header = (CORPUS / name).read_text(encoding="utf-8").split("\napiVersion:")[0]
        assert "Modelled on" in header and "licence" in header, name
        assert EXPECTED[name]["why"], name


@pytest.mark.parametrize("name", [_case(name) for name in MANIFESTS])
def test_check_gives_the_outcome_kubernetes_gives(name, capsys):
    expected = EXPECTED[name]
    status = main(["check", str(CORPUS / name), "--json"])
    document = json.loads(capsys.readouterr().out)
    by_severity: dict[str, set[str]] = {"error": set(), "warning": set(), "info": set()}
    for finding in document["findings"]:
        by_severity[finding["severity"]].add(finding["rule"])
    cannot_judge = {item["field"] for item in document["cannotJudge"]}
    seen = {
        "exit": status,
        "errors": sorted(by_severity["error"]),
        "warnings": sorted(by_severity["warning"]),
        "cannotJudge": sorted(cannot_judge),
    }
    assert status == expected["exit"], seen
    assert by_severity["error"] == set(expected["errors"]), seen
    assert set(expected["warnings"]) <= by_severity["warning"], seen
    assert set(expected.get("cannotJudge", ())) <= cannot_judge, seen
