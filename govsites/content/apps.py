from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "govsites.content"
    label = "content"
    verbose_name = "内容"

    def ready(self) -> None:
        from . import handlers, tasks  # noqa: F401 - tasks registers its periodic job

        handlers.connect()
        from govsites.core import sealed

        from .models import Subscription

        sealed.register(sealed.SealedFields(model=Subscription, text=("sealed_email",)))
