"""Pages of a live run: the home page that starts one, the run page, starting a run as its
presenter (a saved or built-in scenario, or the editor's unsaved text), the presenter link and
fork.

The browser that starts a run keeps its presenter secret in its session (runs/roles.py);
every other browser that opens the run's page follows it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import sync_to_async
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import limits, request_work
from core.staticfiles import PLOTLY_BASIC_STATIC_PATH, module_graph
from core.views import localized
from core.vocabulary import cause_legend
from scenarios import api as scenario_api
from scenarios import store as scenario_store
from simulator.scenario import presets
from simulator.scenario.loader import ScenarioError, load_scenario
from simulator.scenario.types import Scenario

from . import class_polls, durable, roles
from .host import get_host, snapshot_of_run
from .live_run import LiveRun

NOT_FOUND = "This run has ended or never existed; start a new one from the home page."


async def start_for_browser(
    request: HttpRequest,
    slug: str,
    scenario: Scenario,
    *,
    speed: float = 1.0,
    start: float = 0.0,
    text: str | None = None,
) -> HttpResponse:
    """Start ``scenario`` at ``start`` seconds and ``speed``, make this browser its presenter,
    and send it to the run's page; 429 past the limits on runs (core/limits.py).

    ``text``: the scenario's YAML when it is not the saved or built-in one named ``slug`` (a
    sweep's cell), kept so that the run comes back as it was after a restart.
    """
    if text is None:
        text = (await sync_to_async(scenario_store.find)(slug)).text
    snapshot = durable.RunSnapshot(injected=(), sim_time=start, speed=speed, playing=True)
    try:
        run = await start_presented(request, scenario, slug=slug, text=text, snapshot=snapshot)
    except limits.LimitExceeded as refused:
        return limits.limit_response(refused, request)
    return redirect("run", run_id=run.run_id)


async def start_presented(
    request: HttpRequest,
    scenario: Scenario,
    *,
    slug: str,
    text: str,
    snapshot: durable.RunSnapshot,
    forked_from: str = "",
    client: str | None = None,
) -> LiveRun:
    """Start ``scenario`` from ``snapshot`` with this browser as its presenter; counted against
    ``client`` (default: the request's address). Raises ``limits.LimitExceeded`` past the limits
    on runs (core/limits.py)."""
    run, _ = await get_host().start(
        scenario,
        slug=slug,
        text=text,
        snapshot=snapshot,
        forked_from=forked_from,
        on_recorded=lambda info: amake_presenter(
            request.session, info.run_id, info.presenter_secret or ""
        ),
        client=client or limits.client_address(request),
    )
    return run


async def amake_presenter(session: Any, run_id: str, secret: str) -> None:
    runs = await roles.apresented_runs(session)
    runs = {key: value for key, value in runs.items() if key != run_id}
    runs[run_id] = secret
    await session.aset(roles.SESSION_KEY, dict(list(runs.items())[-roles.MAX_PRESENTED_RUNS :]))


async def run_context(request: HttpRequest, run_id: str) -> dict[str, Any] | None:
    """The run page's classroom context (role, join code, links), or None if there is no run.

    Opening the page brings a run back if no process runs it (after a restart).
    """
    located = await get_host().locate(run_id)
    if located is None:
        return None
    info = located.info
    presented = await roles.apresented_runs(request.session)
    role = roles.role_for(presented, run_id, info.presenter_secret)
    presenter = role == roles.PRESENTER and info.presenter_secret is not None
    if role == roles.FOLLOWER:
        # A session for every student's browser: their answers count once per question, however
        # often they reload (runs/roles.py, voter_of).
        await request.session.aset(roles.FOLLOWS_KEY, True)
    return {
        "run_id": run_id,
        "title": localized(info.title) or run_id,
        "role": role,
        "join_code": info.join_code,
        "forked_from": info.forked_from,
        # The secret goes in the fragment, which no request carries (see ``present``).
        "presenter_link": (
            request.build_absolute_uri(reverse("run-present", args=[run_id]))
            + f"#{info.presenter_secret}"
            if presenter
            else ""
        ),
        "run_url": request.build_absolute_uri(reverse("run", args=[run_id])),
        # The page offers to start the same scenario again if this run is gone.
        "slug": info.scenario_slug,
        "class_view": presenter and bool(info.join_code),
        "questions": [
            {"id": question_id, "text": localized(text)}
            for question_id, text in class_polls.get().questions(info.scenario_slug)
        ]
        if presenter
        else [],
    }


@require_http_methods(["GET", "POST"])
async def present(request: HttpRequest, run_id: str) -> HttpResponse:
    """The presenter link, ``/runs/<id>/present#<secret>``: this browser presents the run too.

    The GET page reads the secret from the link's fragment (which browsers never send) and
    POSTs it (runs/static/podviz/present.js); a secret in a URL would be written to every
    access log on its way. A valid secret makes this session a presenter and redirects (303) to
    the run; a wrong one is 403 with the form again; an unknown run is 404.
    """
    record = await durable.aload(run_id)
    if record is None:
        raise Http404(NOT_FOUND)
    if request.method == "GET":
        return render(request, "podviz/present.html", {"run_id": run_id})
    secret = request.POST.get("secret", "").strip()
    if roles.role_for({run_id: secret}, run_id, record.presenter_secret) != roles.PRESENTER:
        error = gettext("This presenter link is not valid for this run: ask the presenter for it.")
        context = {"run_id": run_id, "error": error}
        return render(request, "podviz/present.html", context, status=403)
    await amake_presenter(request.session, run_id, record.presenter_secret)
    response = HttpResponseRedirect(reverse("run", args=[run_id]))
    response.status_code = 303  # See Other: the run page, fetched with GET
    return response


@require_POST
async def fork(request: HttpRequest, run_id: str) -> HttpResponse:
    """A private copy of the run from now (same scenario, seed, injected faults and time),
    presented by this browser; its page links back to the class. It counts against this
    browser's session, not its address: a class behind one NAT address forks one copy each, up
    to the server's capacity (429 past ``runs_per_client`` forks of one session, or when the
    server is full)."""
    host = get_host()
    located = await host.locate(run_id)
    record = await durable.aload(run_id)
    if located is None or record is None:
        raise Http404(NOT_FOUND)
    if located.run is not None:
        snapshot = snapshot_of_run(located.run)
        scenario = located.run.scenario
    else:
        # Owned by another process: its clock as written with its last lease renewal (≤ 2 s).
        snapshot = durable.snapshot_of(record)
        scenario = await asyncio.to_thread(load_scenario, record.scenario_text)
    snapshot = durable.RunSnapshot(snapshot.injected, snapshot.sim_time, snapshot.speed, False)
    try:
        forked = await start_presented(
            request,
            scenario,
            slug=record.scenario_slug,
            text=record.scenario_text,
            snapshot=snapshot,
            forked_from=record.forked_from or run_id,
            client=await _browser_session(request),
        )
    except limits.LimitExceeded as refused:
        return limits.limit_response(refused, request)
    return redirect("run", run_id=forked.run_id)


async def _browser_session(request: HttpRequest) -> str:
    """What a fork is counted against: the browser's session (created if it has none yet)."""
    if request.session.session_key is None:
        await request.session.acreate()
    return f"session:{request.session.session_key}"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # Classroom: a teacher reopening a lesson is offered the class's run it presents.
    class_runs = durable.presented_class_runs(roles.presented_runs(request.session))
    scenarios = [
        {
            "slug": info.slug,
            "title": localized(info.title),
            "description": localized(info.description),
            "class_run": class_runs.get(info.slug),
        }
        for info in presets.list_presets()
    ]
    saved = [
        {"slug": stored.slug, "title": stored.title or stored.slug, "version": stored.version}
        for stored in scenario_store.saved_scenarios()
    ]
    return render(request, "podviz/home.html", {"scenarios": scenarios, "saved": saved})


