from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "govsites.publishing"
    label = "publishing"
    verbose_name = "发布"

    def ready(self) -> None:
        from . import audit, handlers, tasks  # noqa: F401 - registration at import time

        handlers.connect()
