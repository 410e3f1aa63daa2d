"""Read an HTML page or rich-text fragment as screening sees it: text, title, meta and links,
and the constructs a reviewer must see: hidden links and text, scripts, frames, redirects.

Hidden elements are read too: injected gambling text and links are usually hidden with CSS, and
they are exactly what screening has to catch. Script and style contents are not text. The
reader keeps the chain of open elements, so that hidden.hidden_reason() can tell whether a link
or a piece of text is hidden by its own style, an ancestor's, a `<style>` rule of the same
document, the `hidden` attribute or a tiny marquee.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .hidden import HidingData, body_background, hidden_reason, hiding_data, parse_stylesheet
from .links import Link, resolve
from .rules import (
    BASE,
    EVENT_HANDLER,
    FRAME,
    HIDDEN_LINK,
    HIDDEN_TEXT,
    JAVASCRIPT_URL,
    META_REFRESH,
    SCRIPT,
)

_SKIPPED = frozenset({"script", "style", "template"})
# Tags that separate words visually; inline tags (span, a, font, b) do not break a word, so
# text split over spans to evade screening is still read as one run.
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "option", "p", "pre", "section", "table", "tbody",
    "td", "tfoot", "th", "thead", "title", "tr", "ul",
})
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
})
_META_NAMES = frozenset({"keywords", "description", "title"})
_FRAMES = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet"})
#: Attributes whose value a browser follows or loads as a URL.
_URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "data", "poster", "background", "xlink:href",
    "lowsrc", "dynsrc", "cite", "longdesc", "codebase", "archive", "ping", "manifest", "srcdoc",
})
# A browser ignores ASCII whitespace and control characters inside a URL's scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:text/html",
                   "data:application/xhtml", "data:image/svg")
_STYLE_SCRIPT = re.compile(r"expression\s*\(|(?:url\s*\(\s*['\"]?\s*)(?:java|vb)script:",
                           re.IGNORECASE)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
_SOURCE_WHITESPACE = re.compile(r"[ \t\n\r\f]{2,}|[\t\n\r\f]")
_MAX_DEPTH = 256
_EVIDENCE = 200


@dataclass
class Construct:
    """Something in the markup a reviewer must see: rule id, the markup, why it counts."""

    rule_id: str
    evidence: str
    reason: str = ""
    href: str = ""


@dataclass
class HtmlDocument:
    """What screening reads from one piece of HTML."""

    text: str = ""
    title: str = ""
    meta: str = ""
    links: list[Link] = field(default_factory=list)
    constructs: list[Construct] = field(default_factory=list)


class _Element:
    """An open element, as hidden.hidden_reason() walks them."""

    __slots__ = ("attributes", "hides", "parent", "tag")

    def __init__(self, tag: str, attributes: dict[str, str], parent: _Element | None) -> None:
        self.tag = tag
        self.attributes = attributes
        self.parent = parent
        self.hides: str | None = None  # the hidden reason, once asked


def _tag_text(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    """Return a start tag as evidence: `<a href="…" style="…">`, cut to a readable length."""
    shown = " ".join(f'{name}="{value}"' if value is not None else name
                     for name, value in attrs)
    text = f"<{tag} {shown}>" if shown else f"<{tag}>"
    return text if len(text) <= _EVIDENCE else text[:_EVIDENCE - 1] + "…"


def is_script_url(value: str) -> bool:
    """Return whether a URL attribute runs script (javascript:, also disguised by entities,
    case and embedded whitespace, which HTML parsers ignore)."""
    return _URL_NOISE.sub("", value).lower().startswith(_SCRIPT_SCHEMES)


class _Reader(HTMLParser):
    def __init__(self, base_url: str | None, sheet: dict[str, dict[str, str]],
                 hiding: HidingData) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.sheet = sheet
        self.hiding = hiding
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.meta_parts: list[str] = []
        self.attr_parts: list[str] = []
        self.links: list[Link] = []
        self.constructs: list[Construct] = []
        self.skip_depth = 0
        self.in_title = False
        self.anchor_href: str | None = None
        self.anchor_text: list[str] = []
        self.anchor: tuple[str, str, str] | None = None  # (tag text, href, hidden reason)
        self.stack: list[_Element] = []
        self.script: Construct | None = None
        self.hidden_roots: set[int] = set()
        self.background = body_background(None, sheet)

    # -- elements ----------------------------------------------------------------------------

    def _open(self, tag: str, values: dict[str, str]) -> _Element:
        parent = self.stack[-1] if self.stack else None
        element = _Element(tag, values, parent)
        if tag == "body":
            self.background = body_background(element, self.sheet)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(element)
        return element

    def _close(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def _hidden(self, element: _Element | None) -> str:
        if element is None:
            return ""
        if element.hides is None:
            element.hides = hidden_reason(element, self.sheet, body_background=self.background,
                                          data=self.hiding)
        return element.hides

    def _hiding_root(self, element: _Element) -> _Element:
        """Return the outermost element of the hidden subtree element belongs to."""
        root = element
        current = element.parent
        while current is not None and self._hidden(current):
            root = current
            current = current.parent
        return root

    # -- parser callbacks --------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self._check_construct(tag, attrs, values)
        element = self._open(tag, values)
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
            reason = self._hidden(element)
            self.anchor = (_tag_text(tag, attrs), self.anchor_href, reason)
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
            self._close(tag)
        elif tag == "a":
            self._close_anchor()
            self._close(tag)
        elif tag not in _VOID:
            self._close(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
            if tag == "script":
                self.script = None
            self._close(tag)
            return
        if tag == "title":
            self.in_title = False
        elif tag == "a":
            self._close_anchor()
        if tag in _BLOCK:
            self.parts.append("\n")
        self._close(tag)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            if self.script is not None and data.strip() and not self.script.reason:
                self.script.reason = " ".join(data.split())[:_EVIDENCE]
            return
        if self.in_title:
            self.title_parts.append(data)
            return
        # A run of whitespace in the source is one space on the page; only blocks break lines.
        self.parts.append(_SOURCE_WHITESPACE.sub(" ", data))
        if self.anchor_href is not None:
            self.anchor_text.append(data)
        elif data.strip() and self.stack:
            self._check_hidden_text(data)

    def _check_hidden_text(self, data: str) -> None:
        element = self.stack[-1]
        reason = self._hidden(element)
        if not reason:
            return
        root = self._hiding_root(element)
        if id(root) in self.hidden_roots:
            return
        self.hidden_roots.add(id(root))
        self.constructs.append(Construct(
            HIDDEN_TEXT, " ".join(data.split())[:_EVIDENCE], reason=reason))

    def _check_construct(self, tag: str, attrs: list[tuple[str, str | None]],
                         values: dict[str, str]) -> None:
        """Record scripts, event handlers, script URLs, frames, refreshes and base URLs."""
        shown = _tag_text(tag, attrs)
        if tag == "script":
            self.script = Construct(SCRIPT, shown, href=values.get("src", ""))
            self.constructs.append(self.script)
        elif tag in _FRAMES and not (tag == "embed" and "embedtype" in values):
            # <embed embedtype="image"> is Wagtail's own rich-text format, not a frame.
            self.constructs.append(Construct(FRAME, shown, href=values.get(
                "src", values.get("data", ""))))
        elif tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            self.constructs.append(Construct(META_REFRESH, shown,
                                             reason=values.get("content", "")))
        elif tag == "base" and values.get("href"):
            self.constructs.append(Construct(BASE, shown, href=values["href"]))
        for name, value in attrs:
            if name.startswith("on") and len(name) > 2:
                self.constructs.append(Construct(EVENT_HANDLER, shown, reason=name))
            elif name in _URL_ATTRIBUTES and value and is_script_url(value):
                self.constructs.append(Construct(JAVASCRIPT_URL, shown, reason=name,
                                                 href=value[:_EVIDENCE]))
            elif name == "style" and value and _STYLE_SCRIPT.search(value):
                self.constructs.append(Construct(JAVASCRIPT_URL, shown, reason=name))

    def _close_anchor(self) -> None:
        if self.anchor_href is not None:
            text = " ".join("".join(self.anchor_text).split())
            self.links.append(Link(href=self.anchor_href, text=text, source="a"))
            if self.anchor is not None and self.anchor[2] and not self.anchor_href.startswith(
                    "#") and not is_script_url(self.anchor_href):
                shown, href, reason = self.anchor
                evidence = f"{shown}{text}</a>"
                self.constructs.append(Construct(HIDDEN_LINK, evidence[:_EVIDENCE],
                                                 reason=reason, href=href))
        self.anchor_href = None
        self.anchor_text = []
        self.anchor = None

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
            constructs=self.constructs,
        )


def read_html(html: str, *, base_url: str | None = None,
              hiding: HidingData | None = None) -> HtmlDocument:
    """Return the text, title, meta keywords/description, links and constructs of HTML.

    Block elements become line breaks (whitespace in the source is one space, as a browser
    shows it); alt and title attributes
    are appended after the text; hrefs are resolved against base_url when it is given.
    """
    sheet: dict[str, dict[str, str]] = {}
    if "<style" in html or "<STYLE" in html:
        for css in _STYLE_BLOCK.findall(html):
            for selector, declarations in parse_stylesheet(css).items():
                sheet.setdefault(selector, {}).update(declarations)
    reader = _Reader(base_url, sheet, hiding or hiding_data())
    reader.feed(html)
    reader.close()
    return reader.document()


def extract_links(html: str, *, base_url: str | None = None) -> list[Link]:
    """Return the links of an HTML string: <a href>, <area href>, <iframe src>, <frame src>."""
    return read_html(html, base_url=base_url).links
