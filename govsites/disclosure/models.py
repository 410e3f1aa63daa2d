"""Disclosure bodies (公开主体), requests (依申请公开), their history and annual reports.

A request's identity data lives only in `identity_ciphertext` (SM4, crypto.py); nothing else
on the model, its history or its audit records carries it. Its clock is derived data: the
date the clock starts, the pauses and the extension; `deadline` is stored only so lists can
sort and filter on it, and is recomputed by services.refresh_deadline on every change.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from govsites.content.models.pages import SitePageMixin

from . import crypto
from .choices import (
    ApplicantType,
    Channel,
    ConsultationOutcome,
    DeliveryForm,
    DeliveryMethod,
    OrganisationSubtype,
    PauseKind,
    ReportState,
    RequestState,
    Result,
)


class DisclosureBody(models.Model):
    """A 公开主体: an organisation that answers requests, with its 信息公开工作机构 (条例第12、27条)."""

    organisation = models.OneToOneField("govsites_sites.Organisation", verbose_name=_("单位"),
                                        on_delete=models.PROTECT, related_name="disclosure_body")
    office_name = models.CharField(_("信息公开工作机构"), max_length=100)
    address = models.CharField(_("办公地址"), max_length=200)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=40)
    fax = models.CharField(_("传真"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    guide_text = models.TextField(
        _("公开指南补充内容"), blank=True,
        help_text=_("公开指南由公开主体信息自动生成；此处内容附于指南之后（如本机关的特别说明）。"))
    seal_text = models.CharField(_("告知书落款"), max_length=100, blank=True,
                                 help_text=_("留空则使用单位名称；告知书在落款处留出印章位置。"))
    accepts_online = models.BooleanField(_("接受网上申请"), default=True)

    class Meta:
        verbose_name = _("公开主体")
        verbose_name_plural = _("公开主体")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    def signature(self) -> str:
        return self.seal_text or self.organisation.name

    def is_government(self) -> bool:
        """A 人民政府's own report is due later than its departments' (条例第49条)."""
        return str(self.organisation.kind) == "government"


class DisclosureRequest(models.Model):
    """One 政府信息公开申请 with its state, clock and final 办理结果."""

    body = models.ForeignKey(DisclosureBody, verbose_name=_("公开主体"), on_delete=models.PROTECT,
                             related_name="requests")
    reference = models.CharField(_("申请编号"), max_length=30, unique=True)
    query_code = models.CharField(_("查询码"), max_length=12, db_index=True)
    channel = models.CharField(_("申请方式"), max_length=20, choices=Channel.choices)
    applicant_type = models.CharField(_("申请人类型"), max_length=20,
                                      choices=ApplicantType.choices)
    organisation_subtype = models.CharField(_("法人或其他组织类型"), max_length=20, blank=True,
                                            choices=OrganisationSubtype.choices)
    identity_ciphertext = models.TextField(_("申请人信息（SM4加密）"), editable=False)
    applicant_key = models.CharField(_("申请人标识（摘要）"), max_length=64, db_index=True,
                                     editable=False)
    description = models.TextField(_("所需政府信息的名称或描述"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    subject_key = models.CharField(_("所需信息归并键"), max_length=120, db_index=True,
                                   editable=False)
    delivery_form = models.CharField(_("获取信息的载体形式"), max_length=20,
                                     choices=DeliveryForm.choices)
    delivery_method = models.CharField(_("获取信息的方式"), max_length=20,
                                       choices=DeliveryMethod.choices)
    state = models.CharField(_("状态"), max_length=20, choices=RequestState.choices,
                             default=RequestState.PENDING, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    received_on = models.DateField(_("收到申请日期"), null=True, blank=True)
    clock_start = models.DateField(_("答复期限起算日"), null=True, blank=True)
    deadline = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    correction_notice_due = models.DateField(_("补正告知期限"), null=True, blank=True)
    correction_due = models.DateField(_("补正期限"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日数"), default=0)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("延期批准人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    month_ordinal = models.PositiveIntegerField(_("本月第几件申请"), default=0)
    fee_yuan = models.PositiveIntegerField(_("信息处理费（元）"), default=0)
    fee_due_on = models.DateField(_("缴费期限"), null=True, blank=True)
    fee_paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    result = models.CharField(_("办理结果"), max_length=40, blank=True, choices=Result.choices)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    notice_text = models.TextField(_("告知书正文"), blank=True)
    delivered_document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("提供的政府信息"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    download_token = models.CharField(_("下载凭证"), max_length=64, blank=True, db_index=True)
    download_expires_at = models.DateTimeField(_("下载有效期至"), null=True, blank=True)
    proactive_suggested = models.BooleanField(_("已提示转主动公开"), default=False)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="replied") | ~models.Q(result=""),
                name="disclosure_request_replied_has_result"),
            models.CheckConstraint(
                condition=models.Q(applicant_type="legal_person")
                | models.Q(organisation_subtype=""),
                name="disclosure_request_subtype_only_for_organisations"),
        ]

    def __str__(self) -> str:
        return self.reference  # never the applicant's name: it ends up in logs and audit

    def identity(self) -> dict[str, Any]:
        """Return the decrypted identity data (staff screens and the 告知书 only)."""
        return crypto.decrypt(self.identity_ciphertext)

    def is_open(self) -> bool:
        return self.state != RequestState.REPLIED

    def report_column(self) -> str:
        """The annual report's table-三 column this applicant counts in."""
        if self.applicant_type == ApplicantType.NATURAL_PERSON:
            return ApplicantType.NATURAL_PERSON.value
        return self.organisation_subtype or OrganisationSubtype.OTHER.value


