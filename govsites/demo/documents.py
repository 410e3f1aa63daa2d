"""The seed regulations as rich text that keeps an official document's structure.

A Chinese official document (公文) opens with a title block (发文机关标志, 发文字号, 标题, 主送机关),
then its text, the signature and date; a regulation it issues follows with its own title and
章/节 headings over numbered articles (第一条 …). The seed files are plain text (南通 as light
Markdown); this keeps each part recognisable instead of flattening everything to paragraphs,
in the elements the body sanitiser keeps (content/richtext.py: no classes): the 发文机关 in
bold, the 发文字号, the document's title as a heading and a rule under the title block, the
regulation's own title as a heading and its 章/节 as sub-headings, each 第N条 in bold.
"""

from __future__ import annotations

import re
from html import escape

DOC_NUMBER = re.compile(r"^\S*〔\d{4}〕\d+号$")
HEADING = re.compile(r"^(第[一二三四五六七八九十百]+[章节])\s*")
NOTE = re.compile(r"^[（(]此件[^）)]*[）)]$")
ARTICLE = re.compile(r"^(第[一二三四五六七八九十百零]+条)\s*")
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日(印发)?$")
MARKDOWN = re.compile(r"^(#{1,6}\s*|-{3,}$)")
BOLD = re.compile(r"\*\*(.+?)\*\*")


def _clean(line: str) -> str:
    line = MARKDOWN.sub("", line.strip())
    return BOLD.sub(r"\1", line).strip()


def _squeeze(text: str) -> str:
    """Headings typeset with spaces between characters (总  则) read as one word."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)


def regulation_html(text: str) -> str:
    """Turn a seed regulation's text into rich text: title block, headings, articles."""
    lines = [_clean(line) for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    out: list[str] = []
    number_at = next((i for i, line in enumerate(lines[:8]) if DOC_NUMBER.match(line)), None)
    start = 0
    if number_at is not None:
        issuer = [line for line in lines[:number_at]]
        addressee_at = next((i for i in range(number_at + 1, min(len(lines), number_at + 8))
                             if lines[i].endswith(("：", ":"))), None)
        title_end = addressee_at if addressee_at is not None else number_at + 1
        title = [line for line in lines[number_at + 1:title_end]]
        if issuer and "关于" in "".join(issuer) and not title:
            title, issuer = issuer, []  # the title stands above the number (亳州)
        if issuer:
            out.append(f'<p><b>{escape("".join(issuer))}</b></p>')
        out.append(f"<p>{escape(lines[number_at])}</p>")
        if title:
            out.append(f"<h2>{escape(''.join(title))}</h2>")
        out.append("<hr>")
        start = title_end
    after_date = False
    for i in range(start, len(lines)):
        line = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else ""
        heading = HEADING.match(line)
        if heading:
            rest = _squeeze(line[heading.end():])
            out.append(f"<h3>{escape(heading.group(1))}　{escape(rest)}</h3>")
        elif NOTE.match(line):
            out.append(f"<p>{escape(line)}</p>")
            continue
        elif DATE_LINE.match(line):
            out.append(f"<p>{escape(line)}</p>")
            after_date = True
            continue
        elif DATE_LINE.match(following) and len(line) <= 30 and "。" not in line:
            out.append(f"<p>{escape(line)}</p>")
            continue
        elif after_date and len(line) <= 40 and not line.endswith(("。", "：")) and not (
                ARTICLE.match(line) or line.startswith(("（", "("))):
            out.append(f"<h2>{escape(line)}</h2>")
        elif ARTICLE.match(line):
            match = ARTICLE.match(line)
            assert match is not None
            rest = line[match.end():]
            out.append(f"<p><b>{escape(match.group(1))}</b>　{escape(rest)}</p>")
        else:
            out.append(f"<p>{escape(line)}</p>")
        after_date = False
    return "".join(out)
