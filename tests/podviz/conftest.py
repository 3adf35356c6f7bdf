import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from runs.host import stop_host
from runs.manager import get_run_manager
from simulator.scenario.loader import load_scenario

TWO_POD_SCENARIO = {
    "apiVersion": "podviz/v1",
    "kind": "Scenario",
    "metadata": {"name": "two-pods", "title": {"en": "Two pods", "ko": "파드 두 개"}},
    "spec": {
        "duration": 600,
        "seed": 7,
        "cluster": {"nodes": 2},
        "traffic": {"requestsPerSecond": 50},
        "workload": {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [
                            {
                                "name": "app",
                                "image": "nginx:1.27",
                                "readinessProbe": {
                                    "httpGet": {"path": "/", "port": 80},
                                    "periodSeconds": 2,
                                },
                            }
                        ]
                    },
                },
            },
        },
        "behavior": {"containers": {"app": {"bootSeconds": 3}}},
    },
}


@pytest.fixture
def two_pod_scenario():
    return load_scenario(TWO_POD_SCENARIO)


@pytest.fixture
async def run_manager():
    manager = get_run_manager()
    yield manager
    await stop_host()
    await manager.stop_all()


@pytest.fixture
async def database_thread_closed():
    """Closes the connections async code opened in Django's database thread, so the test
    database can be dropped."""
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture(autouse=True)
def fresh_join_attempts(monkeypatch):
    """Each test starts with no join codes tried, as a fresh server process does: the count
    per address lives in the process (classroom/views.py)."""
    from classroom import views as classroom_views

    monkeypatch.setattr(classroom_views, "_join_rates", None)
