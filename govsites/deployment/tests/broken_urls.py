"""A URL that fails with an ordinary bug (not a database outage), for the 500-page test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken)]
handler500 = "govsites.publishing.views.server_error"
