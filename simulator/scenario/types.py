"""The parsed, validated scenario: what the engine runs.

A scenario file (see docs/scenario-format.md) is loaded and validated by
``simulator.scenario.loader`` into these immutable records. Variants are resolved there:
each ``VariantSpec`` carries the complete workload, cluster, service and behaviour
that one lane runs, so the engine never looks at the raw document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ProbeHandler = Literal["httpGet", "tcpSocket", "exec", "grpc"]
RestartPolicy = Literal["Always", "OnFailure", "Never"]
WorkloadKind = Literal["Deployment", "Pod", "Job", "StatefulSet"]
ProxyMode = Literal["iptables", "nftables", "ipvs"]
EventAction = Literal[
    "NodeDown",
    "NodeUp",
    "AppHang",
    "AppUnresponsive",
    "AppRecover",
    "AppCrash",
    "DeletePod",
    "Scale",
    "RolloutRestart",
    "SetTraffic",
    "DrainNode",
    "DependencyDown",
    "DependencySlow",
    "DependencyRecover",
]
EVENT_ACTIONS: tuple[str, ...] = EventAction.__args__  # type: ignore[attr-defined]

# Texts shown to people come in several languages: {"en": "...", "ko": "..."}.
LocalizedText = Mapping[str, str]


@dataclass(frozen=True)
class Probe:
    """One probe as in a container spec; defaults from docs/kubernetes-model.md §0."""

    handler: ProbeHandler
    port: int | str | None = None
    path: str | None = None
    command: tuple[str, ...] = ()
    initial_delay_seconds: int = 0
    period_seconds: int = 10
    timeout_seconds: int = 1
    success_threshold: int = 1
    failure_threshold: int = 3
    termination_grace_period_seconds: int | None = None


@dataclass(frozen=True)
class ContainerSpec:
    name: str
    image: str
    readiness_probe: Probe | None = None
    liveness_probe: Probe | None = None
    startup_probe: Probe | None = None
    # Seconds a preStop hook takes (lifecycle.preStop.sleep.seconds, or an exec
    # "sleep N"); None when there is no preStop hook.
    pre_stop_seconds: float | None = None
    # containerPort of each named entry of ``ports`` (what named probe ports resolve to).
    named_ports: Mapping[str, int] = field(default_factory=dict)
    # "Always" on an init container makes it a sidecar (native sidecar containers).
    restart_policy: str | None = None
    # resources.limits.memory in MiB; None when not set.
    memory_limit_mib: float | None = None

    @property
    def is_sidecar(self) -> bool:
        """A restartable init container (k/k pkg/kubelet/types, IsRestartableInitContainer)."""
        return self.restart_policy == "Always"


@dataclass(frozen=True)
class Toleration:
    """One entry of a pod's ``tolerations`` (core/v1 Toleration)."""

    key: str = ""
    operator: Literal["Exists", "Equal"] = "Equal"
    value: str = ""
    effect: str = ""  # "" (every effect), NoSchedule, PreferNoSchedule or NoExecute
    toleration_seconds: float | None = None  # NoExecute only; None: tolerated for ever


@dataclass(frozen=True)
class PodTemplate:
    containers: tuple[ContainerSpec, ...]
    init_containers: tuple[ContainerSpec, ...] = ()
    restart_policy: RestartPolicy = "Always"
    termination_grace_period_seconds: int = 30
    node_name: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    tolerations: tuple[Toleration, ...] = ()
    # conditionType of each readinessGates entry: Ready waits for these conditions to be True.
    readiness_gates: tuple[str, ...] = ()


