"""Production refuses to be unsafe: no key from the repository, check --deploy clean with the
documented settings, and WebSocket origins checked with their port."""

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.core.exceptions import ImproperlyConfigured

from config.asgi import application
from core.origins import origin_allowed
from core.secret_key import load_secret_key

ROOT = Path(__file__).resolve().parents[2]
# The environment docs/deploy.md ("Production settings") gives for a server behind a proxy.
PRODUCTION = {
    "PODVIZ_ALLOWED_HOSTS": "podviz.example.org",
    "PODVIZ_HTTPS": "1",
    "PODVIZ_HSTS_PRELOAD": "1",
}


def test_a_key_is_generated_once_into_a_private_file(tmp_path):
    path = tmp_path / "key"
    first = load_secret_key({}, path)
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret_key({}, path) == first
    assert load_secret_key({}, tmp_path / "other") != first


def test_processes_starting_together_share_one_complete_key(tmp_path):
    path = tmp_path / "key"
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: load_secret_key({}, path), range(32)))
    assert len(keys) == 1 and len(keys.pop()) >= 50
    assert [entry.name for entry in tmp_path.iterdir()] == ["key"]


def test_the_environment_key_wins_and_a_weak_one_is_refused(tmp_path):
    strong = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"
    assert load_secret_key({"PODVIZ_SECRET_KEY": strong}, tmp_path / "key") == strong
    assert not (tmp_path / "key").exists()
    with pytest.raises(ImproperlyConfigured, match="too weak"):
        load_secret_key({"PODVIZ_SECRET_KEY": "secret"}, tmp_path / "key")


def test_an_unwritable_key_file_says_what_to_set(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="set PODVIZ_SECRET_KEY"):
        load_secret_key({}, tmp_path / "missing-directory" / "key")


def test_no_secret_key_is_written_in_the_repository():
    tracked = subprocess.run(
        # Written so as not to match this file: a key assigned a string literal, and the
        # development key the settings once held.
        ["git", "grep", "-l", "-I", "-E", "-e", "SECRET_KEY\\s*=\\s*[\"']", "-e", "key-[n]ot-for"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert tracked.stdout == ""
    ignored = subprocess.run(["git", "check-ignore", ".secret_key"], cwd=ROOT, capture_output=True)
    assert ignored.returncode == 0


def manage(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("PODVIZ_")}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env={**environ, **env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    env = {**PRODUCTION, "PODVIZ_SECRET_KEY_FILE": str(tmp_path / "key")}
    checked = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


def test_check_deploy_warns_without_them(tmp_path):
    env = {"PODVIZ_SECRET_KEY_FILE": str(tmp_path / "key")}
    checked = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert checked.returncode != 0
    assert "security.W004" in checked.stderr  # no HSTS


@pytest.mark.parametrize(
    ("origin", "host", "secure", "allowed"),
    [
        ("http://localhost:8000", "localhost:8000", False, True),
        ("http://localhost:9000", "localhost:8000", False, False),
        ("http://localhost", "localhost:8000", False, False),
        ("http://localhost", "localhost", False, True),
        ("http://localhost:80", "localhost", False, True),
        ("https://localhost", "localhost", False, True),  # wss through a TLS proxy
        ("https://localhost:8443", "localhost", False, False),
        ("http://evil.example", "evil.example", False, False),  # not in ALLOWED_HOSTS
        ("null", "localhost:8000", False, False),
        (None, "localhost:8000", False, False),
        ("http://localhost:8000/path", "localhost:8000", False, False),
        ("http://[::1]:8000", "[::1]:8000", False, True),
        ("http://localhost:99999", "localhost:99999", False, False),
    ],
)
def test_origins_are_checked_with_their_port(origin, host, secure, allowed):
    assert origin_allowed(origin, host, secure=secure) is allowed


@pytest.mark.django_db(transaction=True)
async def test_the_application_refuses_a_socket_from_another_port(run_manager, two_pod_scenario):
    run = run_manager.start(two_pod_scenario)
    path = f"/ws/runs/{run.run_id}/"
    for origin, connects in (("http://127.0.0.1:8000", True), ("http://127.0.0.1:8001", False)):
        headers = [(b"origin", origin.encode()), (b"host", b"127.0.0.1:8000")]
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await communicator.connect()
        assert connected is connects
        await communicator.disconnect()
