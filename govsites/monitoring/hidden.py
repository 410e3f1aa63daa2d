"""Why a link is hidden from a reader: inline styles, `<style>` rules, the `hidden` attribute.

Spam injected into government pages (暗链) is usually a link that search engines see and people
do not: display:none, visibility:hidden, positioned off-screen, squeezed to zero size, or written
in the background colour. This module reads the styles an element and its ancestors carry and
names the trick, or returns "" for a visible element.
"""

from __future__ import annotations

import re
from typing import Any

_RULE_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR_RE = re.compile(r"^(?:[a-z0-9]*)([.#][\w-]+)$", re.IGNORECASE)
_LENGTH_RE = re.compile(r"^(-?\d+(?:\.\d+)?)(px|em|rem|pt|%|vw|vh)?$")

NAMED_COLOURS = {
    "white": (255, 255, 255), "black": (0, 0, 0), "red": (255, 0, 0), "green": (0, 128, 0),
    "blue": (0, 0, 255), "yellow": (255, 255, 0), "gray": (128, 128, 128),
    "grey": (128, 128, 128), "silver": (192, 192, 192), "navy": (0, 0, 128),
    "orange": (255, 165, 0), "purple": (128, 0, 128), "maroon": (128, 0, 0),
    "lime": (0, 255, 0), "aqua": (0, 255, 255), "fuchsia": (255, 0, 255),
    "teal": (0, 128, 128), "olive": (128, 128, 0), "whitesmoke": (245, 245, 245),
}
WHITE = (255, 255, 255)


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


def _length_px(value: str) -> float | None:
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
        if len(digits) in (3, 4):
            return (int(digits[0] * 2, 16), int(digits[1] * 2, 16), int(digits[2] * 2, 16))
        if len(digits) in (6, 8):
            try:
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


def element_declarations(node: Any, sheet: dict[str, dict[str, str]]) -> dict[str, str]:
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


def _own_reason(decls: dict[str, str], offscreen_px: float) -> str:
    if decls.get("display") == "none":
        return "display:none"
    if decls.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    opacity = decls.get("opacity")
    if opacity is not None:
        try:
            if float(opacity) <= 0.01:
                return "opacity:0"
        except ValueError:
            pass
    if decls.get("position") in ("absolute", "fixed"):
        for prop in ("left", "top", "right", "bottom"):
            px = _length_px(decls.get(prop, ""))
            if px is not None and px <= -offscreen_px:
                return f"off-screen ({prop}:{decls[prop]})"
    for prop in ("margin-left", "margin-top", "text-indent"):
        px = _length_px(decls.get(prop, ""))
        if px is not None and px <= -offscreen_px:
            return f"off-screen ({prop}:{decls[prop]})"
    for prop in ("width", "height", "font-size", "max-height", "max-width"):
        px = _length_px(decls.get(prop, ""))
        if px is not None and px <= 0.5:
            return f"zero size ({prop}:{decls[prop]})"
    clip = decls.get("clip", "")
    if clip.startswith("rect(") and re.fullmatch(r"rect\(\s*0(px)?[\s,]+0(px)?[\s,]+0(px)?[\s,]+0(px)?\s*\)", clip):
        return "zero size (clip)"
    return ""


def hidden_reason(node: Any, sheet: dict[str, dict[str, str]], *, offscreen_px: float = 500,
                  body_background: tuple[int, int, int] = WHITE) -> str:
    """Name how an element is hidden from readers, or return "" when it is visible."""
    colour: tuple[int, int, int] | None = None
    background: tuple[int, int, int] | None = None
    current = node
    depth = 0
    while current is not None and current.tag not in ("body", "html", "-undef") and depth < 40:
        decls = element_declarations(current, sheet)
        if decls:
            reason = _own_reason(decls, offscreen_px)
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


def body_background(body: Any, sheet: dict[str, dict[str, str]]) -> tuple[int, int, int]:
    """Return the page background colour (white unless body says otherwise)."""
    if body is None:
        return WHITE
    decls = element_declarations(body, sheet)
    decls.update(sheet.get("body", {}))
    return _background_colour(decls) or WHITE
