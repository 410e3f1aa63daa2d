"""Read the text and links of attachments: PDF, DOCX, XLSX, TXT, CSV and HTML.

A file that cannot be read raises a typed error (UnsupportedAttachment, UnreadableAttachment)
and never anything else; a document with some unreadable pages returns what it could read and
names the rest in `problems`, so nothing goes unscreened without saying so.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePosixPath
from typing import Any

import docx
import openpyxl
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from pypdf import PasswordType, PdfReader

from .links import Link
from .markup import read_html

#: Largest total uncompressed size of a DOCX/XLSX we open (zip bomb guard).
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
#: Largest amount of text we read from one attachment.
MAX_TEXT_CHARS = 64 * 1024 * 1024

SUPPORTED_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".xlsm", ".txt", ".csv", ".htm",
                                ".html"})


class AttachmentError(Exception):
    """An attachment could not be screened; `reason` says why, in words for an editor."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsupportedAttachment(AttachmentError):
    """The file's format is one screening cannot read (e.g. .doc, .wps, images, archives)."""


class UnreadableAttachment(AttachmentError):
    """The file claims a supported format but is corrupt, encrypted or too large."""


@dataclass(frozen=True)
class TextSection:
    """Text from one part of an attachment; label is "" or e.g. "page=2", "sheet=名单"."""

    label: str
    text: str


@dataclass(frozen=True)
class Problem:
    """A part of an attachment that could not be read, e.g. one damaged PDF page."""

    label: str
    reason: str


@dataclass
class AttachmentContent:
    """Everything screening reads from one attachment."""

    sections: list[TextSection] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _t(message: str) -> str:
    """Translate message once Django is set up (the benchmark runs without settings)."""
    from django.apps import apps

    if not apps.ready:
        return message
    from django.utils.translation import gettext

    return gettext(message)


def suffix_of(filename: str) -> str:
    """Return the lower-case extension of filename, e.g. ".pdf"."""
    return PurePosixPath(filename.replace("\\", "/")).suffix.lower()


def read_attachment(data: bytes, filename: str) -> AttachmentContent:
    """Return the text sections, links and unreadable parts of an attachment.

    Raises UnsupportedAttachment for formats screening cannot read and UnreadableAttachment for
    corrupt, encrypted or oversized files.
    """
    suffix = suffix_of(filename)
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedAttachment(_t("不支持检查此格式的附件，请转换为 PDF、DOCX 或 XLSX。"))
    with warnings.catch_warnings():
        # Parsers warn about harmless oddities of real-world files; a warning is not a finding.
        warnings.simplefilter("ignore")
        try:
            if suffix == ".pdf":
                content = _read_pdf(data)
            elif suffix == ".docx":
                _check_zip(data)
                content = _read_docx(data)
            elif suffix in (".xlsx", ".xlsm"):
                _check_zip(data)
                content = _read_xlsx(data)
            elif suffix in (".htm", ".html"):
                document = read_html(_decode_text(data))
                text = "\n".join(part for part in (document.title, document.meta,
                                                   document.text) if part)
                content = AttachmentContent([TextSection("", text)], list(document.links))
            else:
                content = AttachmentContent([TextSection("", _decode_text(data))])
        except AttachmentError:
            raise
        except Exception as error:  # parsers raise anything on corrupt input
            raise UnreadableAttachment(
                _t("附件已损坏或格式不正确，无法读取：") + type(error).__name__
            ) from error
    if sum(len(section.text) for section in content.sections) > MAX_TEXT_CHARS:
        raise UnreadableAttachment(_t("附件文字过多，无法完整检查。"))
    return content


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        reason = _t("附件已损坏或格式不正确，无法读取：") + "BadZipFile"
        raise UnreadableAttachment(reason) from error
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableAttachment(_t("附件解压后过大，无法检查。"))


def _decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB 18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _read_pdf(data: bytes) -> AttachmentContent:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise UnreadableAttachment(_t("附件已加密，无法读取。"))
    content = AttachmentContent()
    pages = list(reader.pages)
    for number, page in enumerate(pages, start=1):
        label = f"page={number}"
        try:
            text = page.extract_text() or ""
        except Exception as error:  # one damaged page must not hide the rest
            content.problems.append(Problem(label, _t("此页无法读取：") + type(error).__name__))
            continue
        if text.strip():
            content.sections.append(TextSection(label, text))
        content.links.extend(_pdf_page_links(page))
    if pages and not content.sections and not content.problems:
        reason = _t("PDF 没有文字层（可能是扫描件），无法检查文字内容。")
        content.problems.append(Problem("", reason))
    return content


def _pdf_page_links(page: Any) -> Iterator[Link]:
    annotations = page.get("/Annots")
    if annotations is None:
        return
    for reference in annotations.get_object():
        try:
            annotation = reference.get_object()
            action = annotation.get("/A")
            if annotation.get("/Subtype") != "/Link" or action is None:
                continue
            uri = action.get_object().get("/URI")
        except Exception:  # a malformed annotation is skipped
            continue
        if uri:
            yield Link(href=str(uri), source="pdf")


def _read_docx(data: bytes) -> AttachmentContent:
    document = docx.Document(io.BytesIO(data))

    def paragraphs(element: Any) -> str:
        lines = []
        for paragraph in element.iter(qn("w:p")):
            lines.append("".join(node.text or "" for node in paragraph.iter(qn("w:t"))))
        return "\n".join(lines)

    content = AttachmentContent([TextSection("", paragraphs(document.element.body))])
    seen: set[int] = set()
    for number, section in enumerate(document.sections, start=1):
        for kind, part in (("header", section.header), ("footer", section.footer)):
            if part.is_linked_to_previous or id(part.part) in seen:
                continue
            seen.add(id(part.part))
            text = paragraphs(part._element)
            if text.strip():
                content.sections.append(TextSection(f"{kind}={number}", text))
    for relationship in document.part.rels.values():
        if relationship.is_external and relationship.reltype == RELATIONSHIP_TYPE.HYPERLINK:
            content.links.append(Link(href=relationship.target_ref, source="docx"))
    return content


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes) -> AttachmentContent:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        content = AttachmentContent()
        for sheet in workbook.worksheets:
            rows = []
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell_text(value) for value in row]
                if any(cells):
                    rows.append("\t".join(cells).rstrip("\t"))
            content.sections.append(TextSection(f"sheet={sheet.title}", "\n".join(rows)))
        return content
    finally:
        workbook.close()
