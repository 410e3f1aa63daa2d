from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govsites.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from django.tasks.signals import task_finished

        from . import audit_mirror, checks, tasks  # noqa: F401 - registration at import time
        from .logs import log_task_finished

        audit_mirror.connect()
        task_finished.connect(log_task_finished, dispatch_uid="govsites.log_task_finished")
