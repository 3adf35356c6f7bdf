from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from simulator.scenario import presets
from simulator.scenario.loader import ScenarioError

from . import classroom_views, durable, roles, scenario_store
from .staticfiles import PLOTLY_BASIC_STATIC_PATH, module_graph


def localized(text: dict[str, str]) -> str:
    """The text in the page's language, else English, else any."""
    language = (get_language() or "en").split("-")[0]
    return text.get(language) or text.get("en") or next(iter(text.values()), "")


def page_not_found(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    """The 404 page (``handler404``): the reason a view gave with ``Http404("...")``, else a plain
    sentence. Django's own handler shows the exception's class name (``Resolver404``) when no URL
    matched; a reader learns nothing from it."""
    reason = exception.args[0] if exception is not None and exception.args else None
    context = {"reason": reason if isinstance(reason, str) else ""}
    return render(request, "404.html", context, status=404)


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
    return await classroom_views.start_for_browser(request, slug, scenario)


@require_GET
async def run_page(request: HttpRequest, run_id: str) -> HttpResponse:
    # Classroom: the run may live on another process or only in the database; the context
    # carries this browser's role (presenter or follower) and the class's links.
    context = await classroom_views.run_context(request, run_id)
    if context is None:
        raise Http404("This run has ended or never existed; start a new one from the home page.")
    # The run page draws scatter traces only: plotly.js's basic bundle (podviz/staticfiles.py).
    context["plotly_js"] = PLOTLY_BASIC_STATIC_PATH
    # Every module of the page, asked for at once rather than import by import.
    context["modules"] = module_graph("podviz/run.js")
    return render(request, "podviz/run.html", context)
