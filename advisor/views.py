"""The advisor's pages: ``check`` a pasted manifest, and a sweep's heatmap whose cells open runs.

Engine work runs in the request pool (core/request_work.py: its own process, cached, limited per
client), never in the thread Channels shares between consumers nor in the pool the live runs'
ticks use. Bad input answers 400 with the problem named, never 500.
"""

from __future__ import annotations

import asyncio
import json

import yaml
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import limits, request_work
from core.staticfiles import PLOTLY_STATIC_PATH
from core.views import localized
from runs import durable
from runs import views as run_views
from runs.manager import get_run_manager
from simulator.advisor.assumptions import Assumptions
from simulator.advisor.check import check_manifests
from simulator.advisor.examples import EXAMPLES
from simulator.advisor.manifest_reader import read_manifests
from simulator.advisor.text_report import CAUSE_COLUMNS
from simulator.engine.simulation import run_scenario
from simulator.reports.run_report import run_report_html
from simulator.scenario import presets
from simulator.scenario.loader import load_scenario
from simulator.scenario.validation import ScenarioError
from simulator.sweep.cell_run import cell_document
from simulator.sweep.grid import combinations, parse_vary, with_values
from simulator.sweep.runner import run_sweep

MAX_MANIFEST_CHARACTERS = 256 * 1024
MAX_WORKLOADS = 5
MAX_PAGE_CELLS = 25
MAX_AXES = 2


def _language() -> str:
    return "ko" if (get_language() or "en").startswith("ko") else "en"


def _number(value: str | None, default: float, name: str) -> float:
    if value in (None, ""):
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name}: Invalid value: {value!r}: must be a number") from None
    if not 0 < number <= 10_000:
        raise ValueError(f"{name}: Invalid value: {value!r}: must be above 0 and at most 10000")
    return number


@require_http_methods(["GET", "POST"])
async def check_page(request: HttpRequest) -> HttpResponse:
    """GET: the form (``?example=NAME``: filled with one of the advisor's examples).
    POST ``manifest`` (YAML text), ``boot_seconds``, ``rps``: the drills and findings of every
    workload in it."""
    context: dict = {
        "manifest": "",
        "boot_seconds": "",
        "rps": "",
        "problems": [],
        "examples": EXAMPLES,
    }
    if request.method == "GET":
        # ``?example=NAME`` fills the form with one of the advisor's example manifests.
        example = EXAMPLES.get(request.GET.get("example", ""))
        if example is not None:
            context["manifest"] = await asyncio.to_thread(example.read_text, encoding="utf-8")
        return render(request, "podviz/check.html", context)
    text = request.POST.get("manifest", "")
    context |= {
        "manifest": text,
        "boot_seconds": request.POST.get("boot_seconds", ""),
        "rps": request.POST.get("rps", ""),
    }
    try:
        if len(text) > MAX_MANIFEST_CHARACTERS:
            raise ValueError(
                f"manifest: Too long: must be at most {MAX_MANIFEST_CHARACTERS} characters"
            )
        assumptions = Assumptions(
            boot_seconds=_number(context["boot_seconds"], Assumptions.boot_seconds, "boot_seconds"),
            requests_per_second=_number(context["rps"], Assumptions.requests_per_second, "rps"),
        )
        inputs = (text, assumptions.boot_seconds, assumptions.requests_per_second, _language())
        report = await request_work.run_for(
            request, "check", inputs, _check, text, assumptions, _language()
        )
    except limits.LimitExceeded as refused:
        return limits.limit_response(refused, request)
    except ScenarioError as error:
        context["problems"] = [str(problem) for problem in error.problems]
        return render(request, "podviz/check.html", context, status=400)
    except ValueError as error:
        context["problems"] = [str(error)]
        return render(request, "podviz/check.html", context, status=400)
    context["report"] = report
    context["assumptions"] = report.assumptions.as_dict()
    context["causes"] = CAUSE_COLUMNS
    context["workloads"] = [
        {
            "label": workload.item.label,
            "blocked_by": [blocker.as_dict(report.lang) for blocker in workload.blocked_by],
            "drills": [
                {
                    "name": result.name,
                    "requests": result.requests,
                    "errors": result.errors,
                    "causes": [result.errors_by_cause.get(cause, 0) for cause in CAUSE_COLUMNS],
                    "detection": result.detection_seconds,
                    "recovery": result.recovery_seconds,
                    "restarts": result.restarts,
                }
                for result in workload.drills
            ],
            "findings": [finding.as_dict() for finding in workload.findings],
        }
        for workload in report.workloads
    ]
    context["services"] = [
        {
            "label": service.item.label,
            "selects": service.selects,
            "findings": [finding.as_dict() for finding in service.findings],
        }
        for service in report.services
    ]
    context["cannot_judge"] = [
        item.as_dict() | {"message": item.message} for item in report.cannot_judge
    ]
    context["skipped"] = [item.label for item in report.skipped]
    return render(request, "podviz/check.html", context)


