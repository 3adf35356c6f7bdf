"""The scenario editor's JSON API (docs/scenario-api.md).

Requests are small and never trusted: bodies over 256 KB are refused before they are read as
text, every document goes through the loader's validation, and any answer is JSON with a status
that says what happened (400 invalid, 403 not allowed, 404 unknown, 409 conflict, 413 too large),
never a 500. Answers stay small: at most ``problems_listed`` problems (core/limits.py), then how
many more there are. Parsing and validation run in worker threads in the async views, which the
editor calls as the user types; the views that write go through the store, in Django's database
thread.

Anyone may read, validate and run scenarios; saving, changing and importing need a logged-in
user, and the built-in lessons (their copies stored by ``loadpresets`` included) are read-only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods, require_POST

from core import limits, request_work
from simulator.scenario.pasted_manifest import scenario_from_manifest
from simulator.scenario.types import Scenario
from simulator.scenario.validation import Problem, ScenarioError

from . import store as scenario_store
from .models import SavedScenario

MAX_BODY_BYTES = 256 * 1024
TRUE_WORDS = ("1", "true", "yes", "on")
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class BadInput(Exception):
    """A request the API cannot read; the message says what to send instead."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class LoginRequired(BadInput):
    """A write by an anonymous user (403); ``login`` is the login page's address, which brings
    the user back to the editor."""

    def __init__(self, login: str) -> None:
        super().__init__(
            gettext("log in to save or import scenarios: %(login)s") % {"login": login}, 403
        )
        self.login = login


# Views ------------------------------------------------------------------------------------------


@require_POST
async def validate(request: HttpRequest) -> JsonResponse:
    """``{"valid", "problems", "summary"}`` for a document; invalid input is an answer, not an
    error."""
    try:
        text = document_text(request, "yaml")
    except BadInput as error:
        return error_response(error.status, str(error))
    try:
        validation = await request_work.run_for(
            request, "validate", (text,), scenario_store.validate, text
        )
    except limits.LimitExceeded as refused:
        return limit_error(refused)
    return JsonResponse(_validation_json(validation))


@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def scenarios(request: HttpRequest) -> JsonResponse:
    """GET: the saved scenarios. POST: save a new one (YAML text, or ``{"yaml": ...}``)."""
    if request.method == "GET":
        listed = [_listing_json(saved) for saved in scenario_store.saved_scenarios()]
        return JsonResponse({"scenarios": listed})
    try:
        _check_may_write(request)
        saved = scenario_store.create(document_text(request, "yaml"), owner=request.user)
    except (BadInput, scenario_store.StoreError) as error:
        return _failure(error)
    response = JsonResponse(_saved_json(saved), status=201)
    response["Location"] = reverse("api-scenario", args=[saved.slug])
    return response


@ensure_csrf_cookie
@require_http_methods(["GET", "PUT"])
def scenario(request: HttpRequest, slug: str) -> JsonResponse:
    """GET: a saved or built-in scenario. PUT ``{"yaml": ..., "version": N}``: save an edit of
    version N."""
    try:
        if request.method == "GET":
            return JsonResponse(_stored_json(scenario_store.find(slug)))
        _check_may_write(request, slug)
        fields = _json_object(request)
        saved = scenario_store.update(
            slug, _string_field(fields, "yaml"), based_on_version=_version_field(fields)
        )
    except (BadInput, scenario_store.StoreError) as error:
        return _failure(error)
    return JsonResponse(_saved_json(saved))


@require_POST
def import_scenario(request: HttpRequest) -> JsonResponse:
    """A YAML file (multipart field ``file``) saved as it is; ``overwrite`` with ``version``
    replaces a scenario of the same name."""
    try:
        _check_may_write(request)
        _check_declared_length(request)
        upload = request.FILES.get("file")
        if upload is None:
            raise BadInput('send the scenario as a file in the multipart field "file"')
        if upload.size > MAX_BODY_BYTES:
            raise BadInput(_too_large_message(upload.size), status=413)
        overwrite = request.POST.get("overwrite", "").lower() in TRUE_WORDS
        version = request.POST.get("version")
        saved, created = scenario_store.import_file(
            upload.read(),
            overwrite=overwrite,
            based_on_version=_version_value(version) if version else None,
            keep_built_in=True,
            user=request.user,
        )
    except (BadInput, scenario_store.StoreError) as error:
        return _failure(error)
    return JsonResponse(_saved_json(saved), status=201 if created else 200)


