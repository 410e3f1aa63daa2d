"""Security incidents opened from the tamper guard's findings (RS-23 duty; the 防篡改 guard).

When `guard verify` finds a site's published files modified, injected, deleted or replaced by a
link, or its manifest implausible, the site gets a 安全事件 with the source 防篡改监测 (较大: a
defaced government page is never minor), unless it already has an open one from the guard (a
guard that runs every few minutes must not open one per run). A person then records the response
and closes it, as with incidents entered by hand; the annual report counts it.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from . import selectors
from .duty import record_incident
from .models import IncidentSeverity, IncidentSource, SecurityIncident

KIND_LABELS = {"modified": "被篡改", "injected": "被植入", "deleted": "被删除", "symlink": "被替换为链接",
               "http_modified": "对外应答被篡改", "manifest_implausible": "发布清单不可信"}
MAX_PATHS = 5


def _site_for_host(hostname: str) -> Any:
    from govsites.sites.selectors import all_sites

    return all_sites().filter(site__hostname=hostname).first() if hostname else None


def _summary(incidents: list[dict[str, str]], restored: bool) -> str:
    counts: dict[str, int] = {}
    for incident in incidents:
        counts[incident["kind"]] = counts.get(incident["kind"], 0) + 1
    what = "，".join(f"{KIND_LABELS.get(kind, kind)}{n}个" for kind, n in counts.items())
    paths = "、".join(i["path"] for i in incidents[:MAX_PATHS] if i.get("path"))
    more = f"等{len(incidents)}处" if len(incidents) > MAX_PATHS else ""
    after = "已从数据库恢复" if restored else "尚未恢复（guard verify --restore）"
    return f"防篡改监测：已发布文件{what}（{paths}{more}），{after}"


def open_incident_from_guard(*, hostname: str, incidents: list[dict[str, str]],
                             restored: bool) -> SecurityIncident | None:
    """Record one incident for a site the guard found tampered with (None: unknown host, or an
    open guard incident already covers it)."""
    site = _site_for_host(hostname)
    if site is None or not incidents:
        return None
    if selectors.has_open_incident(site, source=IncidentSource.GUARD):
        return None
    return record_incident(site=site, detected_at=timezone.now(), source=IncidentSource.GUARD,
                           severity=IncidentSeverity.LARGER,
                           summary=_summary(incidents, restored), acting_user=None)


def on_guard_incidents(sender: Any, *, hostname: str, incidents: list[dict[str, str]],
                       restored: bool, **kwargs: Any) -> None:
    open_incident_from_guard(hostname=hostname, incidents=incidents, restored=restored)


def on_guard_alert(sender: Any, *, kind: str, hostname: str, details: dict[str, Any],
                   **kwargs: Any) -> None:
    open_incident_from_guard(hostname=hostname, incidents=[{"kind": kind, "path": ""}],
                             restored=bool(details.get("rebuild")))
