"""The kubelet's fixed delays, where real kubelets have a small spread.

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

# Image pull backoff (k/k pkg/kubelet/kubelet.go imageBackOffPeriod, MaxImageBackOff).
IMAGE_BACKOFF_INITIAL = 10.0
IMAGE_BACKOFF_MAX = 300.0