@require_POST
async def from_manifest(request: HttpRequest) -> JsonResponse:
    """A scenario document around a pasted Deployment, Pod or Job (YAML or JSON, multi-document
    allowed), or ``{"manifest": ..., "name": ...}``; validated like any document."""
    try:
        text, fields = _document(request, "manifest")
        name = _optional_name(request, fields)
    except BadInput as error:
        return error_response(error.status, str(error))
    try:
        built, validation = await request_work.run_for(
            request, "from-manifest", (text, name), _from_manifest, text, name
        )
    except limits.LimitExceeded as refused:
        return limit_error(refused)
    except ScenarioError as error:
        return error_response(
            400, "no scenario can be built from this text", problems=error.problems
        )
    return JsonResponse(
        {
            "yaml": built.text,
            **_validation_json(validation),
            "workload": {"kind": built.workload_kind, "name": built.workload_name},
            "notes": list(built.notes),
            "cannotJudge": list(built.cannot_judge),
        }
    )


def _from_manifest(text: str, name: str | None):
    """The scenario built around a manifest, and its validation (in the request pool)."""
    built = scenario_from_manifest(text, name=name)
    return built, scenario_store.validate(built.text)


# Who may write ----------------------------------------------------------------------------------


def _check_may_write(request: HttpRequest, slug: str | None = None) -> None:
    """Refuses (403) an anonymous user, any change to a built-in lesson, and a change to a
    scenario another user owns (unless staff)."""
    if not request.user.is_authenticated:
        raise LoginRequired(redirect_to_login(reverse("editor-new"))["Location"])
    if slug is not None and scenario_store.is_built_in(slug):
        raise scenario_store.ReadOnlyScenario(slug)
    if slug is not None:
        scenario_store.check_may_change(request.user, slug)


# Reading requests -------------------------------------------------------------------------------


def _check_declared_length(request: HttpRequest) -> None:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise BadInput(_too_large_message(declared), status=413)


def _too_large_message(size: int) -> str:
    return gettext(
        "the request is %(size)d bytes; at most %(limit)d bytes (256 KB) are accepted: "
        "a scenario or manifest is a few KB"
    ) % {"size": size, "limit": MAX_BODY_BYTES}


def _body(request: HttpRequest) -> bytes:
    _check_declared_length(request)
    if request.content_type in FORM_TYPES:
        # Django reads a form body once, for request.POST (the CSRF check does): request.body
        # would then raise RawPostDataException.
        raise BadInput(
            f"the body is a form ({request.content_type}): send the scenario as YAML text "
            '(text/yaml) or JSON ({"yaml": ...}); upload a file to /api/scenarios/import',
            status=415,
        )
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        raise BadInput(_too_large_message(len(body)), status=413)
    return body


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"the body is not UTF-8 text: byte {error.start} cannot be decoded"
        raise BadInput(message) from None


def document_text(request: HttpRequest, field: str) -> str:
    """The document a request sends (see ``_document``); raises ``BadInput`` saying what to
    send instead for a body that is too large, a form, not UTF-8 or not JSON."""
    return _document(request, field)[0]


def _document(request: HttpRequest, field: str) -> tuple[str, dict[str, Any]]:
    """The document and the other fields sent with it: the body itself, or the ``field`` of a
    JSON object body. A JSON body without that field is the document (scenarios may be JSON)."""
    text = _utf8(_body(request))
    if request.content_type != "application/json":
        return text, {}
    decoded = _json(text, 'the body is not valid JSON (send YAML as text/yaml, or {"yaml": ...})')
    if isinstance(decoded, dict) and field in decoded:
        return _string_field(decoded, field), decoded
    return text, {}


def _json_object(request: HttpRequest) -> dict[str, Any]:
    expected = 'send a JSON object: {"yaml": "...", "version": N}'
    decoded = _json(_utf8(_body(request)), expected)
    if not isinstance(decoded, dict):
        raise BadInput(expected)
    return decoded


def _json(text: str, expected: str) -> Any:
    """The decoded JSON ``text``; ``BadInput`` with ``expected`` for invalid or too deeply nested
    JSON (Python's parser recurses once per level)."""
    try:
        return json.loads(text)
    except ValueError as error:
        raise BadInput(f"{expected}: {error}") from None
    except RecursionError:
        raise BadInput(f"{expected}: the JSON is nested too deeply") from None


def _string_field(fields: dict[str, Any], field: str) -> str:
    value = fields.get(field)
    if not isinstance(value, str):
        raise BadInput(f"{field}: Required value: the document as a string")
    return value


def _version_field(fields: dict[str, Any]) -> int:
    if "version" not in fields:
        raise BadInput("version: Required value: the version your edit started from (from GET)")
    return _version_value(fields["version"])


