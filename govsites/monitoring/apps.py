from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "govsites.monitoring"
    label = "monitoring"
    verbose_name = "站点监测"
