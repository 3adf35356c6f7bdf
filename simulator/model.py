"""Model constants: the fixed delays the engine uses where Kubernetes has a small spread.

Each value is a [model] choice; docs/engine.md lists the real tolerance it stands for.
"""

# Kubelet observation lag δ: the kubelet learns of a container start or exit within one PLEG
# relist (1 s; k/k pkg/kubelet/kubelet.go genericPlegRelistPeriod). Real: 0-1 s.
KUBELET_OBSERVATION_LAG = 0.5

# Pod sandbox creation (pause container + CNI) before PodReadyToStartContainers. Real: ~0.2-2 s.
SANDBOX_CREATION_SECONDS = 0.5

# Minimum time a container gets after its preStop hook (k/k kuberuntime_manager.go
# minimumGracePeriodInSeconds = 2).
MINIMUM_STOP_SECONDS = 2.0

# Node heartbeats: Lease renewed every 10 s (0.25 x 40 s), controller pass every 5 s.
LEASE_RENEW_INTERVAL = 10.0
# The kubelet's lease phase: renewals at phase + k*10 s, so a death at a whole multiple of 10 s is
# detected exactly G later (reference T_det = G, k8s-semantics.md §5.1).
LEASE_RENEW_PHASE = 2.5
NODE_MONITOR_PERIOD = 5.0

# Rate-limited NoExecute tainting: 0.1 node/s, first node at once (docs nodes.md "Reliability").
NODE_EVICTION_INTERVAL = 10.0
# Zone safeguards (docs nodes.md "Reliability"; k/k node_lifecycle_controller.go ComputeZoneState).
UNHEALTHY_ZONE_THRESHOLD = 0.55
LARGE_CLUSTER_SIZE_THRESHOLD = 50

# Image pull backoff (k/k pkg/kubelet/kubelet.go imageBackOffPeriod, MaxImageBackOff).
IMAGE_BACKOFF_INITIAL = 10.0
IMAGE_BACKOFF_MAX = 300.0

# Job pod failure backoff (k/k pkg/controller/job/job_controller.go DefaultJobPodFailureBackOff,
# MaxJobPodFailureBackOff).
JOB_BACKOFF_INITIAL = 10.0
JOB_BACKOFF_MAX = 600.0

NAMESPACE = "default"
