"""URLs as served publicly: the publishing views under /_govsites/, then the project's URLs.

Used by `govsites screenshots` and the browser tests; config/urls.py should include the same
`path("_govsites/", include("govsites.publishing.urls"))` before Wagtail's catch-all.
"""

from django.urls import include, path

from govsites.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("_govsites/", include("govsites.publishing.urls")),
    *project_urlpatterns,
]
