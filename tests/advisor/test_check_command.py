"""``python -m simulator check``, run as a user runs it, on realistic manifests in
tests/advisor/manifests/ and on the example the check page offers (the storefront, modelled on a
public demo's web frontend)."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

from simulator.advisor.examples import EXAMPLES

REPOSITORY = Path(__file__).resolve().parents[2]
MANIFESTS = Path(__file__).resolve().parent / "manifests"
DRILL_FIELDS = {
    "workload",
    "name",
    "requests",
    "errors",
    "errorsByCause",
    "detectionSeconds",
    "recoverySeconds",
    "restarts",
}
FINDING_FIELDS = {"workload", "container", "rule", "severity", "message", "evidence", "suggestion"}
CAUSES = {"NoEndpoints", "ConnectionRefused", "Timeout", "ServerError"}


def check(*arguments: str, stdin: str | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "simulator", "check", *arguments],
        cwd=REPOSITORY,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def check_json(*arguments: str) -> tuple[int, dict[str, Any]]:
    done = check(*arguments, "--json")
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def findings_by_rule(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {finding["rule"]: finding for finding in document["findings"]}


def drill(document: dict[str, Any], workload: str, name: str) -> dict[str, Any]:
    return next(
        item for item in document["drills"] if item["workload"] == workload and item["name"] == name
    )


def test_the_json_document_has_exactly_the_documented_shape():
    status, document = check_json(str(EXAMPLES["storefront"]))
    assert set(document) == {"workloads", "services", "drills", "findings", "cannotJudge"}
    assert [(w["kind"], w["name"]) for w in document["workloads"]] == [("Deployment", "storefront")]
    assert document["workloads"][0]["assumptions"]["bootSeconds"] == 10
    names = [item["name"] for item in document["drills"]]
    assert names == [
        "node-failure",
        "app-hang",
        "app-crash",
        "slow-boot",
        "rolling-update",
        "dependency-outage",
    ]
    for item in document["drills"]:
        assert set(item) == DRILL_FIELDS
        assert isinstance(item["errors"], int) and isinstance(item["requests"], int)
        assert set(item["errorsByCause"]) == CAUSES
        assert sum(item["errorsByCause"].values()) == item["errors"] <= item["requests"]
    assert set(document["workloads"][0]) == {
        "kind", "name", "namespace", "source", "service", "drills", "assumptions", "blockedBy"
    }  # fmt: skip
    assert document["workloads"][0]["blockedBy"] == []
    for finding in document["findings"]:
        assert set(finding) == FINDING_FIELDS
        if finding["suggestion"]:
            assert set(finding["suggestion"]) == {
                "text", "change", "verified", "verdict", "verification"
            }  # fmt: skip
    assert status == 1


def test_liveness_that_checks_what_readiness_checks_restarts_pods_in_an_outage():
    """The storefront's liveness and readiness ask one health path: the dependency's outage
    restarts its containers; a liveness check of the process alone, re-run, restarts none."""
    status, document = check_json(str(EXAMPLES["storefront"]))
    finding = findings_by_rule(document)["liveness-checks-dependency"]
    outage = drill(document, "Deployment/storefront", "dependency-outage")
    assert finding["severity"] == "error" and finding["container"] == "web"
    assert finding["evidence"]["drill"] == "dependency-outage"
    assert finding["evidence"]["restarts"] == outage["restarts"] > 0
    suggestion = finding["suggestion"]
    assert suggestion["change"]["livenessProbe"]["tcpSocket"] == {"port": 8080}
    assert suggestion["verified"] is True
    after = suggestion["verification"]["after"]
    assert after["restarts"] == 0 < suggestion["verification"]["before"]["restarts"]
    assert after["errors"] <= outage["errors"]
    assert status == 1


def test_liveness_killing_a_slow_boot_is_found_and_a_startup_probe_fixes_it():
    status, document = check_json(str(MANIFESTS / "shop-api.yaml"))
    finding = findings_by_rule(document)["liveness-kills-boot"]
    slow = drill(document, "Deployment/shop-api", "slow-boot")
    assert slow["restarts"] > 0 and slow["errors"] == slow["requests"]
    # Patience 5 + 2 × 5 = 15 s covers the 10 s boot, not the 30 s slow boot: a warning.
    assert finding["severity"] == "warning"
    assert finding["evidence"]["patienceSeconds"] == 15
    assert finding["evidence"]["crashLoopBackOff"] is True
    suggestion = finding["suggestion"]
    assert suggestion["change"]["startupProbe"]["httpGet"] == {"path": "/health", "port": 8080}
    assert suggestion["verified"] is True
    assert suggestion["verification"]["after"]["restarts"] == 0
    assert suggestion["verification"]["after"]["errors"] < slow["errors"]
    # The same health path for liveness and readiness: an error finding too, so exit 1.
    assert status == 1


def test_a_boot_longer_than_the_liveness_patience_is_an_error():
    status, document = check_json(str(MANIFESTS / "shop-api.yaml"), "--boot-seconds", "25")
    finding = findings_by_rule(document)["liveness-kills-boot"]
    assert finding["severity"] == "error"
    assert document["workloads"][0]["assumptions"]["bootSeconds"] == 25
    assert status == 1


def test_a_well_probed_deployment_has_no_finding_and_exits_0():
    done = check(str(MANIFESTS / "well-probed.yaml"), "--json")
    document = json.loads(done.stdout)
    assert document["findings"] == []
    hang = drill(document, "Deployment/catalog", "app-hang")
    assert hang["detectionSeconds"] is not None and hang["detectionSeconds"] <= 10
    assert drill(document, "Deployment/catalog", "dependency-outage")["restarts"] == 0
    assert done.returncode == 0


def test_mixed_file_every_workload_kind_and_its_findings():
    status, document = check_json(str(MANIFESTS / "mixed.yaml"))
    labels = [f"{w['kind']}/{w['name']}" for w in document["workloads"]]
    assert labels == ["Deployment/render", "Pod/gateway", "Job/reindex"]
    assert {item["name"] for item in document["drills"] if item["workload"] == "Job/reindex"} == {
        "node-failure",
        "app-hang",
        "app-crash",
        "slow-boot",
    }
    found = {(f["workload"], f["rule"]): f for f in document["findings"]}
    no_readiness = found[("Deployment/render", "no-readiness-probe")]
    update = drill(document, "Deployment/render", "rolling-update")
    assert no_readiness["evidence"]["errors"] == update["errors"] > 0
    assert update["errorsByCause"]["ConnectionRefused"] > 0
    assert no_readiness["suggestion"]["verified"] is True
    assert no_readiness["suggestion"]["verification"]["after"]["errors"] < update["errors"]
    # A TCP readiness check passes while the app answers 500: the hang is never detected.
    blind = found[("Pod/gateway", "slow-hang-detection")]
    assert blind["severity"] == "error"
    assert drill(document, "Pod/gateway", "app-hang")["detectionSeconds"] is None
    assert blind["suggestion"]["verification"]["after"]["detectionSeconds"] is not None
    assert status == 1


def test_skipped_objects_are_named_and_the_text_report_states_its_assumptions():
    done = check(str(MANIFESTS / "mixed.yaml"), "--rps", "20")
    assert "ConfigMap/settings" in done.stdout
    assert "--rps 20/s" in done.stdout and "--boot-seconds 10s" in done.stdout
    assert "dependency-outage" in done.stdout
    assert done.returncode == 1


def test_standard_input_and_a_directory():
    text = (MANIFESTS / "well-probed.yaml").read_text()
    from_stdin = check("-", "--json", stdin=text)
    assert from_stdin.returncode == 0
    assert json.loads(from_stdin.stdout)["workloads"][0]["source"] == "-"
    from_directory = check(str(MANIFESTS), "--json")
    names = {w["name"] for w in json.loads(from_directory.stdout)["workloads"]}
    assert {"catalog", "shop-api", "render", "gateway", "reindex"} <= names


def test_invalid_input_exits_2_naming_the_object_and_field(tmp_path):
    manifest = tmp_path / "bad.yaml"
    manifest.write_text(
        EXAMPLES["storefront"]
        .read_text()
        .replace("initialDelaySeconds: 10", "initialDelaySeconds: -4", 1)
    )
    done = check(str(manifest), "--json")
    assert done.returncode == 2 and done.stdout == ""
    assert "Deployment/storefront" in done.stderr
    assert "readinessProbe.initialDelaySeconds" in done.stderr
    for text, expected in (
        ("kind: ConfigMap\nmetadata: {name: x}\n", "no Deployment, Pod or Job"),
        ("a: [1, 2\n", "YAML syntax error"),
        ("when: !!int abc\n", "YAML syntax error"),
        ("[" * 2000 + "]" * 2000 + "\n", "nested more than"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            "once aliases are expanded",
        ),
    ):
        manifest.write_text(text)
        done = check(str(manifest))
        assert done.returncode == 2 and expected in done.stderr
    missing = check(str(tmp_path / "nothing.yaml"))
    assert missing.returncode == 2 and "no such file or directory" in missing.stderr


def test_junit_report_has_a_failure_per_error_finding(tmp_path):
    junit = tmp_path / "check.xml"
    done = check(str(MANIFESTS / "mixed.yaml"), "--junit", str(junit))
    root = ElementTree.parse(junit).getroot()
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"Deployment/render", "Pod/gateway", "Job/reindex"}
    failures = [case.find("failure") for case in suites["Deployment/render"].iter("testcase")]
    failed = [failure.get("type") for failure in failures if failure is not None]
    assert failed == ["no-readiness-probe"]
    assert suites["Deployment/render"].get("failures") == "1"
    drill_cases = [c for c in suites["Job/reindex"].iter("testcase") if "drill" in c.get("name")]
    assert len(drill_cases) == 4
    assert json.loads(drill_cases[0].find("system-out").text)["name"] == "node-failure"
    assert done.returncode == 1


def test_korean_messages_by_flag_and_by_lang():
    flagged = check(str(EXAMPLES["storefront"]), "--lang", "ko")
    assert "발견 사항" in flagged.stdout and "재시작" in flagged.stdout
    by_lang = check(
        str(EXAMPLES["storefront"]),
        "--json",
        env={"PATH": "/usr/bin:/bin", "LANG": "ko_KR.UTF-8"},
    )
    finding = json.loads(by_lang.stdout)["findings"][0]
    assert "livenessProbe가" in finding["message"]
    assert "검증" in finding["suggestion"]["verification"]["text"]


def test_a_probe_timeout_below_the_apps_latency_is_an_error_not_verified_by_a_run():
    status, document = check_json(str(MANIFESTS / "well-probed.yaml"), "--latency", "1.5")
    finding = findings_by_rule(document)["probe-timeout-below-latency"]
    assert finding["evidence"] == {
        "drill": None,
        "probe": "readinessProbe",
        "timeoutSeconds": 1,
        "latencySeconds": 1.5,
    }
    assert finding["suggestion"]["change"]["readinessProbe"]["timeoutSeconds"] == 3
    assert finding["suggestion"]["verified"] is False
    assert "latency" in finding["suggestion"]["verification"]["text"]
    assert status == 1


def test_the_same_manifest_gives_the_same_bytes():
    first = check(str(MANIFESTS / "shop-api.yaml"), "--json")
    second = check(str(MANIFESTS / "shop-api.yaml"), "--json")
    assert first.stdout == second.stdout


def test_edge_cases_no_replicas_a_sidecar_and_many_replicas():
    status, document = check_json(str(MANIFESTS / "edge-cases.yaml"))
    found = {(f["workload"], f["container"], f["rule"]) for f in document["findings"]}
    # No pod runs: no drill shows anything, so only what the manifest itself gets wrong is
    # claimed: a probe on a port name the container does not declare.
    zero = {
        (container, rule) for workload, container, rule in found if workload == "Deployment/zero"
    }
    assert zero == {("app", "probe-port-not-declared")}
    assert ("Pod/pinned", "sidecar", "probe-port-not-declared") in found
    # The app container's readiness probe gates the whole pod: the sidecar is not flagged.
    assert ("Pod/pinned", "sidecar", "no-readiness-probe") not in found
    # Liveness with failureThreshold 1 every 3 s kills even the normal 10 s boot.
    assert ("Pod/pinned", "app", "liveness-kills-boot") in found
    outage = drill(document, "Deployment/big", "dependency-outage")
    assert outage["requests"] > 0 and outage["errorsByCause"]["ServerError"] > 0
    assert status == 1


def test_kubectl_output_on_stdin_and_a_readiness_only_deployment():
    """What ``kubectl get deploy -o yaml | check -`` gives: a List with server-filled fields.
    Readiness alone takes a hung pod out for good; a liveness check, re-run, brings it back."""
    done = check("-", "--json", stdin=(MANIFESTS / "kubectl-list.yaml").read_text())
    document = json.loads(done.stdout)
    assert [w["namespace"] for w in document["workloads"]] == ["prod"]
    (finding,) = document["findings"]
    assert finding["rule"] == "hung-pod-never-restarted" and finding["severity"] == "info"
    assert finding["evidence"]["endpointsBefore"] == 2
    assert finding["evidence"]["endpointsAtEnd"] == 1
    verification = finding["suggestion"]["verification"]
    assert finding["suggestion"]["verified"] is True
    assert verification["after"]["restarts"] == 1 and verification["after"]["endpointsAtEnd"] == 2
    assert finding["suggestion"]["change"]["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert done.returncode == 0