class RequestPause(models.Model):
    """A period not counted towards the reply period: consultation or an unpaid fee.

    Days after `started_on` up to and including `ended_on` do not count (the day of an event
    itself is not counted, so the day the letter goes out still does).
    """

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE,
                                related_name="pauses")
    kind = models.CharField(_("类型"), max_length=20, choices=PauseKind.choices)
    started_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    party = models.CharField(_("征求意见对象"), max_length=200, blank=True)
    outcome = models.CharField(_("征求意见结果"), max_length=20, blank=True,
                               choices=ConsultationOutcome.choices)

    class Meta:
        verbose_name = _("计时暂停")
        verbose_name_plural = _("计时暂停")
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"


class RequestEvent(models.Model):
    """One step of a request's history (append-only; 条例第45条 登记、审核、处理、答复、归档)."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE,
                                related_name="events")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    on = models.DateField(_("业务日期"))
    action = models.CharField(_("环节"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.reference} {self.action}"

    def action_label(self) -> str:
        from .choices import STEP_LABELS

        return str(STEP_LABELS.get(self.action, self.action))

    def state_label(self) -> str:
        return str(RequestState(self.to_state).label) if self.to_state in RequestState.values \
            else self.to_state


class NoticeTemplate(models.Model):
    """An editable 告知书 template for a group of results (one body's, or everyone's)."""

    body = models.ForeignKey(DisclosureBody, verbose_name=_("公开主体"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="notice_templates",
                             help_text=_("留空则为全部公开主体的默认模板"))
    result_group = models.CharField(_("答复类别"), max_length=30)
    title = models.CharField(_("告知书标题"), max_length=100)
    text = models.TextField(
        _("正文模板"),
        help_text=_("可用占位符：{申请人}、{申请日期}、{收到日期}、{所需信息}、{答复内容}、{单位}、{日期}"))

    class Meta:
        verbose_name = _("告知书模板")
        verbose_name_plural = _("告知书模板")
        constraints = [models.UniqueConstraint(fields=["body", "result_group"],
                                               name="disclosure_notice_template_once")]

    def __str__(self) -> str:
        return self.title


class AnnualReport(models.Model):
    """A body's 政府信息公开工作年度报告 (国办公开办函〔2021〕30号 format)."""

    body = models.ForeignKey(DisclosureBody, verbose_name=_("公开主体"), on_delete=models.PROTECT,
                             related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(_("状态"), max_length=20, choices=ReportState.choices,
                             default=ReportState.DRAFT)
    overview = models.TextField(_("一、总体情况"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    manual_figures = models.JSONField(_("填报数据"), default=dict, blank=True,
                                      help_text=_("表二中来自其他系统的数据和表四（行政复议、行政诉讼）"))
    due_on = models.DateField(_("公布期限"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["-year", "body__organisation__name"]
        constraints = [models.UniqueConstraint(fields=["body", "year"],
                                               name="disclosure_annual_report_once")]

    def __str__(self) -> str:
        return f"{self.body}{self.year}年政府信息公开工作年度报告"


class DisclosureCataloguePage(SitePageMixin, Page):
    """A body's 政府信息公开目录 as a page of its site, published as static files like every
    other page (条例第12条: 索引、名称、内容概述、生成日期 of each item).

    It lists the body's live items grouped by 主题分类 with their 公开属性; library.py decides
    which items, handlers.py has it rewritten when one of them is published or withdrawn.
    """

    disclosure_body = models.ForeignKey(DisclosureBody, verbose_name=_("公开主体"),
                                        on_delete=models.PROTECT,
                                        related_name="catalogue_pages")
    intro = models.TextField(_("说明"), blank=True)

    parent_page_types = ["content.SiteHomePage", "content.ColumnPage"]
    subpage_types: list[str] = []
    template = "disclosure/catalogue_page.html"

    content_panels = [*Page.content_panels, FieldPanel("disclosure_body"), FieldPanel("intro")]

    @classmethod
    def can_exist_under(cls, parent: Any) -> bool:
        """Under a site home, or under a column whose 栏目类别 is 信息公开目录: not under every
        column (a 工作动态 column offers only articles: content/data/column_children.json)."""
        if not super().can_exist_under(parent):
            return False
        from govsites.content.choices import ColumnType
        from govsites.content.models import ColumnPage

        if not issubclass(parent.specific_class, ColumnPage):
            return True
        column = parent if isinstance(parent, ColumnPage) else parent.specific
        return bool(column.column_type == ColumnType.DISCLOSURE_CATALOGUE)

    class Meta:
        verbose_name = _("政府信息公开目录")
        verbose_name_plural = _("政府信息公开目录")

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from . import library

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["body"] = self.disclosure_body
        context["sections"] = library.catalogue_sections(self.disclosure_body)
        return context
