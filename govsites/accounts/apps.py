from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govsites.accounts"
    label = "accounts"
    verbose_name = "账号"
