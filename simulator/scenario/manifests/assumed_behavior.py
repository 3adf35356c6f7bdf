"""What the programs of a pasted manifest are assumed to do, where the manifest cannot say.

A manifest says how Kubernetes runs containers, not what the programs in them do; a scenario's
``spec.behavior`` says that. Built around a pasted manifest (the editor's import, ``check``'s
drills), each container gets the assumption that fits its kind:

- an app container boots for ``boot_seconds`` and then serves; in a Job it also finishes its work
  after ``work_seconds`` with exit code 0;
- a regular init container does its work and exits 0 after ``INIT_CONTAINER_SECONDS``;
- a sidecar (an init container with ``restartPolicy: Always``, docs/kubernetes-model.md §1.9)
  boots like the app and runs for the pod's whole life: it never exits by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

INIT_CONTAINER_SECONDS = 3.0
ALL_CONTAINERS = "*"


def is_sidecar(container: Mapping[str, Any]) -> bool:
    """An init container with ``restartPolicy: Always`` (k/k pkg/kubelet/types
    IsRestartableInitContainer)."""
    return container.get("restartPolicy") == "Always"


def container_behaviors(
    pod_spec: Mapping[str, Any], boot_seconds: float, work_seconds: float | None = None
) -> dict[str, dict[str, Any]]:
    """``spec.behavior.containers`` for a pod spec (a manifest's ``spec.template.spec``, or a
    Pod's ``spec``): ``"*"`` for the app containers, one entry per init container.

    ``boot_seconds``: seconds from a start until the app answers; ``work_seconds``: a Job's work,
    after which its app containers exit 0 (None: they run until stopped)."""
    app: dict[str, Any] = {"bootSeconds": boot_seconds}
    if work_seconds is not None:
        app |= {"exitAfterSeconds": work_seconds, "exitCode": 0}
    behaviors: dict[str, dict[str, Any]] = {ALL_CONTAINERS: app}
    listed = pod_spec.get("initContainers")
    for init in listed if isinstance(listed, list) else ():
        if not isinstance(init, Mapping) or not isinstance(init.get("name"), str):
            continue
        if is_sidecar(init):
            # Named entries build on "*": a Job's end of work is undone by null ("never").
            sidecar: dict[str, Any] = {"bootSeconds": boot_seconds}
            if work_seconds is not None:
                sidecar["exitAfterSeconds"] = None
            behaviors[init["name"]] = sidecar
        else:
            behaviors[init["name"]] = {
                "bootSeconds": 0,
                "exitAfterSeconds": INIT_CONTAINER_SECONDS,
                "exitCode": 0,
            }
    return behaviors
