"""Organisations (单位) and the site registry (网站信息).

A site's identity — name, domains, 标识码, 备案号, contact details — lives here and only here;
templates read it from the registry, never from typed text.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from . import validators
from .choices import (
    ClockKind,
    FilingKind,
    HostingRegion,
    NoticeKind,
    OrganisationKind,
    SiteKind,
    SiteStatus,
)


class Organisation(models.Model):
    """A government body (单位). Content, columns and accounts belong to an organisation."""

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True,
        validators=[validators.validate_credit_code],
    )
    kind = models.CharField(_("单位类型"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级单位不能是本单位。")})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("上级单位关系形成了循环。")})
            ancestor = ancestor.parent

    def government(self) -> Organisation:
        """Return the 人民政府 this body belongs to (itself if it is one)."""
        node: Organisation | None = self
        while node is not None:
            if node.kind == OrganisationKind.GOVERNMENT:
                return node
            node = node.parent
        return self


class SiteProfile(models.Model):
    """The registry record of one government website, attached to a Wagtail Site."""

    site = models.OneToOneField(Site, verbose_name=_("Wagtail 站点"), on_delete=models.PROTECT,
                                related_name="profile")
    name = models.CharField(_("网站名称"), max_length=100)
    kind = models.CharField(_("网站类型"), max_length=20, choices=SiteKind.choices)
    host_organisation = models.ForeignKey(
        Organisation, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="sites"
    )
    operator_name = models.CharField(_("承办单位"), max_length=100, blank=True)
    portal = models.ForeignKey(
        "self", verbose_name=_("所属门户网站"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="subsites",
        help_text=_("部门网站和专题网站的域名必须是所属门户网站的下级域名。"),
    )
    domain = models.CharField(_("英文域名"), max_length=253, unique=True)
    chinese_domain = models.CharField(_("中文域名"), max_length=100, blank=True,
                                      validators=[validators.validate_chinese_domain])
    site_code = models.CharField(_("政府网站标识码"), max_length=10, unique=True,
                                 validators=[validators.validate_site_code])
    icp_number = models.CharField(_("ICP备案号"), max_length=40,
                                  validators=[validators.validate_icp_number])
    police_number = models.CharField(_("公安机关备案号"), max_length=40,
                                     validators=[validators.validate_police_number])
    address = models.CharField(_("联系地址"), max_length=200)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40)
    email = models.EmailField(_("电子邮箱"), blank=True)
    status = models.CharField(_("运行状态"), max_length=20, choices=SiteStatus.choices,
                              default=SiteStatus.PLANNED)
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    hosting_region = models.CharField(_("服务器托管地区"), max_length=10, blank=True,
                                      choices=HostingRegion.choices,
                                      help_text=_("网站服务器所在地区（本市规则变体可限定托管范围）"))

    class Meta:
        verbose_name = _("网站")
        verbose_name_plural = _("网站")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if self.kind in (SiteKind.PORTAL, SiteKind.COUNTY):
            try:
                validators.validate_portal_domain(self.domain)
            except ValidationError as exc:
                errors.setdefault("domain", []).append(exc)
        else:
            if self.portal is None:
                errors.setdefault("portal", []).append(
                    ValidationError(_("部门网站和专题网站必须指定所属门户网站。")))
            else:
                try:
                    validators.validate_department_domain(self.domain, self.portal.domain)
                except ValidationError as exc:
                    errors.setdefault("domain", []).append(exc)
        if self.portal_id and self.portal_id == self.pk:
            errors.setdefault("portal", []).append(ValidationError(_("不能以本网站作为所属门户。")))
        if errors:
            raise ValidationError(errors)

    @property
    def police_record_code(self) -> str:
        return validators.police_record_code(self.police_number)


class AccessibilityEvaluation(models.Model):
    """An 适老化 / 信息无障碍 evaluation of a site (PA-12): its score and, when it passed, until
    when the 信息无障碍标识 it earned is valid. The full score, pass line and validity are rule
    data when the evaluation is recorded; the expiry is kept as recorded."""

    site = models.ForeignKey(SiteProfile, verbose_name=_("网站"), on_delete=models.CASCADE,
                             related_name="accessibility_evaluations")
    evaluated_on = models.DateField(_("评测日期"))
    evaluator = models.CharField(_("评测机构"), max_length=100)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    full_score = models.PositiveSmallIntegerField(_("满分"))
    pass_score = models.PositiveSmallIntegerField(_("通过分数线"))
    passed = models.BooleanField(_("通过"))
    mark_valid_until = models.DateField(_("标识有效期至"), null=True, blank=True)
    report_reference = models.CharField(_("评测报告编号"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("适老化与无障碍评测")
        verbose_name_plural = _("适老化与无障碍评测")
        ordering = ["-evaluated_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.site} {self.evaluated_on} {self.score}"


class SiteFiling(models.Model):
    """One 管理备案 of a site (ID-03) and, when the site closes, its cancellation (ID-24).

    The ICP and 公安 numbers and the 标识码 are also registry fields; a filing record holds the
    date and document of each filing the rules ask for, including those with no field
    (党政机关网站标识, 等保定级备案, 全国政府网站认证, 安全测评)."""

    site = models.ForeignKey(SiteProfile, verbose_name=_("网站"), on_delete=models.CASCADE,
                             related_name="filings")
    kind = models.CharField(_("备案事项"), max_length=30, choices=FilingKind.choices)
    reference = models.CharField(_("备案号或文号"), max_length=100, blank=True)
    filed_on = models.DateField(_("备案日期"))
    cancelled_on = models.DateField(_("注销日期"), null=True, blank=True)
    cancel_reference = models.CharField(_("注销文号"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("管理备案")
        verbose_name_plural = _("管理备案")
        ordering = ["site", "kind"]
        constraints = [models.UniqueConstraint(fields=["site", "kind"],
                                               name="sites_filing_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.site} {self.get_kind_display()}"


class SiteClock(models.Model):
    """A deadline the rules put on one lifecycle step (时限事项): when it started, when it is
    due (fixed when it starts, from the rule values then in force), when it was done.

    `due_on` is empty where the rule set in force sets no period (the step is still recorded).
    For the domain-change notice (ID-22) `due_on` is the first day the old domain may be
    cancelled: completing it earlier is refused."""

    site = models.ForeignKey(SiteProfile, verbose_name=_("网站"), on_delete=models.CASCADE,
                             related_name="clocks")
    kind = models.CharField(_("事项"), max_length=30, choices=ClockKind.choices)
    rule = models.CharField(_("规则编号"), max_length=10)
    subject = models.CharField(_("办理内容"), max_length=300)
    started_on = models.DateField(_("起算日期"))
    due_on = models.DateField(_("期限"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    reference = models.CharField(_("文号"), max_length=100, blank=True)
    completion_reference = models.CharField(_("完成文号"), max_length=100, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("时限事项")
        verbose_name_plural = _("时限事项")
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.site} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    @property
    def completed_late(self) -> bool:
        return (self.kind != ClockKind.DOMAIN_NOTICE and self.due_on is not None
                and self.completed_on is not None and self.completed_on > self.due_on)


class SiteNotice(models.Model):
    """An announcement shown on a site's home page from `starts_on` to `ends_on` (inclusive):
    the 开通公告 of a new site on its portal (ID-05), a domain change on the site's own home
    page (ID-22), a registry change announced to the public (ID-21)."""

    shown_on = models.ForeignKey(SiteProfile, verbose_name=_("发布网站"), on_delete=models.CASCADE,
                                 related_name="notices_shown")
    about = models.ForeignKey(SiteProfile, verbose_name=_("所涉网站"), on_delete=models.CASCADE,
                              related_name="notices_about")
    kind = models.CharField(_("公告类型"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"))
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("网站公告")
        verbose_name_plural = _("网站公告")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title
