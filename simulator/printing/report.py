"""A results document (docs/scenario-format.md) as text for people: per variant, the errors by
cause and the pods at the end of the run as ``kubectl get pods -o wide`` would list them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.printing.durations import human_duration

ERROR_CAUSES = ("NoEndpoints", "ConnectionRefused", "Timeout", "ServerError")
POD_COLUMNS = ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE")
# kubectl prints its tables through a tabwriter with 3 spaces of padding.
COLUMN_GAP = "   "


def format_report(results: Mapping[str, Any]) -> str:
    duration = results["duration"]
    variants = results["variants"]
    lines = [
        f"Scenario {results['scenario']}: seed {results['seed']}, {duration:g} s simulated, "
        f"{len(variants)} variant{'s' * (len(variants) != 1)}",
    ]
    not_modelled = variants[0].get("notModelled") if variants else None
    if not_modelled:
        lines.append(not_modelled_line(not_modelled))
    for variant in variants:
        lines += ["", f"== {variant['name']} ==", *_totals(variant["totals"]), ""]
        lines += _pod_table(variant["pods"], duration)
    return "\n".join(lines) + "\n"


def not_modelled_line(paths: Sequence[str]) -> str:
    """The manifest's known Kubernetes fields that the simulation leaves out."""
    return "Not modelled (accepted, no effect in the simulation): " + ", ".join(paths)


def _totals(totals: Mapping[str, Any]) -> list[str]:
    requests, errors = totals["requests"], totals["errors"]
    share = f"{100 * errors / requests:.2f}%" if requests else "no requests"
    lines = [f"Requests {requests}, errors {errors} ({share})"]
    by_cause = totals["errorsByCause"]
    # A lane with a serving model has more causes (QueueFull, ClientTimeout, ...).
    causes = [*ERROR_CAUSES, *(cause for cause in by_cause if cause not in ERROR_CAUSES)]
    width = max(len(cause) for cause in causes)
    count_width = max(len(str(by_cause.get(cause, 0))) for cause in causes)
    for cause in causes:
        count = by_cause.get(cause, 0)
        cause_share = f"{100 * count / requests:6.2f}%" if requests else ""
        lines.append(f"  {cause:<{width}}  {count:>{count_width}}  {cause_share}".rstrip())
    mean = totals.get("meanSecondsInSystem")
    if mean is not None:
        lines.append(f"Mean time of an answered request in the app: {1000 * mean:.1f} ms")
    return lines


def _pod_table(pods: Sequence[Mapping[str, Any]], end: float) -> list[str]:
    """The pods that still exist at the end; deleted ones are counted below the table."""
    present = [pod for pod in pods if pod.get("deletedAt") is None]
    rows = [POD_COLUMNS] + [
        (
            pod["name"],
            pod["ready"],
            pod["status"],
            pod.get("restartsText") or str(pod["restarts"]),
            human_duration(end - pod["createdAt"]),
            pod.get("node") or "<none>",
        )
        for pod in present
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(POD_COLUMNS))]
    lines = [
        COLUMN_GAP.join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    deleted = len(pods) - len(present)
    if deleted:
        lines.append(f"({deleted} pod{'s' * (deleted != 1)} deleted during the run, not shown)")
    return lines