@dataclass(frozen=True)
class PodFailurePolicyRule:
    """One rule of a Job's ``podFailurePolicy``: ``action`` when a failed pod matches
    ``on_exit_codes`` (container name or None for any, operator, values) or one of
    ``on_pod_conditions`` ((type, status) pairs)."""

    action: Literal["FailJob", "Ignore", "Count"]
    container_name: str | None = None
    operator: Literal["In", "NotIn"] | None = None
    values: tuple[int, ...] = ()
    on_pod_conditions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Workload:
    kind: WorkloadKind
    name: str
    template: PodTemplate
    replicas: int = 1  # Deployment replicas; 1 for a bare Pod
    # Deployment rolling update, as given (int or "25%"); Kubernetes defaults 25%/25%.
    max_surge: int | str = "25%"
    max_unavailable: int | str = "25%"
    # Deployment spec.paused: a Deployment created paused makes no ReplicaSet.
    paused: bool = False
    # Deployment strategy.type: "RollingUpdate" or "Recreate".
    strategy_type: Literal["RollingUpdate", "Recreate"] = "RollingUpdate"
    # A new pod counts as available once Ready for this long (Deployment minReadySeconds).
    min_ready_seconds: int = 0
    # A rollout without progress for this long is marked ProgressDeadlineExceeded.
    progress_deadline_seconds: int = 600
    # Job
    completions: int = 1
    parallelism: int = 1
    backoff_limit: int = 6
    # StatefulSet podManagementPolicy, updateStrategy.type and rollingUpdate.partition.
    pod_management_policy: Literal["OrderedReady", "Parallel"] = "OrderedReady"
    update_strategy_type: Literal["RollingUpdate", "OnDelete"] = "RollingUpdate"
    partition: int = 0
    # Job podFailurePolicy.rules, in order.
    pod_failure_policy: tuple[PodFailurePolicyRule, ...] = ()
    # Job activeDeadlineSeconds: seconds from the Job's start until it fails (None: no deadline).
    active_deadline_seconds: int | None = None
    # Manifest paths of the known Kubernetes fields given that the engine does not model.
    not_modelled: tuple[str, ...] = ()


@dataclass(frozen=True)
class LatencySpec:
    """How long the app works on one request, in seconds (docs/scenario-format.md "serving").

    ``lognormal``: given by its median and p99; ``exponential``: by its mean."""

    distribution: Literal["lognormal", "exponential"] = "lognormal"
    median: float = 0.01
    p99: float = 0.05
    mean: float = 0.01


@dataclass(frozen=True)
class PathSpec:
    """What the app answers on one path (a probe's ``httpGet.path``)."""

    status: int = 200
    latency: float = 0.0  # seconds added to the drawn service time; holds the worker
    depends_on: tuple[str, ...] = ()
    served_apart: bool = False  # served outside the worker pool (a management port)


@dataclass(frozen=True)
class WarmUp:
    """The first ``seconds`` after boot, service times are ``factor`` times longer, falling
    linearly to 1."""

    seconds: float = 0.0
    factor: float = 1.0


@dataclass(frozen=True)
class ServingSpec:
    """The app's serving model: ``concurrency`` requests at once, a FCFS queue of at most
    ``queue_limit`` waiting (None: unbounded), a service time per request."""

    concurrency: int = 1
    queue_limit: int | None = None
    latency: LatencySpec = field(default_factory=LatencySpec)
    paths: Mapping[str, PathSpec] = field(default_factory=dict)
    # Dependencies every client request calls (probes use their path's dependsOn).
    depends_on: tuple[str, ...] = ()
    warm_up: WarmUp = field(default_factory=WarmUp)


@dataclass(frozen=True)
class MemorySpec:
    """Resident memory of each instance: ``start_mib`` at start, growing by
    ``leak_mib_per_minute``."""

    start_mib: float = 0.0
    leak_mib_per_minute: float = 0.0


@dataclass(frozen=True)
class DependencySpec:
    """Something the app calls (a database, a downstream API): its normal latency, seconds."""

    latency: float = 0.0


@dataclass(frozen=True)
class ContainerBehavior:
    """What the program inside a container does (not part of Kubernetes)."""

    boot_seconds: float = 0.0
    hang_after_seconds: float | None = None
    exit_after_seconds: float | None = None
    exit_code: int = 0
    handles_sigterm: bool = True
    image_pull_fails: bool = False
    # How long the exec commands the kubelet runs in the container take, in seconds, by where they
    # are declared: "readinessProbe", "livenessProbe", "startupProbe", "preStop".
    command_seconds: Mapping[str, float] = field(default_factory=dict)
    # The serving model and memory; None: answers by state alone, memory not modelled.
    serving: ServingSpec | None = None
    memory: MemorySpec | None = None