def _check(text: str, assumptions: Assumptions, language: str):
    """The advisor's report on the manifests in ``text`` (in the request pool)."""
    manifests = read_manifests("-", text)
    if len(manifests.workloads) > MAX_WORKLOADS:
        raise ValueError(
            f"manifest: Too many: {len(manifests.workloads)} workloads: must have at most "
            f"{MAX_WORKLOADS} here; use python -m simulator check for more"
        )
    return check_manifests(manifests, assumptions, language)


def _sweep(document: dict, grid: list[dict]) -> list[dict]:
    """Every cell of ``grid`` validated, then swept (in the request pool)."""
    for values in grid:
        load_scenario(with_values(document, values))
    return run_sweep(document, grid, workers=1, progress=None)


def _preset_choices() -> list[dict[str, str]]:
    return [{"slug": info.slug, "title": localized(info.title)} for info in presets.list_presets()]


@require_GET
async def sweep_page(request: HttpRequest) -> HttpResponse:
    """``?scenario=SLUG&vary=FIELD=V1,V2&vary=...`` (at most two fields, 25 combinations): the
    sweep's cells as a heatmap per lane; without ``vary``, the form."""
    slug = request.GET.get("scenario", "seed-story")
    options = [option for option in request.GET.getlist("vary") if option.strip()]
    context: dict = {
        "presets": _preset_choices(),
        "scenario": slug,
        "vary": options
        or ["readinessProbe.periodSeconds=2,5,10", "readinessProbe.failureThreshold=1,3,5"],
        "problems": [],
        "plotly_js": PLOTLY_STATIC_PATH,
    }
    if not options:
        return render(request, "podviz/sweep.html", context)
    try:
        if slug not in presets.preset_slugs():
            raise ValueError(f"scenario: Unsupported value: {slug!r}: pick a built-in scenario")
        if len(options) > MAX_AXES:
            raise ValueError(
                f"vary: Too many: {len(options)}: at most {MAX_AXES} fields on this page"
            )
        axes = [_parsed_vary(option) for option in options]
        grid = combinations(axes)
        if len(grid) > MAX_PAGE_CELLS:
            raise ValueError(
                f"vary: Too many: {len(grid)} combinations: at most {MAX_PAGE_CELLS} on this page; "
                "use python -m simulator sweep for more"
            )
        scenario = presets.load_preset(slug)
        document = dict(scenario.source)
        cells = await request_work.run_for(
            request, "sweep", (document, grid), _sweep, document, grid
        )
    except limits.LimitExceeded as refused:
        return limits.limit_response(refused, request)
    except ScenarioError as error:
        context["problems"] = [str(problem) for problem in error.problems]
        return render(request, "podviz/sweep.html", context, status=400)
    except ValueError as error:
        context["problems"] = [str(error)]
        return render(request, "podviz/sweep.html", context, status=400)
    context["sweep"] = {
        "scenario": slug,
        "axes": [{"field": axis.field, "values": list(axis.values)} for axis in axes],
        "cells": cells,
        "openable": _openable_variants(document, cells, grid[0]),
        # The lanes' display titles ({en, ko}), as the run page titles its lanes.
        "titles": {variant.name: variant.title for variant in scenario.variants if variant.title},
    }
    return render(request, "podviz/sweep.html", context)


