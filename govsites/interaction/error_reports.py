"""Writes of 我为政府网站找错: reports from the site's own form and from the national platform.

Clocks are rule data (`deadlines.error_report_dues`): forwarded to the owning site within
`error_report.forward_working_days` and answered within `error_report.reply_working_days`.
An import of the national platform's export (CSV or JSON) is checked whole first: one bad row
rejects the file with every bad line listed, and nothing is saved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from govsites.core import audit, crypto

from . import audit as actions
from . import deadlines
from .choices import ErrorReportSource, ErrorReportStatus, ErrorType
from .exceptions import TransitionRefused
from .models import ErrorReport
from .privacy import redact

MAX_DESCRIPTION = 2000
MAX_URL = 500
IMPORT_FIELDS = ("id", "page_url", "error_type", "description", "received_at")


class ImportRejected(ValidationError):
    """An import file was refused whole; `lines` lists every problem with its line number."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__(_("导入文件有错误，未导入任何留言：") + "；".join(lines))


def _code(now: dt.datetime) -> str:
    return "ZC" + timezone.localtime(now).strftime("%Y%m%d") + "".join(
        secrets.choice("0123456789") for _i in range(6))


def _record(action: str, report: ErrorReport, actor: Any, **details: Any) -> None:
    audit.record(action=action, actor=actor, obj=report,
                 organisation=report.site.host_organisation_id,
                 details={"query_code": report.query_code, "status": report.status, **details})


def _validate(*, page_url: str, error_type: str, description: str) -> None:
    errors = {}
    if not page_url or len(page_url) > MAX_URL:
        errors["page_url"] = _("请填写有问题的页面地址（不超过%(n)s个字符）。") % {"n": MAX_URL}
    if error_type not in ErrorType.values:
        errors["error_type"] = _("请选择问题类型。")
    if not description or len(description) > MAX_DESCRIPTION:
        errors["description"] = _("问题描述不能为空，且不超过%(n)s字。") % {"n": MAX_DESCRIPTION}
    if errors:
        raise ValidationError(errors)


def _build(*, site: Any, page_url: str, error_type: str, description: str, contact: str,
           received_at: dt.datetime, source: str, external_id: str = "") -> ErrorReport:
    forward_due, reply_due = deadlines.error_report_dues(
        site, timezone.localtime(received_at).date())
    return ErrorReport(site=site, source=source, external_id=external_id,
                       page_url=page_url, error_type=error_type,
                       description=redact(description), sealed_contact=crypto.seal(contact),
                       query_code=_code(received_at), received_at=received_at,
                       forward_due=forward_due, reply_due=reply_due)


def submit_error_report(*, site: Any, page_url: str, error_type: str, description: str,
                        contact: str = "", now: dt.datetime | None = None,
                        citizen: Any = None) -> ErrorReport:
    """Receive a 找错 report from the site's form and start its clocks (listed on the logged-in
    `citizen`'s 我的办件 page, PA-15)."""
    page_url, description, contact = page_url.strip(), description.strip(), contact.strip()[:100]
    _validate(page_url=page_url, error_type=error_type, description=description)
    now = now or timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                report = _build(site=site, page_url=page_url, error_type=error_type,
                                description=description, contact=contact, received_at=now,
                                source=ErrorReportSource.SITE)
                report.citizen = citizen
                report.save()
                _record(actions.ERROR_REPORT_SUBMIT, report, None, error_type=error_type)
        except IntegrityError:
            continue
        return report
    raise RuntimeError("no free query code after 5 attempts")


def _can_act(user: Any, report: ErrorReport) -> None:
    from govsites.accounts.policies import organisation_scope

    scope = organisation_scope(user)
    if not (scope.everywhere or report.site.host_organisation_id in scope.organisation_ids):
        raise ValidationError(_("只有网站主办单位的工作人员可以办理这条找错留言。"))


@transaction.atomic
def forward_error_report(*, report: ErrorReport, acting_user: Any) -> ErrorReport:
    """转交 the report to the site's owner (the 1-working-day step)."""
    report = ErrorReport.objects.select_for_update().select_related("site").get(pk=report.pk)
    _can_act(acting_user, report)
    if report.status != ErrorReportStatus.RECEIVED:
        raise TransitionRefused(_("只有待转交的找错留言可以转交。"))
    report.status = ErrorReportStatus.FORWARDED
    report.forwarded_at = timezone.now()
    report.save(update_fields=["status", "forwarded_at"])
    _record(actions.ERROR_REPORT_FORWARD, report, acting_user)
    return report


