"""Personal accounts. Every account belongs to one organisation and carries a real name."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MOBILE_VALIDATOR = RegexValidator(r"^1[3-9]\d{9}$", _("请输入11位中国大陆手机号码。"))


class User(AbstractUser):
    """A person who works on the platform (accounts are personal, never shared)."""

    real_name = models.CharField(_("真实姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True,
                              validators=[MOBILE_VALIDATOR])
    organisation = models.ForeignKey(
        "govsites_sites.Organisation", verbose_name=_("所属单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.real_name or self.get_username()

    def get_full_name(self) -> str:
        return self.real_name or super().get_full_name()
