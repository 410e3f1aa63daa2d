"""Annual reports: compile, revise with a reason, review, render (HTML, PDF) and publish.

A report is drafted from the platform's data (`annual.website_figures`, `supervision`), by the
worker on 1 January for the year just ended or from the admin at any time. Compiling again
refreshes the platform's values but keeps what people entered or revised. Publishing makes
the report an item of the site's 年度报表 column (a first-level column, so the home page links
it), with the PDF attached.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from govsites.core import audit
from govsites.rules.resolve import value as rule_value

from . import annual
from . import audit as actions
from .annual import Figure
from .models import AnnualReport, FigureOrigin, ReportFigure, ReportKind, ReportStatus

REPORT_COLUMN_TITLE = "年度报表"
CATALOGUE_COLUMN_TITLE = "信息公开目录"
DEADLINE_RULES = {ReportKind.WEBSITE: "reports.website_annual.deadline",
                  ReportKind.SUPERVISION: "reports.supervision_annual.deadline"}


class ReportRefused(ValidationError):
    """A report change that its state does not allow, with the reason in one sentence."""


def deadline_for(kind: str, site: Any, year: int) -> dt.date:
    """The publication deadline of a year's report (rule data, 'MM-DD' of the next year)."""
    text = str(rule_value(DEADLINE_RULES[ReportKind(kind)], site=site) or "01-31")
    month, day = (int(part) for part in text.split("-"))
    return dt.date(year + 1, month, day)


def figures_for(kind: str, site: Any, year: int) -> list[Figure]:
    if kind == ReportKind.WEBSITE:
        return annual.website_figures(site, year)
    from .supervision import supervision_figures

    return supervision_figures(site, year)


def compile_report(*, kind: str = ReportKind.WEBSITE, site: Any, year: int,
                   acting_user: Any = None) -> AnnualReport:
    """Draft (or refresh) a year's report from the platform's data; revised values are kept."""
    if year > timezone.localdate().year:
        raise ReportRefused("不能生成尚未开始的年度的报表。")
    with transaction.atomic():
        report, created = AnnualReport.objects.select_for_update().get_or_create(
            kind=kind, site=site, year=year,
            defaults={"compiled_at": timezone.now(), "deadline": deadline_for(kind, site, year)})
        if report.status == ReportStatus.PUBLISHED:
            raise ReportRefused("报表已发布，不能重新生成。")
        existing = {f.key: f for f in report.figures.all()}
        for position, fig in enumerate(figures_for(kind, site, year), start=1):
            row = existing.pop(fig.key, None) or ReportFigure(report=report, key=fig.key)
            keep = row.pk is not None and row.origin == FigureOrigin.REVISED
            entered = row.pk is not None and fig.origin == FigureOrigin.MANUAL and row.value
            row.position, row.section, row.label, row.unit = position, fig.section, fig.label, fig.unit
            row.platform_value, row.source = fig.value, fig.source
            if not keep and not entered:
                row.value, row.origin = fig.value, fig.origin
            row.save()
        ReportFigure.objects.filter(pk__in=[f.pk for f in existing.values()]).delete()
        report.compiled_at = timezone.now()
        report.status = ReportStatus.DRAFT
        report.save()
        audit.record(action=actions.REPORT_COMPILE, actor=acting_user, obj=report,
                     organisation=site.host_organisation,
                     details={"year": year, "kind": kind, "created": created})
    return report


def revise_figures(*, report: AnnualReport, changes: dict[str, tuple[str, str]],
                   acting_user: Any) -> AnnualReport:
    """Enter or change figures: {key: (value, reason)}. A platform figure needs a reason."""
    if report.status == ReportStatus.PUBLISHED:
        raise ReportRefused("报表已发布，不能修改。")
    figures = {f.key: f for f in report.figures.all()}
    errors: dict[str, str] = {}
    for key, (new_value, reason) in changes.items():
        fig = figures.get(key)
        if fig is None:
            errors[key] = "报表中没有这个字段。"
        elif len(new_value) > 500 or len(reason) > 500:
            errors[key] = "数值和理由各不能超过500字。"
        elif fig.origin in (FigureOrigin.PLATFORM, FigureOrigin.REVISED) \
                and new_value != fig.platform_value and not reason.strip():
            errors[key] = f"“{fig.label}”取自平台数据，修改须说明理由。"
    if errors:
        raise ReportRefused(errors)
    before: dict[str, str] = {}
    with transaction.atomic():
        for key, (new_value, reason) in changes.items():
            fig = figures[key]
            if new_value == fig.value and reason == fig.reason:
                continue
            before[key] = fig.value
            fig.value, fig.reason = new_value, reason.strip()
            if fig.origin in (FigureOrigin.PLATFORM, FigureOrigin.REVISED):
                fig.origin = (FigureOrigin.PLATFORM if new_value == fig.platform_value
                              else FigureOrigin.REVISED)
            fig.save(update_fields=["value", "reason", "origin"])
        report.status = ReportStatus.DRAFT
        report.save(update_fields=["status"])
        audit.record(action=actions.REPORT_REVISE, actor=acting_user, obj=report,
                     organisation=report.site.host_organisation,
                     details={"before": before,
                              "after": {k: changes[k][0] for k in before},
                              "reasons": {k: changes[k][1] for k in before}})
    return report


