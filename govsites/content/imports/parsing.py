"""Parsing and validation of bulk-import files (整合迁移), one JSON object per line.

Every record is validated before anything is written; a file with any bad record imports
nothing. See docs/import-format.md for the format.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Page

from govsites.sites.models import Organisation

from ..choices import (
    ArticleKind,
    DisclosureMode,
    Importance,
    InterpretationForm,
    Validity,
)
from ..models import (
    ArticlePage,
    ColumnPage,
    ContentItem,
    ImportedItem,
    InterpretationPage,
    PolicyDocumentPage,
    ServiceGuidePage,
)
from ..models.pages import SERVICE_GUIDE_ELEMENTS
from ..selectors import find_topic
from .files import (
    ImportFileRefused,
    check_body_length,
    contained_attachment,
    line_too_long,
    read_lines,
)

ITEM_CLASSES: dict[str, type[ContentItem]] = {
    "article": ArticlePage,
    "notice": ArticlePage,
    "policy": PolicyDocumentPage,
    "interpretation": InterpretationPage,
    "service_guide": ServiceGuidePage,
}
ALLOWED_ATTACHMENT_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".csv", ".txt", ".ofd",
                               ".wps", ".zip"}
MAX_TITLE = 255


class ImportFileInvalid(Exception):
    """The file has errors; nothing was imported. `errors` lists (line, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error(s)")


@dataclass
class ImportRecord:
    """One validated record, ready to be written."""

    line: int
    kind: str
    external_id: str
    title: str
    body_html: str
    column: ColumnPage
    fields: dict[str, Any]
    published_at: dt.datetime | None
    publish: bool
    hold_reason: str
    attachments: list[tuple[Path, str]] = field(default_factory=list)
    base_dir: Path = Path()  # the import file's folder: attachments must stay inside it
    policy_ref: str = ""
    existing: ContentItem | None = None
    fingerprint: str = ""
    unchanged: bool = False


def _choice(value: Any, choices: Any, label: str) -> str:
    """Accept a choice by value or by its Chinese label."""
    text = str(value).strip()
    for choice_value, choice_label in choices.choices:
        if text in (choice_value, str(choice_label)):
            return str(choice_value)
    allowed = "、".join(str(lbl) for _v, lbl in choices.choices)
    raise ValueError(f"{label}“{text}”无效，可选：{allowed}")


def _date(value: Any, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{label}“{value}”不是有效日期（应为 YYYY-MM-DD）") from exc


def _datetime(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    text = str(value).strip().replace("/", "-")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"发布日期“{value}”无效（应为 YYYY-MM-DD HH:MM）") from exc
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed > timezone.now():
        raise ValueError("发布日期不能晚于当前时间（定时发布请在后台设置）")
    return parsed


def _body_html(record: dict[str, Any]) -> str:
    body = record.get("body", "")
    if not isinstance(body, str):
        raise ValueError("body 必须是字符串")
    check_body_length(body)
    if record.get("body_format", "text") == "html":
        return body
    from django.utils.html import escape

    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n") if p.strip()]
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _organisation(value: Any) -> Organisation:
    text = str(value).strip()
    org = (Organisation.objects.filter(credit_code=text).first()
           or Organisation.objects.filter(name=text).first()
           or Organisation.objects.filter(short_name=text).first())
    if org is None:
        raise ValueError(f"单位“{text}”不存在（请使用单位全称或统一社会信用代码）")
    return org


def resolve_column(site_root: Page, ref: str) -> ColumnPage:
    """Find a column of a site by slug path (a/b), title path (工作动态) or page id."""
    ref = str(ref).strip().strip("/")
    columns = ColumnPage.objects.descendant_of(site_root)
    if ref.isdigit():
        found = columns.filter(pk=int(ref)).first()
        if found:
            return found
    for column in columns:
        rel = column.url_path[len(site_root.url_path):].strip("/")
        titles = "/".join(a.title for a in column.get_ancestors(inclusive=True)
                          if a.depth > site_root.depth)
        if ref in (rel, titles, column.title) and column.specific_class is ColumnPage:
            return column.specific
    raise ValueError(f"栏目“{ref}”在该网站中不存在")


def _metadata(record: dict[str, Any], fields: dict[str, Any]) -> None:
    meta = record.get("metadata") or {}
    if not isinstance(meta, dict):
        raise ValueError("metadata 必须是对象")
    unknown = set(meta) - {"topic", "publisher", "owner", "source", "keywords", "summary",
                           "importance", "disclosure_mode", "author", "source_url"}
    if unknown:
        raise ValueError(f"metadata 含未知字段：{', '.join(sorted(unknown))}")
    if meta.get("topic"):
        topic = find_topic(str(meta["topic"]))
        if topic is None:
            raise ValueError(f"主题分类“{meta['topic']}”不存在（格式：一级\\二级）")
        fields["topic"] = topic
    if meta.get("publisher"):
        fields["publisher"] = _organisation(meta["publisher"])
    if meta.get("owner"):
        fields["owner_organisation"] = _organisation(meta["owner"])
    for key in ("source", "keywords", "summary", "author"):
        if meta.get(key):
            fields[key] = str(meta[key]).strip()
    if meta.get("source_url"):
        from django.core.exceptions import ValidationError
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["http", "https"])(str(meta["source_url"]))
        except ValidationError:
            raise ValueError("metadata.source_url 不是有效的网址（http:// 或 https://）") from None
        fields["source_url"] = str(meta["source_url"])
    if meta.get("importance"):
        fields["importance"] = _choice(meta["importance"], Importance, "重要程度")
    if meta.get("disclosure_mode"):
        fields["disclosure_mode"] = _choice(meta["disclosure_mode"], DisclosureMode, "公开属性")


def _type_fields(kind: str, record: dict[str, Any], fields: dict[str, Any]) -> str:
    """Fill type-specific fields; return a policy reference for interpretations."""
    extra = record.get("fields") or {}
    if not isinstance(extra, dict):
        raise ValueError("fields 必须是对象")
    if kind in ("article", "notice"):
        fields["kind"] = ArticleKind.NOTICE if kind == "notice" else ArticleKind.NEWS
        return ""
    if kind == "policy":
        if not str(extra.get("issuing_authority", "")).strip():
            raise ValueError("政策文件缺少发文机关（fields.issuing_authority）")
        fields["issuing_authority"] = str(extra["issuing_authority"]).strip()
        fields["document_number"] = str(extra.get("document_number", "")).strip()
        fields["written_date"] = _date(extra.get("written_date"), "成文日期")
        fields["effective_date"] = _date(extra.get("effective_date"), "施行日期")
        fields["validity"] = _choice(extra.get("validity", Validity.IN_FORCE), Validity, "有效性")
        fields["validity_changed_on"] = _date(extra.get("validity_changed_on"), "有效性变更日期")
        return ""
    if kind == "interpretation":
        ref = str(extra.get("policy", "")).strip()
        if not ref:
            raise ValueError("政策解读必须指明被解读的政策文件（fields.policy：external_id 或发文字号）")
        fields["form"] = _choice(extra.get("form", InterpretationForm.TEXT), InterpretationForm,
                                 "解读形式")
        return ref
    if kind == "service_guide":
        missing = [str(label) for name, label in SERVICE_GUIDE_ELEMENTS
                   if not str(extra.get(name, "")).strip()]
        if missing:
            raise ValueError(f"办事指南缺少必备要素：{'、'.join(missing)}")
        for name, _label in SERVICE_GUIDE_ELEMENTS:
            fields[name] = str(extra[name]).strip()
        return ""
    raise ValueError(f"未知类型“{kind}”")


def _attachments(raw: dict[str, Any], base_dir: Path) -> list[tuple[Path, str]]:
    """Resolve the record's attachments inside the file's folder (see files.py)."""
    listed = raw.get("attachments") or []
    if not isinstance(listed, list):
        raise ValueError("attachments 必须是列表")
    attachments = []
    for att in listed:
        if isinstance(att, str):
            att = {"path": att}
        if not isinstance(att, dict):
            raise ValueError("附件必须是路径或 {\"path\": …, \"title\": …}")
        path = contained_attachment(base_dir, str(att.get("path", "")))
        if path.suffix.lower() not in ALLOWED_ATTACHMENT_SUFFIXES:
            raise ValueError(f"附件类型不允许：{path.name}")
        attachments.append((path, str(att.get("title") or path.stem)))
    return attachments


def parse_record(raw: dict[str, Any], *, line: int, site_root: Page,
                 default_column: ColumnPage | None, base_dir: Path) -> ImportRecord:
    """Turn one JSON object into an ImportRecord or raise ValueError with the reason."""
    kind = str(raw.get("type", "")).strip()
    if kind not in ITEM_CLASSES:
        raise ValueError(f"type 必须是 {', '.join(ITEM_CLASSES)} 之一，当前为“{kind}”")
    title = str(raw.get("title", "")).strip()
    if not title:
        raise ValueError("缺少标题（title）")
    if len(title) > MAX_TITLE:
        raise ValueError(f"标题过长（{len(title)} 字，最多 {MAX_TITLE} 字）")
    column = resolve_column(site_root, raw["column"]) if raw.get("column") else default_column
    if column is None:
        raise ValueError("未指定栏目：请使用 --column 或在记录中给出 column")
    fields: dict[str, Any] = {}
    _metadata(raw, fields)
    policy_ref = _type_fields(kind, raw, fields)
    attachments = _attachments(raw, base_dir)
    publish = bool(raw.get("publish", True))
    mode = fields.get("disclosure_mode", DisclosureMode.PROACTIVE)
    if publish and not raw.get("hold") and mode != DisclosureMode.PROACTIVE:
        raise ValueError(f"“{DisclosureMode(mode).label}”的信息不能在网站上主动发布："
                         "请设 \"publish\": false 导入为草稿")
    external_id = str(raw.get("external_id", "")).strip()
    if len(external_id) > 200:
        raise ValueError("external_id 过长（最多200字符）")
    return ImportRecord(
        line=line, kind=kind, external_id=external_id, title=title,
        body_html=_body_html(raw), column=column, fields=fields,
        published_at=_datetime(raw.get("published_at")),
        publish=publish, hold_reason=str(raw.get("hold", "") or ""),
        attachments=attachments, policy_ref=policy_ref, base_dir=base_dir,
    )


def _fingerprint(raw: dict[str, Any], attachments: list[tuple[Path, str]]) -> str:
    """Digest a record and its attachment files so an unchanged re-import can be skipped."""
    from govsites.core.audit import sm3_hex

    files = [(p.name, t, sm3_hex(p.read_bytes())) for p, t in attachments]
    # 发布日期 cannot change on re-import (validated separately), so it is not part of it.
    content = {k: v for k, v in raw.items() if k != "published_at"}
    text = json.dumps([content, files], ensure_ascii=False, sort_keys=True, default=str)
    return sm3_hex(text.encode("utf-8"))


def _link(site_root: Page, external_id: str) -> ImportedItem | None:
    if not external_id:
        return None
    return (ImportedItem.objects.select_related("page")
            .filter(site_root_id=site_root.pk, external_id=external_id).first())


def _links(site_root: Page, external_ids: list[str]) -> dict[str, ImportedItem]:
    """The import links of these external ids, read a chunk at a time (not one per record)."""
    wanted = sorted({i for i in external_ids if i})
    found: dict[str, ImportedItem] = {}
    for start in range(0, len(wanted), 500):
        for link in (ImportedItem.objects.select_related("page")
                     .filter(site_root_id=site_root.pk, external_id__in=wanted[start:start + 500])):
            found[link.external_id] = link
    return found


def existing_item(site_root: Page, external_id: str) -> ContentItem | None:
    link = _link(site_root, external_id)
    return link.page.specific if link else None


def _model_check(record: ImportRecord) -> None:
    """Run model validation on an unsaved instance so model rules fail before any write."""
    cls = ITEM_CLASSES[record.kind]
    # the column's locale: Wagtail would otherwise read the default locale for each record
    instance = cls(title=record.title, slug="import-check", body=record.body_html,
                   locale_id=record.column.locale_id, **record.fields)
    if record.kind == "interpretation":
        return  # the policy link is resolved after all records are read
    try:
        instance.full_clean(exclude=["path", "depth", "slug", "content_type", "owner",
                                     "locale", "translation_key", "draft_title"])
    except ValidationError as exc:
        messages: list[str] = []
        for name, errs in exc.message_dict.items():
            messages.extend(f"{name}: {e}" for e in errs)
        raise ValueError("；".join(messages)) from exc


def read_file(path: Path, *, site_root: Page, default_column: ColumnPage | None
              ) -> list[ImportRecord]:
    """Read and validate a whole file; raise ImportFileInvalid listing every bad line."""
    errors: list[tuple[int, str]] = []
    records: list[ImportRecord] = []
    seen_ids: dict[str, int] = {}
    try:
        lines = list(read_lines(path))
    except ImportFileRefused as exc:
        raise ImportFileInvalid([(0, str(exc))]) from exc
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, text in lines:
        if not text.strip():
            continue
        too_long = line_too_long(text)
        if too_long:
            errors.append((number, too_long))
            continue
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            errors.append((number, f"不是有效的 JSON：{exc.msg}（第 {exc.colno} 列）"))
            continue
        if not isinstance(raw, dict):
            errors.append((number, "每行必须是一个 JSON 对象"))
            continue
        parsed.append((number, raw))
    links = _links(site_root, [str(raw.get("external_id", "")).strip() for _n, raw in parsed])
    for number, raw in parsed:
        try:
            record = parse_record(raw, line=number, site_root=site_root,
                                  default_column=default_column, base_dir=path.parent)
            if record.external_id:
                if record.external_id in seen_ids:
                    raise ValueError(
                        f"external_id“{record.external_id}”与第 {seen_ids[record.external_id]} 行重复")
                seen_ids[record.external_id] = number
            record.fingerprint = _fingerprint(raw, record.attachments)
            link = links.get(record.external_id) if record.external_id else None
            if link is not None:
                record.existing = link.page.specific
                record.unchanged = link.fingerprint == record.fingerprint
            if record.existing is not None:
                if type(record.existing) is not ITEM_CLASSES[record.kind]:
                    raise ValueError("external_id 已对应另一种类型的信息，不能改变类型")
                stored = record.existing.first_published_at
                if (record.published_at and stored
                        and abs((stored - record.published_at).total_seconds()) >= 60):
                    raise ValueError("发布日期在首次发布时已确定，重新导入不能修改")
            _model_check(record)
            records.append(record)
        except (ValueError, KeyError) as exc:
            errors.append((number, str(exc)))
    by_id = {r.external_id: r for r in records if r.external_id}
    for record in records:
        if record.kind != "interpretation":
            continue
        ref = record.policy_ref
        target = by_id.get(ref)
        if target is not None and target.kind == "policy":
            continue
        existing = existing_item(site_root, ref)
        if isinstance(existing, PolicyDocumentPage):
            continue
        if PolicyDocumentPage.objects.filter(document_number=ref, alias_of__isnull=True).exists():
            continue
        errors.append((record.line, f"找不到被解读的政策文件“{ref}”（external_id 或发文字号）"))
    if not records and not errors:
        errors.append((0, "文件中没有任何记录"))
    if errors:
        raise ImportFileInvalid(sorted(errors))
    return records
