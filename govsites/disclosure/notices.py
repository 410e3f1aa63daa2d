"""告知书: the written reply of each result, from an editable template, as HTML and PDF.

A template belongs to a result group (the groups of table 三: 予以公开, 部分公开, 不予公开,
无法提供, 不予处理, 其他处理); a body's own template wins over the shipped default. The body
signs it (`seal_text`) and the PDF leaves a place for the seal.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import Result
from .models import DisclosureRequest, NoticeTemplate

GROUP_OF: dict[str, str] = {
    Result.DISCLOSED: "disclosed",
    Result.PARTIAL: "partial",
    **{r: "withheld" for r in Result if r.value.startswith("withheld_")},
    **{r: "unavailable" for r in Result if r.value.startswith("unavailable_")},
    **{r: "not_handled" for r in Result if r.value.startswith("not_handled_")},
    **{r: "other" for r in Result if r.value.startswith("other")},
}

GROUP_TITLES = {
    "disclosed": "政府信息公开告知书",
    "partial": "政府信息部分公开告知书",
    "withheld": "政府信息不予公开告知书",
    "unavailable": "政府信息无法提供告知书",
    "not_handled": "政府信息公开申请不予处理告知书",
    "other": "政府信息公开申请处理告知书",
}

_DEFAULT_TEXT = (
    "{申请人}：\n"
    "本机关于{收到日期}收到您{申请日期}提出的政府信息公开申请，申请获取“{所需信息}”。"
    "经审查，现答复如下：\n{答复内容}\n"
    "如对本答复不服，可以在收到本告知书之日起60日内依法申请行政复议，"
    "或者在6个月内依法提起行政诉讼。"
)


def template_for(request: DisclosureRequest) -> tuple[str, str]:
    """Return (title, text) of the template for the request's result."""
    group = GROUP_OF[Result(request.result)]
    row = (NoticeTemplate.objects.filter(body=request.body, result_group=group).first()
           or NoticeTemplate.objects.filter(body__isnull=True, result_group=group).first())
    if row is not None:
        return row.title, row.text
    return _(GROUP_TITLES[group]), _(_DEFAULT_TEXT)


def compose(request: DisclosureRequest) -> str:
    """Fill the template with the case's facts (the applicant's name, no ID number)."""
    _title, text = template_for(request)
    values = {
        "申请人": str(request.identity().get("name", "")),
        "申请日期": timezone.localtime(request.submitted_at).strftime("%Y年%m月%d日"),
        "收到日期": request.received_on.strftime("%Y年%m月%d日") if request.received_on else "",
        "所需信息": request.description,
        "答复内容": request.reply_text,
        "单位": request.body.signature(),
        "日期": request.closed_on.strftime("%Y年%m月%d日") if request.closed_on else "",
    }
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def notice_context(request: DisclosureRequest) -> dict[str, Any]:
    title, _text = template_for(request)
    return {"request": request, "title": title,
            "paragraphs": [p for p in request.notice_text.split("\n") if p.strip()],
            "signature": request.body.signature(),
            "date": request.closed_on.strftime("%Y年%m月%d日") if request.closed_on else ""}


def render_html(request: DisclosureRequest) -> str:
    """Return the 告知书 as a standalone HTML document."""
    return render_to_string("disclosure/notice.html", notice_context(request))


def render_pdf(request: DisclosureRequest) -> bytes:
    """Return the 告知书 as PDF (WeasyPrint; CJK fonts from fonts-noto-cjk)."""
    from weasyprint import HTML

    return bytes(HTML(string=render_html(request)).write_pdf())
