from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "govsites.operations"
    label = "operations"
    verbose_name = "运维与年度报表"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from wagtail.models import Site

        from govsites.publishing.nginx import register_site_overrides
        from govsites.sites.models import SiteProfile

        from . import audit, lifecycle, tasks  # noqa: F401 - registration at import time

        audit.register()
        register_site_overrides(lifecycle.nginx_overrides)
        from govsites.monitoring.services import RECHECKS

        from . import newmedia_tickets

        RECHECKS[newmedia_tickets.TICKET_RULE] = newmedia_tickets.recheck
        from govsites.publishing.signals import guard_alert, guard_incidents

        from . import guard_incidents as guard_records

        guard_incidents.connect(guard_records.on_guard_incidents,
                                dispatch_uid="operations-guard-incidents")
        guard_alert.connect(guard_records.on_guard_alert, dispatch_uid="operations-guard-alert")
        # A site's state is cached for a few seconds per process: any registry change drops it.
        for model in (SiteProfile, Site):
            post_save.connect(_forget_site_states, sender=model,
                              dispatch_uid=f"operations-forget-states-{model.__name__}")


def _forget_site_states(**kwargs: object) -> None:
    from .lifecycle import forget_site_states

    forget_site_states()