def review_report(*, report: AnnualReport, acting_user: Any) -> AnnualReport:
    """Mark a draft as reviewed (审核) by the acting user; refused while a field is empty."""
    if report.status != ReportStatus.DRAFT:
        raise ReportRefused("只有草稿可以审核。")
    empty = [f.label for f in report.figures.all()
             if not f.value.strip() and f.origin != FigureOrigin.UNAVAILABLE]
    if empty:
        raise ReportRefused("还有字段未填写：" + "、".join(empty[:10]) + ("等" if len(empty) > 10 else ""))
    with transaction.atomic():
        report.status = ReportStatus.REVIEWED
        report.reviewed_at = timezone.now()
        report.reviewed_by = acting_user
        report.save(update_fields=["status", "reviewed_at", "reviewed_by"])
        audit.record(action=actions.REPORT_REVIEW, actor=acting_user, obj=report,
                     organisation=report.site.host_organisation, details={"year": report.year})
    return report


def report_context(report: AnnualReport) -> dict[str, Any]:
    """Template context: the figures grouped by section in the national order."""
    sections: list[tuple[str, list[ReportFigure]]] = []
    for fig in report.figures.all():
        if not sections or sections[-1][0] != fig.section:
            sections.append((fig.section, []))
        sections[-1][1].append(fig)
    return {"report": report, "sections": sections}


def render_html(report: AnnualReport, *, standalone: bool = True) -> str:
    """The report as HTML in the national layout (a whole document, or the table only)."""
    return render_to_string("operations/report_document.html" if standalone
                            else "operations/_report_table.html", report_context(report))


def render_pdf(report: AnnualReport) -> bytes:
    """The report as PDF (WeasyPrint; CJK text needs fonts-noto-cjk)."""
    from weasyprint import HTML

    return bytes(HTML(string=render_html(report)).write_pdf())


def _report_column(home: Any, acting_user: Any) -> Any:
    from govsites.content.models import ColumnPage
    from govsites.content.services import create_column

    column = ColumnPage.objects.child_of(home).filter(title=REPORT_COLUMN_TITLE).first()
    if column is not None:
        return column
    return create_column(parent=home, title=REPORT_COLUMN_TITLE, column_type="概况信息",
                         description="本网站《政府网站工作年度报表》等年度报表",
                         keywords="年度报表", acting_user=acting_user,
                         slug="ndbb", update_interval_days=366)


def _catalogue_column(home: Any, acting_user: Any) -> Any:
    """RP-05: the portal's 信息公开目录 column (the first one; a first-level one is made)."""
    from govsites.content.choices import ColumnType
    from govsites.content.models import ColumnPage
    from govsites.content.services import create_column

    column = (ColumnPage.objects.live().descendant_of(home)
              .filter(column_type=ColumnType.DISCLOSURE_CATALOGUE).order_by("path").first())
    if column is not None:
        return column
    return create_column(parent=home, title=CATALOGUE_COLUMN_TITLE,
                         column_type=ColumnType.DISCLOSURE_CATALOGUE,
                         description="本机关主动公开的政府信息，含《政府网站监管年度报表》",
                         keywords="信息公开目录", acting_user=acting_user, slug="xxgkml",
                         update_interval_days=366)


def collecting_portal(site: Any) -> Any:
    """RP-04 (国办函〔2018〕12号): the portal whose 年度报表 column collects a site's website
    reports, the 专栏 of every site's reports: the site's own portal, else the cluster's
    portal (a county's); None for a portal, whose column already holds its own."""
    from govsites.sites.choices import SiteKind
    from govsites.sites.selectors import all_sites

    if site.kind == SiteKind.PORTAL:
        return None
    return site.portal or all_sites().filter(kind=SiteKind.PORTAL).order_by("pk").first()


