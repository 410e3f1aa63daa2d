from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govsites.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from django.db.models.signals import pre_migrate
        from django.tasks.signals import task_finished

        from . import audit_mirror, checks, tasks  # noqa: F401 - registration at import time
        from .logs import log_task_finished

        audit_mirror.connect()
        pre_migrate.connect(create_cache_table, sender=self, dispatch_uid="core.cache_table")
        task_finished.connect(log_task_finished, dispatch_uid="govsites.log_task_finished")


def create_cache_table(using: str = "default", **kwargs: object) -> None:
    """pre_migrate receiver: the database cache's table, before any migration runs, as the data
    migrations of other apps (Wagtail's first pages) already write to the cache. Migration
    core 0005 makes the same table in every database, whatever its cache settings."""
    from django.conf import settings
    from django.core.management import call_command

    if any(str(c["BACKEND"]).endswith("db.DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
