"""Findings: what the drills showed about a workload's probes, and a change that fixes it.

Every finding quotes the drill that shows it; every suggested change is tried by running that
drill again with the change applied (``verification``), and carries the verdict of that run
(``simulator.advisor.verdicts``). The exceptions are a timeout below the app's latency, which the
engine cannot run (it has no model of response latency) and which is computed from Kubernetes'
timing instead, and a probe on an undeclared port name; they say so. On a workload a blocking
finding blocks (``simulator.advisor.blocking``) the traffic findings are not claimed and no
change is verified.

Severities: ``error`` (the drill shows failed requests or restarts a probe change avoids; exit
status 1), ``warning`` (costly only under the drill's harder assumptions), ``info``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simulator.advisor import drills, messages, probe_fields, verdicts
from simulator.advisor.assumptions import Assumptions
from simulator.advisor.blocking import PROBE_PORT_NOT_DECLARED, SERVICE_SELECTS_NOTHING, Blocker
from simulator.advisor.drills import DrillResult

ERROR = "error"
WARNING = "warning"
INFO = "info"

READY_PATHS = ("/ready", "/readyz")
# A liveness endpoint that answers while the process works, without checking dependencies.
LIVENESS_PATH = "/livez"
FAST_PERIOD = 5
FAST_THRESHOLD = 2
STARTUP_PERIOD = 5


@dataclass(frozen=True)
class Finding:
    workload: str
    container: str
    rule: str
    severity: str
    message: str
    evidence: dict[str, Any]
    suggestion: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        """The ``findings`` entry of ``check --json``."""
        return {
            "workload": self.workload,
            "container": self.container,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "evidence": self.evidence,
            "suggestion": self.suggestion,
        }


# A drill run on a changed workload: (workload manifest, drill name) -> result.
Rerun = Callable[[Mapping[str, Any], str], DrillResult]


@dataclass(frozen=True)
class Context:
    label: str
    workload: Mapping[str, Any]
    results: Mapping[str, DrillResult]
    assumptions: Assumptions
    lang: str
    rerun: Rerun
    # Whether a Service sends the workload traffic (False: the manifest has Services and none
    # selects it; the findings about traffic do not apply).
    served: bool = True
    # A drill run with exec probes that fail every attempt: (workload, drill, {container:
    # {probe type: timeoutSeconds}}) -> result; None when not available.
    run_failing: (
        Callable[[Mapping[str, Any], str, Mapping[str, Mapping[str, float]]], DrillResult] | None
    ) = None
    # The blocking findings that keep every request from the workload's pods.
    blocked_by: tuple[Blocker, ...] = ()

    @property
    def reached(self) -> bool:
        """Whether requests reach the pods: a Service sends them and nothing blocks them (the
        findings about traffic apply)."""
        return self.served and not self.blocked_by


def find(context: Context) -> list[Finding]:
    """Every finding for one workload, container by container, in a stable order."""
    found: list[Finding] = []
    for container in probe_fields.containers(context.workload):
        for rule in _RULES:
            finding = rule(context, container)
            if finding is not None:
                found.append(finding)
    return found


def _finding(
    context: Context,
    container: Mapping[str, Any],
    rule: str,
    severity: str,
    message: str,
    drill: DrillResult | None,
    suggestion: dict[str, Any] | None,
    **evidence: Any,
) -> Finding:
    shown = {"drill": drill.name, **drill.numbers()} if drill else {"drill": None}
    return Finding(
        workload=context.label,
        container=str(container.get("name")),
        rule=rule,
        severity=severity,
        message=message,
        evidence={**shown, **evidence},
        suggestion=suggestion,
    )


def _suggest(
    context: Context,
    container: Mapping[str, Any],
    change: probe_fields.ProbeChange,
    text: str,
    before: DrillResult,
    measure: str,
) -> dict[str, Any]:
    """The change, with the drill re-run on the changed workload and judged on ``measure``
    (``verification``, ``verdict``)."""
    changed = probe_fields.with_probe_change(context.workload, str(container["name"]), change)
    after = context.rerun(changed, before.name)
    return verdicts.run_suggestion(
        text,
        {"container": container["name"], **change},
        before,
        after,
        measure,
        context.lang,
        context.assumptions.requests_per_second,
        context.blocked_by,
    )


def readiness_port_blockers(label: str, workload: Mapping[str, Any]) -> list[Blocker]:
    """A ``probe-port-not-declared`` blocker for each readinessProbe of the workload on a port
    name its container does not declare: the pod never becomes Ready."""
    return [
        Blocker(label, PROBE_PORT_NOT_DECLARED, field)
        for index, container in enumerate(probe_fields.containers(workload))
        for probe_type, kind, _port in _undeclared_port_probes(container)
        if probe_type == "readinessProbe"
        for field in [_probe_field(workload, index, probe_type, kind)]
    ]


# The rules ------------------------------------------------------------------------------------


def _liveness_kills_boot(context: Context, container: Mapping[str, Any]) -> Finding | None:
    """A liveness probe that kills the app before it can boot (CrashLoopBackOff)."""
    liveness = probe_fields.probe(container, "livenessProbe")
    drill = context.results.get(drills.SLOW_BOOT)
    kills = drill.liveness_kills.get(str(container.get("name")), 0) if drill else 0
    if liveness is None or drill is None or kills == 0:
        return None
    startup = probe_fields.probe(container, "startupProbe")
    patience = probe_fields.timing(startup or liveness).patience
    slow = context.assumptions.slow_boot_seconds
    lang = context.lang
    severity = ERROR if patience < context.assumptions.boot_seconds else WARNING
    message = messages.text(
        "liveness-kills-boot",
        lang,
        patience=patience,
        boot=slow,
        kills=kills,
        restarted=_kills_and_restarts(kills, drill, lang),
        errors=drill.errors,
        requests=drill.requests,
        crash_loop=messages.text("crash-loop", lang) if drill.crash_loop else "",
    )
    threshold = math.ceil(2 * slow / STARTUP_PERIOD)
    # The startup probe asks what liveness asks, with room for twice the slow boot.
    handler = {key: value for key, value in liveness.items() if key in probe_fields.HANDLERS}
    new_startup = {**handler, "periodSeconds": STARTUP_PERIOD, "failureThreshold": threshold}
    text = messages.text(
        "suggest-startup-probe",
        lang,
        period=STARTUP_PERIOD,
        threshold=threshold,
        patience=STARTUP_PERIOD * threshold,
    )
    suggestion = _suggest(
        context, container, {"startupProbe": new_startup}, text, drill, verdicts.RESTARTS
    )
    return _finding(
        context,
        container,
        "liveness-kills-boot",
        severity,
        message,
        drill,
        suggestion,
        patienceSeconds=patience,
        bootSeconds=slow,
        livenessKills=kills,
        crashLoopBackOff=drill.crash_loop,
    )


def _kills_and_restarts(kills: int, drill: DrillResult, lang: str) -> str:
    """How the drill's liveness kills relate to its restarts, the figure its table and the
    verification quote: a killed container counts as restarted once it starts again, which one
    killed in CrashLoopBackOff may not do before the drill ends."""
    if drill.restarts == kills:
        return messages.text("kills-all-restarted", lang, restarts=drill.restarts)
    if drill.restarts < kills:
        return messages.text(
            "kills-waiting",
            lang,
            restarts=drill.restarts,
            waiting=kills - drill.restarts,
            duration=drill.duration - drill.measured_from,
        )
    return messages.text("kills-other-restarts", lang, restarts=drill.restarts)


def _liveness_checks_dependency(context: Context, container: Mapping[str, Any]) -> Finding | None:
    """Liveness checking what readiness checks: restarts during a dependency's outage."""
    liveness = probe_fields.probe(container, "livenessProbe")
    readiness = probe_fields.probe(container, "readinessProbe")
    drill = context.results.get(drills.DEPENDENCY_OUTAGE)
    if liveness is None or readiness is None or drill is None or drill.restarts == 0:
        return None
    if probe_fields.handler_key(liveness) != probe_fields.handler_key(readiness):
        return None
    lang = context.lang
    recovery = drill.recovery_seconds
    message = messages.text(
        "liveness-checks-dependency",
        lang,
        handler=probe_fields.describe_handler(liveness),
        outage=context.assumptions.outage_seconds,
        restarts=drill.restarts,
        recovery=messages.seconds(recovery, lang)
        if recovery is not None
        else messages.text("not-recovered", lang),
    )
    new_liveness = probe_fields.process_check(container, liveness)
    text = messages.text(
        "suggest-process-liveness", lang, port=probe_fields.container_port(container)
    )
    suggestion = _suggest(
        context, container, {"livenessProbe": new_liveness}, text, drill, verdicts.RESTARTS
    )
    return _finding(
        context,
        container,
        "liveness-checks-dependency",
        ERROR,
        message,
        drill,
        suggestion,
        outageSeconds=context.assumptions.outage_seconds,
    )


