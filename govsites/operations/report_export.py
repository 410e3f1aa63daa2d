"""A report as a table in the national layout, for CSV and XLSX (RP-05: the supervision report
as the 全国政府网站信息报送系统 and the 办公厅 take it).

One row per field, in the national order: 项目 (the section, named as in the national form:
网站抽查情况, 安全检查情况, 网站开设整合情况, “我为政府网站找错”平台网民留言办理情况, 假冒政府网站处置情况,
人员培训情况), 内容, 数值, 单位; above them the title, 填报单位 and 年度. The same rows as
the HTML and PDF table, so the three never disagree.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from .models import AnnualReport, ReportKind

HEADER = ("项目", "内容", "数值", "单位")
NATIONAL_SECTIONS = {
    "网站抽查": "网站抽查情况",
    "安全检查": "安全检查情况",
    "网站开设整合": "网站开设整合情况",
    "找错留言办理": "“我为政府网站找错”平台网民留言办理情况",
    "假冒政府网站处置": "假冒政府网站处置情况",
    "人员培训": "人员培训情况",
}


def title(report: AnnualReport) -> str:
    return f"{report.get_kind_display()}（{report.year}年度）"


def national_rows(report: AnnualReport) -> list[tuple[str, str, str, str]]:
    """The fields as (项目, 内容, 数值, 单位), in the national order."""
    names = NATIONAL_SECTIONS if report.kind == ReportKind.SUPERVISION else {}
    return [(names.get(f.section, f.section), f.label, f.value, f.unit)
            for f in report.figures.order_by("position")]


def _preamble(report: AnnualReport) -> list[tuple[str, ...]]:
    return [(title(report),), ("填报单位", report.site.host_organisation.name),
            ("年度", str(report.year)), ()]


def to_csv(report: AnnualReport) -> bytes:
    """UTF-8 with a byte-order mark (Excel opens it in Chinese without asking)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(_preamble(report))
    writer.writerow(HEADER)
    writer.writerows(national_rows(report))
    return out.getvalue().encode("utf-8-sig")


def _cell_value(value: str) -> Any:
    return int(value) if value.isascii() and value.isdigit() else value


def to_xlsx(report: AnnualReport) -> bytes:
    """One sheet: title row, 填报单位 and 年度, then the table with 项目 merged per section."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "监管年度报表" if report.kind == ReportKind.SUPERVISION else "工作年度报表"
    for row in _preamble(report):
        sheet.append(list(row))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.append(list(HEADER))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    first = header_row + 1
    rows = national_rows(report)
    for section, label, value, unit in rows:
        sheet.append([section, label, _cell_value(value), unit])
    start = first
    for offset in range(1, len(rows) + 1):
        end_of_group = offset == len(rows) or rows[offset][0] != rows[offset - 1][0]
        if end_of_group:
            stop = first + offset - 1
            if stop > start:
                sheet.merge_cells(start_row=start, start_column=1, end_row=stop, end_column=1)
            sheet.cell(row=start, column=1).alignment = Alignment(vertical="center",
                                                                  wrap_text=True)
            start = stop + 1
    for letter, width in zip("ABCD", (28, 30, 40, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
