from django.apps import AppConfig


class DeploymentConfig(AppConfig):
    name = "govsites.deployment"
    label = "deployment"
    verbose_name = "部署与运维"