def _readiness_suggestion(container: Mapping[str, Any]) -> dict[str, Any]:
    """A readiness check of its own: an HTTP GET of a readiness path no other probe uses."""
    used = {
        probe_fields.handler_key(found)
        for probe_type in probe_fields.PROBE_TYPES
        if (found := probe_fields.probe(container, probe_type))
    }
    port = probe_fields.container_port(container)
    path = next(path for path in READY_PATHS if ("httpGet", path, port) not in used)
    return {
        "httpGet": {"path": path, "port": port},
        "periodSeconds": FAST_PERIOD,
        "failureThreshold": FAST_THRESHOLD,
    }


def _no_readiness_probe(context: Context, container: Mapping[str, Any]) -> Finding | None:
    """No readiness probe: requests reach containers still booting, at boot and in rollouts."""
    kind = context.workload.get("kind")
    if not context.reached:
        return None
    # A pod is Ready when every container is: one readiness probe gates the whole pod, so a
    # sidecar without one is not a finding (docs/kubernetes-model.md §2.3).
    containers = probe_fields.containers(context.workload)
    if kind == "Job" or any(probe_fields.probe(c, "readinessProbe") for c in containers):
        return None
    if container is not containers[0]:
        return None
    drill_name = drills.ROLLING_UPDATE if kind == "Deployment" else drills.APP_CRASH
    drill = context.results.get(drill_name)
    if drill is None or drill.errors == 0:
        return None
    lang = context.lang
    new_readiness = _readiness_suggestion(container)
    message = messages.text(
        "no-readiness-probe",
        lang,
        drill=drill.name,
        errors=drill.errors,
        requests=drill.requests,
        refused=drill.errors_by_cause.get("ConnectionRefused", 0),
    )
    text = messages.text(
        "suggest-readiness",
        lang,
        handler=probe_fields.describe_handler(new_readiness),
        period=FAST_PERIOD,
        threshold=FAST_THRESHOLD,
    )
    suggestion = _suggest(
        context, container, {"readinessProbe": new_readiness}, text, drill, verdicts.ERRORS
    )
    severity = ERROR if suggestion["verified"] else WARNING
    return _finding(context, container, "no-readiness-probe", severity, message, drill, suggestion)


