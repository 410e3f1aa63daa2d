"""Page design rules an inspector can see (CC-32): how many colour families a site's pages use,
and whether pages of one kind share one template.

《网页设计规范》 as quoted by a secondary source (attribution to the national attachment is
unconfirmed, so the values are provisional rule data): 确定1种主色调，总色调不宜超过3种; 同类栏目、
同类信息使用统一模板.

Colours: every colour written in the CSS the crawl saw (the home page's <style> elements and
style attributes, and the site's own stylesheets) is turned into hue, saturation and lightness.
Neutrals (white, black and greys: low saturation or extreme lightness) are not a 色调; the
others are grouped into families of neighbouring hues (`hue_tolerance_degrees`), so the shades
and tints of one red are one family. Rules for alternative reading modes (high contrast, care
mode: selectors holding one of `ignore_selector_words`) and @media blocks for print or forced
colours are left out: they are not the page's design.

Templates: a page's layout is the skeleton of its chrome (the body's children and, outside the
main content, their children: tag, id and classes) with the main content's own tag and classes.
Item pages of one column type, and column pages of one column type, should share one.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterable
from dataclasses import dataclass

_HEX = re.compile(r"#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})\b")
_FUNC = re.compile(r"\b(rgba?|hsla?)\(\s*([^)]*)\)", re.IGNORECASE)
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_MEDIA = re.compile(r"@media([^{]*)\{((?:[^{}]*\{[^{}]*\})*[^{}]*)\}", re.IGNORECASE)
#: @media blocks that are not the page as normally shown.
_OTHER_MEDIA = ("print", "forced-colors", "prefers-contrast", "-ms-high-contrast")
#: a few named colours pages write (CSS Color 4 values)
NAMED = {"red": "#ff0000", "green": "#008000", "blue": "#0000ff", "yellow": "#ffff00",
         "orange": "#ffa500", "purple": "#800080", "navy": "#000080", "maroon": "#800000",
         "teal": "#008080", "olive": "#808000", "lime": "#00ff00", "aqua": "#00ffff",
         "fuchsia": "#ff00ff", "pink": "#ffc0cb", "brown": "#a52a2a"}
_NAMED = re.compile(r"(?<![-\w#])(" + "|".join(NAMED) + r")(?![-\w])", re.IGNORECASE)
_COLOUR_PROPERTY = re.compile(r"(?:^|;)\s*([-a-z]*colou?r|background(?:-image)?|border(?:-[a-z]+)?|"
                              r"outline|fill|stroke|box-shadow|text-shadow|text-decoration)"
                              r"\s*:\s*([^;]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Colour:
    """One colour as written, with its hue (degrees), saturation and lightness (0–1)."""

    written: str
    hue: float
    saturation: float
    lightness: float


def _from_rgb(written: str, red: float, green: float, blue: float) -> Colour:
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    return Colour(written, hue * 360, saturation, lightness)


def _parse_hex(digits: str) -> tuple[float, float, float]:
    if len(digits) in (3, 4):
        digits = "".join(char * 2 for char in digits[:3])
    return tuple(int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _number(text: str, scale: float) -> float:
    text = text.strip()
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text) / scale


def colours_in(declarations: str) -> list[Colour]:
    """The colours written in CSS declarations (only in colour-bearing properties)."""
    found: list[Colour] = []
    for _, value in _COLOUR_PROPERTY.findall(declarations):
        for match in _HEX.finditer(value):
            digits = match.group(1)
            if len(digits) in (4, 8) and int(digits[-1 if len(digits) == 4 else -2:], 16) == 0:
                continue  # fully transparent
            found.append(_from_rgb(match.group(0).lower(), *_parse_hex(digits)))
        for match in _FUNC.finditer(value):
            parts = [p for p in re.split(r"[\s,/]+", match.group(2).strip()) if p]
            try:
                if match.group(1).lower().startswith("rgb") and len(parts) >= 3:
                    found.append(_from_rgb(match.group(0).lower(),
                                           *(_number(p, 255) for p in parts[:3])))
                elif len(parts) >= 3:
                    hue = float(parts[0].rstrip("deg")) % 360
                    red, green, blue = colorsys.hls_to_rgb(hue / 360, _number(parts[2], 100),
                                                           _number(parts[1], 100))
                    found.append(_from_rgb(match.group(0).lower(), red, green, blue))
            except ValueError:
                continue
        for match in _NAMED.finditer(value):
            found.append(_from_rgb(match.group(1).lower(),
                                   *_parse_hex(NAMED[match.group(1).lower()][1:])))
    return found


def stylesheet_colours(css: str, *, ignore_selector_words: Iterable[str] = ()) -> list[Colour]:
    """The colours of a stylesheet's rules, without alternative reading modes and print."""
    words = [word.lower() for word in ignore_selector_words if word]
    css = _COMMENT.sub(" ", css)

    def drop_other_media(match: re.Match[str]) -> str:
        prelude = match.group(1).lower()
        return " " if any(kind in prelude for kind in _OTHER_MEDIA) else match.group(2)

    css = _MEDIA.sub(drop_other_media, css)
    found: list[Colour] = []
    for selector, body in _RULE.findall(css):
        if any(word in selector.lower() for word in words):
            continue
        found.extend(colours_in(body))
    return found


def is_neutral(colour: Colour, *, min_saturation: float = 0.2) -> bool:
    """White, black and greys (and near-white or near-black tints) are not a 色调."""
    return colour.saturation < min_saturation or colour.lightness < 0.08 \
        or colour.lightness > 0.97


def colour_families(colours: Iterable[Colour], *, hue_tolerance: float) -> list[list[Colour]]:
    """Group the chromatic colours into families of neighbouring hues (on the colour circle)."""
    chromatic = sorted((c for c in colours if not is_neutral(c)), key=lambda c: c.hue)
    if not chromatic:
        return []
    families: list[list[Colour]] = [[chromatic[0]]]
    for colour in chromatic[1:]:
        if colour.hue - families[-1][-1].hue <= hue_tolerance:
            families[-1].append(colour)
        else:
            families.append([colour])
    if len(families) > 1 and chromatic[0].hue + 360 - chromatic[-1].hue <= hue_tolerance:
        families[0] = families.pop() + families[0]  # reds at 350° and 5° are one family
    return families


def describe(family: list[Colour]) -> str:
    """A family as a reader sees it: its distinct colours, most written first."""
    seen = dict.fromkeys(colour.written for colour in family)
    return "、".join(list(seen)[:4]) + ("等" if len(seen) > 4 else "")