def _version_value(value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise BadInput(f"version: Invalid value: {value!r}: must be a positive integer")
    return value


def _optional_name(request: HttpRequest, fields: dict[str, Any]) -> str | None:
    name = fields.get("name", request.GET.get("name"))
    if name is not None and not isinstance(name, str):
        raise BadInput("name: must be a string")
    return name or None


# Writing answers --------------------------------------------------------------------------------


def error_response(status: int, message: str, **extra: Any) -> JsonResponse:
    """``{"error": message, ...}`` with ``status``; ``problems`` are listed as
    ``_problems_json`` lists them."""
    body: dict[str, Any] = {"error": message}
    if "problems" in extra:
        body |= _problems_json(extra.pop("problems"))
    return JsonResponse(body | extra, status=status)


def limit_error(refused: limits.LimitExceeded) -> JsonResponse:
    """A limit refused (core/limits.py): 429 with its message, 503 when the server as a whole
    is busy; ``Retry-After`` as on the pages."""
    response = error_response(503 if refused.code == "busy" else 429, str(refused))
    response["Retry-After"] = "60"
    return response


def _failure(error: BadInput | scenario_store.StoreError) -> JsonResponse:
    if isinstance(error, LoginRequired):
        return error_response(error.status, str(error), login=error.login)
    if isinstance(error, BadInput):
        return error_response(error.status, str(error))
    if isinstance(error, scenario_store.InvalidScenario):
        return error_response(
            400, "the scenario is not valid: nothing was saved", problems=error.problems
        )
    if isinstance(error, scenario_store.ScenarioNotFound):
        return error_response(404, str(error))
    if isinstance(error, scenario_store.ReadOnlyScenario | scenario_store.NotOwner):
        return error_response(403, str(error))
    if isinstance(error, scenario_store.NameTaken):
        return error_response(409, str(error), currentVersion=error.version)
    if isinstance(error, scenario_store.StaleVersion):
        return error_response(409, str(error), currentVersion=error.current)
    return error_response(400, str(error))


def _problems_json(problems: Iterable[Problem]) -> dict[str, Any]:
    """``problems``: the first ``problems_listed`` (core/limits.py); ``moreProblems``: how many
    were left out."""
    every = list(problems)
    listed = every[: limits.current().problems_listed]
    return {
        "problems": [
            {
                "path": problem.path,
                "message": problem.message,
                "line": problem.line,
                "column": problem.column,
            }
            for problem in listed
        ],
        "moreProblems": len(every) - len(listed),
    }


def _validation_json(validation: scenario_store.Validation) -> dict[str, Any]:
    scenario = validation.scenario
    return {
        "valid": validation.valid,
        **_problems_json(validation.problems),
        "summary": scenario_summary(scenario) if scenario is not None else {},
    }


def scenario_summary(scenario: Scenario) -> dict[str, Any]:
    """What the editor shows beside a valid document."""
    first = scenario.variants[0]
    return {
        "name": scenario.name,
        "title": dict(scenario.title),
        "description": dict(scenario.description),
        "duration": scenario.duration,
        "seed": scenario.seed,
        "workload": {
            "kind": first.workload.kind,
            "name": first.workload.name,
            "replicas": first.workload.replicas,
        },
        "nodes": list(first.cluster.nodes),
        "variants": [
            {"name": variant.name, "title": dict(variant.title)} for variant in scenario.variants
        ],
        "events": len(scenario.events),
        "narration": len(scenario.narration),
        # Known Kubernetes fields of the manifest that the simulation leaves out.
        "notModelled": list(first.workload.not_modelled),
    }


def _links(slug: str) -> dict[str, str]:
    return {
        "url": reverse("api-scenario", args=[slug]),
        "export": reverse("scenario-export", args=[slug]),
        "play": reverse("scenario-play", args=[slug]),
    }


def _listing_json(saved: SavedScenario) -> dict[str, Any]:
    return {
        "slug": saved.slug,
        "title": saved.title,
        "version": saved.version,
        "origin": saved.origin or None,
        # Only the owner and staff may change it; anyone may read and fork it.
        "owner": saved.owner.get_username() if saved.owner is not None else None,
        "createdAt": saved.created_at.isoformat(),
        "updatedAt": saved.updated_at.isoformat(),
        **_links(saved.slug),
    }


def _saved_json(saved: SavedScenario) -> dict[str, Any]:
    return _listing_json(saved) | {"builtIn": False, "yaml": saved.yaml_text}


def _stored_json(stored: scenario_store.StoredScenario) -> dict[str, Any]:
    validation = scenario_store.validate(stored.text)
    return {
        "slug": stored.slug,
        "version": stored.version,
        "origin": stored.origin or None,
        "builtIn": stored.built_in,
        "createdAt": stored.created_at.isoformat() if stored.created_at else None,
        "updatedAt": stored.updated_at.isoformat() if stored.updated_at else None,
        **_links(stored.slug),
        "yaml": stored.text,
        **_validation_json(validation),
    }
