from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "govsites.sites"
    label = "govsites_sites"
    verbose_name = "单位与网站"

    def ready(self) -> None:
        from . import lifecycle, tasks  # noqa: F401 - audit actions and periodic job at import
