"""Personal accounts and the records that the 等保 2.0 account rules need.

Every account belongs to one organisation and carries a real name and a mobile number. The
security records (password history, failed-login counters, TOTP devices) live beside the user
so that the rules in passwords.py, lockout.py and totp.py are enforced however a password or a
login reaches the platform.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MOBILE_VALIDATOR = RegexValidator(r"^1[3-9]\d{9}$", _("请输入11位中国大陆手机号码。"))


class User(AbstractUser):
    """A person who works on the platform (accounts are personal, never shared)."""

    real_name = models.CharField(_("真实姓名"), max_length=50)
    mobile = models.CharField(_("手机号码"), max_length=11, validators=[MOBILE_VALIDATOR])
    organisation = models.ForeignKey(
        "govsites_sites.Organisation", verbose_name=_("所属单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True,
                                               editable=False)
    departed_at = models.DateTimeField(_("离岗时间"), null=True, blank=True, editable=False)

    # `createsuperuser` asks for these too: a superuser is a person like everybody else.
    REQUIRED_FIELDS = ["real_name", "mobile"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.real_name or self.get_username()

    def get_full_name(self) -> str:
        return self.real_name or super().get_full_name()


class PasswordHistory(models.Model):
    """One password hash a user has had; the newest few may not be reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码摘要"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class LoginFailureCounter(models.Model):
    """Failed logins for one username (known or not), and the lock they may have caused.

    Counting by the typed username, not by user row, lets the login page answer an unknown
    username exactly as it answers a known one.
    """

    username = models.CharField(_("用户名"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    last_failure_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败计数")
        verbose_name_plural = _("登录失败计数")

    def __str__(self) -> str:
        return f"{self.username}: {self.failures}"


class LoginAddressCounter(models.Model):
    """Failed logins from one client address across all usernames, and the block they caused.

    The count runs over a window (GOVSITES_ADDRESS_WINDOW_MINUTES) from its first failure, so a
    success from the same address does not reset it: one address cannot try passwords across
    many accounts, whatever one of them may know.
    """

    address = models.GenericIPAddressField(_("客户端地址"), unique=True)
    failures = models.PositiveIntegerField(_("窗口内失败次数"), default=0)
    window_started_at = models.DateTimeField(_("计数窗口开始"))
    blocked_until = models.DateTimeField(_("封禁至"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败计数（按地址）")
        verbose_name_plural = _("登录失败计数（按地址）")

    def __str__(self) -> str:
        return f"{self.address}: {self.failures}"


class TOTPDevice(models.Model):
    """A user's TOTP authenticator (RFC 6238). Unconfirmed until one code has been checked."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(_("密钥"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("最近使用的时间步"), null=True, blank=True,
                                            help_text=_("同一动态码不能使用两次"))

    class Meta:
        verbose_name = _("双因素认证设备")
        verbose_name_plural = _("双因素认证设备")

    def __str__(self) -> str:
        return f"TOTP {self.user}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


from .citizen_models import CitizenAccount  # noqa: E402  (the public's accounts, PA-15)

__all__ = ["CitizenAccount", "LoginAddressCounter", "LoginFailureCounter", "PasswordHistory",
           "TOTPDevice", "User"]
