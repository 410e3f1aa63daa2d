from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "govsites.disclosure"
    label = "govsites_disclosure"
    verbose_name = "政府信息公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit, tasks  # noqa: F401 - registration at import time

        audit.register()
