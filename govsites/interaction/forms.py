"""The public's forms: a message to a mailbox, following a message, rating, 找错."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import EnquiryKind, ErrorType, Satisfaction
from .error_reports import MAX_DESCRIPTION, MAX_URL
from .services import MAX_CONTENT, MAX_NAME, MAX_SUBJECT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; type, size and count are checked by the service."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data]
        return [clean_one(data, initial)] if data else []


class EnquiryForm(forms.Form):
    kind = forms.ChoiceField(label=_("留言类型"), choices=EnquiryKind.choices,
                             widget=forms.RadioSelect)
    subject = forms.CharField(label=_("标题"), max_length=MAX_SUBJECT)
    content = forms.CharField(label=_("留言内容"), max_length=MAX_CONTENT,
                              widget=forms.Textarea(attrs={"rows": 8}))
    name = forms.CharField(label=_("姓名"), max_length=MAX_NAME)
    mobile = forms.CharField(label=_("手机号码"), max_length=11,
                             widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                           "autocomplete": "tel"}))
    email = forms.EmailField(label=_("电子邮箱（选填）"), required=False)
    attachments = MultipleFileField(
        label=_("附件（选填，PDF、PNG 或 JPG，最多3个，每个不超过5 MB）"), required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
    publish_allowed = forms.BooleanField(label=_("同意公开留言及答复（不公开姓名和联系方式）"),
                                         required=False, initial=True)
    captcha = forms.CharField(label=_("验证问题"), max_length=4)


class FollowForm(forms.Form):
    query_code = forms.CharField(label=_("查询码"), max_length=20)
    password = forms.CharField(label=_("查询密码"), max_length=20,
                               widget=forms.PasswordInput(render_value=False))


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("您对答复是否满意"), choices=Satisfaction.choices,
                                     widget=forms.RadioSelect)
    reopen = forms.BooleanField(label=_("不满意，申请重新办理（仅一次）"), required=False)
    note = forms.CharField(label=_("说明（选填）"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ErrorReportForm(forms.Form):
    page_url = forms.CharField(label=_("问题页面地址"), max_length=MAX_URL)
    error_type = forms.ChoiceField(label=_("问题类型"), choices=ErrorType.choices)
    description = forms.CharField(label=_("问题描述"), max_length=MAX_DESCRIPTION,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    contact = forms.CharField(label=_("联系方式（选填，用于答复）"), max_length=100,
                              required=False)
    captcha = forms.CharField(label=_("验证问题"), max_length=4)


class CommentForm(forms.Form):
    content = forms.CharField(label=_("您的意见"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 6}))
    name = forms.CharField(label=_("姓名（选填，不公开）"), max_length=30, required=False)
    captcha = forms.CharField(label=_("验证问题"), max_length=4)


class InterviewQuestionForm(forms.Form):
    content = forms.CharField(label=_("您的问题"), max_length=500,
                              widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label=_("称呼（选填，不公开）"), max_length=30, required=False)
    captcha = forms.CharField(label=_("验证问题"), max_length=4)
