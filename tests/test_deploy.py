"""podviz deployed as its users deploy apps (deploy/, Dockerfile), checked by itself."""

import re
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

from core.health import LIVE_PATH, READY_PATH

ROOT = Path(__file__).resolve().parents[1]


def test_podvizs_own_probes_pass_its_own_advisor():
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "check", "deploy/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Deployment/podviz (deploy/podviz.yaml)" in result.stdout
    assert "Deployment/podviz-redis (deploy/redis.yaml)" in result.stdout
    assert "0 error(s), 0 warning(s)" in result.stdout


def podviz_container() -> dict:
    documents = list(yaml.safe_load_all((ROOT / "deploy" / "podviz.yaml").read_text()))
    (deployment,) = [d for d in documents if d["kind"] == "Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    return container


def test_the_probes_ask_the_endpoints_podviz_serves():
    container = podviz_container()
    assert container["readinessProbe"]["httpGet"]["path"] == READY_PATH
    assert container["livenessProbe"]["httpGet"]["path"] == LIVE_PATH
    assert container["startupProbe"]["httpGet"]["path"] == LIVE_PATH


def test_the_image_holds_every_app_and_runs_without_privileges():
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\w+) \1$", dockerfile, re.M))
    apps = {app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()}
    assert apps <= copied
    assert {"config", "simulator", "locale"} <= copied
    assert len(re.findall(r"^FROM ", dockerfile, re.M)) == 2
    assert re.search(r"^RUN .*manage\.py collectstatic", dockerfile, re.M)
    assert re.findall(r"^USER (\S+)$", dockerfile, re.M) == ["10001"]
    assert podviz_container()["securityContext"]["allowPrivilegeEscalation"] is False
