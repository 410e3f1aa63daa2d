from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "govsites.disclosure"
    label = "govsites_disclosure"
    verbose_name = "政府信息公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from govsites.content import footer_links

        from . import audit, checks, furniture, handlers, tasks  # noqa: F401 - registration at import time

        audit.register()
        handlers.connect()
        footer_links.register(furniture.footer_links)
        _allow_catalogue_pages()
        _register_sealed_fields()


def _allow_catalogue_pages() -> None:
    """Let a site home or a column hold a body's 政府信息公开目录 page.

    Content sits below disclosure and must not name it; the page tree rule is added here, once,
    before Wagtail first computes the allowed subpage types.
    """
    from govsites.content.models import ColumnPage, SiteHomePage

    name = "govsites_disclosure.DisclosureCataloguePage"
    for parent in (SiteHomePage, ColumnPage):
        if name not in parent.subpage_types:
            parent.subpage_types = [*parent.subpage_types, name]


def _register_sealed_fields() -> None:
    """Tell core's key rotation where applicants' identity data is sealed."""
    from govsites.core import sealed

    from . import crypto
    from .models import DisclosureRequest

    sealed.register(sealed.SealedFields(
        model=DisclosureRequest, text=("identity_ciphertext",), opener=crypto.open_text,
        refresh=crypto.refresh_applicant_key))
