"""The secret key: from the environment, else one generated for this installation.

No key is ever written in the repository. Without ``PODVIZ_SECRET_KEY`` the server generates a
random key on first start and keeps it in a local file (``.secret_key`` beside manage.py, ignored
by git, readable by its owner only), so sessions survive restarts and ``make run`` works from a
clean clone. Several processes or machines serving one site must share a key: set
``PODVIZ_SECRET_KEY`` (docs/deploy.md).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

MIN_LENGTH = 50


def load_secret_key(environ: dict[str, str], default_file: Path) -> str:
    """``PODVIZ_SECRET_KEY``, else the key in ``PODVIZ_SECRET_KEY_FILE`` (or ``default_file``),
    created there if missing. Raises ``ImproperlyConfigured`` saying what to set when the key is
    too short or the file cannot be read or written."""
    key = environ.get("PODVIZ_SECRET_KEY", "")
    if key:
        _check(key, "PODVIZ_SECRET_KEY")
        return key
    path = Path(environ.get("PODVIZ_SECRET_KEY_FILE") or default_file)
    try:
        if not path.exists():
            _create(path)
        key = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"no secret key: PODVIZ_SECRET_KEY is not set and {path} cannot be used ({error}); "
            "set PODVIZ_SECRET_KEY to a random string of at least 50 characters, e.g. from "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        ) from None
    _check(key, str(path))
    return key


def _create(path: Path) -> None:
    # Written whole under a temporary name, then linked into place: a process starting at the
    # same moment either finds no file or a complete one, and never overwrites the other's key.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(get_random_secret_key() + "\n")
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)


def _check(key: str, source: str) -> None:
    if len(key) < MIN_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"the secret key in {source} is too weak: use a random string of at least "
            f"{MIN_LENGTH} characters"
        )
