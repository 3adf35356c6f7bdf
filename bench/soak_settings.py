"""podviz's settings for the soak: runs nobody watches stop after 30 s instead of 5 minutes, so
the memory "after" is measured with the load's runs gone, and the soak's runs and sockets, all
from one address, fit the per-client limits."""

from config.settings import *  # noqa: F403

PODVIZ_IDLE_RUN_SECONDS = 30
# Every viewer of the soak is 127.0.0.1: one client for the per-client limits.
PODVIZ_LIMITS = {**PODVIZ_LIMITS, "runs_per_client": 20, "sockets_per_client": 2000}  # noqa: F405
