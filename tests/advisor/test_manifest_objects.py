"""``check`` reads the whole manifest: Services take part in the drills and are checked
(docs/kubernetes-model.md §4.5), native sidecars run for the pod's life (§1.9), a probe on an
undeclared port name is an error (§8.3), and what decides the outcome but is not modelled makes
``check`` say it cannot judge (exit 2) instead of giving a verdict (docs/advisor.md)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from .test_check_command import check, drill

MANIFESTS = Path(__file__).resolve().parent / "manifests"


def check_file(name: str, *extra: str):
    done = check(str(MANIFESTS / name), "--json", *extra)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout), done.stderr


def test_a_service_that_selects_no_pod_is_an_error_shown_by_a_drill_behind_it():
    status, document, _ = check_file("service-typo.yaml")
    assert status == 1
    assert document["services"] == [
        {"name": "petclinic", "namespace": None, "source": document["services"][0]["source"],
         "selects": []}
    ]  # fmt: skip
    (finding,) = [f for f in document["findings"] if f["rule"] == "service-selects-nothing"]
    assert finding["severity"] == "error" and finding["workload"] == "Service/petclinic"
    assert "selector app=petclini" in finding["message"]
    assert "Deployment/petclinic: app=petclinic" in finding["message"]
    evidence = finding["evidence"]
    assert evidence["selector"] == {"app": "petclini"}
    # Behind that Service every request of the drill is refused for lack of endpoints.
    assert evidence["errors"] == evidence["requests"] > 0
    assert evidence["endpointsAtEnd"] == 0
    suggestion = finding["suggestion"]
    assert suggestion["change"] == {"service": "petclinic", "selector": {"app": "petclinic"}}
    assert suggestion["verified"] is True
    assert suggestion["verification"]["after"]["errors"] < evidence["errors"]
    # No Service of the manifest selects the Deployment: no finding about traffic is claimed
    # for it, and the error above is not repeated as a readiness-without-service warning.
    rules = {f["rule"] for f in document["findings"] if f["workload"] == "Deployment/petclinic"}
    assert "readiness-without-service" not in rules
    assert not rules & {"no-readiness-probe", "slow-hang-detection", "hung-pod-never-restarted"}


def test_the_report_gives_one_count_of_restarts_and_says_what_each_time_counts_from():
    done = check(str(MANIFESTS / "service-typo.yaml"))
    assert done.returncode == 1, done.stderr
    text = done.stdout
    # The slow-boot drill killed the container 12 times; 10 of those kills became restarts
    # before the drill ended, the figure its table row and the verification show.
    row = next(line.split() for line in text.splitlines() if line.startswith("  slow-boot "))
    assert row[-1] == "10"
    assert (
        "killed it 12 times before it ever served (10 restarts within the drill's 240 s: the "
        "other 2 kills were still waiting out their CrashLoopBackOff back-off when it ended)"
    ) in text
    assert "12000 errors, 10 restarts" in text
    # Detection and recovery each say where they are counted from.
    assert (
        "detection (Kubernetes acted) 50 s after the fault, recovery (errors stopped for good) "
        "49 s after the fault"
    ) in text
    # The Service's error is said once: no warning about the same missing Service.
    assert "service-selects-nothing" in text
    assert "readiness-without-service" not in text


def test_a_native_sidecar_runs_for_the_pods_life_in_every_drill():
    status, document, _ = check_file("native-sidecar.yaml")
    assert document["workloads"][0]["service"] == "Service/myapp"
    assert document["services"][0]["selects"] == ["Deployment/myapp"]
    drills = document["drills"]
    assert len(drills) == 6
    for item in drills:
        assert item["errors"] / item["requests"] < 0.5, item
    assert drill(document, "Deployment/myapp", "rolling-update")["restarts"] == 0
    # Behind a Service whose named targetPort the pods declare, the drills route normally.
    assert drill(document, "Deployment/myapp", "app-crash")["errorsByCause"]["NoEndpoints"] == 0
    assert not [f for f in document["findings"] if f["severity"] == "error"]
    assert status == 0


def test_undeclared_port_names_of_a_probe_and_a_service_are_errors_naming_the_field():
    status, document, _ = check_file("undeclared-ports.yaml")
    assert status == 1
    by_rule = {f["rule"]: f for f in document["findings"]}
    probe = by_rule["probe-port-not-declared"]
    field = "spec.template.spec.containers[0].livenessProbe.httpGet.port"
    assert probe["severity"] == "error" and probe["evidence"]["field"] == field
    assert field in probe["message"] and "'management'" in probe["message"]
    assert "http=8080" in probe["message"] and probe["evidence"]["declaredPorts"] == {"http": 8080}
    # The dead liveness probe restarts nothing when the app hangs.
    assert probe["evidence"]["drill"] == "app-hang" and probe["evidence"]["restarts"] == 0
    assert probe["suggestion"]["change"]["livenessProbe"]["httpGet"]["port"] == "http"
    target = by_rule["service-target-port-not-declared"]
    assert target["workload"] == "Service/orders-grpc" and "'grpc'" in target["message"]
    # The Service that resolves its targetPort carries the drills: they are served normally.
    assert document["workloads"][0]["service"] == "Service/orders"


def test_what_decides_the_outcome_and_is_not_modelled_makes_check_say_it_cannot_judge():
    status, document, stderr = check_file("cannot-judge.yaml")
    assert status == 2
    judged = {(item["object"], item["field"]) for item in document["cannotJudge"]}
    paused = next(item for item in document["cannotJudge"] if item["field"] == "spec.paused")
    assert paused["message"] == (
        "cannot judge: spec.paused: a Deployment created paused makes no pods, so no drill can run"
    )
    assert judged == {
        ("Deployment/paused", "spec.paused"),
        ("Service/sticky", "spec.sessionAffinity: ClientIP"),
        ("DaemonSet/db", "DaemonSet/db"),
    }
    assert "Deployment/paused: cannot judge: spec.paused: a Deployment created paused" in stderr
    assert "DaemonSet/db: cannot judge: DaemonSet/db is not modelled" in stderr
    # No verdict on what cannot be judged: neither workload is drilled.
    assert document["workloads"] == [] and document["drills"] == []
    # A ConfigMap and a PodDisruptionBudget (no drill drains a node) do not stop the verdict.
    assert not {"ConfigMap/settings", "PodDisruptionBudget/sticky"} & {o for o, _ in judged}


def test_a_pods_deadline_cannot_be_judged_a_jobs_can_and_the_text_report_says_so():
    done = check(str(MANIFESTS / "job-deadline.yaml"))
    assert done.returncode == 2
    line = "Job/export: cannot judge: spec.template.spec.activeDeadlineSeconds is not modelled"
    assert line in done.stdout and line in done.stderr
    # The Job's own deadline is modelled (docs/kubernetes-model.md §8.9): Job/report is drilled.
    assert "Job/report (" in done.stdout and "Job/report: cannot judge" not in done.stdout
    # What was not judged gets no "the probes held up in every drill".
    assert "No findings in what was drilled; no verdict on what podviz cannot judge." in done.stdout
    assert "held up in every drill" not in done.stdout


def test_a_statefulset_behind_its_service_is_drilled_by_ordinal():
    """docs/kubernetes-model.md §8.10: pods web-0, web-1; the rolling update goes from the
    highest ordinal, one Ready pod at a time: the other pod always serves, and only requests sent
    to a stopping pod before kube-proxy drops it fail."""
    status, document, _ = check_file("statefulset.yaml")
    assert [(w["kind"], w["name"], w["service"]) for w in document["workloads"]] == [
        ("StatefulSet", "db", "Service/db")
    ]
    names = [item["name"] for item in document["drills"]]
    assert names == [
        "node-failure",
        "app-hang",
        "app-crash",
        "slow-boot",
        "rolling-update",
        "dependency-outage",
    ]
    update = drill(document, "StatefulSet/db", "rolling-update")
    assert update["requests"] > 0 and update["errorsByCause"]["NoEndpoints"] == 0
    assert 0 < update["errors"] == update["errorsByCause"]["ConnectionRefused"]
    assert update["errors"] < 0.02 * update["requests"]
    crash = drill(document, "StatefulSet/db", "app-crash")
    assert crash["restarts"] == 1
    assert status in (0, 1)


def test_a_placeholder_exec_liveness_probe_is_run_and_restarts_the_app_for_ever():
    status, document, _ = check_file("placeholder-liveness.yaml")
    assert status == 1
    by_rule = {f["rule"]: f for f in document["findings"]}
    placeholder = by_rule["placeholder-exec-liveness"]
    evidence = placeholder["evidence"]
    assert placeholder["severity"] == "error" and evidence["checkedFile"] == "/tmp/healthy"
    assert evidence["restarts"] > 0 and evidence["crashLoopBackOff"] is True
    assert evidence["errors"] == evidence["requests"] > 0
    suggestion = placeholder["suggestion"]
    assert suggestion["change"]["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert suggestion["verified"] is True
    assert suggestion["verification"]["after"]["restarts"] == 0
    exposed = by_rule["probe-port-not-exposed"]
    assert exposed["severity"] == "warning"
    assert (exposed["evidence"]["port"], exposed["evidence"]["containerPorts"]) == (8081, [8080])


def test_a_liveness_file_check_the_container_makes_itself_is_not_a_placeholder(tmp_path):
    """The Kubernetes docs' exec liveness example: the container's own command makes the file."""
    text = (
        (MANIFESTS / "placeholder-liveness.yaml")
        .read_text()
        .replace(
            "        image: example/api:2\n",
            "        image: example/api:2\n"
            "        args: [/bin/sh, -c, 'touch /tmp/healthy; exec /app/api']\n",
        )
    )
    manifest = tmp_path / "made.yaml"
    manifest.write_text(text)
    done = check(str(manifest), "--json")
    rules = {f["rule"] for f in json.loads(done.stdout)["findings"]}
    assert "placeholder-exec-liveness" not in rules


def test_the_html_report_shows_what_cannot_be_judged_and_each_service(tmp_path):
    page = tmp_path / "check.html"
    done = check(str(MANIFESTS / "cannot-judge.yaml"), "--html", str(page))
    assert done.returncode == 2
    html = page.read_text()
    assert "<h2>Cannot judge</h2>" in html
    assert "Deployment/paused: cannot judge: spec.paused: a Deployment created paused" in html
    assert 'data-cannot-judge="DaemonSet/db"' in html
    typo = tmp_path / "typo.html"
    check(str(MANIFESTS / "service-typo.yaml"), "--html", str(typo))
    assert "Service/petclinic selects: no pod" in typo.read_text()


def test_junit_has_an_error_per_thing_it_cannot_judge_and_a_suite_per_faulty_service(tmp_path):
    junit = tmp_path / "check.xml"
    check(str(MANIFESTS / "cannot-judge.yaml"), "--junit", str(junit))
    errors = [
        (suite.get("name"), error.get("message"))
        for suite in ElementTree.parse(junit).getroot().iter("testsuite")
        for error in suite.iter("error")
    ]
    assert (
        "Service/sticky",
        "cannot judge: spec.sessionAffinity: ClientIP is not modelled",
    ) in errors
    typo = tmp_path / "typo.xml"
    check(str(MANIFESTS / "service-typo.yaml"), "--junit", str(typo))
    suites = {s.get("name"): s for s in ElementTree.parse(typo).getroot().iter("testsuite")}
    failures = [f.get("type") for f in suites["Service/petclinic"].iter("failure")]
    assert failures == ["service-selects-nothing"]
