from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "govsites.monitoring"
    label = "monitoring"
    verbose_name = "站点监测"

    def ready(self) -> None:
        from . import audit, checks, tasks  # noqa: F401 - registration at import time
        from .findings import freeze_checks

        audit.register()
        freeze_checks()
