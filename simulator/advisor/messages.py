"""The advisor's texts in English and Korean, as the rest of the product speaks both.

Each text is a ``str.format`` template over the numbers it quotes; the same names in both
languages.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "ko")

TEXTS: Mapping[str, Mapping[str, str]] = {
    "liveness-kills-boot": {
        "en": (
            "the livenessProbe gives the app {patience:g} s to answer (initialDelaySeconds + "
            "(failureThreshold − 1) × periodSeconds) but a slow boot takes {boot:g} s: in the "
            "slow-boot drill the kubelet killed it {kills} times before it ever served"
            "{restarted}, {errors} of {requests} requests failed{crash_loop}"
        ),
        "ko": (
            "livenessProbe는 앱에 {patience:g}초(initialDelaySeconds + (failureThreshold − 1) × "
            "periodSeconds)를 주지만 느린 기동은 {boot:g}초 걸립니다. slow-boot 훈련에서 kubelet이 "
            "앱이 한 번도 응답하기 전에 {kills}번 종료했고{restarted}, 요청 {requests}개 중 "
            "{errors}개가 실패했습니다{crash_loop}"
        ),
    },
    # How the kills of ``liveness-kills-boot`` relate to the drill's restarts (the figure its
    # table and verification show): a kill is a restart once the container starts again, which
    # a kill in CrashLoopBackOff may not do before the drill ends.
    "kills-all-restarted": {
        "en": " (each kill a restart: the drill's {restarts} restarts)",
        "ko": "(종료마다 재시작: 훈련의 재시작 {restarts}번)",
    },
    "kills-waiting": {
        "en": (
            " ({restarts} restarts within the drill's {duration:g} s: the other {waiting} kills "
            "were still waiting out their CrashLoopBackOff back-off when it ended)"
        ),
        "ko": (
            "(훈련 {duration:g}초 안의 재시작은 {restarts}번: 나머지 {waiting}번은 훈련이 끝날 "
            "때 아직 CrashLoopBackOff 대기 중이었습니다)"
        ),
    },
    "kills-other-restarts": {
        "en": " (the drill's {restarts} restarts count other causes too)",
        "ko": "(훈련의 재시작 {restarts}번에는 다른 원인도 포함됩니다)",
    },
    "crash-loop": {"en": " and the pods ended in CrashLoopBackOff", "ko": " (CrashLoopBackOff)"},
    "liveness-checks-dependency": {
        "en": (
            "the livenessProbe asks what the readinessProbe asks ({handler}): when a shared "
            "dependency is down for {outage:g} s the kubelet restarts the containers "
            "({restarts} restarts) although a restart cannot fix it; service came back "
            "{recovery} after the dependency did"
        ),
        "ko": (
            "livenessProbe가 readinessProbe와 같은 것({handler})을 검사합니다. 공유 의존성이 "
            "{outage:g}초 동안 다운되면 재시작으로 고쳐지지 않는데도 kubelet이 컨테이너를 "
            "재시작하고(재시작 {restarts}번), 의존성이 돌아온 뒤 서비스 복구까지 {recovery} "
            "걸렸습니다"
        ),
    },
    "no-readiness-probe": {
        "en": (
            "no readinessProbe: a container counts as ready as soon as it runs, so the Service "
            "sends it requests while it boots; in the {drill} drill {errors} of {requests} "
            "requests failed ({refused} refused while booting)"
        ),
        "ko": (
            "readinessProbe가 없습니다. 컨테이너가 실행되자마자 준비된 것으로 간주되어 기동 "
            "중에도 Service가 요청을 보냅니다. {drill} 훈련에서 요청 {requests}개 중 {errors}개가 "
            "실패했습니다(기동 중 연결 거부 {refused}개)"
        ),
    },
    "slow-hang-detection": {
        "en": (
            "a hung app (HTTP 500, process alive) keeps its traffic for {detection}: in the "
            "app-hang drill {errors} requests failed with 500 before Kubernetes acted"
        ),
        "ko": (
            "멈춘 앱(HTTP 500, 프로세스는 살아 있음)이 {detection} 동안 트래픽을 계속 받습니다. "
            "app-hang 훈련에서 Kubernetes가 조치하기 전까지 요청 {errors}개가 500으로 "
            "실패했습니다"
        ),
    },
    "never": {
        "en": "the whole drill ({seconds:g} s): it is never taken out",
        "ko": "훈련 내내({seconds:g}초), 끝내 제외되지 않음",
    },
    "seconds": {"en": "{seconds:g} s", "ko": "{seconds:g}초"},
    "not-recovered": {"en": "not within the drill", "ko": "훈련 시간 안에 복구되지 않음"},
    "hung-pod-never-restarted": {
        "en": (
            "no livenessProbe: readiness takes a hung app out of the Service but nothing "
            "restarts it; in the app-hang drill the Service still had {after} of {before} "
            "endpoints {seconds:g} s later"
        ),
        "ko": (
            "livenessProbe가 없습니다. readiness가 멈춘 앱을 Service에서 빼지만 아무도 재시작하지 "
            "않습니다. app-hang 훈련에서 {seconds:g}초 뒤에도 Service의 엔드포인트는 {before}개 중 "
            "{after}개였습니다"
        ),
    },
    "suggest-liveness": {
        "en": (
            "add a livenessProbe on an endpoint that answers while the process works and does "
            "not check dependencies (httpGet {path} :{port}, periodSeconds 10, failureThreshold "
            "3), with a startupProbe on it for slow boots"
        ),
        "ko": (
            "프로세스가 동작하는 동안 응답하고 의존성은 검사하지 않는 엔드포인트로 livenessProbe를 "
            "추가하세요(httpGet {path} :{port}, periodSeconds 10, failureThreshold 3). 느린 기동에 "
            "대비해 같은 엔드포인트로 startupProbe도 두세요"
        ),
    },
    "probe-timeout-below-latency": {
        "en": (
            "the {probe} times out after {timeout:g} s but the app answers in {latency:g} s "
            "(--latency): every attempt fails{consequence}"
        ),
        "ko": (
            "{probe}의 시간 제한은 {timeout:g}초인데 앱의 응답 시간은 {latency:g}초(--latency)"
            "입니다. 모든 검사가 실패합니다{consequence}"
        ),
    },
    "timeout-readiness": {
        "en": ": the pod never becomes Ready and gets no traffic",
        "ko": ". Pod가 Ready가 되지 않아 트래픽을 받지 못합니다",
    },
    "timeout-liveness": {
        "en": ": the kubelet restarts the container every {patience:g} s, then CrashLoopBackOff",
        "ko": ". kubelet이 {patience:g}초마다 컨테이너를 재시작하고 결국 CrashLoopBackOff가 됩니다",
    },
    "suggest-startup-probe": {
        "en": (
            "add a startupProbe with the liveness check, periodSeconds {period:g}, "
            "failureThreshold {threshold} (up to {patience:g} s to boot); liveness starts after it"
        ),
        "ko": (
            "liveness와 같은 검사로 startupProbe를 추가하세요: periodSeconds {period:g}, "
            "failureThreshold {threshold}(기동에 최대 {patience:g}초). liveness는 그 뒤에 "
            "시작됩니다"
        ),
    },
    "suggest-process-liveness": {
        "en": (
            "point the livenessProbe at a check of the process alone that does not touch "
            "dependencies (e.g. a /livez that answers while the process runs); modelled here as "
            "tcpSocket :{port}"
        ),
        "ko": (
            "livenessProbe는 의존성을 건드리지 않고 프로세스만 확인하게 하세요(예: 프로세스가 "
            "살아 있으면 응답하는 /livez). 여기서는 tcpSocket :{port} 검사로 모델링했습니다"
        ),
    },
    "suggest-readiness": {
        "en": (
            "add a readinessProbe that checks what a request needs ({handler}), periodSeconds "
            "{period:g}, failureThreshold {threshold}"
        ),
        "ko": (
            "요청 처리에 필요한 것을 검사하는 readinessProbe({handler})를 추가하세요: "
            "periodSeconds {period:g}, failureThreshold {threshold}"
        ),
    },
    "suggest-faster-readiness": {
        "en": (
            "make the readinessProbe see a hang sooner: {handler}, periodSeconds {period:g}, "
            "failureThreshold {threshold}"
        ),
        "ko": (
            "readinessProbe가 멈춤을 더 빨리 감지하게 하세요: {handler}, periodSeconds "
            "{period:g}, failureThreshold {threshold}"
        ),
    },
    "suggest-timeout": {
        "en": "raise timeoutSeconds to {timeout} (above the app's {latency:g} s)",
        "ko": "timeoutSeconds를 {timeout}(앱 응답 시간 {latency:g}초 이상)으로 늘리세요",
    },
    "verified": {
        "en": "verified by the {drill} drill ({measure} {old:g} → {new:g}): {before} → {after}",
        "ko": "{drill} 훈련으로 검증({measure} {old:g} → {new:g}): {before} → {after}",
    },
    "marginal": {
        "en": (
            "only a marginal gain in the {drill} drill ({measure} {old:g} → {new:g}, a gain of "
            "{gain:g}; verified needs at least {needed:g}): {before} → {after}"
        ),
        "ko": (
            "{drill} 훈련에서 미미한 개선뿐입니다({measure} {old:g} → {new:g}, {gain:g} 개선. "
            "검증되려면 {needed:g} 이상 나아져야 합니다): {before} → {after}"
        ),
    },
    "no-gain": {
        "en": (
            "no measurable gain in the {drill} drill ({measure} {old:g} → {new:g}): "
            "{before} → {after}"
        ),
        "ko": (
            "{drill} 훈련에서 측정할 만한 개선이 없습니다({measure} {old:g} → {new:g}): "
            "{before} → {after}"
        ),
    },
    "blocked-fix": {
        "en": (
            "cannot help until {blocker} is fixed: every request fails whatever the probes "
            "(the {drill} drill with this change: {before} → {after})"
        ),
        "ko": (
            "{blocker}을(를) 고치기 전에는 도움이 되지 않습니다. Probe와 상관없이 모든 요청이 "
            "실패합니다(이 변경으로 돌린 {drill} 훈련: {before} → {after})"
        ),
    },
    "blocked-not-run": {
        "en": "cannot help until {blocker} is fixed: every request fails whatever the probes",
        "ko": (
            "{blocker}을(를) 고치기 전에는 도움이 되지 않습니다. Probe와 상관없이 모든 요청이 "
            "실패합니다"
        ),
    },
    "blocker": {"en": "{rule} ({object})", "ko": "{rule}({object})"},
    "blocked-drills": {
        "en": (
            "blocked by {blocker}: no request reaches the pods, so every drill fails every "
            "request whatever the probes; the drills run with it as it is, and no probe change "
            "suggested for this workload can help until it is fixed"
        ),
        "ko": (
            "{blocker} 때문에 막혀 있습니다. 요청이 Pod에 닿지 않아 Probe와 상관없이 모든 "
            "훈련에서 모든 요청이 실패합니다. 훈련은 이 상태 그대로 돌렸고, 이 워크로드에 "
            "제안한 Probe 변경은 이것을 고치기 전에는 도움이 되지 않습니다"
        ),
    },
    "measure-errors": {"en": "errors", "ko": "오류"},
    "measure-restarts": {"en": "restarts", "ko": "재시작"},
    "measure-endpointsAtEnd": {"en": "endpoints at the end", "ko": "마지막 엔드포인트"},
    "not-run-port": {
        "en": (
            "not verified by a run: a declared port lets the probe act, and what it then sees "
            "depends on what the app answers there"
        ),
        "ko": (
            "실행으로 검증하지 않음: 선언된 포트여야 Probe가 동작하며, 그때 무엇을 보는지는 "
            "앱이 그 포트에서 무엇을 응답하는지에 달려 있습니다"
        ),
    },
    "not-run": {
        "en": "not verified by a run: the engine does not model response latency",
        "ko": "실행으로 검증하지 않음: 엔진이 응답 시간을 모델링하지 않습니다",
    },
    "figures": {
        "en": (
            "{errors} errors, {restarts} restarts, detection {detection}, recovery {recovery}, "
            "{endpoints} endpoints at the end"
        ),
        "ko": (
            "오류 {errors}개, 재시작 {restarts}번, 감지 {detection}, 복구 {recovery}, 마지막 "
            "엔드포인트 {endpoints}개"
        ),
    },
    # Detection and recovery are each counted from their own start (docs/advisor.md, "The
    # drills"): the texts say which, so a recovery shorter than the detection reads as what it
    # is (both from the fault; errors can stop before the 1-second sample that sees the action).
    "detection-after-fault": {
        "en": "(Kubernetes acted) {seconds} after the fault",
        "ko": "(Kubernetes 조치) 장애 {seconds} 후",
    },
    "recovery-after-fault": {
        "en": "(errors stopped for good) {seconds} after the fault",
        "ko": "(오류가 완전히 멈춤) 장애 {seconds} 후",
    },
    "recovery-after-return": {
        "en": "(errors stopped for good) {seconds} after the dependency returned",
        "ko": "(오류가 완전히 멈춤) 의존성 복귀 {seconds} 후",
    },
    "none": {"en": "none", "ko": "없음"},
    "service-selects-nothing": {
        "en": (
            "{service}: its selector {selector} matches no pod of the manifest ({labels}); "
            "the Service has no endpoints and every request through it fails{evidence}"
        ),
        "ko": (
            "{service}: selector {selector}와 일치하는 Pod가 매니페스트에 없습니다({labels}). "
            "Service에 엔드포인트가 없어 이 Service로 가는 모든 요청이 실패합니다{evidence}"
        ),
    },
    "selects-nothing-evidence": {
        "en": (
            " (the {drill} drill behind it: {errors} of {requests} requests refused, NoEndpoints)"
        ),
        "ko": " ({drill} 훈련: 요청 {requests}개 중 {errors}개 거부, NoEndpoints)",
    },
    "suggest-selector": {
        "en": "select the pods' labels: selector {selector}",
        "ko": "Pod의 레이블을 선택하세요: selector {selector}",
    },
    "service-target-port-not-declared": {
        "en": (
            "{service}: targetPort {port!r} (spec.ports[0].targetPort) is not declared by any "
            "container of {workload} (declared ports: {declared}); its pods are left out of the "
            "endpoints and every request through the Service fails"
        ),
        "ko": (
            "{service}: targetPort {port!r}(spec.ports[0].targetPort)를 {workload}의 어떤 "
            "컨테이너도 선언하지 않습니다(선언된 포트: {declared}). Pod가 엔드포인트에서 빠져 "
            "이 Service로 가는 모든 요청이 실패합니다"
        ),
    },
    "probe-port-not-declared": {
        "en": (
            "{field}: port name {port!r} is not declared by container {container} (declared "
            "ports: {declared}); the kubelet's probe errors on every attempt and its result is "
            "thrown away: {consequence}"
        ),
        "ko": (
            "{field}: 포트 이름 {port!r}을(를) 컨테이너 {container}가 선언하지 않습니다(선언된 "
            "포트: {declared}). kubelet의 Probe가 매번 오류를 내고 결과는 버려집니다: "
            "{consequence}"
        ),
    },
    "port-readiness-consequence": {
        "en": "the pod never becomes Ready and gets no traffic",
        "ko": "Pod가 Ready가 되지 않아 트래픽을 받지 못합니다",
    },
    "port-liveness-consequence": {
        "en": (
            "this {probe} never fails, so it never restarts anything (the {drill} drill: "
            "{restarts} restarts by it)"
        ),
        "ko": (
            "이 {probe}는 실패하지 않아 아무것도 재시작하지 않습니다({drill} 훈련: "
            "재시작 {restarts}번)"
        ),
    },
    "suggest-declared-port": {
        "en": "use a declared port: {port}",
        "ko": "선언된 포트를 쓰세요: {port}",
    },
    "placeholder-exec-liveness": {
        "en": (
            "the livenessProbe ({command}) checks for {path}, which nothing in the container "
            "makes: it fails on every attempt. Run so in the {drill} drill, the kubelet "
            "restarted the app {restarts} times and {errors} of {requests} requests failed"
            "{crash_loop}"
        ),
        "ko": (
            "livenessProbe({command})가 컨테이너에서 아무도 만들지 않는 {path}를 검사해 매번 "
            "실패합니다. {drill} 훈련에서 그렇게 실행하자 kubelet이 앱을 {restarts}번 재시작했고 "
            "요청 {requests}개 중 {errors}개가 실패했습니다{crash_loop}"
        ),
    },
    "suggest-http-liveness": {
        "en": (
            "replace it with a check of an endpoint that answers while the process works "
            "(httpGet {path} :{port})"
        ),
        "ko": (
            "프로세스가 동작하는 동안 응답하는 엔드포인트 검사로 바꾸세요(httpGet {path} :{port})"
        ),
    },
    "probe-port-not-exposed": {
        "en": (
            "the {probe} checks port {port}, which the container does not list in its ports "
            "({listed}): it works only if the app listens there"
        ),
        "ko": (
            "{probe}가 컨테이너의 ports({listed})에 없는 포트 {port}를 검사합니다. 앱이 그 "
            "포트에서 듣고 있을 때만 동작합니다"
        ),
    },
    "readiness-without-service": {
        "en": (
            "no Service of the manifest selects these pods: the readinessProbe steers no "
            "traffic (a Service elsewhere may select them; check it with them)"
        ),
        "ko": (
            "매니페스트의 어떤 Service도 이 Pod를 선택하지 않아 readinessProbe가 트래픽을 "
            "조정하지 않습니다(다른 곳의 Service라면 함께 검사하세요)"
        ),
    },
}


def language(requested: str | None = None) -> str:
    """``requested`` if given, else ``ko`` when ``LANG``/``LC_ALL`` starts with ``ko``, else
    ``en``. Raises ``ValueError`` for a language the advisor does not speak."""
    if requested:
        if requested not in LANGUAGES:
            raise ValueError(f"--lang: unsupported value {requested!r}: supported: en, ko")
        return requested
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def text(key: str, lang: str, **values: Any) -> str:
    """The text ``key`` in ``lang`` (English when missing), filled with ``values``."""
    templates = TEXTS[key]
    return templates.get(lang, templates["en"]).format(**values)


def seconds(value: float | None, lang: str) -> str:
    """``12 s`` / ``12초``; ``none`` / ``없음`` for None."""
    if value is None:
        return text("none", lang)
    return text("seconds", lang, seconds=value)
