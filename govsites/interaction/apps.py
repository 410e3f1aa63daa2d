from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "govsites.interaction"
    label = "govsites_interaction"
    verbose_name = "政民互动"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit, tasks  # noqa: F401 - tasks registers its periodic job

        audit.register()
