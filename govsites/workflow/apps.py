from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "govsites.workflow"
    label = "govsites_workflow"
    verbose_name = "审核流程"

    def ready(self) -> None:
        from . import audit, handlers, tasks  # noqa: F401 - registration at import time

        handlers.connect()
