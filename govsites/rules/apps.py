from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "govsites.rules"
    label = "govsites_rules"
    verbose_name = "规则"

    def ready(self) -> None:
        from . import audit, checks, handlers  # noqa: F401 - registration at import time

        audit.register()
        handlers.connect()
