"""podviz's settings for the soak: runs nobody watches stop after 30 s instead of 5 minutes, so
the memory "after" is measured with the load's runs gone, and the soak's runs fit the limits."""

from config.settings import *  # noqa: F403

PODVIZ_IDLE_RUN_SECONDS = 30
PODVIZ_LIMITS = {**PODVIZ_LIMITS, "runs_per_client": 20}  # noqa: F405 (every viewer is 127.0.0.1)
