from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govsites.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from . import audit_mirror

        audit_mirror.connect()
