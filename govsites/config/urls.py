from django.conf import settings
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve as serve_media
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from govsites.core import openapi

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("_govsites/", include("govsites.publishing.urls")),
    path("_govsites/account/", include("govsites.accounts.citizen_urls")),
    # One description of every /api/v1 endpoint (opendata's and search's files merged).
    path("api/v1/openapi.json", openapi.view, name="openapi"),
    path("", include("govsites.search.urls")),
    path("", include("govsites.opendata.urls")),
    path("", include("govsites.interaction.urls")),
    path("", include("govsites.disclosure.urls")),
    path("", include("govsites.content.urls")),
]
if not settings.PRODUCTION:
    # The embedded mode (`make run`) has no nginx in front: the application serves the static
    # assets (from the apps, no collectstatic needed) and uploaded media itself, DEBUG or not.
    # Documents are left out: Wagtail serves them at /documents/ with its permission checks.
    # In production nginx serves both (govsites nginx-config).
    urlpatterns += [
        re_path(r"^static/(?P<path>.*)$", serve_static, {"insecure": True}),
        re_path(r"^media/(?P<path>(?!documents/).*)$", serve_media,
                {"document_root": settings.MEDIA_ROOT}),
    ]
urlpatterns += [path("", include(wagtail_urls))]

# Chinese error pages in the requesting site's furniture (DEBUG off), as nginx shows them.
handler404 = "govsites.publishing.views.page_not_found"
handler500 = "govsites.publishing.views.server_error"
