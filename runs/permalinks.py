"""A permalink that plays a scenario by slug.

``/scenarios/<slug>/play?t=SECONDS&speed=X`` starts a run, moves it to ``t`` and sets its speed,
then sends the browser to the run page: a link that shows a moment of a scenario to anyone. It
counts against the same limits as any run (429 past them), and the run is dropped if the browser
never opens its page.
"""

from __future__ import annotations

import math

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_GET

from scenarios import store as scenario_store
from simulator.scenario.durations import DURATION_HINT, parse_duration
from simulator.scenario.validation import ScenarioError

from .live_run import MAX_SPEED, MIN_SPEED
from .views import start_for_browser


class BadParameter(ValueError):
    """A query parameter that cannot be used; the message names it and the rule."""


@require_GET
async def play(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        start = _seconds(request.GET.get("t", "0"))
        speed = _speed(request.GET.get("speed", "1"))
        scenario = await scenario_store.aload_for_run(slug)
    except BadParameter as error:
        return _bad_request(str(error))
    except scenario_store.ScenarioNotFound as error:
        raise Http404(str(error)) from None
    except ScenarioError as error:
        return _bad_request(f"the scenario {slug!r} cannot run:\n{error}")
    if start > scenario.duration:
        return _bad_request(
            f"t: Invalid value: {start:g}: must be at most {scenario.duration:g} s, "
            "the scenario's duration"
        )
    return await start_for_browser(request, slug, scenario, speed=speed, start=start)


def _seconds(value: str) -> float:
    """Seconds as a number or a duration string ("90s", "5m"), at least 0."""
    try:
        seconds = _finite(value)
    except ValueError:
        try:
            seconds = parse_duration(value)
        except ValueError:
            raise BadParameter(f"t: Invalid value: {value!r}: {DURATION_HINT}") from None
    if seconds < 0:
        raise BadParameter(f"t: Invalid value: {value!r}: must be 0 or more")
    return seconds


def _speed(value: str) -> float:
    rule = f"must be a number from {MIN_SPEED:g} to {MAX_SPEED:g}"
    try:
        speed = _finite(value)
    except ValueError:
        raise BadParameter(f"speed: Invalid value: {value!r}: {rule}") from None
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise BadParameter(f"speed: Invalid value: {value!r}: {rule}")
    return speed


def _finite(value: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _bad_request(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")