def _slow_hang_detection(context: Context, container: Mapping[str, Any]) -> Finding | None:
    """Thresholds so slow (or a check so blind) that a hung pod keeps its traffic."""
    readiness = probe_fields.probe(container, "readinessProbe")
    drill = context.results.get(drills.APP_HANG)
    if readiness is None or drill is None or context.workload.get("kind") == "Job":
        return None
    if not context.reached:
        return None
    limit = context.assumptions.max_detection_seconds
    detection = drill.detection_seconds
    server_errors = drill.errors_by_cause.get("ServerError", 0)
    # Only a hang that cost requests is a finding (a pod that gets no traffic shows nothing).
    if (detection is not None and detection <= limit) or server_errors == 0:
        return None
    lang = context.lang
    watched = drill.duration - drill.measured_from
    shown = (
        messages.text("never", lang, seconds=watched)
        if detection is None
        else messages.seconds(detection, lang)
    )
    message = messages.text("slow-hang-detection", lang, detection=shown, errors=server_errors)
    timing = probe_fields.timing(readiness)
    if probe_fields.handler_type(readiness) in probe_fields.HANDLERS_THAT_SEE_A_HANG:
        faster = {**readiness}
    else:
        faster = {
            **{key: value for key, value in readiness.items() if key not in probe_fields.HANDLERS},
            **{
                key: value
                for key, value in _readiness_suggestion(container).items()
                if key in probe_fields.HANDLERS
            },
        }
    faster["periodSeconds"] = int(min(timing.period, FAST_PERIOD))
    faster["failureThreshold"] = int(min(timing.failure_threshold, FAST_THRESHOLD))
    text = messages.text(
        "suggest-faster-readiness",
        lang,
        handler=probe_fields.describe_handler(faster),
        period=faster["periodSeconds"],
        threshold=faster["failureThreshold"],
    )
    suggestion = _suggest(
        context, container, {"readinessProbe": faster}, text, drill, verdicts.ERRORS
    )
    severity = ERROR if detection is None else WARNING
    return _finding(
        context,
        container,
        "slow-hang-detection",
        severity,
        message,
        drill,
        suggestion,
        maxDetectionSeconds=limit,
        serverErrors=server_errors,
    )


