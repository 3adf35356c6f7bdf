"""The scenario editor page: ``/editor/`` starts a new scenario, ``/editor/<slug>/`` opens a saved
or built-in one. The page talks to the scenario API (docs/scenario-api.md) for everything else."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from . import store as scenario_store

CODEMIRROR_DIRECTORY = "vendor/codemirror-5.65.21"

# A small valid scenario to start from: one Deployment, a node failure, two variants.
NEW_SCENARIO_TEXT = """\
apiVersion: podviz/v1
kind: Scenario
metadata:
  name: my-scenario
  title:
    en: My scenario
    ko: 나의 시나리오
spec:
  duration: 600
  seed: 1
  cluster:
    nodes: 3
  traffic:
    requestsPerSecond: 100
  workload:
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 2
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
          - name: app
            image: nginx:1.27
            ports:
            - containerPort: 8080
            readinessProbe:
              httpGet:
                path: /ready
                port: 8080
              periodSeconds: 5
  behavior:
    containers:
      app:
        bootSeconds: 10
  events:
  - at: 60
    action: NodeDown
    node: node2
  variants:
  - name: readiness
    title:
      en: Readiness probe
      ko: Readiness Probe
  - name: no-probes
    title:
      en: No probes
      ko: Probe 없음
    probes:
      readinessProbe: null
      livenessProbe: null
      startupProbe: null
"""


@ensure_csrf_cookie
@require_GET
def new_scenario(request: HttpRequest) -> HttpResponse:
    return _editor(request, scenario_store.StoredScenario("", NEW_SCENARIO_TEXT, None, ""))


@ensure_csrf_cookie
@require_GET
def edit_scenario(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        stored = scenario_store.find(slug)
    except scenario_store.ScenarioNotFound as error:
        raise Http404(str(error)) from None
    return _editor(request, stored)


def _editor(request: HttpRequest, stored: scenario_store.StoredScenario) -> HttpResponse:
    document = {
        "slug": stored.slug,
        "version": stored.version,
        "builtIn": bool(stored.slug) and (stored.built_in or bool(stored.origin)),
        "yaml": stored.text,
    }
    context = {
        "document": document,
        "slug": stored.slug,
        "codemirror": CODEMIRROR_DIRECTORY,
        "may_save": request.user.is_authenticated,
    }
    return render(request, "podviz/editor.html", context)
