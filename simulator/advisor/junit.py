"""``check --junit FILE``: the check as JUnit XML, the format CI systems show as test results.

One ``testsuite`` per workload; one ``testcase`` per drill (its numbers in ``system-out``) and
one per finding, an error finding as a ``failure``, a warning as ``system-err`` text. A Service
with findings has its own suite; each thing ``check`` cannot judge is a suite with an ``error``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

from simulator.advisor.check import CheckReport
from simulator.advisor.findings import Finding


def junit_xml(report: CheckReport) -> str:
    """The report as a JUnit XML document (UTF-8 text with its declaration)."""
    suites = ElementTree.Element("testsuites", name="podviz check")
    for service in report.services:
        if service.findings:
            failures = sum(1 for finding in service.findings if finding.severity == "error")
            suite = ElementTree.SubElement(
                suites,
                "testsuite",
                name=service.item.label,
                tests=str(len(service.findings)),
                failures=str(failures),
                errors="0",
            )
            _finding_cases(suite, service.item.label, service.findings)
    for item in report.cannot_judge:
        suite = ElementTree.SubElement(
            suites, "testsuite", name=item.object, tests="1", failures="0", errors="1"
        )
        case = ElementTree.SubElement(suite, "testcase", classname=item.object, name=item.field)
        ElementTree.SubElement(case, "error", message=item.message, type="cannot-judge")
    for workload in report.workloads:
        label = workload.item.label
        failures = sum(1 for finding in workload.findings if finding.severity == "error")
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=label,
            tests=str(len(workload.drills) + len(workload.findings)),
            failures=str(failures),
            errors="0",
        )
        for result in workload.drills:
            case = ElementTree.SubElement(
                suite, "testcase", classname=label, name=f"drill {result.name}"
            )
            ElementTree.SubElement(case, "system-out").text = json.dumps(result.as_dict())
        _finding_cases(suite, label, workload.findings)
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _finding_cases(suite: ElementTree.Element, label: str, findings: list[Finding]) -> None:
    """One testcase per finding: an error as a ``failure``, other severities as text."""
    for finding in findings:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=label,
            name=f"{finding.container}: {finding.rule}",
        )
        suggestion = finding.suggestion or {}
        detail = "\n".join(
            part
            for part in (
                finding.message,
                suggestion.get("text", ""),
                suggestion.get("verification", {}).get("text", ""),
            )
            if part
        )
        if finding.severity == "error":
            failure = ElementTree.SubElement(
                case, "failure", message=finding.message, type=finding.rule
            )
            failure.text = detail
        else:
            ElementTree.SubElement(case, "system-err").text = f"{finding.severity}: {detail}"
