from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "govsites.operations"
    label = "operations"
    verbose_name = "运维与年度报表"

    def ready(self) -> None:
        from . import audit, tasks  # noqa: F401 - registration at import time

        audit.register()
