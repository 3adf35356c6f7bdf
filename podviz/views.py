from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from simulator import presets
from simulator.loader import ScenarioError

from . import limits, scenario_store
from .run_manager import get_run_manager
from .staticfiles import PLOTLY_STATIC_PATH


def localized(text: dict[str, str]) -> str:
    """The text in the page's language, else English, else any."""
    language = (get_language() or "en").split("-")[0]
    return text.get(language) or text.get("en") or next(iter(text.values()), "")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    scenarios = [
        {
            "slug": info.slug,
            "title": localized(info.title),
            "description": localized(info.description),
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
    try:
        run = get_run_manager().start(scenario, client=client_address(request))
    except limits.LimitExceeded as refused:
        return limit_response(refused)
    return redirect("run", run_id=run.run_id)


def client_address(request: HttpRequest) -> str:
    """The address runs are counted against: the peer, or the client a trusted proxy names
    (Daphne's ``--proxy-headers``, docs/deploy.md)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def limit_response(refused: limits.LimitExceeded) -> HttpResponse:
    """429 with the limit's message, in plain text."""
    response = HttpResponse(f"{refused}\n", status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "60"
    return response


@require_GET
async def run_page(request: HttpRequest, run_id: str) -> HttpResponse:
    run = get_run_manager().get(run_id)
    if run is None:
        raise Http404("This run has ended or never existed; start a new one from the home page.")
    context = {
        "run_id": run_id,
        "title": localized(run.scenario.title) or run.scenario.name,
        "plotly_js": PLOTLY_STATIC_PATH,
    }
    return render(request, "podviz/run.html", context)
