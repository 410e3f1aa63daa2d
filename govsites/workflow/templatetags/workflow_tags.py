"""Template helpers for the review chain's admin screens and modals."""

from __future__ import annotations

from typing import Any

from django import template

from ..models.tasks import OVERRIDE_PREFIX
from ..scanning import location_label
from ..selectors import findings_of

register = template.Library()

SEVERITY_LABELS = {"info": "提示", "warning": "一般", "serious": "严重", "veto": "单项否决"}


@register.filter
def place(finding: Any, item: Any = None) -> str:
    """Show a finding's place as people say it (标题, 正文, 附件“x.pdf”第2页)."""
    model = type(item) if item is not None else None
    return location_label(finding.location, model)


@register.filter
def severity_label(value: str) -> str:
    return SEVERITY_LABELS.get(str(value), str(value))


@register.simple_tag
def override_rows(form: Any, task_state: Any) -> list[dict[str, Any]]:
    """Return each finding of a screening step with the reason typed so far and its errors."""
    rows = []
    data = getattr(form, "data", {}) or {}
    errors = getattr(form, "errors", {}) or {}
    for finding in findings_of(task_state):
        key = f"{OVERRIDE_PREFIX}{finding.pk}"
        rows.append({"finding": finding, "name": key, "value": data.get(key, ""),
                     "errors": errors.get(key, [])})
    return rows
