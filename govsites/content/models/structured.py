"""Structured items the national guideline asks for in one format: 机构职能 (CC-19) and
负责人信息 (CC-20)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page

from ..fields import SanitisedRichTextField
from .pages import ContentItem


def _blank(value: Any) -> bool:
    return not str(value or "").strip()


class OrganisationFunctionsPage(ContentItem):
    """机构职能: one organisation's duties, internal bodies and contact details (CC-19)."""

    organisation = models.ForeignKey(
        "govsites_sites.Organisation", verbose_name=_("机构"), on_delete=models.PROTECT,
        related_name="+")
    duties = SanitisedRichTextField(_("主要职责"), blank=True)
    internal_bodies = models.TextField(_("内设机构"), blank=True,
                                       help_text=_("每行一个内设机构及其职责"))
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=100, blank=True)
    fax = models.CharField(_("传真"), max_length=100, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)

    is_creatable = True
    template = "content/organisation_functions_page.html"
    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        FieldPanel("duties"),
        FieldPanel("internal_bodies"),
        MultiFieldPanel([
            FieldPanel("address"),
            FieldRowPanel([FieldPanel("office_hours"), FieldPanel("postcode")]),
            FieldRowPanel([FieldPanel("phone"), FieldPanel("fax"), FieldPanel("email")]),
        ], heading=_("联系方式")),
        *ContentItem.body_panels,
        *ContentItem.metadata_panels,
    ]

    class Meta:
        verbose_name = _("机构职能")
        verbose_name_plural = _("机构职能")

    def clean(self) -> None:
        super().clean()
        errors = {name: _("机构职能须写明“%(label)s”。") % {"label": label}
                  for name, label in (("duties", _("主要职责")), ("address", _("办公地址")),
                                      ("office_hours", _("办公时间")), ("phone", _("联系电话")))
                  if _blank(getattr(self, name))}
        if errors:
            raise ValidationError(errors)

    def contact_rows(self) -> list[tuple[str, str]]:
        """The contact block in the one order every 机构职能 page uses."""
        rows = [(_("办公地址"), self.address), (_("办公时间"), self.office_hours),
                (_("联系电话"), self.phone), (_("传真"), self.fax), (_("电子邮箱"), self.email),
                (_("邮政编码"), self.postcode)]
        return [(str(label), value) for label, value in rows if not _blank(value)]

    def internal_body_lines(self) -> list[str]:
        return [line.strip() for line in self.internal_bodies.splitlines() if line.strip()]


class LeaderPage(ContentItem):
    """负责人信息: a leader's name, photo, post, CV and responsibilities (CC-20)."""

    person_name = models.CharField(_("姓名"), max_length=50, blank=True)
    position = models.CharField(_("职务"), max_length=200, blank=True)
    photo = models.ForeignKey("wagtailimages.Image", verbose_name=_("照片"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    curriculum_vitae = SanitisedRichTextField(_("简历"), blank=True)
    responsibilities = models.TextField(_("工作分工"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0,
                                             help_text=_("数字小的排在前面（按领导班子排序）"))

    is_creatable = True
    template = "content/leader_page.html"
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("person_name"), FieldPanel("sort_order")]),
        FieldPanel("position"),
        FieldPanel("photo"),
        FieldPanel("curriculum_vitae"),
        FieldPanel("responsibilities"),
        *ContentItem.metadata_panels,
    ]

    class Meta:
        verbose_name = _("负责人信息")
        verbose_name_plural = _("负责人信息")

    def clean(self) -> None:
        super().clean()
        errors = {name: _("负责人信息须包括“%(label)s”。") % {"label": label}
                  for name, label in (("person_name", _("姓名")), ("position", _("职务")),
                                      ("photo", _("照片")), ("curriculum_vitae", _("简历")),
                                      ("responsibilities", _("工作分工")))
                  if _blank(getattr(self, f"{name}_id" if name == "photo" else name))}
        if errors:
            raise ValidationError(errors)
