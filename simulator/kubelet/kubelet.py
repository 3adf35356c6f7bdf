"""The kubelet of one node: starts, probes, kills and restarts containers, reports pod status.

docs/kubernetes-model.md §1-§3 and §6. Sources: k/k pkg/kubelet/kuberuntime/kuberuntime_manager.go
(computePodActions, SyncPod, doBackOff), kuberuntime_container.go (startContainer,
killContainer), pkg/kubelet/kubelet_pods.go (generateAPIPodStatus), pkg/kubelet/status
(status_manager.go TerminatePod), pkg/kubelet/images/image_manager.go (EnsureImageExists).

While the node is down the kubelet does nothing: its scheduled work is dropped (``epoch``) and
redone from the pods' state when the node returns. Processes keep running on their own (the app's
timers, a SIGKILL already due): the runtime is not the kubelet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.api.conditions import kubelet_conditions, with_transition_times
from simulator.api.container import (
    CONTAINER_STATUS_UNKNOWN,
    CRASH_LOOP_BACK_OFF,
    ERR_IMAGE_PULL,
    IMAGE_PULL_BACK_OFF,
    RUNNING,
    TERMINATED,
    Container,
    TerminatedRecord,
    terminated_reason,
)
from simulator.api.events import EventRecorder
from simulator.api.meta import NAMESPACE
from simulator.api.phase import FAILED, TERMINAL_PHASES, compute_phase, next_phase
from simulator.clock import Clock, Timer
from simulator.kubelet.backoff import Backoff
from simulator.kubelet.probe_log import ProbeLog
from simulator.kubelet.prober import (
    FAILURE_RESULT,
    LIVENESS,
    READINESS,
    STARTUP,
    SUCCESS_RESULT,
    ProberContext,
    ProbeWorker,
)
from simulator.kubelet.prober_manager import ProbeManager
from simulator.kubelet.timing import KUBELET_OBSERVATION_LAG, MINIMUM_STOP_SECONDS
from simulator.kubelet.timing import SANDBOX_CREATION_SECONDS as SANDBOX_SECONDS
from simulator.printing.durations import go_duration
from simulator.runtime.app import App
from simulator.runtime.runtime import ContainerRuntime

if TYPE_CHECKING:
    from simulator.api.node import Node
    from simulator.api.pod import Pod
    from simulator.api.server import ApiServer


@dataclass
class KubeletServices:
    """What every kubelet of a lane shares."""

    clock: Clock
    api: ApiServer
    events: EventRecorder
    probe_log: ProbeLog
    crash_backoff: Backoff
    image_backoff: Backoff
    image_pull_seconds: float
    runtime: ContainerRuntime


def _nothing() -> None:
    return None


def _format_pod(pod: Pod) -> str:
    """How the kubelet names a pod in messages: ``name_namespace(uid)`` (k/k
    pkg/kubelet/util/format/pod.go, Pod)."""
    return f"{pod.name}_{NAMESPACE}({pod.uid})"


def _pod_ref(pod: Pod) -> str:
    return f"Pod/{pod.name}"


class Kubelet:
    def __init__(self, node: Node, services: KubeletServices) -> None:
        self.node = node
        self.services = services
        self.clock = services.clock
        self.events = services.events
        self.pods: list[Pod] = []  # bound to this node, in binding order
        self._pods: set[Pod] = set()
        self._deletions_seen: set[Pod] = set()
        self._termination_deadlines: dict[Pod, float] = {}
        self.epoch = 0
        self.probes = ProbeManager(
            ProberContext(
                services.clock, services.events, services.probe_log, self._probe_result_changed
            )
        )
        services.api.add_pod_listener(self._pod_event, node_name=node.name)

    @property
    def up(self) -> bool:
        return self.node.up

    # --- scheduling helpers ---

    def _later(self, delay: float, callback: Callable[..., Any], *args: Any) -> None:
        """Kubelet work: dropped if the node goes down before it is due."""
        self.clock.schedule(self.clock.now + delay, self._guarded, self.epoch, callback, args)

    def _at(self, at: float, callback: Callable[..., Any], *args: Any) -> Timer:
        """Kubelet work at ``at``: dropped if the node goes down before it is due."""
        return self.clock.schedule(at, self._guarded, self.epoch, callback, args)

    def _guarded(self, epoch: int, callback: Callable[..., Any], args: tuple) -> None:
        if epoch == self.epoch and self.up:
            callback(*args)

    # --- pod admission ---

    def _pod_event(self, pod: Pod) -> None:
        """The watch on pods bound to this node: a new binding, or a deletion to carry out."""
        if pod.removed:
            return
        if pod not in self._pods:
            self._pods.add(pod)
            self.pods.append(pod)
            if self.up:
                self._admit(pod)
            return
        if pod.deletion_timestamp is not None and pod not in self._deletions_seen:
            self._deletions_seen.add(pod)
            if not pod.terminal:
                self._pod_deleted(pod)

    def _admit(self, pod: Pod) -> None:
        self.probes.add_pod(pod)
        pod.statuses_reported = True
        self.update_status(pod)
        self._later(SANDBOX_SECONDS, self._sandbox_created, pod)

    def _sandbox_created(self, pod: Pod) -> None:
        if pod.removed:
            return
        pod.sandbox_ready = True
        if pod.ip is None:
            pod.ip = self.node.allocate_pod_ip()
        self.sync(pod)

    def _pod_deleted(self, pod: Pod) -> None:
        """The API server set the pod's deletionTimestamp."""
        if self.up and pod.statuses_reported:
            self.clock.call_soon(self._guarded, self.epoch, self.sync, (pod,))

    # --- status ---

    def _readiness_worker(self, pod: Pod, container: Container) -> ProbeWorker | None:
        return self.probes.worker(pod, container, READINESS)

    def _update_ready_flags(self, pod: Pod) -> None:
        # prober_manager.go (UpdatePodStatus): ready = running ∧ started ∧ readiness Success;
        # sidecars too (docs/kubernetes-model.md §1.9).
        for container in pod.long_running_containers:
            if container.state != RUNNING or not container.started:
                container.ready = False
                continue
            if container.observed_instance != container.instance:
                container.ready = False
                continue
            worker = self._readiness_worker(pod, container)
            container.ready = worker is None or worker.result == SUCCESS_RESULT

    def update_status(self, pod: Pod) -> None:
        """Regenerate phase, ready flags and conditions, and post them (generateAPIPodStatus)."""
        if pod.removed:
            return
        self._update_ready_flags(pod)
        computed = compute_phase(
            pod.regular_init_containers, pod.containers, pod.restart_policy, False, pod.sidecars
        )
        pod.phase = next_phase(pod.phase, computed)
        terminal = pod.phase in TERMINAL_PHASES
        if terminal:
            self._stop_workers(pod)  # a terminal pod's workers exit (worker.go doProbe)
            for container in pod.long_running_containers:
                container.ready = False
        self._post_conditions(pod)
        if terminal:
            self._stop_containers_of_terminal_pod(pod)

    def _post_conditions(self, pod: Pod) -> None:
        """The pod's conditions from its containers and phase, with transition times, posted to
        the API server."""
        conditions = kubelet_conditions(
            pod.sandbox_ready,
            pod.init_containers,
            pod.containers,
            pod.phase,
            pod.template.readiness_gates,
            pod.conditions,
        )
        pod.conditions = with_transition_times(pod.conditions, conditions, self.clock.now)
        self.services.api.pod_changed(pod)

    def _stop_containers_of_terminal_pod(self, pod: Pod) -> None:
        """A terminal phase is final and runs no container: the pod worker moves a Succeeded or
        Failed pod to terminating and kills what still runs (k/k pod_workers.go, kubelet.go
        SyncTerminatingPod); nothing is started again (docs/kubernetes-model.md, pod phase)."""
        for container in pod.all_containers:
            container.cancel_retry()
            container.pulling = False
            if container.state != RUNNING or container.stopping:
                continue
            self.events.normal(_pod_ref(pod), "Killing", f"Stopping container {container.name}")
            self._kill(pod, container, pod.grace_period, _nothing)

    def _status_sync(self, pod: Pod) -> None:
        """A pod sync's status step: also re-triggers readiness of started, unready containers."""
        self.update_status(pod)
        for container in pod.long_running_containers:
            if (
                container.state == RUNNING
                and container.started
                and not container.ready
                and container.observed_instance == container.instance
            ):
                worker = self._readiness_worker(pod, container)
                if worker is not None:
                    worker.trigger()

    # --- sync (computePodActions) ---

    def sync(self, pod: Pod) -> None:
        """Bring the pod's containers towards their desired state (level-triggered)."""
        if pod.removed or not pod.statuses_reported:
            return
        self._status_sync(pod)
        if pod.deletion_timestamp is not None:
            self._terminate(pod)
            return
        if pod.phase in TERMINAL_PHASES:
            self._stop_workers(pod)
            return
        if not pod.sandbox_ready:
            return
        self._kill_failed_probes(pod)
        if self._regular_containers_done(pod):
            # The pod's work is over: its sidecars are stopped, not restarted (computePodActions).
            self._stop_next_sidecar(pod, pod.grace_period)
            return
        if not self._sync_init_containers(pod):
            return
        self._sync_app_containers(pod)

    def _regular_containers_done(self, pod: Pod) -> bool:
        """Every app container exited and none will start again (only with sidecars: without
        them the phase turns terminal on its own)."""
        return (
            bool(pod.sidecars)
            and pod.restart_policy != "Always"
            and all(
                c.state == TERMINATED and not c.stopping and not self._should_restart(pod, c)
                for c in pod.containers
            )
        )

    def _sync_init_containers(self, pod: Pod) -> bool:
        """Run init containers one after another; True once all succeeded, sidecars started.

        A sidecar (restartPolicy Always) lets the next init container start once it has started
        (running, and its startupProbe succeeded if it has one); an exited sidecar is restarted
        with the crash backoff whatever the pod's restartPolicy, also after initialization
        (k/k kuberuntime_manager.go computeInitContainerActions)."""
        initialized = any(c.instance > 0 for c in pod.containers)
        for container in pod.init_containers:
            if container.spec.is_sidecar:
                self._sync_sidecar(pod, container)
                if initialized or (container.state == RUNNING and container.started):
                    continue
                return False
            if initialized or container.succeeded:
                continue
            if container.pulling or container.state == RUNNING or container.retry_timer:
                return False
            if container.newest_exit_finished_at is not None:
                if pod.restart_policy != "Never":
                    self._start_with_backoff(pod, container, container.newest_exit_finished_at)
                return False
            self._start(pod, container)
            return False
        return True

    def _sync_sidecar(self, pod: Pod, container: Container) -> None:
        if container.pulling or container.state == RUNNING or container.retry_timer:
            return
        finished_at = container.newest_exit_finished_at
        if finished_at is None:
            self._start(pod, container)
        else:
            self._start_with_backoff(pod, container, finished_at)

    def _should_restart(self, pod: Pod, container: Container) -> bool:
        if pod.restart_policy == "Always":
            return True
        if pod.restart_policy == "Never":
            return False
        last = container.terminated or container.last_state
        return last is not None and last.exit_code != 0

    def _sync_app_containers(self, pod: Pod) -> None:
        # SyncPod starts containers one after another; a pull in progress blocks the rest.
        for container in pod.containers:
            if container.pulling:
                return
            if container.state == RUNNING or container.stopping or container.retry_timer:
                continue
            finished_at = container.newest_exit_finished_at
            if finished_at is None:
                self._start(pod, container)
                if container.pulling:
                    return
            elif self._should_restart(pod, container):
                self._start_with_backoff(pod, container, finished_at)

    def _kill_failed_probes(self, pod: Pod) -> None:
        for container in pod.long_running_containers:
            if container.state != RUNNING or container.stopping:
                continue
            for worker in self.probes.workers(pod, container):
                if worker.kind != READINESS and worker.result == FAILURE_RESULT:
                    self._kill_for_restart(pod, container, worker)
                    break

    # --- starting containers ---

    def _start_with_backoff(self, pod: Pod, container: Container, decision_at: float) -> None:
        """doBackOff against the exited instance finished at ``decision_at``, then start."""
        if pod.terminal:
            return
        backoff = self.services.crash_backoff
        key = (pod.uid, container.name)
        now = self.clock.now
        if backoff.is_in_backoff_since(key, decision_at, now):
            wait = backoff.get(key)
            if not (container.is_init or container.spec.is_sidecar) and not self._should_restart(
                pod, container
            ):
                # A liveness kill asked for this start (restartPolicy OnFailure) but the
                # container exited 0: the attempt still backs off and says so, yet the
                # container will not start again, so it is not Waiting but Terminated
                # (k/k kubelet_pods.go convertToAPIContainerStatuses: the waiting reason only
                # while ShouldContainerBeRestarted), and the pod's phase follows (§8.1).
                self._emit_back_off(pod, container)
                self.update_status(pod)
                return
            message = (
                f"back-off {go_duration(wait)} restarting failed container={container.name} "
                f"pod={_format_pod(pod)}"
            )
            container.set_waiting(CRASH_LOOP_BACK_OFF, message)
            self._emit_back_off(pod, container)
            # The pod worker is requeued at the backoff's expiry (k/k PR #133066).
            retry_at = (container.newest_exit_finished_at or now) + wait
            container.retry_timer = self._at(retry_at, self._retry, pod, container)
            self.update_status(pod)
            return
        backoff.next(key, decision_at, now)
        self._start(pod, container)

    def _emit_back_off(self, pod: Pod, container: Container) -> None:
        self.events.warning(
            _pod_ref(pod),
            "BackOff",
            f"Back-off restarting failed container {container.name} in pod {_format_pod(pod)}",
        )

    def _retry(self, pod: Pod, container: Container) -> None:
        container.retry_timer = None
        self.sync(pod)

    def _start(self, pod: Pod, container: Container) -> None:
        """EnsureImageExists, then create and start the container (never in a terminal pod)."""
        if pod.terminal:
            return
        image = container.spec.image
        ref = _pod_ref(pod)
        now = self.clock.now
        if container.behavior.image_pull_fails:
            key = (pod.uid, image)
            backoff = self.services.image_backoff
            if backoff.is_in_backoff_since_update(key, now):
                message = f'Back-off pulling image "{image}"'
                container.set_waiting(IMAGE_PULL_BACK_OFF, message)
                self.events.normal(ref, "BackOff", message)
                container.retry_timer = self._at(
                    backoff.expires_at(key), self._retry, pod, container
                )
                self.update_status(pod)
                return
            self.events.normal(ref, "Pulling", f'Pulling image "{image}"')
            container.pulling = True
            self._later(self.services.image_pull_seconds, self._pull_failed, pod, container)
            return
        ready_at = self.node.images.get(image)
        if ready_at is not None and ready_at <= now:
            self.events.normal(
                ref, "Pulled", f'Container image "{image}" already present on machine'
            )
            self._create(pod, container)
            return
        # A pull already in progress for this image is shared (serialized image pulls).
        pull_started = now
        if ready_at is None:
            ready_at = now + self.services.image_pull_seconds
            self.node.images[image] = ready_at
        else:
            pull_started = ready_at
        self.events.normal(ref, "Pulling", f'Pulling image "{image}"')
        container.pulling = True
        self._at(ready_at, self._pulled, pod, container, pull_started, now)

    def _pull_failed(self, pod: Pod, container: Container) -> None:
        container.pulling = False
        if pod.deletion_timestamp is not None:
            self.sync(pod)
            return
        image = container.spec.image
        now = self.clock.now
        self.services.image_backoff.next((pod.uid, image), now, now)
        error = (
            f'failed to pull and unpack image "{image}": failed to resolve reference '
            f'"{image}": not found'
        )
        message = f'Failed to pull image "{image}": {error}'
        self.events.warning(_pod_ref(pod), "Failed", message)
        self.events.warning(_pod_ref(pod), "Failed", f"Error: {ERR_IMAGE_PULL}")
        container.set_waiting(ERR_IMAGE_PULL, message)
        self.update_status(pod)
        self._later(KUBELET_OBSERVATION_LAG, self.sync, pod)

    def _pulled(self, pod: Pod, container: Container, pull_started: float, asked: float) -> None:
        container.pulling = False
        if pod.removed:
            return
        if pod.deletion_timestamp is None:
            now = self.clock.now
            took = go_duration(round(now - pull_started, 3))
            waited = go_duration(round(now - asked, 3))
            self.events.normal(
                _pod_ref(pod),
                "Pulled",
                f'Successfully pulled image "{container.spec.image}" in {took} '
                f"({waited} including waiting)",
            )
            self._create(pod, container)
        self.sync(pod)

    def _create(self, pod: Pod, container: Container) -> None:
        if pod.terminal:
            return
        ref = _pod_ref(pod)
        self.events.normal(ref, "Created", f"Created container: {container.name}")
        self.events.normal(ref, "Started", f"Started container {container.name}")
        container.set_running(self.clock.now, container.spec.startup_probe is not None)
        app = self.services.runtime.start(
            pod.uid,
            container.name,
            container.behavior,
            lambda app: self._process_exited(pod, container, app),
            pod_name=pod.name,
            memory_limit_mib=container.spec.memory_limit_mib,
        )
        first_tick = self.clock.now + KUBELET_OBSERVATION_LAG
        # The start-of-container sync runs before the workers' first tick at the same instant,
        # so readiness's first attempt is that sync's manual trigger (§2.4).
        self._later(
            KUBELET_OBSERVATION_LAG, self._observe_start, pod, container, container.instance
        )
        for worker in self.probes.workers(pod, container):
            worker.container_started(first_tick, app)
        self.update_status(pod)

    def _observe_start(self, pod: Pod, container: Container, instance: int) -> None:
        if container.instance != instance or container.state != RUNNING:
            return
        container.observed_instance = instance
        self.sync(pod)

    # --- exits ---

    def _process_exited(self, pod: Pod, container: Container, app: App) -> None:
        if app is not self.services.runtime.process(pod.uid, container.name):
            return
        if not self.up:
            container.pending_exit = True
            return
        self._record_exit(pod, container, app)

    def _record_exit(self, pod: Pod, container: Container, app: App) -> None:
        assert app.exit_code is not None and app.finished_at is not None
        container.pending_exit = False
        record = TerminatedRecord(
            app.exit_code,
            app.exit_reason or terminated_reason(app.exit_code),
            app.started_at,
            app.finished_at,
        )
        container.set_terminated(record)
        for worker in self.probes.workers(pod, container):
            worker.container_stopped()
        if container.stopping:
            # The kill was part of a pod sync that goes on at once (a restart, the pod's
            # termination): its status is generated after what the sync does next, so a
            # container killed to be restarted never shows its exit as the pod's outcome
            # (k/k kuberuntime_manager.go SyncPod: kill, then start, in one sync).
            container.stopping = False
            then, container.on_stopped = container.on_stopped, None
            if then is not None:
                then()
            self.update_status(pod)
            return
        self.update_status(pod)
        # PLEG notices the exit within a relist; that sync decides the restart.
        self._later(KUBELET_OBSERVATION_LAG, self.sync, pod)

    # --- killing ---

    def _kill(self, pod: Pod, container: Container, grace: float, then: Callable[[], None]) -> None:
        """killContainer: preStop (bounded by the grace period), SIGTERM, SIGKILL at the end."""
        container.stopping = True
        container.on_stopped = then
        app = self.services.runtime.process(pod.uid, container.name)
        assert app is not None
        hook = container.spec.pre_stop_seconds
        if hook is not None:
            # An exec hook runs as long as its command does (scenario behavior), a sleep as given.
            hook = container.behavior.command_seconds.get("preStop", hook)
        if hook:
            hook_time = min(hook, grace)
            self.clock.schedule(
                self.clock.now + hook_time, self._send_sigterm, app, grace - hook_time
            )
        else:
            self._send_sigterm(app, grace)

    def _send_sigterm(self, app: App, remaining: float) -> None:
        if not app.running:
            return
        self.clock.schedule(
            self.clock.now + max(remaining, MINIMUM_STOP_SECONDS), app.receive_sigkill
        )
        app.receive_sigterm()

    def _kill_for_restart(self, pod: Pod, container: Container, worker: ProbeWorker) -> None:
        kind = "liveness" if worker.kind == LIVENESS else "startup"
        message = f"Container {container.name} failed {kind} probe"
        restarts = pod.restart_policy != "Never" or container.spec.is_sidecar
        if restarts:
            # computePodActions adds the intent only when the container will start again.
            message += ", will be restarted"
        self.events.normal(_pod_ref(pod), "Killing", message)
        # The restart happens in the same sync, checked against the previous exited instance.
        decision_at = container.last_state.finished_at if container.last_state else None
        grace = worker.probe.termination_grace_period_seconds or pod.grace_period

        def restart() -> None:
            if pod.deletion_timestamp is not None:
                self._check_terminated(pod)
            elif not restarts:
                self.sync(pod)
            elif decision_at is None:
                self._start(pod, container)
            else:
                self._start_with_backoff(pod, container, decision_at)

        self._kill(pod, container, grace, restart)

    # --- termination ---

    def _stop_workers(self, pod: Pod) -> None:
        for container in pod.long_running_containers:
            for worker in self.probes.workers(pod, container):
                worker.stop()

    def _terminate(self, pod: Pod) -> None:
        """Graceful pod termination (§6): stop every running container, then finish. Sidecars
        are stopped last, one after another in reverse order of declaration, each once the
        containers after it have exited, within what is left of the grace period (k/k
        kuberuntime_container.go killContainersWithSyncResult, terminationOrdering)."""
        grace = pod.grace_period if pod.deletion_grace_period is None else pod.deletion_grace_period
        self._termination_deadlines.setdefault(pod, self.clock.now + grace)
        for container in pod.all_containers:
            container.cancel_retry()
            container.pulling = False
            if container.state != RUNNING or container.spec.is_sidecar:
                continue
            self._stop_for_termination(pod, container, grace)
        self._check_terminated(pod)

    def _stop_for_termination(self, pod: Pod, container: Container, grace: float) -> None:
        if container.stopping:
            container.on_stopped = lambda: self._check_terminated(pod)
            return
        self.events.normal(_pod_ref(pod), "Killing", f"Stopping container {container.name}")
        self._kill(pod, container, grace, lambda: self._check_terminated(pod))

    def _stop_next_sidecar(self, pod: Pod, grace: float) -> bool:
        """Stop the last running sidecar; False when none runs."""
        for sidecar in reversed(pod.sidecars):
            if sidecar.state == RUNNING:
                self._stop_for_termination(pod, sidecar, grace)
                return True
        return False

    def _check_terminated(self, pod: Pod) -> None:
        if pod.removed:
            return
        if any(c.state == RUNNING and not c.spec.is_sidecar for c in pod.all_containers):
            return
        if pod.deletion_timestamp is None:
            # Sidecars stopped because the app containers are done: the next sync finishes.
            self.sync(pod)
            return
        remaining = self._termination_deadlines.get(pod, self.clock.now) - self.clock.now
        if self._stop_next_sidecar(pod, max(remaining, 0.0)):
            return
        self._finalize(pod)

    def _finalize(self, pod: Pod) -> None:
        """TerminatePod: terminal phase from exit codes, then the API object is removed."""
        now = self.clock.now
        for container in pod.containers:
            if container.state != TERMINATED:
                container.set_terminated(
                    TerminatedRecord(
                        137,
                        CONTAINER_STATUS_UNKNOWN,
                        None,
                        now,
                        "The container could not be located when the pod was terminated",
                    )
                )
        self._termination_deadlines.pop(pod, None)
        self._stop_workers(pod)
        self._update_ready_flags(pod)
        phase = compute_phase(
            pod.regular_init_containers, pod.containers, pod.restart_policy, True, pod.sidecars
        )
        phase = next_phase(pod.phase, phase)
        pod.phase = phase if phase in TERMINAL_PHASES else FAILED
        self._post_conditions(pod)
        self.services.api.remove_pod(pod)

    # --- probe results ---

    def _probe_result_changed(self, pod: Pod, container: Container, worker: ProbeWorker) -> None:
        if worker.kind == READINESS:
            # The status manager patches readiness at once (SetContainerReadiness).
            self.update_status(pod)
        elif worker.kind == STARTUP and worker.result == SUCCESS_RESULT:
            container.started = True
            self.update_status(pod)
        # The result update makes the pod worker sync (handleProbeSync).
        self.clock.call_soon(self._guarded, self.epoch, self.sync, (pod,))

    # --- node down / up ---

    def node_down(self) -> None:
        """The kubelet stops: no probes, no status, no restarts."""
        self.epoch += 1
        now = self.clock.now
        for image, ready_at in list(self.node.images.items()):
            if ready_at > now:
                del self.node.images[image]
        for pod in self.pods:
            for container in pod.all_containers:
                container.pulling = False
                container.cancel_retry()
                for worker in self.probes.workers(pod, container):
                    worker.pause()

    def node_up(self) -> None:
        """The kubelet restarts: it posts its node's status, rebuilds state from the runtime and
        resyncs every pod."""
        self.epoch += 1
        node = self.node
        now = self.clock.now
        node.lease_anchor = now  # it renews its Lease at once, then every 10 s
        ref = f"Node/{node.name}"
        self.events.normal(ref, "Starting", "Starting kubelet.")
        if node.ready_status != "True":
            # The kubelet posts its status on start (docs: concepts/architecture/nodes, heartbeats).
            node.ready_status = "True"
            node.ready_reason = "KubeletReady"
            node.ready_message = "kubelet is posting ready status"
            node.ready_since = now
            self.events.normal(ref, "NodeReady", f"Node {node.name} status is now: NodeReady")
        for pod in list(self.pods):
            if pod.removed:
                continue
            if not pod.statuses_reported:
                self._admit(pod)
                continue
            if not pod.sandbox_ready:
                self._later(SANDBOX_SECONDS, self._sandbox_created, pod)
            for container in pod.all_containers:
                app = self.services.runtime.process(pod.uid, container.name)
                if container.pending_exit and app is not None:
                    self._record_exit(pod, container, app)
            for container in pod.long_running_containers:
                container.observed_instance = 0
                if container.state == RUNNING:
                    # Probe results lived in the old kubelet's memory: start from initial values.
                    for worker in self.probes.workers(pod, container):
                        worker.restart_results(self.clock.now + KUBELET_OBSERVATION_LAG)
                    self._later(
                        KUBELET_OBSERVATION_LAG,
                        self._observe_start,
                        pod,
                        container,
                        container.instance,
                    )
            self.sync(pod)
