"""Settings for tests against a real Daphne process: small bounds, so slow viewers show fast."""

from config.settings import *  # noqa: F403

PODVIZ_LIMITS = {
    **PODVIZ_LIMITS,  # noqa: F405
    "viewer_buffer_bytes": 65_536,
    "slow_viewer_seconds": 2,
    "commands_per_second": 1000,
    "command_burst": 1000,
}
