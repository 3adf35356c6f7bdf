"""A scenario's YAML download by slug."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from . import store as scenario_store


@require_GET
def export(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        exported = scenario_store.export(slug)
    except scenario_store.ScenarioNotFound as error:
        raise Http404(str(error)) from None
    response = HttpResponse(exported.content, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, exported.filename)
    return response
