from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "govsites.screening"
    label = "screening"
    verbose_name = "内容检查"

    def ready(self) -> None:
        from . import audit, handlers

        audit.register()
        handlers.connect()
