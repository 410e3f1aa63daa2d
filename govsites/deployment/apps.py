from django.apps import AppConfig


class DeploymentConfig(AppConfig):
    name = "govsites.deployment"
    label = "deployment"
    verbose_name = "部署与运维"

    def ready(self) -> None:
        from . import audit, tasks  # noqa: F401 - registration at import time
