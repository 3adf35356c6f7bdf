"""Fuzz: thousands of hostile messages against the real ASGI application (origin check and all),
and hostile bodies against the JSON API. Nothing may close a socket, stop a run or answer 500."""

import asyncio
import json

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from config.asgi import application
from runs.commands import LIVE_ACTIONS
from runs.manager import get_run_manager
from simulator.scenario.loader import load_scenario

from .conftest import TWO_POD_SCENARIO

pytestmark = pytest.mark.django_db(transaction=True)

# Each run of the socket fuzz sends EXAMPLES batches of BATCH messages: 3,000 in all.
EXAMPLES = 30
BATCH = 100

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from([0, -1, 3.5, 1e308, 10**400, "1e999", ""]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
commands = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["play", "pause", "speed", "step", "seek", "inject", "w"])
        | json_values
    },
    optional={
        "speed": st.floats(allow_nan=False) | json_values,
        "seconds": st.floats(-10, 1000) | json_values,
        "time": st.floats(-10, 1000) | json_values,
        "action": st.sampled_from(sorted(LIVE_ACTIONS)) | json_values,
        "node": st.sampled_from(["node1", "node2", "node9"]) | json_values,
        "pod": json_values,
        "exitCode": st.integers(-5, 300) | st.floats() | json_values,
    },
)
nested = st.integers(1, 2040).map(lambda depth: "[" * depth + "]" * depth)
nested_objects = st.integers(1, 800).map(lambda depth: '{"a":' * depth + "1" + "}" * depth)
oversized = st.integers(1000, 40_000).map(lambda n: json.dumps({"type": "play", "p": "😀" * n}))
constants = st.sampled_from(
    ['{"type": "speed", "speed": NaN}', '{"type": "seek", "time": -Infinity}', "{", "", "\ud800"]
)
text_messages = st.one_of(
    commands.map(json.dumps),
    json_values.map(json.dumps),
    st.text(max_size=300),
    nested,
    nested_objects,
    oversized,
    constants,
)
messages = st.one_of(
    text_messages.map(lambda text: {"text": text}),
    st.binary(max_size=300).map(lambda data: {"bytes": data}),
)
SENTINEL_SPEED = 7.75


async def fuzz_one_connection(batch) -> None:
    manager = get_run_manager()
    run = manager.start(load_scenario(TWO_POD_SCENARIO))
    communicator = WebsocketCommunicator(
        application,
        f"/ws/runs/{run.run_id}/",
        headers=[(b"origin", b"http://localhost:8000"), (b"host", b"localhost:8000")],
    )
    try:
        connected, _ = await communicator.connect()
        assert connected
        for message in batch:
            await communicator.send_input({"type": "websocket.receive", **message})
        # Commands are taken in order: the sentinel shows that every message before it was.
        await communicator.send_to(text_data=json.dumps({"type": "speed", "speed": SENTINEL_SPEED}))
        errors = 0
        while True:
            output = await communicator.receive_output(timeout=30)
            assert output["type"] == "websocket.send", f"the socket was closed: {output}"
            received = json.loads(output["text"])
            if received["type"] == "error":
                assert received["code"] != "command_failed", received
                errors += 1
            elif received["type"] == "run.frame" and received["speed"] == SENTINEL_SPEED:
                break
        assert manager.get(run.run_id) is run and run.viewer_count == 1
        await communicator.disconnect()
        assert run.viewer_count == 0
    finally:
        await manager.stop_all()


@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(messages, min_size=BATCH, max_size=BATCH))
def test_fuzz_hostile_messages_never_close_the_socket_or_stop_the_run(batch, settings):
    settings.PODVIZ_LIMITS = {"commands_per_second": 1e9, "command_burst": 10**9}
    asyncio.run(fuzz_one_connection(batch))


api_bodies = st.one_of(
    json_values.map(json.dumps),
    st.dictionaries(
        st.sampled_from(["yaml", "manifest", "version", "name"]), json_values, max_size=4
    ).map(json.dumps),
    nested,
    nested_objects,
    st.integers(1, 5000).map(lambda depth: "[" * depth),
    st.text(max_size=500),
    st.binary(max_size=500),
)
API_CALLS = [
    ("post", "/api/scenarios/validate"),
    ("post", "/api/scenarios"),
    ("post", "/api/scenarios/from-manifest"),
    ("put", "/api/scenarios/web"),
    ("put", "/api/scenarios/seed-story"),
    ("post", "/api/runs"),
]


@hypothesis_settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=api_bodies,
    call=st.sampled_from(API_CALLS),
    content_type=st.sampled_from(["application/json", "text/yaml", "text/plain", ""]),
    logged_in=st.booleans(),
)
def test_fuzz_api_bodies_get_a_4xx_or_an_answer_never_a_500(
    body, call, content_type, logged_in, django_user_model
):
    client = Client(raise_request_exception=True)
    if logged_in:
        user, _ = django_user_model.objects.get_or_create(username="editor")
        client.force_login(user)
    method, url = call
    response = getattr(client, method)(url, body, content_type=content_type)
    assert response.status_code < 500
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    if response.status_code >= 400:
        assert answer["error"]
    assert len(response.content) < 300_000
