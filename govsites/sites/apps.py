from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "govsites.sites"
    label = "govsites_sites"
    verbose_name = "单位与网站"