def _hung_pod_never_restarted(context: Context, container: Mapping[str, Any]) -> Finding | None:
    """Readiness takes a hung pod out but nothing restarts it: the capacity stays lost."""
    drill = context.results.get(drills.APP_HANG)
    containers = probe_fields.containers(context.workload)
    if drill is None or container is not containers[0] or context.workload.get("kind") == "Job":
        return None
    if not context.reached:
        return None
    if any(probe_fields.probe(c, "livenessProbe") for c in containers):
        return None
    if drill.restarts or drill.endpoints_at_end >= drill.endpoints_before:
        return None
    lang = context.lang
    message = messages.text(
        "hung-pod-never-restarted",
        lang,
        before=drill.endpoints_before,
        after=drill.endpoints_at_end,
        seconds=drill.duration - drill.measured_from,
    )
    slow = context.assumptions.slow_boot_seconds
    threshold = math.ceil(2 * slow / STARTUP_PERIOD)
    port = probe_fields.container_port(container)
    check = {"httpGet": {"path": LIVENESS_PATH, "port": port}}
    change = {
        "livenessProbe": {**check, "periodSeconds": 10, "failureThreshold": 3},
        "startupProbe": {**check, "periodSeconds": STARTUP_PERIOD, "failureThreshold": threshold},
    }
    text = messages.text("suggest-liveness", lang, port=port, path=LIVENESS_PATH)
    # Judged on the pod's return, not on errors: the added probes shift the probes' phase by a
    # few seconds, and the hung pod's traffic with it; what the change is for is the capacity.
    suggestion = _suggest(context, container, change, text, drill, verdicts.ENDPOINTS_AT_END)
    return _finding(
        context,
        container,
        "hung-pod-never-restarted",
        INFO,
        message,
        drill,
        suggestion,
        endpointsBefore=drill.endpoints_before,
        endpointsAtEnd=drill.endpoints_at_end,
    )


def _timeout_below_latency(context: Context, container: Mapping[str, Any]) -> Finding | None:
    """A probe timeout below the app's answer time: every attempt fails
    (docs/kubernetes-model.md §2)."""
    latency = context.assumptions.latency_seconds
    lang = context.lang
    for probe_type in ("readinessProbe", "livenessProbe", "startupProbe"):
        found = probe_fields.probe(container, probe_type)
        if found is None or probe_fields.handler_type(found) == "tcpSocket":
            continue
        timing = probe_fields.timing(found)
        if timing.timeout >= latency:
            continue
        consequence = (
            messages.text("timeout-readiness", lang)
            if probe_type == "readinessProbe"
            else messages.text("timeout-liveness", lang, patience=timing.patience)
        )
        message = messages.text(
            "probe-timeout-below-latency",
            lang,
            probe=probe_type,
            timeout=timing.timeout,
            latency=latency,
            consequence=consequence,
        )
        timeout = math.ceil(2 * latency)
        suggestion = verdicts.unrun_suggestion(
            messages.text("suggest-timeout", lang, timeout=timeout, latency=latency),
            {"container": container["name"], probe_type: {**found, "timeoutSeconds": timeout}},
            messages.text("not-run", lang),
            lang,
            context.blocked_by,
        )
        return _finding(
            context,
            container,
            "probe-timeout-below-latency",
            ERROR,
            message,
            None,
            suggestion,
            probe=probe_type,
            timeoutSeconds=timing.timeout,
            latencySeconds=latency,
        )
    return None


