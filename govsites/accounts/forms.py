"""Forms: Wagtail's login and user forms with the platform's rules, TOTP and departure."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.users.forms import UserCreationForm as WagtailUserCreationForm
from wagtail.users.forms import UserEditForm as WagtailUserEditForm

from .handlers import SECOND_FACTOR_PASSED_ATTR
from .models import User

PERSONAL_FIELDS = ("real_name", "mobile", "organisation")


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with the lockout, the per-address block and the TOTP self-unlock.

    A blocked client address is refused first, then a locked username (known or unknown
    alike), both before the password is tried; every refused attempt is still counted and
    audited. While a username is locked the form shows a 动态验证码 field: the account's owner
    who types the right password and a current TOTP code lifts the lock and is logged in with
    the second factor passed.
    """

    totp_code = forms.CharField(
        label=_("动态验证码"), required=False, max_length=10, widget=forms.HiddenInput(),
        help_text=_("账号被锁定时，本人可输入密码和验证器上的动态验证码立即解锁。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Wagtail's password field has no label, so Django shows the untranslatable field
        # name ("Password").
        self.fields["password"].label = _("密码")

    @property
    def extra_fields(self) -> Any:
        """Wagtail renders these below the password; the code only once a lock is shown."""
        for name, field in super().extra_fields:
            if name != "totp_code" or not field.is_hidden:
                yield name, field

    def clean(self) -> dict[str, Any]:
        from .services import (
            address_blocked_until,
            locked_until,
            record_login_failure,
            unlock_with_second_factor,
        )

        username = self.cleaned_data.get("username") or ""
        blocked = address_blocked_until(self.request)
        if blocked is not None:
            if username:
                record_login_failure(username=username, request=self.request, stage="address")
            raise forms.ValidationError(
                _("您所在网络地址的登录失败次数过多，已暂停登录，请于 %(time)s 后再试。"),
                code="address_blocked",
                params={"time": timezone.localtime(blocked).strftime("%H:%M")})
        if username and locked_until(username) is not None:
            code = (self.cleaned_data.get("totp_code") or "").strip()
            password = self.cleaned_data.get("password") or ""
            if not (code and unlock_with_second_factor(username=username, password=password,
                                                       code=code, request=self.request)):
                record_login_failure(username=username, request=self.request,
                                     stage="unlock" if code else "password")
                raise self.get_locked_error(username)
            setattr(self.request, SECOND_FACTOR_PASSED_ATTR, True)
        try:
            return super().clean()
        except forms.ValidationError:
            if username and locked_until(username) is not None:
                raise self.get_locked_error(username) from None
            raise

    def get_locked_error(self, username: str) -> forms.ValidationError:
        from .services import locked_until

        self.fields["totp_code"].widget = forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric"})
        until = locked_until(username) or timezone.now()
        return forms.ValidationError(
            _("连续登录失败次数过多，该账号已被锁定，请于 %(time)s 后再试。"
              "已启用双因素认证的账号本人可填写动态验证码立即解锁。"),
            code="locked",
            params={"time": timezone.localtime(until).strftime("%H:%M")},
        )


class _PersonalFieldsMixin:
    """Real name, mobile and organisation are required; first/last name are not used."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_personal_fields()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        self._clean_organisation(cleaned)
        return cleaned

    def _setup_personal_fields(self) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        fields["real_name"].required = True
        fields["mobile"].required = True
        fields["organisation"].required = False
        fields["organisation"].help_text = _("平台管理员以外的账号必须属于一个单位。")
        for name in ("first_name", "last_name"):
            fields[name].required = False
            fields[name].widget = forms.HiddenInput()
        fields["email"].required = False

    def _clean_organisation(self, cleaned: dict[str, Any]) -> None:
        is_superuser = cleaned.get("is_superuser", getattr(self, "instance", None)
                                   and self.instance.is_superuser)  # type: ignore[attr-defined]
        if not is_superuser and not cleaned.get("organisation"):
            self.add_error("organisation",  # type: ignore[attr-defined]
                           _("账号必须属于一个单位。"))


class UserCreationForm(_PersonalFieldsMixin, WagtailUserCreationForm):
    class Meta(WagtailUserCreationForm.Meta):
        model = get_user_model()
        fields = WagtailUserCreationForm.Meta.fields | set(PERSONAL_FIELDS)


class UserEditForm(_PersonalFieldsMixin, WagtailUserEditForm):
    class Meta(WagtailUserEditForm.Meta):
        model = get_user_model()
        fields = WagtailUserEditForm.Meta.fields | set(PERSONAL_FIELDS)


class TOTPCodeForm(forms.Form):
    code = forms.CharField(label=_("动态验证码"), max_length=10,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                         "inputmode": "numeric",
                                                         "autofocus": ""}))


class DepartureForm(forms.Form):
    successor = forms.ModelChoiceField(label=_("接替人"), queryset=User.objects.none(),
                                       help_text=_("同一单位的在岗人员；将接替栏目负责人和待审任务"))
    reason = forms.CharField(label=_("离岗原因"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, leaver: User, **kwargs: Any) -> None:
        from .selectors import colleagues_of

        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = colleagues_of(leaver)  # type: ignore[attr-defined]
