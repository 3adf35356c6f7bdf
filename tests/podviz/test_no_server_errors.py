"""No input answers 500: the requests that did, hand-made, then Hypothesis over every endpoint
that reads a body or a query, with every content type a browser or client may send (multipart
with a valid CSRF token included, which makes Django read the body as a form first)."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

JSON_API = [
    ("post", "/api/scenarios/validate"),
    ("post", "/api/scenarios"),
    ("post", "/api/scenarios/from-manifest"),
    ("put", "/api/scenarios/seed-story"),
    ("post", "/api/runs"),
]
MALFORMED_MULTIPART = b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'


@pytest.fixture
def editor(django_user_model):
    """A logged-in client whose CSRF checks are enforced, as a browser's are, with its token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_user("editor"))
    client.get("/editor/")
    client.token = client.cookies["csrftoken"].value
    return client


@pytest.mark.parametrize("url", [url for method, url in JSON_API if method == "post"])
def test_a_form_body_on_the_json_api_is_415_naming_what_to_send(editor, url):
    # The CSRF check reads a form body first (request.POST); Django then refuses request.body.
    response = editor.post(url, {"yaml": "a: 1", "csrfmiddlewaretoken": editor.token})
    assert response.status_code == 415
    assert "send the scenario as YAML text" in response.json()["error"]


@pytest.mark.parametrize("url", ["/check/", "/api/scenarios/import", "/sweep/cell"])
def test_a_malformed_multipart_body_is_400_with_a_reason(editor, url):
    response = editor.generic(
        "POST",
        url,
        MALFORMED_MULTIPART,
        content_type="multipart/form-data",  # no boundary: Django cannot parse it
        headers={"X-CSRFToken": editor.token},
    )
    assert response.status_code == 400
    assert "the request could not be read" in response.content.decode()
    if url.startswith("/api/"):
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("value", ["[", "*a", "!!python/object/apply:os.system [true]", "{a: ["])
def test_a_vary_value_that_is_not_yaml_is_400_naming_the_option(client, value):
    vary = f"readinessProbe.periodSeconds={value}"
    response = client.get("/sweep/", {"scenario": "seed-story", "vary": vary})
    assert response.status_code == 400
    assert "vary: Invalid value" in response.content.decode()


@pytest.mark.parametrize("values", ["[" * 100_000 + "]" * 100_000, '{"a": ' + "[" * 50_000 + "}"])
def test_a_deeply_nested_sweep_cell_is_400(client, values):
    response = client.post(
        "/sweep/cell", {"scenario": "seed-story", "variant": "baseline", "values": values}
    )
    assert response.status_code == 400
    assert "values: Invalid value" in response.content.decode()


texts = st.text(max_size=200) | st.sampled_from(["[", "*a", "!!python/name:os.system", "{"])
deep = st.integers(1, 100_000).map(lambda depth: "[" * depth)
bodies = st.one_of(texts, deep, st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
CONTENT_TYPES = [
    "application/json",
    "text/yaml",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",  # the client encodes a dict as multipart with this type
    "multipart/form-data; boundary=xyz",  # the raw body then is a malformed multipart
    "multipart/form-data; boundary=",  # no boundary at all
    "",
]
BODY_CALLS = [
    *JSON_API,
    ("post", "/api/scenarios/import"),
    ("post", "/check/"),
    ("post", "/sweep/cell"),
    ("post", "/runs/no-such-run/present"),
    ("post", "/runs/no-such-run/fork"),
]
QUERY_CALLS = [
    ("/sweep/", "vary", lambda text: f"readinessProbe.noSuchField={text}"),
    ("/sweep/", "scenario", lambda text: text),
    ("/join", "code", lambda text: text),
    ("/check/", "example", lambda text: text),
    ("/", "lang", lambda text: text),
]


@hypothesis_settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies, call=st.sampled_from(BODY_CALLS), content_type=st.sampled_from(CONTENT_TYPES))
def test_fuzz_every_body_reading_endpoint_never_answers_500(editor, body, call, content_type):
    method, url = call
    headers = {"X-CSRFToken": editor.token}
    if content_type == "multipart/form-data":
        fields = {"yaml": body, "manifest": body, "values": body, "secret": body}
        fields["csrfmiddlewaretoken"] = editor.token
        response = getattr(editor, method)(url, fields, headers=headers)
    else:
        data = body.encode("utf-8", "surrogatepass")
        response = editor.generic(method.upper(), url, data, content_type, headers=headers)
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400 and url.startswith("/api/"):
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]


@hypothesis_settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=texts, call=st.sampled_from(QUERY_CALLS))
def test_fuzz_queries_never_answer_500(client, text, call):
    url, field, value = call
    response = client.get(url, {field: value(text)})
    assert response.status_code < 500, response.content[:300]
    if response.status_code == 400:
        assert response.content.strip()


def test_the_answers_name_the_problem_in_json_where_the_api_promises_json(editor):
    response = editor.generic(
        "POST",
        "/api/scenarios/validate",
        json.dumps({"yaml": ["not", "text"]}),
        "application/json",
        headers={"X-CSRFToken": editor.token},
    )
    assert response.status_code == 400 and response.json()["error"]
