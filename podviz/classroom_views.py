"""Pages of a class: starting a run as its presenter, the presenter link, fork, and join.

The browser that starts a run keeps its presenter secret in its session (podviz/roles.py);
every other browser that opens the run's page follows it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

import segno
from asgiref.sync import sync_to_async
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_POST

from simulator.scenario.loader import load_scenario
from simulator.scenario.types import Scenario

from . import durable, limits, questions, roles, scenario_store
from .classroom import get_host, snapshot_of_run

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
    and send it to the run's page; 429 past the limits on runs (podviz/limits.py).

    ``text``: the scenario's YAML when it is not the saved or built-in one named ``slug`` (a
    sweep's cell), kept so that the run comes back as it was after a restart.
    """
    if text is None:
        text = (await sync_to_async(scenario_store.find)(slug)).text
    snapshot = durable.RunSnapshot(injected=(), sim_time=start, speed=speed, playing=True)
    try:
        run, _ = await get_host().start(
            scenario,
            slug=slug,
            text=text,
            snapshot=snapshot,
            on_recorded=lambda info: amake_presenter(
                request.session, info.run_id, info.presenter_secret or ""
            ),
            client=limits.client_address(request),
        )
    except limits.LimitExceeded as refused:
        return limits.limit_response(refused)
    return redirect("run", run_id=run.run_id)


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
        # often they reload (podviz/classroom.py, voter_of).
        await request.session.aset(roles.FOLLOWS_KEY, True)
    return {
        "run_id": run_id,
        "title": _localized(info.title) or run_id,
        "role": role,
        "join_code": info.join_code,
        "forked_from": info.forked_from,
        "presenter_link": (
            request.build_absolute_uri(reverse("run-present", args=[run_id, info.presenter_secret]))
            if presenter
            else ""
        ),
        "run_url": request.build_absolute_uri(reverse("run", args=[run_id])),
        # The page offers to start the same scenario again if this run is gone.
        "slug": info.scenario_slug,
        "class_view": presenter and bool(info.join_code),
        "questions": [
            {"id": question.id, "text": _localized(question.text)}
            for question in questions.questions_for(info.scenario_slug)
        ]
        if presenter
        else [],
    }


@require_GET
async def present(request: HttpRequest, run_id: str, secret: str) -> HttpResponse:
    """The presenter link: this browser presents the run too."""
    record = await durable.aload(run_id)
    if record is None:
        raise Http404(NOT_FOUND)
    if roles.role_for({run_id: secret}, run_id, record.presenter_secret) != roles.PRESENTER:
        raise Http404("This presenter link is not valid for this run.")
    await amake_presenter(request.session, run_id, record.presenter_secret)
    return redirect("run", run_id=run_id)


@require_POST
async def fork(request: HttpRequest, run_id: str) -> HttpResponse:
    """A private copy of the run from now (same scenario, seed, injected faults and time),
    presented by this browser; its page links back to the class. It counts against this
    browser's runs like any run it starts (429 past the limits)."""
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
        forked, _ = await host.start(
            scenario,
            slug=record.scenario_slug,
            text=record.scenario_text,
            snapshot=snapshot,
            forked_from=record.forked_from or run_id,
            on_recorded=lambda info: amake_presenter(
                request.session, info.run_id, info.presenter_secret or ""
            ),
            client=limits.client_address(request),
        )
    except limits.LimitExceeded as refused:
        return limits.limit_response(refused)
    return redirect("run", run_id=forked.run_id)


def _localized(text: dict[str, str]) -> str:
    language = (get_language() or "en").split("-")[0]
    return text.get(language) or text.get("en") or next(iter(text.values()), "")


@require_GET
async def join(request: HttpRequest) -> HttpResponse:
    """``/join?code=ABCDE``: the class run of a join code; without a code, the form."""
    code = request.GET.get("code", "").strip()
    error = ""
    if code:
        record = await durable.aby_join_code(code)
        if record is not None:
            return redirect("run", run_id=record.run_id)
        error = gettext("code: no class run has this code; check it on the projector and try again")
    response = render(request, "podviz/join.html", {"code": code, "error": error})
    if error:
        response.status_code = 404
    return response


@require_GET
async def class_view(request: HttpRequest, run_id: str) -> HttpResponse:
    """The page for the projector: the join code, the join URL and its QR code, large."""
    record = await durable.aload(run_id)
    if record is None or not record.join_code:
        raise Http404(NOT_FOUND)
    join_url = request.build_absolute_uri(reverse("join")) + f"?code={record.join_code}"
    context = {
        "run_id": run_id,
        "title": _localized(record.title) or run_id,
        "join_code": record.join_code,
        "join_url": join_url,
        "join_page": request.build_absolute_uri(reverse("join")),
        "qr_svg": qr_svg(join_url),
        "loopback": is_loopback_host(request.get_host()),
    }
    if context["loopback"]:
        # The port the browser used (the Host header's), which `make run PORT=N` listens on.
        port = split_domain_port(request.get_host())[1] or request.get_port()
        context["network_address"] = network_address()
        context["run_command"] = "make run HOST=0.0.0.0" + (
            "" if port == "8000" else f" PORT={port}"
        )
    return render(request, "podviz/class_view.html", context)


def is_loopback_host(host: str) -> bool:
    """Whether a ``Host`` header (``127.0.0.1:8000``, ``[::1]:8000``, ``localhost``) names this
    computer only (127.0.0.0/8, ::1, localhost): a join URL on it does not open elsewhere."""
    domain, _ = split_domain_port(host)
    domain = domain.strip("[]")
    if domain == "localhost" or domain.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(domain).is_loopback
    except ValueError:
        return False


def network_address() -> str:
    """This machine's IPv4 address on the network its default route leads to, or "" if it has
    none. Connecting a UDP socket only picks a route: no packet is sent."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1 (RFC 5737): any routable address works.
            address = probe.getsockname()[0]
        except OSError:
            return ""
    return "" if ipaddress.ip_address(address).is_loopback else address


def qr_svg(url: str) -> SafeString:
    """An inline SVG QR code of ``url`` (error correction M: readable off a projector)."""
    code = segno.make_qr(url, error="m")
    # segno writes the SVG itself from the URL's bits: no user text reaches the markup.
    return mark_safe(code.svg_inline(scale=10, border=4, dark="#000", light="#fff"))
