from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "govsites.opendata"
    label = "opendata"
    verbose_name = "数据开放"

    def ready(self) -> None:
        from . import audit, handlers, tasks  # noqa: F401 - registration at import time

        audit.register()
        handlers.connect()
        _allow_pages_under_content()


def _allow_pages_under_content() -> None:
    """Let a column hold datasets and a site home hold the data catalogue.

    Content sits below opendata and must not name it; the page tree rule is added here, once,
    before Wagtail first computes the allowed subpage types.
    """
    from govsites.content.models import ColumnPage, SiteHomePage

    if "opendata.DatasetPage" not in ColumnPage.subpage_types:
        ColumnPage.subpage_types = [*ColumnPage.subpage_types, "opendata.DatasetPage"]
    if "opendata.DataCatalogPage" not in SiteHomePage.subpage_types:
        SiteHomePage.subpage_types = [*SiteHomePage.subpage_types, "opendata.DataCatalogPage"]