@require_POST
async def start_run(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        scenario = await scenario_store.aload_for_run(slug)
    except scenario_store.ScenarioNotFound as missing:
        raise Http404(str(missing)) from None
    except ScenarioError as invalid:
        return HttpResponseBadRequest(f"{slug} cannot run; fix it in the editor first:\n{invalid}")
    return await start_for_browser(request, slug, scenario)


@require_POST
async def start_unsaved_run(request: HttpRequest) -> JsonResponse:
    """The editor's Run: ``{"yaml": ...}`` (or the YAML itself) started as it is, saved or not,
    with this browser as its presenter; anyone may, within the limits on runs of the request's
    address. Nothing is saved.

    201 ``{"runId", "url"}`` (the run page); refusals are the scenario API's JSON errors in the
    page's language (docs/scenario-api.md): 400 with ``problems`` for a document the loader
    refuses, 413 too large, 415 a form body, 429 or 503 past a limit.
    """
    try:
        text = scenario_api.document_text(request, "yaml")
    except scenario_api.BadInput as error:
        return scenario_api.error_response(error.status, str(error))
    try:
        # The validation the editor asked for as the user typed: cached in the request pool.
        validation = await request_work.run_for(
            request, "validate", (text,), scenario_store.validate, text
        )
        if validation.scenario is None:
            message = gettext(
                "Not run: this scenario has problems. Fix each field listed, then press Run again."
            )
            return scenario_api.error_response(400, message, problems=validation.problems)
        slug = await sync_to_async(_stored_slug)(validation.scenario.name, text)
        snapshot = durable.RunSnapshot(injected=(), sim_time=0.0, speed=1.0, playing=True)
        run = await start_presented(
            request, validation.scenario, slug=slug, text=text, snapshot=snapshot
        )
    except limits.LimitExceeded as refused:
        return scenario_api.limit_error(refused)
    url = reverse("run", args=[run.run_id])
    response = JsonResponse({"runId": run.run_id, "url": url}, status=201)
    response["Location"] = url
    return response


def _stored_slug(name: str, text: str) -> str:
    """``name`` when ``text`` is the saved or built-in scenario of that name as stored (its
    permalink starts it again, a lesson's questions are its own), else no slug."""
    try:
        return name if scenario_store.find(name).text == text else ""
    except scenario_store.ScenarioNotFound:
        return ""


@require_GET
async def run_page(request: HttpRequest, run_id: str) -> HttpResponse:
    # Classroom: the run may live on another process or only in the database; the context
    # carries this browser's role (presenter or follower) and the class's links.
    context = await run_context(request, run_id)
    if context is None:
        raise Http404("This run has ended or never existed; start a new one from the home page.")
    # The run page draws scatter traces only: plotly.js's basic bundle (core/staticfiles.py).
    context["plotly_js"] = PLOTLY_BASIC_STATIC_PATH
    # Every module of the page, asked for at once rather than import by import.
    context["modules"] = module_graph("podviz/run.js")
    # The legend's causes and colours, as the charts draw them (core/vocabulary.py).
    context["causes"] = cause_legend()
    return render(request, "podviz/run.html", context)
