"""Why an element is hidden from a reader: inline styles, `<style>` rules, attributes.

Spam injected into government pages (暗链) is usually a link that search engines see and people
do not: display:none, visibility:hidden, positioned off-screen, squeezed to zero size, made
transparent, written in the background colour, or a marquee one pixel wide. hidden_reason()
reads the declarations an element and its ancestors carry and names the trick, or returns ""
for a visible element.

One module for both the screening of content and the site inspector's crawled pages. Elements are anything with `tag`,
`attributes` (a mapping) and `parent`: selectolax nodes as the inspector has them, or the light
elements markup.py keeps while it reads HTML.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from .rules import DATA_DIR

_RULE_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR_RE = re.compile(r"^(?:[a-z0-9]*)([.#][\w-]+)$", re.IGNORECASE)
_LENGTH_RE = re.compile(r"^(-?\d+(?:\.\d+)?)(px|em|rem|pt|%|vw|vh)?$")
_ZERO_CLIP_RE = re.compile(r"rect\(\s*0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?\s*\)")
_SCALE_ZERO_RE = re.compile(r"scale[xy]?\(\s*0(?:\.0+)?\s*[,)]")
_TOP_TAGS = frozenset({"body", "html", "-undef", "[document]"})

NAMED_COLOURS = {
    "white": (255, 255, 255), "black": (0, 0, 0), "red": (255, 0, 0), "green": (0, 128, 0),
    "blue": (0, 0, 255), "yellow": (255, 255, 0), "gray": (128, 128, 128),
    "grey": (128, 128, 128), "silver": (192, 192, 192), "navy": (0, 0, 128),
    "orange": (255, 165, 0), "purple": (128, 0, 128), "maroon": (128, 0, 0),
    "lime": (0, 255, 0), "aqua": (0, 255, 255), "fuchsia": (255, 0, 255),
    "teal": (0, 128, 128), "olive": (128, 128, 0), "whitesmoke": (245, 245, 245),
}
WHITE = (255, 255, 255)


class Element(Protocol):
    """What hidden_reason needs of an element."""

    @property
    def tag(self) -> str | None:
        """The tag name."""

    @property
    def attributes(self) -> Any:
        """A mapping of attribute names to values (None for a bare attribute)."""

    @property
    def parent(self) -> Any:
        """The parent element, or None."""


@dataclass(frozen=True)
class HidingData:
    """The thresholds of data/markup.json."""

    offscreen_px: float
    tiny_px: float
    max_opacity: float


@cache
def hiding_data() -> HidingData:
    """Return the national thresholds from data/markup.json."""
    with (DATA_DIR / "markup.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return HidingData(offscreen_px=float(data["offscreen_px"]), tiny_px=float(data["tiny_px"]),
                      max_opacity=float(data["max_opacity"]))


def parse_declarations(style: str) -> dict[str, str]:
    """Parse `a: b; c: d` into a lower-cased dict (later declarations win)."""
    result: dict[str, str] = {}
    for part in style.split(";"):
        if ":" in part:
            name, _, value = part.partition(":")
            value = value.replace("!important", "").strip().lower()
            result[name.strip().lower()] = value
    return result


def parse_stylesheet(css: str) -> dict[str, dict[str, str]]:
    """Map simple `.class` / `#id` / `tag.class` selectors of a stylesheet to their declarations."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in _RULE_RE.findall(css):
        decls = parse_declarations(body)
        for selector in selectors.split(","):
            selector = selector.strip()
            if selector.lower() in ("body", "html"):
                rules.setdefault("body", {}).update(decls)
                continue
            match = _SIMPLE_SELECTOR_RE.match(selector)
            if match:
                rules.setdefault(match.group(1), {}).update(decls)
    return rules


def length_px(value: str) -> float | None:
    """Return a CSS length in pixels (roughly, see data/markup.json), or None."""
    value = value.strip().split()[0] if value.strip() else ""
    match = _LENGTH_RE.match(value)
    if not match:
        return None
    number = float(match.group(1))
    unit = match.group(2) or "px"
    if unit in ("em", "rem"):
        return number * 16
    if unit == "pt":
        return number * 4 / 3
    if unit in ("%", "vw", "vh"):
        return number * 10  # a rough screen: -100% is off-screen, 0% is zero
    return number


def parse_colour(value: str) -> tuple[int, int, int] | None:
    """Return an RGB triple for a CSS colour (hex, rgb(), rgba() with alpha>0, basic names)."""
    value = value.strip().lower()
    if not value:
        return None
    token = value.split()[0] if not value.startswith("rgb") else value
    if token.startswith("#"):
        digits = token[1:]
        try:
            if len(digits) in (3, 4):
                return (int(digits[0] * 2, 16), int(digits[1] * 2, 16), int(digits[2] * 2, 16))
            if len(digits) in (6, 8):
                return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
        except ValueError:
            return None
        return None
    if token.startswith("rgb"):
        inner = token[token.find("(") + 1: token.find(")")]
        parts = [p.strip() for p in re.split(r"[,\s/]+", inner) if p.strip()]
        try:
            values = [int(float(p.rstrip("%"))) for p in parts[:3]]
        except ValueError:
            return None
        return (values[0], values[1], values[2]) if len(values) == 3 else None
    return NAMED_COLOURS.get(token)


