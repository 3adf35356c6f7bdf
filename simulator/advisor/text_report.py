"""``check`` without ``--json``: a readable report, in English or Korean."""

from __future__ import annotations

from collections.abc import Mapping

from simulator.advisor.check import CheckReport
from simulator.advisor.drills import DRILLS_WITHOUT_DETECTION

HEADINGS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "assumptions": "Assumptions (what the manifest cannot say; change them with the flags):",
        "skipped": "Skipped (not a Deployment, StatefulSet, Pod, Job or Service): {objects}",
        "cannot-judge": "Cannot judge (no verdict; exit status 2):",
        "service": "{service} selects: {selects}",
        "findings": "Findings:",
        "no-findings": "No findings: the probes held up in every drill.",
        "no-verdict": "No findings in what was drilled; no verdict on what podviz cannot judge.",
        "suggestion": "suggestion",
        "summary": "{errors} error(s), {warnings} warning(s), {infos} info",
        "never": "never",
    },
    "ko": {
        "assumptions": "가정(매니페스트로 알 수 없는 것, 옵션으로 바꿀 수 있음):",
        "skipped": "건너뜀(Deployment, StatefulSet, Pod, Job, Service 아님): {objects}",
        "cannot-judge": "판단 불가(판정 없음, 종료 상태 2):",
        "service": "{service}가 선택하는 워크로드: {selects}",
        "findings": "발견 사항:",
        "no-findings": "발견 사항 없음: 모든 훈련에서 Probe가 제 역할을 했습니다.",
        "no-verdict": (
            "훈련한 범위에서는 발견 사항이 없습니다. "
            "podviz가 판단할 수 없는 부분에는 판정을 내리지 않습니다."
        ),
        "suggestion": "제안",
        "summary": "오류 {errors}개, 경고 {warnings}개, 정보 {infos}개",
        "never": "없음",
    },
}

# The drill table's header, per language.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "en": (
        "drill",
        "requests",
        "errors",
        "refused",
        "timeout",
        "5xx",
        "no-endp",
        "detect",
        "recover",
        "restarts",
    ),
    "ko": (
        "훈련",
        "요청",
        "오류",
        "연결거부",
        "시간초과",
        "5xx",
        "엔드포인트없음",
        "감지",
        "복구",
        "재시작",
    ),
}

ASSUMPTION_FLAGS = (
    ("bootSeconds", "--boot-seconds", "s"),
    ("slowBootFactor", "--slow-boot-factor", "×"),
    ("requestsPerSecond", "--rps", "/s"),
    ("latencySeconds", "--latency", "s"),
    ("outageSeconds", "--outage-seconds", "s"),
    ("maxDetectionSeconds", "--max-detection", "s"),
    ("seed", "--seed", ""),
)
CAUSE_COLUMNS = ("ConnectionRefused", "Timeout", "ServerError", "NoEndpoints")


def format_check(report: CheckReport) -> str:
    """The report as text: assumptions, one drill table per workload, findings, a summary."""
    lang = report.lang
    words = HEADINGS[lang]
    lines = [words["assumptions"]]
    values = report.assumptions.as_dict()
    lines += [f"  {flag} {values[name]:g}{unit}" for name, flag, unit in ASSUMPTION_FLAGS]
    if report.skipped:
        objects = ", ".join(item.label for item in report.skipped)
        lines.append(words["skipped"].format(objects=objects))
    for service in report.services:
        selects = ", ".join(service.selects) or "-"
        lines.append(words["service"].format(service=service.item.label, selects=selects))
    if report.cannot_judge:
        lines += ["", words["cannot-judge"]]
        lines += [f"  {item.object}: {item.message}" for item in report.cannot_judge]
    for workload in report.workloads:
        lines += ["", f"{workload.item.label} ({workload.item.source})"]
        lines += [f"  {blocker.note(lang)}" for blocker in workload.blocked_by]
        rows = [COLUMNS[lang]]
        for result in workload.drills:
            rows.append(
                (
                    result.name,
                    str(result.requests),
                    str(result.errors),
                    *(str(result.errors_by_cause.get(cause, 0)) for cause in CAUSE_COLUMNS),
                    "-"
                    if result.name in DRILLS_WITHOUT_DETECTION
                    else _seconds(result.detection_seconds, words),
                    _seconds(result.recovery_seconds, words),
                    str(result.restarts),
                )
            )
        widths = [max(_width(row[column]) for row in rows) for column in range(len(rows[0]))]
        for row in rows:
            cells = [
                _pad(cell, width, column)
                for column, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  " + "  ".join(cells).rstrip())
    quiet = words["no-verdict"] if report.cannot_judge else words["no-findings"]
    lines += ["", words["findings"] if report.findings else quiet]
    for finding in report.findings:
        lines.append(
            f"  {finding.severity.upper():7} {finding.workload} [{finding.container}] "
            f"{finding.rule}"
        )
        lines.append(f"          {finding.message}")
        if finding.suggestion:
            lines.append(f"          {words['suggestion']}: {finding.suggestion['text']}")
            lines.append(f"          {finding.suggestion['verification']['text']}")
    counts = {
        severity: sum(1 for finding in report.findings if finding.severity == severity)
        for severity in ("error", "warning", "info")
    }
    lines += [
        "",
        words["summary"].format(
            errors=counts["error"], warnings=counts["warning"], infos=counts["info"]
        ),
    ]
    return "\n".join(lines) + "\n"


def _seconds(value: float | None, words: Mapping[str, str]) -> str:
    return words["never"] if value is None else f"{value:g}s"


def _width(cell: str) -> int:
    """Display width: Hangul and other wide characters take two columns."""
    return sum(2 if ord(char) >= 0x1100 else 1 for char in cell)


def _pad(cell: str, width: int, column: int) -> str:
    padding = " " * (width - _width(cell))
    return cell + padding if column == 0 else padding + cell
