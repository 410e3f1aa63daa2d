from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "govsites.interaction"
    label = "govsites_interaction"
    verbose_name = "政民互动"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit, tasks  # noqa: F401 - tasks registers its periodic job

        audit.register()
        _register_sealed_fields()


def _register_sealed_fields() -> None:
    """Tell core's key rotation which fields hold the public's sealed personal data."""
    from govsites.core import sealed

    from .models import (
        ConsultationComment,
        Enquiry,
        EnquiryAttachment,
        ErrorReport,
        InterviewQuestion,
    )

    sealed.register(sealed.SealedFields(
        model=Enquiry, text=("sealed_content", "sealed_name", "sealed_mobile", "sealed_email")))
    sealed.register(sealed.SealedFields(model=EnquiryAttachment, binary=("sealed_data",)))
    sealed.register(sealed.SealedFields(model=ErrorReport, text=("sealed_contact",)))
    sealed.register(sealed.SealedFields(model=ConsultationComment, text=("sealed_name",)))
    sealed.register(sealed.SealedFields(model=InterviewQuestion, text=("sealed_name",)))