def publish_report(*, report: AnnualReport, acting_user: Any) -> Any:
    """Publish a reviewed report as an item, PDF attached: a website report in the site's
    年度报表 column (home page), the supervision report in the portal's 信息公开目录 (RP-05),
    proactively disclosed by the portal's organisation, and reprinted (a synced copy) into the
    年度报表 column so the home page links it as prominently as the website report. Another
    site's website report is also reprinted into its portal's 年度报表 column (RP-04)."""
    from govsites.content.choices import DisclosureMode
    from govsites.content.models import ArticlePage, ContentAttachment
    from govsites.content.services import publish_item, reprint_item, unique_child_slug

    if report.status != ReportStatus.REVIEWED:
        raise ReportRefused("报表须先审核，才能发布。")
    pdf = render_pdf(report)
    with transaction.atomic():
        home = report.site.site.root_page.specific
        supervision = report.kind == ReportKind.SUPERVISION
        column = (_catalogue_column(home, acting_user) if supervision
                  else _report_column(home, acting_user))
        organisation = report.site.host_organisation
        title = f"{report.site.name}{report.year}年{report.get_kind_display()}"
        item = ArticlePage(title=title, slug=unique_child_slug(column, f"{report.year}-{report.kind}"),
                           body=render_html(report, standalone=False), live=False,
                           summary=title, owner=acting_user,
                           disclosure_mode=DisclosureMode.PROACTIVE,
                           owner_organisation=organisation if supervision else None,
                           publisher=organisation if supervision else None)
        column.add_child(instance=item)
        document = _document(title, pdf, acting_user)
        ContentAttachment.objects.create(item=item, document=document, title=f"{title}（PDF）")
        publish_item(item=item, acting_user=acting_user)
        if supervision:
            reprint_item(item=item, column=_report_column(home, acting_user), acting_user=None)
        portal = None if supervision else collecting_portal(report.site)
        if portal is not None:  # RP-04: the portal's column lists every site's reports
            reprint_item(item=item, column=_report_column(portal.site.root_page.specific, None),
                         acting_user=None)
        report.status = ReportStatus.PUBLISHED
        report.published_at = timezone.now()
        report.published_page_id = item.pk
        report.save(update_fields=["status", "published_at", "published_page_id"])
        audit.record(action=actions.REPORT_PUBLISH, actor=acting_user, obj=report,
                     organisation=report.site.host_organisation,
                     details={"page": item.pk, "column": column.pk,
                              "late": timezone.localdate() > report.deadline})
    return item


def _document(title: str, pdf: bytes, acting_user: Any) -> Any:
    from wagtail.documents import get_document_model

    model = get_document_model()
    doc = model(title=title, uploaded_by_user=acting_user)
    doc.file.save(f"annual-report-{timezone.now():%Y%m%d%H%M%S}.pdf", ContentFile(pdf), save=False)
    doc.save()
    return doc


def draft_last_years_reports(*, today: dt.date | None = None) -> int:
    """On 1 January (and after, until done): draft every online site's report of last year,
    and the supervision report of each online portal (the supervising office's site)."""
    from govsites.sites.choices import SiteKind
    from govsites.sites.selectors import all_sites

    today = today or timezone.localdate()
    year = today.year - 1
    made = 0
    for site in all_sites().filter(status="online"):
        kinds = [ReportKind.WEBSITE] + ([ReportKind.SUPERVISION] if site.kind == SiteKind.PORTAL
                                        else [])
        for kind in kinds:
            if not AnnualReport.objects.filter(kind=kind, site=site, year=year).exists():
                compile_report(kind=kind, site=site, year=year)
                made += 1
    return made


REPORT_DUE = "operations.report.due"
REMIND_DAYS_BEFORE = 7


def remind_due_reports(*, today: dt.date | None = None) -> int:
    """Tell site administrators about unpublished reports due within a week (or overdue)."""
    from govsites.accounts.selectors import users_with_role
    from govsites.core import notifications

    today = today or timezone.localdate()
    sent = 0
    due = AnnualReport.objects.exclude(status=ReportStatus.PUBLISHED).filter(
        deadline__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
        deadline__gte=today - dt.timedelta(days=30)).select_related("site__host_organisation")
    for report in due:
        late = today > report.deadline
        notice = notifications.Notice(
            kind=REPORT_DUE, item_key=f"{REPORT_DUE}:{report.pk}",
            subject=f"年度报表{'已逾期' if late else '即将到期'}：{report}",
            body=(f"“{report}”须于 {report.deadline:%Y-%m-%d} 前发布，当前状态为"
                  f"“{report.get_status_display()}”。请尽快填报、审核并发布。"))
        organisation = report.site.host_organisation
        people = list(users_with_role("site_admin", organisation))
        if report.kind == ReportKind.SUPERVISION:  # the supervising office's own report
            people += [p for p in users_with_role("supervisor", organisation) if p not in people]
        sent += len(notifications.notify(notice=notice, recipients=people, day=today))
    return sent
