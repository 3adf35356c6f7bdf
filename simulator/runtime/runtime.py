"""The container runtime of the cluster's nodes: the process of each container instance.

What containerd is to a kubelet (the CRI): the kubelet starts instances through it and learns of
their exits from it; faults (scenario events) and client traffic reach the processes here. API
objects do not hold processes.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.clock import Clock
from simulator.runtime.app import App
from simulator.runtime.serving import Server, ServingHost
from simulator.scenario.types import ContainerBehavior, ServingSpec


class ContainerRuntime:
    def __init__(self, clock: Clock, on_change: Callable[[], None]) -> None:
        """``on_change()`` runs whenever what some process answers may change."""
        self.clock = clock
        self.on_change = on_change
        self._processes: dict[tuple[str, str], App] = {}
        # The lane's served traffic when its app has a serving model (it makes the servers).
        self.serving: ServingHost | None = None

    def start(
        self,
        pod_uid: str,
        container_name: str,
        behavior: ContainerBehavior,
        on_exit: Callable[[App], None],
        *,
        pod_name: str = "",
        memory_limit_mib: float | None = None,
    ) -> App:
        """Start a new instance of the container; it replaces the older one in the table.
        ``pod_name`` names the pod in the served traffic's results; ``memory_limit_mib`` is the
        container's memory limit."""
        serving = self.serving
        factory = None
        if serving is not None and behavior.serving is not None:

            def factory(spec: ServingSpec, booted_at: float) -> Server:
                return serving.new_server(spec, pod_name, booted_at)

        process = App(
            self.clock,
            behavior,
            on_exit,
            self.on_change,
            server_factory=factory,
            memory_limit_mib=memory_limit_mib,
        )
        self._processes[(pod_uid, container_name)] = process
        return process

    def process(self, pod_uid: str, container_name: str) -> App | None:
        """The newest instance's process (running or exited), None before the first start."""
        return self._processes.get((pod_uid, container_name))
