"""Attachments: PDF, DOCX, XLSX and text files screened page by page; bad files reported."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader, PdfWriter

from govsites.screening.attachments import (
    UnreadableAttachment,
    UnsupportedAttachment,
    read_attachment,
)
from govsites.screening.engine import Screener
from govsites.screening.rules import national_ruleset
from govsites.screening.types import Category, Severity

from .builders import make_docx, make_pdf, make_xlsx

TODAY = date(2025, 6, 1)
VALID_ID = "110101199003071233"


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(national_ruleset())


def summary(findings: list) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.location, f.evidence) for f in findings]


def test_pdf_findings_carry_the_page_number(screener: Screener) -> None:
    pdf = make_pdf([
        ["示例市人民政府办公室关于印发管理办法的通知", "联系人：张三"],
        ["附件：报名人员名单", f"李四 身份证号{VALID_ID}", "澳门梦想之城：政务新媒体备案表"],
    ])
    findings = screener.scan_file(pdf, "通知.pdf", today=TODAY)
    assert summary(findings) == [
        ("privacy.resident_id", "attachment:通知.pdf#page=2", "110101********1233"),
        ("term.gambling", "attachment:通知.pdf#page=2", "澳门梦想之城"),
    ]


def test_pdf_link_annotation_to_a_commercial_host_is_reported(screener: Screener) -> None:
    pdf = make_pdf([["详见链接"]], link="http://dreamcity.example.com/reg")
    findings = screener.scan_file(pdf, "a.pdf", location_prefix="https://x.gov.cn/a.pdf")
    assert summary(findings) == [
        ("link.commercial", "https://x.gov.cn/a.pdf", "http://dreamcity.example.com/reg")
    ]


def test_clean_pdf_raises_no_finding(screener: Screener) -> None:
    pdf = make_pdf([["示例市人民政府办公室", "2021年3月15日"]], link="https://www.gov.cn/")
    assert screener.scan_file(pdf, "clean.pdf", today=TODAY) == []


def test_docx_body_and_table_text_are_screened(screener: Screener) -> None:
    data = make_docx(
        ["关于公布低保对象名单的公示", "国务院办公室印发的通知要求……"],
        table=[["姓名", "手机", "银行卡"], ["王五", "13912345678", "6222021234567894"]],
        link="https://shop.example.com/",
    )
    findings = screener.scan_file(data, "公示.docx", today=TODAY)
    assert sorted(summary(findings)) == sorted([
        ("term.expression_error", "attachment:公示.docx", "国务院办公室"),
        ("privacy.mobile", "attachment:公示.docx", "139****5678"),
        ("privacy.bank_card", "attachment:公示.docx", "6222 **** **** 7894"),
        ("link.commercial", "attachment:公示.docx", "https://shop.example.com/"),
    ])
    error = next(f for f in findings if f.rule_id == "term.expression_error")
    assert error.suggestion == "国务院办公厅"


def test_xlsx_findings_carry_the_sheet_name(screener: Screener) -> None:
    data = make_xlsx({
        "说明": [["本表由示例市民政局编制"]],
        "名单": [["序号", "姓名", "身份证号", "电话"],
                 [1, "赵六", VALID_ID, 13812345678],
                 [2, "钱七", "110101199003071234", 12345678901]],
    })
    findings = screener.scan_file(data, "名单.xlsx", today=TODAY)
    assert summary(findings) == [
        ("privacy.resident_id", "attachment:名单.xlsx#sheet=名单", "110101********1233"),
        ("privacy.mobile", "attachment:名单.xlsx#sheet=名单", "138****5678"),
    ]


def test_gbk_text_and_csv_files_are_screened(screener: Screener) -> None:
    text = "序号,姓名,手机\n1,孙八,13712345678\n".encode("gb18030")
    findings = screener.scan_file(text, "名单.csv", today=TODAY)
    assert summary(findings) == [("privacy.mobile", "attachment:名单.csv", "137****5678")]
    txt = "欢迎光临澳门梦想之城".encode()
    assert [f.rule_id for f in screener.scan_file(txt, "说明.TXT")] == ["term.gambling"]


def test_html_attachment_is_read_as_html(screener: Screener) -> None:
    html = '<p>下载<a href="http://casino.example/">澳门梦想之城</a></p>'.encode()
    findings = screener.scan_file(html, "page.html")
    assert sorted(f.rule_id for f in findings) == ["link.commercial", "term.gambling"]


@pytest.mark.parametrize("filename, data", [
    ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ngarbage"),
    ("broken.docx", b"PK\x03\x04 this is not a zip archive"),
    ("broken.xlsx", b"\x00\x01\x02 not a workbook"),
    ("truncated.docx", make_docx(["第一段"])[:200]),
])
def test_corrupt_attachment_yields_one_unreadable_finding(
    screener: Screener, filename: str, data: bytes,
) -> None:
    findings = screener.scan_file(data, filename)
    assert len(findings) == 1
    (finding,) = findings
    assert finding.rule_id == "attachment.unreadable"
    assert finding.category == Category.UNSCREENED
    assert finding.severity == Severity.WARNING
    assert finding.location == f"attachment:{filename}"
    assert finding.evidence == filename
    assert finding.context
    with pytest.raises(UnreadableAttachment):
        read_attachment(data, filename)


def test_encrypted_pdf_yields_an_unreadable_finding(screener: Screener) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["澳门梦想之城"]]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    findings = screener.scan_file(buffer.getvalue(), "secret.pdf")
    assert [f.rule_id for f in findings] == ["attachment.unreadable"]
    assert "加密" in findings[0].context


def test_pdf_without_a_text_layer_is_reported_as_unreadable(screener: Screener) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    findings = screener.scan_file(buffer.getvalue(), "scan.pdf")
    assert [f.rule_id for f in findings] == ["attachment.unreadable"]


@pytest.mark.parametrize("filename", ["旧格式.doc", "表格.xls", "照片.jpg", "压缩包.zip", "无后缀"])
def test_unsupported_format_yields_an_unsupported_finding(
    screener: Screener, filename: str,
) -> None:
    findings = screener.scan_file(b"\xd0\xcf\x11\xe0 binary", filename)
    assert [(f.rule_id, f.severity) for f in findings] == [
        ("attachment.unsupported", Severity.INFO)
    ]
    with pytest.raises(UnsupportedAttachment):
        read_attachment(b"", filename)