@dataclass(frozen=True)
class Behavior:
    image_pull_seconds: float = 2.0
    containers: Mapping[str, ContainerBehavior] = field(default_factory=dict)

    def for_container(self, name: str) -> ContainerBehavior:
        """The behaviour of container ``name``: its own entry, else ``"*"``, else defaults."""
        return self.containers.get(name) or self.containers.get("*") or ContainerBehavior()


@dataclass(frozen=True)
class CrashLoopBackOff:
    initial: float = 10.0
    max: float = 300.0
    reset: float = 600.0


@dataclass(frozen=True)
class ClusterSpec:
    nodes: tuple[str, ...] = ("node1", "node2", "node3")
    node_monitor_grace_period: float = 50.0
    toleration_seconds: float = 300.0
    endpoint_propagation: float = 1.0
    crash_loop_backoff: CrashLoopBackOff = field(default_factory=CrashLoopBackOff)


@dataclass(frozen=True)
class ServiceSpec:
    proxy_mode: ProxyMode = "iptables"
    publish_not_ready_addresses: bool = False
    # The Service's selector: only pods whose labels hold every pair are endpoints. None: the
    # Service selects the workload's pods (a scenario that gives no selector).
    selector: Mapping[str, str] | None = None
    # The first port's targetPort: a name the pod must declare in a container's ports to be an
    # endpoint (a number needs nothing). None: no ports given.
    target_port: int | str | None = None


@dataclass(frozen=True)
class TrafficSpec:
    requests_per_second: float = 100.0
    # Clients give up on a request after this long (None: they wait); serving model only.
    client_timeout_seconds: float | None = None


@dataclass(frozen=True)
class ScenarioEvent:
    at: float
    action: EventAction
    node: str | None = None
    pod: str | None = None
    container: str | None = None
    exit_code: int = 1
    replicas: int | None = None
    requests_per_second: float | None = None
    dependency: str | None = None
    latency: float | None = None  # DependencySlow: the dependency's latency from now on


@dataclass(frozen=True)
class VariantSpec:
    """One lane, fully resolved: the variant's probes are already applied to the workload."""

    name: str
    workload: Workload
    cluster: ClusterSpec
    service: ServiceSpec
    traffic: TrafficSpec
    behavior: Behavior
    title: LocalizedText = field(default_factory=dict)


@dataclass(frozen=True)
class PodDisruptionBudget:
    """A policy/v1 PodDisruptionBudget: ``min_available`` or ``max_unavailable`` (an int or a
    percentage string), over the pods whose labels hold every pair of ``selector``."""

    name: str
    min_available: int | str | None = None
    max_unavailable: int | str | None = None
    selector: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NarrationStep:
    """A caption of the story, shown at a simulated time (or at the first matching event)."""

    text: LocalizedText
    at: float | None = None
    event: str | None = None  # an event reason, e.g. "NodeNotReady"


# How a scenario says which seconds its lanes' comparison counts (spec.scoreWindow):
AFTER_BOOT = "afterBoot"  # from the end of the slowest lane's boot to the end of the run
FROM_FIRST_FAULT = "fromFirstFault"  # from the first scenario event to the end of the run
NAMED = "named"  # the seconds the scenario names: {start, end}
SCORE_WINDOW_RULES = (AFTER_BOOT, FROM_FIRST_FAULT)


@dataclass(frozen=True)
class ScoreWindowSpec:
    """``spec.scoreWindow`` as written: a rule, or (NAMED) the seconds ``start``..``end``
    (``end`` None: the end of the run). Resolved to seconds by simulator/results/score.py."""

    rule: str = AFTER_BOOT
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    duration: float
    seed: int
    variants: tuple[VariantSpec, ...]
    events: tuple[ScenarioEvent, ...] = ()
    title: LocalizedText = field(default_factory=dict)
    description: LocalizedText = field(default_factory=dict)
    narration: tuple[NarrationStep, ...] = ()
    score_window: ScoreWindowSpec = field(default_factory=ScoreWindowSpec)
    # The document as loaded (YAML/JSON decoded), kept for export and display.
    source: Mapping[str, Any] = field(default_factory=dict)
    # spec.podDisruptionBudgets, honoured by evictions through the API (DrainNode).
    disruption_budgets: tuple[PodDisruptionBudget, ...] = ()
    dependencies: Mapping[str, DependencySpec] = field(default_factory=dict)
