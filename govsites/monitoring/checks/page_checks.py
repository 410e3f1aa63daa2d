"""Checks that look at one page at a time."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import InspectionFinding, make_finding, register_check
from ..roles import CONTENT_TAGS
from .context import PageContext

# Simplified or traditional characters: a 繁体 edition of a page carries the same furniture.
IDENTITY_PATTERNS = {
    "site_code": re.compile(r"[网網]站[标標][识識][码碼]\s*[:：]?\s*(?:bm\d{8}|\d{10})",
                            re.IGNORECASE),
    "icp": re.compile(r"ICP\s*[备備]\s*\d{6,}\s*[号號]", re.IGNORECASE),
    "police": re.compile(r"公[网網]安[备備]\s*\d{14}\s*[号號]"),
    "host_organisation": re.compile(r"主[办辦][单單]位\s*[:：]\s*\S"),
}
ERROR_REPORT_WORDS = ("找错", "找錯")
IDENTITY_LABELS = {
    "site_code": "网站标识码", "icp": "ICP备案号", "police": "公安机关备案号",
    "host_organisation": "主办单位", "error_report": "“我为政府网站找错”入口",
}
ERROR_REPORT_HOSTS = ("zfwzzc.www.gov.cn",)


@register_check("page.identity_missing", scope="page")
def identity_missing(ctx: PageContext) -> Iterator[InspectionFinding]:
    """Report footer furniture (标识码, 备案号, 主办单位, 找错) missing from a page (§1.7.1)."""
    spec = ctx.rulebook.rule("page.identity_missing")
    facts = ctx.facts
    text = facts.footer_text or facts.text
    missing = []
    for item in spec.param("items", list(IDENTITY_LABELS)):
        if item == "error_report":
            present = any(any(w in link.text for w in ERROR_REPORT_WORDS)
                          or any(h in link.url for h in ERROR_REPORT_HOSTS)
                          for link in facts.links if link.kind == "a")
        else:
            pattern = IDENTITY_PATTERNS.get(item)
            present = pattern is None or bool(pattern.search(text))
        if not present:
            missing.append(IDENTITY_LABELS.get(item, item))
    if missing:
        yield make_finding(spec, url=facts.url, evidence="缺少：" + "、".join(missing),
                           message="页面底部功能区缺少" + "、".join(missing))


@register_check("page.meta_missing", scope="page")
def meta_missing(ctx: PageContext) -> Iterator[InspectionFinding]:
    """Report mandatory 网页标签 absent or empty (§1.7.4): site tags everywhere, then by page kind."""
    spec = ctx.rulebook.rule("page.meta_missing")
    meta = ctx.facts.meta
    required = list(spec.param("site", []))
    if ctx.role.kind == "content" or any(t in meta for t in CONTENT_TAGS):
        required += spec.param("content", [])
    elif ctx.role.kind == "column":
        required += spec.param("column", [])
    missing = [tag for tag in required if not meta.get(tag)]
    if missing:
        yield make_finding(spec, url=ctx.facts.url, evidence="缺少：" + "、".join(missing),
                           message="网页缺少必选网页标签：" + "、".join(missing))


@register_check("content.spam_injection", scope="page")
def hidden_links(ctx: PageContext) -> Iterator[InspectionFinding]:
    """Report links to other sites hidden from readers (暗链): the signature of an injected page."""
    spec = ctx.rulebook.rule("content.spam_injection")
    for link in ctx.facts.links:
        if link.hidden and ctx.scope.is_external(link.url):
            yield make_finding(
                spec, url=ctx.facts.url, page=ctx.facts.url, link_text=link.text,
                evidence=f"隐藏链接（{link.hidden}）→ {link.url} “{link.text[:40]}”",
                message="页面含有对读者隐藏的外部链接（暗链）", extra={"target": link.url,
                                                         "technique": link.hidden},
            )


@register_check("content.sensitive", scope="page")
def screened_content(ctx: PageContext) -> Iterator[InspectionFinding]:
    """Screen the page text and outbound links: 敏感词, 严重表述错误, 个人信息, 赌博色情, 商业链接."""
    external = [link for link in ctx.facts.links if ctx.scope.is_external(link.url)]
    text = f"{ctx.facts.title} {ctx.facts.text}"
    yield from ctx.screen.screen(url=ctx.facts.url, text=text, external_links=external,
                                 today=ctx.as_of)


@register_check("policy.validity_missing", scope="page")
def validity_missing(ctx: PageContext) -> Iterator[InspectionFinding]:
    """Report a policy document page that does not state its 有效性 (§1.5.1 文件资料)."""
    if ctx.role.kind != "content" or ctx.role.column_type != "政策文件":
        return
    spec = ctx.rulebook.rule("policy.validity_missing")
    if not any(label in ctx.facts.text for label in spec.param("labels", [])):
        yield make_finding(spec, url=ctx.facts.url, evidence=ctx.facts.title[:80],
                           message="政策文件页面未标注有效性（现行有效、已修订、已废止或已失效）")
