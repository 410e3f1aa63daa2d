from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "govsites.search"
    label = "govsites_search"
    verbose_name = "站内搜索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import audit, handlers, planner

        audit.register()
        handlers.connect()
        post_migrate.connect(planner.after_migrate, sender=self, dispatch_uid="search.planner")
