"""Pages of a class: joining a class run by its code, and the class view for the projector."""

from __future__ import annotations

import ipaddress
import socket

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from core import limits
from core.views import localized
from runs import durable
from runs.views import NOT_FOUND


@require_GET
async def join(request: HttpRequest) -> HttpResponse:
    """``/join?code=ABCDE2``: the class run of a join code; without a code, the form."""
    code = request.GET.get("code", "").strip()
    error = ""
    if code:
        try:
            _join_attempts().take(limits.client_address(request))
        except limits.LimitExceeded:
            error = gettext(
                "code: too many codes tried from here; wait a minute, then type the code again"
            )
            context = {"code": code, "error": error}
            return render(request, "podviz/join.html", context, status=429)
        record = await durable.aby_join_code(code)
        if record is not None:
            return redirect("run", run_id=record.run_id)
        error = gettext("code: no class run has this code; check it on the projector and try again")
    response = render(request, "podviz/join.html", {"code": code, "error": error})
    if error:
        response.status_code = 404
    return response


_join_rates: limits.ClientRates | None = None


def _join_attempts() -> limits.ClientRates:
    """Codes tried per client: ``join_attempts_per_minute``, so guessing a live code among
    32^6 takes years (docs/reliability.md)."""
    global _join_rates
    if _join_rates is None:
        per_minute = limits.current().join_attempts_per_minute
        _join_rates = limits.ClientRates(per_minute / 60, per_minute)
    return _join_rates


@require_GET
async def class_view(request: HttpRequest, run_id: str) -> HttpResponse:
    """The page for the projector: the join code, the join URL and its QR code, large."""
    record = await durable.aload(run_id)
    if record is None or not record.join_code:
        raise Http404(NOT_FOUND)
    join_url = request.build_absolute_uri(reverse("join")) + f"?code={record.join_code}"
    context = {
        "run_id": run_id,
        "title": localized(record.title) or run_id,
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
