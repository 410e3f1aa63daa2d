from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "govsites.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from wagtail.models import AbstractPage
        from wagtail.permissions import register_permission_policy

        from govsites.content.models.pages import set_page_permission_tester
        from govsites.core import audit_mirror

        from . import audit, handlers  # noqa: F401  (audit registers action names)
        from .page_permissions import (
            OrganisationPagePermissionPolicy,
            OrganisationPagePermissionTester,
        )
        from .policies import page_organisation_id
        from .role_permissions import after_migrate

        handlers.connect()
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="accounts.role_permissions")
        register_permission_policy(AbstractPage, OrganisationPagePermissionPolicy())
        audit_mirror.set_page_organisation_resolver(page_organisation_id)
        set_page_permission_tester(OrganisationPagePermissionTester)
        from govsites.core import sealed

        from .citizen_models import CitizenAccount

        sealed.register(sealed.SealedFields(model=CitizenAccount, text=("sealed_login",)))

