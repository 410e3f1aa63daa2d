from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "govsites.publishing"
    label = "publishing"
    verbose_name = "发布"
