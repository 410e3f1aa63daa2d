from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "govsites.sites"
    label = "govsites_sites"
    verbose_name = "单位与网站"

    def ready(self) -> None:
        from . import lifecycle, tasks  # noqa: F401 - audit actions and periodic job at import

        self._connect_directory()

    def _connect_directory(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Site

        from .models import SiteProfile
        from .selectors import forget_site_directory

        for model in (Site, SiteProfile):  # the cached directory (selectors.site_directory)
            post_save.connect(forget_site_directory, sender=model,
                              dispatch_uid=f"sites.directory.{model.__name__}.save")
            post_delete.connect(forget_site_directory, sender=model,
                                dispatch_uid=f"sites.directory.{model.__name__}.delete")
