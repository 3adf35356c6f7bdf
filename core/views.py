"""Pages every app shares: the 404 page, and text in the page's language."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language


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
