"""Who may change a run: its presenter, known by a secret kept in the browser's session.

The browser that starts a run keeps the run's presenter secret in its (signed, server-side)
Django session. A presenter link carries the secret, so opening it on another device makes that
device a presenter too, as reveal.js multiplex does for slides. Everyone else follows.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

SESSION_KEY = "podviz.presenting"
MAX_PRESENTED_RUNS = 50  # the session keeps the newest; older runs are rarely presented again

# Set in a follower's session, so that their browser keeps one session (their answers' voter).
FOLLOWS_KEY = "podviz.follows"

PRESENTER = "presenter"
FOLLOWER = "follower"


def presented_runs(session: Any) -> dict[str, str]:
    """The session's run ids and their presenter secrets."""
    runs = session.get(SESSION_KEY, {}) if session is not None else {}
    return runs if isinstance(runs, dict) else {}


async def apresented_runs(session: Any) -> dict[str, str]:
    """``presented_runs`` from an async consumer (the session may be read from the database)."""
    if session is None:
        return {}
    runs = await session.aget(SESSION_KEY, {})
    return runs if isinstance(runs, dict) else {}


def make_presenter(session: Any, run_id: str, secret: str) -> None:
    """Make this session a presenter of ``run_id``."""
    runs = {key: value for key, value in presented_runs(session).items() if key != run_id}
    runs[run_id] = secret
    session[SESSION_KEY] = dict(list(runs.items())[-MAX_PRESENTED_RUNS:])


def role_for(runs: dict[str, str], run_id: str, secret: str | None) -> str:
    """PRESENTER if ``runs`` (a session's) holds the run's secret, else FOLLOWER.

    A run without a secret (started by code, not by a browser) has no presenter: everyone
    may change it.
    """
    if secret is None:
        return PRESENTER
    held = runs.get(run_id)
    if isinstance(held, str) and secrets.compare_digest(held, secret):
        return PRESENTER
    return FOLLOWER


def voter_of(session: Any, fallback: str) -> str:
    """Who answers a question: the browser's session (a digest of its key, never the key), so
    that a reload or a second tab counts once; ``fallback`` (the socket's channel) without a
    session."""
    key = getattr(session, "session_key", None)
    if not key:
        return fallback
    return "session-" + hashlib.sha256(key.encode()).hexdigest()[:32]
