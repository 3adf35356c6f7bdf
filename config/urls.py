from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from advisor import views as advisor_views
from classroom import views as classroom_views
from core import request_errors
from core import views as core_views
from runs import permalinks
from runs import views as run_views
from scenarios import api as scenario_api
from scenarios import editor_views
from scenarios import views as scenario_views

# No URL matched, or a view raised Http404: a page in the visitor's language with a way back.
handler404 = core_views.page_not_found
# A body Django cannot read (malformed multipart, ...): a 400 that says so (JSON under /api/).
handler400 = request_errors.bad_request

urlpatterns = [
    path("", run_views.home, name="home"),
    path("scenarios/<slug:slug>/run", run_views.start_run, name="start-run"),
    # The editor's Run: a scenario as typed, unsaved; anyone may (docs/scenario-api.md).
    path("api/runs", run_views.start_unsaved_run, name="api-start-run"),
    path("runs/<str:run_id>/", run_views.run_page, name="run"),
    # Classroom: the presenter link, a private fork, joining by code.
    path("runs/<str:run_id>/present", run_views.present, name="run-present"),
    path("runs/<str:run_id>/fork", run_views.fork, name="run-fork"),
    path("runs/<str:run_id>/class", classroom_views.class_view, name="run-class"),
    path("join", classroom_views.join, name="join"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The page's JavaScript strings in the page's language (gettext() in static/podviz/*.js).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    # Logging in is needed to save scenarios (docs/scenario-api.md, "Who may do what").
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Saved scenarios (docs/scenario-api.md); the fixed paths come before <slug>.
    path("api/scenarios", scenario_api.scenarios, name="api-scenarios"),
    path("api/scenarios/validate", scenario_api.validate, name="api-scenario-validate"),
    path("api/scenarios/import", scenario_api.import_scenario, name="api-scenario-import"),
    path("api/scenarios/from-manifest", scenario_api.from_manifest, name="api-from-manifest"),
    path("api/scenarios/<slug:slug>", scenario_api.scenario, name="api-scenario"),
    path("scenarios/<slug:slug>.yaml", scenario_views.export, name="scenario-export"),
    path("scenarios/<slug:slug>/play", permalinks.play, name="scenario-play"),
    path("editor/", editor_views.new_scenario, name="editor-new"),
    path("editor/<slug:slug>/", editor_views.edit_scenario, name="editor"),
    path("check/", advisor_views.check_page, name="check"),
    path("sweep/", advisor_views.sweep_page, name="sweep"),
    path("sweep/cell", advisor_views.sweep_cell, name="sweep-cell"),
    path("runs/<str:run_id>/report", advisor_views.run_report, name="run-report"),
]
