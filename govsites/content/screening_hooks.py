"""Where content meets the screening library: imports hold items that screening flags."""

from __future__ import annotations

from typing import Any

from govsites.screening import Severity, default_screener

HOLD_SEVERITIES = {Severity.SERIOUS, Severity.VETO}


def screening_hold_reason(item: Any, *, body: str | None = None, screener: Any = None) -> str:
    """Return why an item must not be published unreviewed, or "" when screening is clean.

    `body` is the HTML as it arrived, when there is one: the stored body has passed the
    sanitiser, which strips the hidden links and scripts a reviewer must still be shown.
    `screener`: the one to use (a batch passes one, instead of a version check per item).
    """
    if screener is None:
        screener = default_screener()
    findings = [*screener.scan_text(item.title, location="title"),
                *screener.scan_html(item.body if body is None else body, location="body")]
    serious = [f for f in findings if f.severity in HOLD_SEVERITIES]
    if not serious:
        return ""
    parts = list(dict.fromkeys(f"{f.rule_id}（{f.location}）：{f.evidence}" for f in serious))[:5]
    return "内容检查发现问题，需人工审核：" + "；".join(parts)
