"""What a manifest cannot say about the app, given on the command line (defaults stated here)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

DEFAULT_BOOT_SECONDS = 10.0
DEFAULT_SLOW_BOOT_FACTOR = 3.0
DEFAULT_REQUESTS_PER_SECOND = 50.0
DEFAULT_LATENCY_SECONDS = 0.1
DEFAULT_OUTAGE_SECONDS = 120.0
DEFAULT_MAX_DETECTION_SECONDS = 30.0
DEFAULT_SEED = 1


@dataclass(frozen=True)
class Assumptions:
    """The app and its traffic as the drills model them.

    ``boot_seconds``: how long the app takes from start to answering (probes fail meanwhile);
    ``slow_boot_factor``: how much longer a slow boot (cold caches, a loaded node) takes;
    ``requests_per_second``: the Service's traffic; ``latency_seconds``: the app's usual answer
    time, compared with probe timeouts; ``outage_seconds``: how long the shared dependency is
    down; ``max_detection_seconds``: how long a hung pod may keep its traffic before that is a
    finding; ``seed``: the runs' seed.
    """

    boot_seconds: float = DEFAULT_BOOT_SECONDS
    slow_boot_factor: float = DEFAULT_SLOW_BOOT_FACTOR
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND
    latency_seconds: float = DEFAULT_LATENCY_SECONDS
    outage_seconds: float = DEFAULT_OUTAGE_SECONDS
    max_detection_seconds: float = DEFAULT_MAX_DETECTION_SECONDS
    seed: int = DEFAULT_SEED

    @property
    def slow_boot_seconds(self) -> float:
        return self.boot_seconds * self.slow_boot_factor

    def as_dict(self) -> dict[str, float | int]:
        """JSON-ready, with Kubernetes-style camelCase names."""
        names = {
            "boot_seconds": "bootSeconds",
            "slow_boot_factor": "slowBootFactor",
            "requests_per_second": "requestsPerSecond",
            "latency_seconds": "latencySeconds",
            "outage_seconds": "outageSeconds",
            "max_detection_seconds": "maxDetectionSeconds",
            "seed": "seed",
        }
        return {names[key]: value for key, value in asdict(self).items()}
