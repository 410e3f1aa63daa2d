"""Citizen accounts (公众用户, PA-15): the public's own accounts, kept apart from staff.

A citizen account is not a `User`: it cannot sign in to the admin, holds no role, and has its
own session key. The login (e-mail or mobile) is personal data: sealed, and found again by
its keyed digest.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CitizenAccount(models.Model):
    """One member of the public, valid on every site of the cluster."""

    login_digest = models.CharField(_("登录名摘要"), max_length=64, unique=True)
    sealed_login = models.TextField(_("登录名（加密）"))
    display_name = models.CharField(_("昵称"), max_length=30)
    password = models.CharField(_("密码摘要"), max_length=128)
    created_at = models.DateTimeField(_("注册时间"))
    last_login_at = models.DateTimeField(_("最近登录时间"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    #: Raised by every logout: a session or ticket made under an older value is void on every
    #: site of the cluster (统一退出).
    session_generation = models.PositiveIntegerField(_("登录代次"), default=0)

    class Meta:
        verbose_name = _("公众用户")
        verbose_name_plural = _("公众用户")

    def __str__(self) -> str:
        return f"{self.display_name}（#{self.pk}）"
