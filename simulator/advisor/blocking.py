"""Blocking findings: faults that decide a workload's outcome whatever its probes.

A workload is blocked when no request can reach its pods, so that every drill fails every
request and no probe change can help until the fault is fixed:

- ``service-selects-nothing``: the Service meant for the workload (its pods carry the
  selector's label keys) selects no pod; the workload is drilled behind it, as it is;
- ``service-target-port-not-declared``: the Service it is drilled behind names a targetPort its
  containers do not declare, so its pods are left out of the endpoints;
- ``probe-port-not-declared`` on a readinessProbe: the probe errors on every attempt and the pod
  never becomes Ready (docs/kubernetes-model.md §8.3).

The drills of a blocked workload show the fault as it is; the traffic findings (which ask what
the requests that reach the pods cost) are not claimed for it; every probe change suggested for
it is re-run but carries the ``blocked`` verdict (``simulator.advisor.verdicts``), never
``verified``. docs/advisor.md, "Blocking findings".
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.advisor import messages

SERVICE_SELECTS_NOTHING = "service-selects-nothing"
SERVICE_TARGET_PORT_NOT_DECLARED = "service-target-port-not-declared"
PROBE_PORT_NOT_DECLARED = "probe-port-not-declared"


@dataclass(frozen=True)
class Blocker:
    """The blocking finding ``rule`` of ``object`` (``Kind/name``), at ``field`` when it is a
    field of the workload's own manifest."""

    object: str
    rule: str
    field: str | None = None

    def name(self, lang: str) -> str:
        """``service-selects-nothing (Service/petclinic)``: how texts refer to it."""
        return messages.text("blocker", lang, rule=self.rule, object=self.object)

    def note(self, lang: str) -> str:
        """What it means for the workload's drills and suggested changes, in a sentence."""
        return messages.text("blocked-drills", lang, blocker=self.name(lang))

    def as_dict(self, lang: str) -> dict[str, str | None]:
        """An entry of a workload's ``blockedBy`` in ``check --json``."""
        return {
            "object": self.object,
            "rule": self.rule,
            "field": self.field,
            "message": self.note(lang),
        }