def _probe_port_not_declared(context: Context, container: Mapping[str, Any]) -> Finding | None:
    """A probe on a port name the container does not declare: the prober errors on every attempt
    and the result is thrown away (docs/kubernetes-model.md §8.3), so a readiness probe keeps the
    pod out of the Service and a liveness or startup probe never acts."""
    index = next(
        position
        for position, item in enumerate(probe_fields.containers(context.workload))
        if item is container
    )
    declared = _declared_ports(container)
    lang = context.lang
    for probe_type, kind, port in _undeclared_port_probes(container):
        found = probe_fields.probe(container, probe_type) or {}
        field = _probe_field(context.workload, index, probe_type, kind)
        drill = context.results.get(drills.APP_HANG)
        if probe_type == "readinessProbe":
            consequence = messages.text("port-readiness-consequence", lang)
        else:
            kills = drill.liveness_kills.get(str(container.get("name")), 0) if drill else 0
            consequence = messages.text(
                "port-liveness-consequence",
                lang,
                probe=probe_type,
                drill=drills.APP_HANG,
                restarts=kills,
            )
        shown = ", ".join(f"{name}={number}" for name, number in declared.items())
        message = messages.text(
            "probe-port-not-declared",
            lang,
            field=field,
            port=port,
            container=container.get("name"),
            declared=shown or messages.text("none", lang),
            consequence=consequence,
        )
        usable: int | str = next(iter(declared), None) or _first_number(container)
        # Its own fix is not blocked by itself, only by another blocking finding.
        others = tuple(
            blocker
            for blocker in context.blocked_by
            if (blocker.object, blocker.field) != (context.label, field)
        )
        suggestion = verdicts.unrun_suggestion(
            messages.text("suggest-declared-port", lang, port=usable),
            {
                "container": container["name"],
                probe_type: {**found, kind: {**found[kind], "port": usable}},
            },
            messages.text("not-run-port", lang),
            lang,
            others,
        )
        return _finding(
            context,
            container,
            "probe-port-not-declared",
            ERROR,
            message,
            drill,
            suggestion,
            field=field,
            port=port,
            declaredPorts=declared,
        )
    return None


def _declared_ports(container: Mapping[str, Any]) -> dict[str, Any]:
    """The container's named ports: name -> containerPort."""
    return {
        port["name"]: port.get("containerPort")
        for port in container.get("ports") or ()
        if isinstance(port, dict) and isinstance(port.get("name"), str)
    }


