from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("scenarios/<slug:slug>/run", views.start_run, name="start-run"),
    path("runs/<str:run_id>/", views.run_page, name="run"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
