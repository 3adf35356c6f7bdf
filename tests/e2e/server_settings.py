"""The browser tests' server settings: podviz's own, except that one address may have more live
runs at once. Every test browser is 127.0.0.1, and the suite opens runs faster than a closed
page's run stops counting (``unjoined_run_seconds``); the limit itself is tested in
tests/podviz/test_run_limits.py."""

from config.settings import *  # noqa: F403

PODVIZ_LIMITS = {**PODVIZ_LIMITS, "runs_per_client": 40}  # noqa: F405
