"""Place a published annual report in the body's 信息公开年报 column (条例第49条: published
on the body's own 政府信息公开 platform), through the content app's import path: one item
with the report's text and its PDF attached, matched by external id so republishing updates
it. A body without such a column is served under /disclosure/<id>/reports/<year>/ only.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from govsites.content.imports import read_file
from govsites.content.services import import_items

from . import library, reports
from .models import AnnualReport


def external_id(report: AnnualReport) -> str:
    return f"disclosure-annual-report-{report.body_id}-{report.year}"


def place_in_column(*, report: AnnualReport, acting_user: Any = None) -> bool:
    """Import (or update) the report's item in the column; return False without a column."""
    column = library.annual_report_column(report.body)
    if column is None:
        return False
    site_root = column.get_site().root_page
    body_html = render_to_string("disclosure/annual_report_item.html",
                                 reports.report_context(report))
    title = f"{report.body.name}{report.year}年政府信息公开工作年度报告"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf_name = f"report-{report.year}.pdf"
        (folder / pdf_name).write_bytes(reports.render_pdf(report))
        record = {
            "type": "notice", "external_id": external_id(report), "title": title,
            "body": body_html, "body_format": "html", "column": str(column.pk),
            "metadata": {"owner": report.body.organisation.credit_code,
                         "publisher": report.body.organisation.credit_code,
                         "disclosure_mode": "主动公开",
                         "summary": f"{report.body.name}{report.year}年政府信息公开工作年度报告"},
            "attachments": [{"path": pdf_name, "title": f"{title}（PDF）"}],
        }
        path = folder / "report.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        records = read_file(path, site_root=site_root, default_column=None)
        # The platform places it: who may publish the report is the disclosure policy's
        # question (asked by reports.publish_report), not the column's page permissions.
        import_items(records=records, site_root=site_root, acting_user=None)
    return True