def _background_colour(decls: dict[str, str]) -> tuple[int, int, int] | None:
    if "background-color" in decls:
        return parse_colour(decls["background-color"])
    if "background" in decls:
        for token in re.findall(r"#[0-9a-f]{3,8}|rgba?\([^)]*\)|[a-z]+", decls["background"]):
            colour = parse_colour(token)
            if colour is not None:
                return colour
    return None


def element_declarations(node: Element, sheet: dict[str, dict[str, str]]) -> dict[str, str]:
    """Collect the declarations that apply to one element: stylesheet rules, then inline style."""
    attrs = node.attributes
    decls: dict[str, str] = {}
    if sheet:
        for cls in (attrs.get("class") or "").split():
            decls.update(sheet.get("." + cls, {}))
        element_id = attrs.get("id")
        if element_id:
            decls.update(sheet.get("#" + element_id, {}))
    style = attrs.get("style")
    if style:
        decls.update(parse_declarations(style))
    if "hidden" in attrs:
        decls.setdefault("display", "none")
    return decls


def own_reason(node: Element, decls: dict[str, str], data: HidingData) -> str:
    """Name how an element's own declarations (or a marquee's size) hide it, or return ""."""
    if decls.get("display") == "none":
        return "display:none"
    if decls.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    opacity = decls.get("opacity")
    if opacity is not None:
        try:
            if float(opacity.rstrip("%")) / (100 if opacity.endswith("%") else 1) \
                    <= data.max_opacity:
                return "opacity:0"
        except ValueError:
            pass
    if decls.get("position") in ("absolute", "fixed", "relative"):
        for prop in ("left", "top", "right", "bottom"):
            px = length_px(decls.get(prop, ""))
            if px is not None and px <= -data.offscreen_px:
                return f"off-screen ({prop}:{decls[prop]})"
    for prop in ("margin-left", "margin-top", "text-indent"):
        px = length_px(decls.get(prop, ""))
        if px is not None and px <= -data.offscreen_px:
            return f"off-screen ({prop}:{decls[prop]})"
    px = length_px(decls.get("font-size", ""))
    if px is not None and px <= data.tiny_px:
        return f"zero size (font-size:{decls['font-size']})"
    if decls.get("overflow", decls.get("overflow-x", decls.get("overflow-y"))) in ("hidden",
                                                                                    "clip"):
        for prop in ("width", "height", "max-width", "max-height"):
            px = length_px(decls.get(prop, ""))
            if px is not None and px <= data.tiny_px:
                return f"zero size ({prop}:{decls[prop]} with overflow hidden)"
    if _ZERO_CLIP_RE.fullmatch(decls.get("clip", "")):
        return "zero size (clip)"
    if _SCALE_ZERO_RE.search(decls.get("transform", "")):
        return f"zero size (transform:{decls['transform']})"
    if (node.tag or "").lower() == "marquee":
        for prop in ("width", "height"):
            px = length_px(decls.get(prop, "") or str(node.attributes.get(prop) or ""))
            if px is not None and px <= data.tiny_px:
                return f"tiny marquee ({prop}:{decls.get(prop) or node.attributes.get(prop)})"
    return ""


def hidden_reason(node: Element, sheet: dict[str, dict[str, str]], *,
                  offscreen_px: float | None = None,
                  body_background: tuple[int, int, int] = WHITE,
                  data: HidingData | None = None) -> str:
    """Name how an element is hidden from readers, or return "" when it is visible."""
    data = data or hiding_data()
    if offscreen_px is not None:
        data = HidingData(offscreen_px=offscreen_px, tiny_px=data.tiny_px,
                          max_opacity=data.max_opacity)
    colour: tuple[int, int, int] | None = None
    background: tuple[int, int, int] | None = None
    current: Element | None = node
    depth = 0
    while current is not None and current.tag not in _TOP_TAGS and depth < 40:
        decls = element_declarations(current, sheet)
        if decls or (current.tag or "").lower() == "marquee":
            reason = own_reason(current, decls, data)
            if reason:
                return reason
            if colour is None and "color" in decls:
                colour = parse_colour(decls["color"])
            if background is None:
                background = _background_colour(decls)
        current = current.parent
        depth += 1
    if colour is not None and colour == (background or body_background):
        return "same colour as background"
    return ""


def body_background(body: Element | None, sheet: dict[str, dict[str, str]]) -> tuple[int, int, int]:
    """Return the page background colour (white unless body says otherwise)."""
    if body is None:
        return WHITE
    decls = element_declarations(body, sheet)
    decls.update(sheet.get("body", {}))
    return _background_colour(decls) or WHITE
