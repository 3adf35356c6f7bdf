"""A fault that keeps every request from a workload's pods decides its outcome whatever the
probes (docs/advisor.md, "Blocking findings"): ``check`` drills the workload with the fault as it
is, so every drill fails every request, and no probe change suggested for it is verified."""

from __future__ import annotations

import json

import pytest

from .test_check_command import MANIFESTS, check, drill

BLOCKED = [
    # (manifest, workload, blocking rule, object of that finding, field)
    ("service-typo.yaml", "Deployment/petclinic", "service-selects-nothing", "Service/petclinic",
     None),
    ("target-port-typo.yaml", "Deployment/orders", "service-target-port-not-declared",
     "Service/orders", None),
    ("readiness-port-typo.yaml", "Deployment/orders", "probe-port-not-declared",
     "Deployment/orders", "spec.template.spec.containers[0].readinessProbe.httpGet.port"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "workload", "rule", "owner", "field"), BLOCKED)
def test_a_blocked_workload_fails_every_request_and_no_probe_fix_is_verified(
    name, workload, rule, owner, field
):
    done = check(str(MANIFESTS / name), "--json")
    document = json.loads(done.stdout)
    assert done.returncode == 1
    (entry,) = document["workloads"]
    (blocker,) = entry["blockedBy"]
    assert (blocker["rule"], blocker["object"], blocker["field"]) == (rule, owner, field)
    assert blocker["message"].startswith(f"blocked by {rule} ({owner}): no request reaches")
    # The drills show the fault as it is: every request of every drill fails, no endpoint.
    for item in document["drills"]:
        assert item["errors"] == item["requests"] == item["errorsByCause"]["NoEndpoints"], item
    # Nothing took out of the endpoints a pod that was never in them.
    assert drill(document, workload, "node-failure")["detectionSeconds"] is None
    blocking = next(f for f in document["findings"] if f["rule"] == rule)
    assert blocking["workload"] == owner and blocking["severity"] == "error"
    # Every probe change for the workload is re-run and marked blocked, never verified.
    probe_fixes = [
        finding
        for finding in document["findings"]
        if finding["workload"] == workload and finding["suggestion"] and finding is not blocking
    ]
    assert {finding["rule"] for finding in probe_fixes} == {"liveness-kills-boot"}
    for finding in probe_fixes:
        suggestion = finding["suggestion"]
        assert suggestion["verdict"] == "blocked" and suggestion["verified"] is False
        assert suggestion["verification"]["after"]["errors"] == finding["evidence"]["requests"]
        assert suggestion["verification"]["text"].startswith(
            f"cannot help until {rule} ({owner}) is fixed: every request fails"
        )
    # The findings about what the requests that reach the pods cost are not claimed.
    rules = {f["rule"] for f in document["findings"] if f["workload"] == workload}
    assert not rules & {"no-readiness-probe", "slow-hang-detection", "hung-pod-never-restarted"}


def test_the_text_report_says_the_drills_are_blocked_and_verifies_no_probe_fix():
    text = check(str(MANIFESTS / "service-typo.yaml")).stdout
    heading = text.index("Deployment/petclinic (")
    note = "  blocked by service-selects-nothing (Service/petclinic): no request reaches the pods"
    assert text.index(note) > heading and text.index(note) < text.index("  drill ")
    table = text[text.index("  drill ") : text.index("Findings:")]
    for row in table.splitlines()[1:-1]:
        cells = row.split()
        assert cells[1] == cells[2] == cells[6], row  # requests = errors = no-endpoints
    # The only verified change is the selector's; the probe fix cannot help before it.
    assert text.count("verified by the") == 1
    assert "verified by the node-failure drill (errors 9000 → 1239)" in text
    assert "cannot help until service-selects-nothing (Service/petclinic) is fixed" in text


def test_the_blocking_finding_on_a_korean_report():
    done = check(str(MANIFESTS / "service-typo.yaml"), "--lang", "ko")
    assert "service-selects-nothing(Service/petclinic) 때문에 막혀 있습니다" in done.stdout
    assert "고치기 전에는 도움이 되지 않습니다" in done.stdout