def _undeclared_port_probes(container: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The container's httpGet/tcpSocket probes on a port name it does not declare, as
    (probe type, handler, port name), in ``PROBE_TYPES`` order."""
    declared = _declared_ports(container)
    found = []
    for probe_type in probe_fields.PROBE_TYPES:
        probe = probe_fields.probe(container, probe_type)
        kind = probe_fields.handler_type(probe) if probe else None
        if probe is None or kind not in ("httpGet", "tcpSocket"):
            continue
        port = probe[kind].get("port")
        if isinstance(port, str) and port not in declared:
            found.append((probe_type, str(kind), port))
    return found


def _probe_field(workload: Mapping[str, Any], index: int, probe_type: str, kind: str) -> str:
    """The manifest path of the port of container ``index``'s ``probe_type``."""
    prefix = "spec." if workload.get("kind") == "Pod" else "spec.template.spec."
    return f"{prefix}containers[{index}].{probe_type}.{kind}.port"


def _first_number(container: Mapping[str, Any]) -> int:
    for port in container.get("ports") or ():
        if isinstance(port, dict) and isinstance(port.get("containerPort"), int):
            return int(port["containerPort"])
    return probe_fields.DEFAULT_PORT


def _readiness_without_service(context: Context, container: Mapping[str, Any]) -> Finding | None:
    """A readiness probe on pods no Service of the manifest selects (kube-score's service
    checks): it steers no traffic there."""
    if context.served or probe_fields.probe(container, "readinessProbe") is None:
        return None
    # A Service meant for these pods that selects none of them is the error already reported
    # for it (``service-selects-nothing``, which blocks the workload): not repeated here.
    if any(blocker.rule == SERVICE_SELECTS_NOTHING for blocker in context.blocked_by):
        return None
    message = messages.text("readiness-without-service", context.lang)
    return _finding(context, container, "readiness-without-service", WARNING, message, None, None)


# ``cat /tmp/healthy``-like checks of a file: the command, and where the file's path is.
_FILE_CHECKS = ("cat", "ls", "stat", "test")
PLACEHOLDER_PREFIX = "/tmp/"


def _checked_file(command: list[Any]) -> str | None:
    """The file an exec probe checks for, when it only checks a file under /tmp (``cat
    /tmp/healthy``, ``test -e /tmp/ok``, also through ``sh -c``)."""
    words = [str(word) for word in command]
    if len(words) == 3 and words[0] in ("sh", "/bin/sh", "bash", "/bin/bash") and words[1] == "-c":
        words = words[2].split()
    if not words or words[0] not in _FILE_CHECKS:
        return None
    paths = [word for word in words[1:] if not word.startswith("-")]
    if len(paths) != 1 or not paths[0].startswith(PLACEHOLDER_PREFIX):
        return None
    return paths[0]


def _placeholder_exec_liveness(context: Context, container: Mapping[str, Any]) -> Finding | None:
    """A liveness probe that checks a file nothing in the container makes (Polaris's auto-fix
    inserts ``cat /tmp/healthy``): it fails on every attempt, and the kubelet restarts the app
    for ever. Shown by running the first drill with that command failing."""
    liveness = probe_fields.probe(container, "livenessProbe")
    if liveness is None or probe_fields.handler_type(liveness) != "exec":
        return None
    path = _checked_file(list(liveness["exec"].get("command") or ()))
    written = " ".join(
        str(part) for part in (container.get("command") or []) + (container.get("args") or [])
    )
    if path is None or path in written or context.run_failing is None:
        return None
    # A drill that faults no node, so every restart of the failing probe shows (in the first
    # drill, a node failure, a single replica's restarts would die with its node): the rolling
    # update where there is one, where the suggested probe has a normal boot to pass.
    names = drills.drill_names(str(context.workload.get("kind")))
    drill_name = next(
        (name for name in (drills.ROLLING_UPDATE, drills.SLOW_BOOT) if name in names), names[0]
    )
    name = str(container["name"])
    failing = {name: {"livenessProbe": probe_fields.timing(liveness).timeout}}
    before = context.run_failing(context.workload, drill_name, failing)
    if before.restarts == 0:
        return None
    lang = context.lang
    message = messages.text(
        "placeholder-exec-liveness",
        lang,
        command=probe_fields.describe_handler(liveness),
        path=path,
        drill=drill_name,
        restarts=before.restarts,
        errors=before.errors,
        requests=before.requests,
        crash_loop=messages.text("crash-loop", lang) if before.crash_loop else "",
    )
    port = probe_fields.container_port(container)
    new_liveness = {
        **{key: value for key, value in liveness.items() if key not in probe_fields.HANDLERS},
        "httpGet": {"path": LIVENESS_PATH, "port": port},
    }
    changed = probe_fields.with_probe_change(
        context.workload, name, {"livenessProbe": new_liveness}
    )
    after = context.run_failing(changed, drill_name, {})
    suggestion = verdicts.run_suggestion(
        messages.text("suggest-http-liveness", lang, port=port, path=LIVENESS_PATH),
        {"container": name, "livenessProbe": new_liveness},
        before,
        after,
        verdicts.RESTARTS,
        lang,
        context.assumptions.requests_per_second,
        context.blocked_by,
    )
    return _finding(
        context,
        container,
        "placeholder-exec-liveness",
        ERROR,
        message,
        before,
        suggestion,
        checkedFile=path,
        crashLoopBackOff=before.crash_loop,
    )


def _probe_port_not_exposed(context: Context, container: Mapping[str, Any]) -> Finding | None:
    """A probe on a port number the container does not list in ``ports`` (kube-linter's
    liveness-port and readiness-port): it works only if the app listens there, which the
    manifest does not say. Only when the container lists some ports."""
    listed = [
        port.get("containerPort") for port in container.get("ports") or () if isinstance(port, dict)
    ]
    if not listed:
        return None
    for probe_type in probe_fields.PROBE_TYPES:
        found = probe_fields.probe(container, probe_type)
        kind = probe_fields.handler_type(found) if found else None
        if found is None or kind not in ("httpGet", "tcpSocket", "grpc"):
            continue
        port = found[kind].get("port")
        if not isinstance(port, int) or port in listed:
            continue
        message = messages.text(
            "probe-port-not-exposed",
            context.lang,
            probe=probe_type,
            port=port,
            listed=", ".join(str(number) for number in listed),
        )
        return _finding(
            context, container, "probe-port-not-exposed", WARNING, message, None, None,
            probe=probe_type, port=port, containerPorts=listed,
        )  # fmt: skip
    return None


_RULES = (
    _probe_port_not_declared,
    _probe_port_not_exposed,
    _placeholder_exec_liveness,
    _readiness_without_service,
    _liveness_kills_boot,
    _liveness_checks_dependency,
    _no_readiness_probe,
    _slow_hang_detection,
    _hung_pod_never_restarted,
    _timeout_below_latency,
)
