from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "govsites.search"
    label = "govsites_search"
    verbose_name = "站内搜索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit, handlers

        audit.register()
        handlers.connect()
