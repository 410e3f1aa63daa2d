"""Screening of one revision: its title, every text field, the rich-text body and attachments.

Uses the screening library's public API (`default_screener()`, `scan_text`, `scan_html`,
`scan_file`); this module only decides what to read and how to name the places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from wagtail.fields import RichTextField
from wagtail.models import Page

from govsites.content.item_checks import item_findings
from govsites.screening.rules import ATTACHMENT_UNREADABLE
from govsites.screening.types import Category, Finding, Severity

#: Page fields the public sees; the rest of wagtailcore's fields are technical.
PUBLIC_PAGE_FIELDS = ("title", "seo_title", "search_description")
#: Item fields that are identifiers the platform allocates, not text anyone wrote.
SKIPPED_FIELDS = frozenset({"index_no", "slug", "url_path", "draft_title"})

_ATTACHMENT = re.compile(r"^attachment:(?P<name>[^#]*)(?:#(?P<part>.*))?$")


@dataclass(frozen=True)
class TextField:
    """One text of an item to screen."""

    name: str
    text: str
    is_html: bool


def text_fields(item: Any) -> list[TextField]:
    """Return every text field of an item that is published (title first)."""
    texts: list[TextField] = []
    for name in PUBLIC_PAGE_FIELDS:
        value = getattr(item, name, "")
        if value:
            texts.append(TextField(name=name, text=str(value), is_html=False))
    for field in type(item)._meta.concrete_fields:
        if field.model is Page or issubclass(Page, field.model):
            continue
        if field.name in SKIPPED_FIELDS or field.name in PUBLIC_PAGE_FIELDS or field.choices:
            continue
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(item, field.attname, "")
        if value:
            texts.append(TextField(name=field.name, text=str(value),
                                   is_html=isinstance(field, RichTextField)))
    return texts


def attachment_name(attachment: Any) -> str:
    """Return the name an attachment is shown and located by."""
    document = attachment.document
    return str(getattr(attachment, "title", "") or document.title or document.filename)


def _read_document(document: Any) -> bytes:
    with document.open_file() as handle:
        return bytes(handle.read())


def scan_item(item: Any, *, screener: Any = None) -> tuple[list[Finding], int]:
    """Screen an item (as a revision gives it) and return its findings and attachments read."""
    if screener is None:
        from govsites.screening import default_screener

        screener = default_screener()
    findings: list[Finding] = []
    for text in text_fields(item):
        if text.is_html:
            findings += screener.scan_html(text.text, location=text.name)
        else:
            findings += screener.scan_text(text.text, location=text.name)
    attachments = list(item.attachments.all()) if hasattr(item, "attachments") else []
    for attachment in attachments:
        document = attachment.document
        prefix = f"attachment:{attachment_name(attachment)}"
        try:
            data = _read_document(document)
        except OSError as error:  # a file missing from storage cannot be vouched for
            findings.append(Finding(rule_id=ATTACHMENT_UNREADABLE, category=Category.UNSCREENED,
                                    severity=Severity.SERIOUS, location=prefix,
                                    evidence=document.filename,
                                    context=_("文件无法读取：%(error)s") % {"error": error}))
            continue
        findings += screener.scan_file(data, document.filename, location_prefix=prefix)
    # Rules that need the item's metadata or its site's rule data (repost sources, CC-07).
    findings += item_findings(item, screener)
    # Item types with content beyond text fields and attachments (open data's table cells)
    # screen it themselves and name each place (e.g. 数据表“人口”第5行“身份证号”列).
    extra = getattr(item, "screening_findings", None)
    if callable(extra):
        findings += extra(screener)
    return findings, len(attachments)


def location_label(location: str, model: type[models.Model] | None = None) -> str:
    """Return a place as people say it: 标题, 正文, 附件“通知.pdf”第2页."""
    match = _ATTACHMENT.match(location)
    if match:
        name, part = match.group("name"), match.group("part") or ""
        if part.startswith("page="):
            return _("附件“%(name)s”第%(page)s页") % {"name": name, "page": part[5:]}
        if part.startswith("sheet="):
            return _("附件“%(name)s”工作表“%(sheet)s”") % {"name": name, "sheet": part[6:]}
        return _("附件“%(name)s”") % {"name": name}
    field_name, _sep, part = location.partition("#")
    label = field_name
    if model is not None:
        try:
            label = str(getattr(model._meta.get_field(field_name), "verbose_name", field_name))
        except FieldDoesNotExist:
            label = field_name
    if part:
        return f"{label}（{part}）"
    return label