def _parsed_vary(option: str):
    """``parse_vary``, with a value that is not YAML (``[``, ``*a``, ``!!python/...``) or nests
    too deeply as a ``ValueError`` naming the option."""
    try:
        return parse_vary(option)
    except yaml.YAMLError as error:
        problem = str(getattr(error, "problem", None) or error).splitlines()[0]
        raise ValueError(
            f"vary: Invalid value: {option!r}: a value is not valid YAML ({problem}); "
            "list plain values: FIELD=V1,V2,..."
        ) from None
    except RecursionError:
        raise ValueError(f"vary: Invalid value: {option[:40]!r}...: nested too deeply") from None


def _openable_variants(document: dict, cells: list[dict], values: dict) -> list[str]:
    """The lanes whose cells can be opened as a run: those that have the varied probe fields
    (a lane without a readiness probe is the same in every cell of a readiness sweep)."""
    openable = []
    for variant in dict.fromkeys(cell["variant"] for cell in cells):
        try:
            cell_document(document, variant, values)
        except (KeyError, ScenarioError):
            continue
        openable.append(variant)
    return openable


@require_POST
async def sweep_cell(request: HttpRequest) -> HttpResponse:
    """POST ``scenario``, ``variant``, ``values`` (JSON ``{field: value}``): starts a run of the
    cell beside its baseline (two lanes on one clock) and opens its page."""
    slug = request.POST.get("scenario", "")
    variant = request.POST.get("variant", "")
    try:
        if slug not in presets.preset_slugs():
            raise ValueError(f"scenario: Unsupported value: {slug!r}: pick a built-in scenario")
        values = json.loads(request.POST.get("values", ""))
        if not isinstance(values, dict) or not values or len(values) > MAX_AXES:
            raise ValueError("values: Invalid value: must be a JSON object of 1 or 2 fields")
        document = cell_document(dict(presets.load_preset(slug).source), variant, values)
        scenario = load_scenario(document)
    except KeyError as missing:
        return _bad_request(f"variant: Not found: {missing}: no such variant or probe in {slug}")
    except (json.JSONDecodeError, RecursionError):
        return _bad_request("values: Invalid value: must be a JSON object of 1 or 2 fields")
    except (ScenarioError, ValueError) as error:
        return _bad_request(str(error))
    # Like every run a browser starts: it presents the run, within the limits on runs.
    return await run_views.start_for_browser(
        request, slug, scenario, text=yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    )


@require_GET
async def run_report(request: HttpRequest, run_id: str) -> HttpResponse:
    """The run's scenario, run to its end, as the self-contained HTML report (a download).
    Faults injected by hand during the live run are not in it: the report is the scenario's."""
    # The run may live on another process: its record holds the scenario (runs/durable.py).
    run = get_run_manager().get(run_id)
    record = None if run is not None else await durable.aload(run_id)
    if run is None and record is None:
        raise Http404("This run has ended or never existed; start a new one from the home page.")
    scenario = (
        run.scenario
        if run is not None
        else await asyncio.to_thread(load_scenario, record.scenario_text)
    )
    try:
        page = await request_work.run_for(
            request, "report", (scenario.source, _language()), _report, scenario, _language()
        )
    except limits.LimitExceeded as refused:
        return limits.limit_response(refused, request)
    response = HttpResponse(page, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{scenario.name}.html")
    return response


def _report(scenario, language: str) -> str:
    """The scenario run to its end, as the HTML report (in the request pool)."""
    return run_report_html(scenario, run_scenario(scenario), language)


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")
