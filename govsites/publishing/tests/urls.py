"""The project's URLs plus the publishing views, as the lead wires them in config/urls.py."""

from django.urls import include, path

from govsites.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("_govsites/", include("govsites.publishing.urls")),
    *project_urlpatterns,
]
