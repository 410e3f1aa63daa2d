"""Forms of the disclosure app: the public application (条例第29条) and the staff screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import (
    ANSWER_OUTCOMES,
    REPLY_RESULTS,
    ApplicantType,
    Channel,
    ConsultationOutcome,
    DeliveryForm,
    DeliveryMethod,
    IdType,
    OrganisationSubtype,
    PauseKind,
)
from .identity import Applicant
from .services import RequestContent


class ApplicationForm(forms.Form):
    """The fields of 条例第29条: who asks, what is asked for, and how it is to be provided."""

    applicant_type = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantType.choices,
                                       widget=forms.RadioSelect)
    organisation_subtype = forms.ChoiceField(
        label=_("法人或其他组织类型"), required=False,
        choices=[("", _("（自然人不选）")), *OrganisationSubtype.choices])
    name = forms.CharField(label=_("姓名或名称"), max_length=100)
    id_type = forms.ChoiceField(label=_("身份证明类型"), choices=IdType.choices)
    id_number = forms.CharField(label=_("身份证明号码"), max_length=40)
    contact_person = forms.CharField(label=_("联系人（法人或其他组织填写）"), max_length=50,
                                     required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    email = forms.CharField(label=_("电子邮箱"), max_length=100, required=False)
    address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    postcode = forms.CharField(label=_("邮政编码"), max_length=6, required=False)
    description = forms.CharField(
        label=_("所需政府信息的名称或描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写明所需政府信息的名称、文号或者便于查询的其他特征性描述。"),
        error_messages={"required": _("请填写所需政府信息的名称或描述。")})
    document_number = forms.CharField(label=_("文号（如知道）"), max_length=100, required=False)
    delivery_form = forms.ChoiceField(label=_("获取信息的载体形式"), choices=DeliveryForm.choices,
                                      widget=forms.RadioSelect)
    delivery_method = forms.ChoiceField(label=_("获取信息的方式"), choices=DeliveryMethod.choices,
                                        widget=forms.RadioSelect)
    confirm = forms.BooleanField(label=_("本人承诺所填信息真实有效"))

    def applicant(self) -> Applicant:
        d = self.cleaned_data
        return Applicant(name=d["name"], id_type=d["id_type"], id_number=d["id_number"],
                         phone=d["phone"], email=d["email"], address=d["address"],
                         postcode=d["postcode"], contact_person=d["contact_person"])

    def content(self) -> RequestContent:
        d = self.cleaned_data
        return RequestContent(description=d["description"], document_number=d["document_number"],
                              delivery_form=d["delivery_form"],
                              delivery_method=d["delivery_method"])


class RegistrationForm(ApplicationForm):
    """Staff register a written or oral request, with its channel and date of receipt."""

    channel = forms.ChoiceField(label=_("申请方式"),
                                choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_on = forms.DateField(
        label=_("收到申请日期"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("当面或口头提交：提交之日；挂号信或邮政特快专递：签收之日；平常信函：与申请人确认之日；传真：双方确认之日（条例第31条）。"))
    confirm = forms.BooleanField(label=_("已核对申请人的身份证明"))

    field_order = ["channel", "received_on"]


class StatusForm(forms.Form):
    reference = forms.CharField(label=_("申请编号"), max_length=30)
    query_code = forms.CharField(label=_("查询码"), max_length=12)


class StepForm(forms.Form):
    """One casework step: the business date and a note."""

    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConsultForm(StepForm):
    kind = forms.ChoiceField(label=_("征求意见类型"), choices=[
        (PauseKind.THIRD_PARTY.value, PauseKind.THIRD_PARTY.label),
        (PauseKind.OTHER_AGENCY.value, PauseKind.OTHER_AGENCY.label)])
    party = forms.CharField(label=_("征求意见对象"), max_length=200)


class ConsultedForm(StepForm):
    outcome = forms.ChoiceField(label=_("征求意见结果"), required=False,
                                initial=ConsultationOutcome.ANSWERED.value, choices=[
                                    (o.value, o.label) for o in ConsultationOutcome
                                    if o in ANSWER_OUTCOMES])


class ExtendForm(StepForm):
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=99)


class ReplyForm(StepForm):
    result = forms.ChoiceField(label=_("答复类型"), choices=[(r.value, r.label) for r in REPLY_RESULTS])
    document = forms.FileField(label=_("提供的政府信息（网上下载时上传）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("答复内容（告知理由或获取方式）")
        self.fields["note"].required = True


class ReportForm(forms.Form):
    overview = forms.CharField(label=_("一、总体情况"), widget=forms.Textarea(attrs={"rows": 8}))
    problems = forms.CharField(label=_("五、存在的主要问题及改进情况"), required=False,
                               widget=forms.Textarea(attrs={"rows": 5}))
    other_matters = forms.CharField(label=_("六、其他需要报告的事项"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 4}))
