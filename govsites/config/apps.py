from django.apps import AppConfig


class GovsitesConfigConfig(AppConfig):
    """The project's own wiring (hosts, headers): no models, only start-up connections."""

    name = "govsites.config"
    label = "govsites_config"
    verbose_name = "平台配置"

    def ready(self) -> None:
        from . import hosts

        # At start-up, not when the first request builds the middleware: a command, a task or
        # a test that changes the registry before any request must still drop the cached names.
        hosts.connect()
