"""Read an HTML page or rich-text fragment as screening sees it: text, title, meta and links.

Hidden elements are read too: injected gambling text and links are usually hidden with CSS, and
they are exactly what screening has to catch. Script and style contents are not text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from .links import Link, resolve

_SKIPPED = frozenset({"script", "style", "template"})
# Tags that separate words visually; inline tags (span, a, font, b) do not break a word, so
# text split over spans to evade screening is still read as one run.
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "option", "p", "pre", "section", "table", "tbody",
    "td", "tfoot", "th", "thead", "title", "tr", "ul",
})
_META_NAMES = frozenset({"keywords", "description", "title"})


@dataclass
class HtmlDocument:
    """What screening reads from one piece of HTML."""

    text: str = ""
    title: str = ""
    meta: str = ""
    links: list[Link] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, base_url: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.meta_parts: list[str] = []
        self.attr_parts: list[str] = []
        self.links: list[Link] = []
        self.skip_depth = 0
        self.in_title = False
        self.anchor_href: str | None = None
        self.anchor_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in _SKIPPED:
            self.skip_depth += 1
            return
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag == "title":
            self.in_title = True
        elif tag == "meta" and values.get("name", "").lower() in _META_NAMES:
            self.meta_parts.append(values.get("content", ""))
        elif tag == "a" and values.get("href"):
            self._close_anchor()
            self.anchor_href = resolve(values["href"], self.base_url)
        elif tag == "area" and values.get("href"):
            self.links.append(Link(href=resolve(values["href"], self.base_url),
                                   text=values.get("alt", ""), source="area"))
        elif tag in ("iframe", "frame") and values.get("src"):
            self.links.append(Link(href=resolve(values["src"], self.base_url), source="iframe"))
        for name in ("alt", "title"):
            if values.get(name):
                self.attr_parts.append(values[name])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIPPED:
            self.skip_depth -= 1
        elif tag == "a":
            self._close_anchor()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "title":
            self.in_title = False
        elif tag == "a":
            self._close_anchor()
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.in_title:
            self.title_parts.append(data)
            return
        self.parts.append(data)
        if self.anchor_href is not None:
            self.anchor_text.append(data)

    def _close_anchor(self) -> None:
        if self.anchor_href is not None:
            text = " ".join("".join(self.anchor_text).split())
            self.links.append(Link(href=self.anchor_href, text=text, source="a"))
        self.anchor_href = None
        self.anchor_text = []

    def document(self) -> HtmlDocument:
        self._close_anchor()
        body = "".join(self.parts)
        if self.attr_parts:
            body += "\n" + "\n".join(self.attr_parts)
        return HtmlDocument(
            text=body,
            title=" ".join("".join(self.title_parts).split()),
            meta="\n".join(part for part in self.meta_parts if part),
            links=self.links,
        )


def read_html(html: str, *, base_url: str | None = None) -> HtmlDocument:
    """Return the text, title, meta keywords/description and links of an HTML string.

    Block elements become line breaks; alt and title attributes are appended after the text;
    hrefs are resolved against base_url when it is given.
    """
    reader = _Reader(base_url)
    reader.feed(html)
    reader.close()
    return reader.document()


def extract_links(html: str, *, base_url: str | None = None) -> list[Link]:
    """Return the links of an HTML string: <a href>, <area href>, <iframe src>, <frame src>."""
    return read_html(html, base_url=base_url).links