@transaction.atomic
def reply_to_error_report(*, report: ErrorReport, acting_user: Any, reply: str) -> ErrorReport:
    """Answer the report (forwarding it first if nobody had)."""
    report = ErrorReport.objects.select_for_update().select_related("site").get(pk=report.pk)
    _can_act(acting_user, report)
    if report.status == ErrorReportStatus.REPLIED:
        raise TransitionRefused(_("这条找错留言已经答复。"))
    if not reply.strip():
        raise ValidationError({"reply": _("答复内容不能为空。")})
    now = timezone.now()
    report.forwarded_at = report.forwarded_at or now
    report.status = ErrorReportStatus.REPLIED
    report.replied_at = now
    report.reply = redact(reply.strip())
    report.save(update_fields=["status", "forwarded_at", "replied_at", "reply"])
    _record(actions.ERROR_REPORT_REPLY, report, acting_user, on_time=report.on_time)
    return report


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int  # already imported (same national id)


def read_import_rows(data: bytes, filename: str, fields: tuple[str, ...] = IMPORT_FIELDS,
                     ) -> list[tuple[int, dict[str, Any]]]:
    """The rows of an import file (CSV with a header naming `fields`, or a JSON array)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([_("文件不是 UTF-8 编码")]) from exc
    if filename.lower().endswith(".json"):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportRejected([_("第%(line)s行：JSON 格式错误") % {"line": exc.lineno}]) from exc
        if not isinstance(items, list):
            raise ImportRejected([_("第1行：JSON 文件应为留言的数组")])
        return [(n, item if isinstance(item, dict) else {}) for n, item in enumerate(items, 1)]
    reader = csv.DictReader(io.StringIO(text))
    missing = [f for f in fields if f not in (reader.fieldnames or [])]
    if missing:
        raise ImportRejected([_("第1行：缺少列 %(cols)s") % {"cols": "、".join(missing)}])
    return [(reader.line_num, dict(row)) for row in reader]


def import_error_reports(*, site: Any, data: bytes, filename: str,
                         acting_user: Any) -> ImportResult:
    """Import tickets exported from the national platform; a malformed file is rejected whole.

    CSV (header `id,page_url,error_type,description,received_at`) or JSON (an array of objects
    with those keys); JSON rows are numbered by their position in the array. A row whose
    national id was imported before is skipped, so a re-import is harmless.
    """
    problems: list[str] = []
    parsed: list[tuple[str, str, str, str, dt.datetime]] = []
    for line, row in read_import_rows(data, filename):
        external = str(row.get("id") or "").strip()
        page_url = str(row.get("page_url") or "").strip()
        error_type = str(row.get("error_type") or "").strip()
        description = str(row.get("description") or "").strip()
        received = parse_datetime(str(row.get("received_at") or "").strip())
        if not external:
            problems.append(_("第%(line)s行：缺少编号 id") % {"line": line})
        if received is None:
            problems.append(_("第%(line)s行：留言时间不是有效的日期时间") % {"line": line})
        try:
            _validate(page_url=page_url, error_type=error_type, description=description)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                problems.extend(f"第{line}行：{m}" for m in messages)
        if received is not None and timezone.is_naive(received):
            received = timezone.make_aware(received)
        if received is not None:
            parsed.append((external, page_url, error_type, description, received))
    if problems:
        raise ImportRejected(problems)
    return _save_imported(site=site, rows=parsed, acting_user=acting_user, filename=filename)


@transaction.atomic
def _save_imported(*, site: Any, rows: Iterable[tuple[str, str, str, str, dt.datetime]],
                   acting_user: Any, filename: str) -> ImportResult:
    known = set(ErrorReport.objects.filter(source=ErrorReportSource.NATIONAL)
                .values_list("external_id", flat=True))
    created = skipped = 0
    for external, page_url, error_type, description, received in rows:
        if external in known:
            skipped += 1
            continue
        known.add(external)
        _build(site=site, page_url=page_url, error_type=error_type, description=description,
               contact="", received_at=received, source=ErrorReportSource.NATIONAL,
               external_id=external).save()
        created += 1
    audit.record(action=actions.ERROR_REPORT_IMPORT, actor=acting_user, obj=None,
                 organisation=site.host_organisation_id,
                 details={"site": site.pk, "file": filename[:100], "created": created,
                          "skipped": skipped})
    return ImportResult(created=created, skipped=skipped)
