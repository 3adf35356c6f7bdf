"""The probes' endpoints (core/health.py): liveness answers whatever the database does;
readiness checks the database and the channel layer."""

import json
import shutil
import urllib.error
import urllib.request

import pytest
from django.test import Client, override_settings

from tests.support.devserver import free_port, start_server


def body(response) -> dict:
    return json.loads(response.content)


def test_liveness_answers_a_probe_addressed_to_the_pods_ip():
    # A kubelet's probe names the pod's address as its Host, which ALLOWED_HOSTS does not list.
    response = Client().get("/healthz/live", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert body(response) == {"status": "ok", "checks": {}}
    assert response["Cache-Control"] == "no-store"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_probes_over_plain_http_are_not_redirected_behind_https_settings():
    # A 301 would count as success for a kubelet: the probe must reach the check itself.
    assert Client().get("/healthz/live", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert Client().get("/", HTTP_HOST="localhost").status_code == 301


@pytest.mark.django_db
def test_readiness_checks_the_database_and_the_channel_layer():
    response = Client().get("/healthz/ready", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert body(response) == {
        "status": "ok",
        "checks": {"database": "ok", "channelLayer": "ok"},
    }


@pytest.mark.django_db
def test_readiness_fails_when_the_channel_layer_cannot_be_reached():
    closed = f"redis://127.0.0.1:{free_port()}/0"
    layer = {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [{"address": closed, "socket_timeout": None}]},
    }
    with override_settings(CHANNEL_LAYERS={"default": layer}):
        response = Client().get("/healthz/ready")
    assert response.status_code == 503
    checks = body(response)["checks"]
    assert checks["database"] == "ok"
    assert checks["channelLayer"].startswith("error: ")
    # Liveness does not depend on it.
    with override_settings(CHANNEL_LAYERS={"default": layer}):
        assert Client().get("/healthz/live").status_code == 200


def test_other_methods_and_paths_go_on_to_the_site():
    assert Client().post("/healthz/live").status_code == 404
    assert Client().get("/healthz/").status_code == 404


def fetch(port: int, path: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_server_whose_database_is_gone_is_alive_but_not_ready(tmp_path):
    # Through Daphne, with its own SQLite database; the database's folder then disappears.
    folder = tmp_path / "data"
    folder.mkdir()
    port = free_port()
    process = start_server(port, folder / "db.sqlite3")
    try:
        assert fetch(port, "/healthz/ready") == (
            200,
            {"status": "ok", "checks": {"database": "ok", "channelLayer": "ok"}},
        )
        shutil.rmtree(folder)
        status, answer = fetch(port, "/healthz/ready")
        assert status == 503
        assert answer["checks"]["database"].startswith("error: OperationalError")
        assert answer["checks"]["channelLayer"] == "ok"
        assert fetch(port, "/healthz/live") == (200, {"status": "ok", "checks": {}})
    finally:
        process.terminate()
        process.wait(timeout=10)
