"""Site lifecycle (ID-03, ID-24 to ID-28): requests, approval, and the state they put a site in.

A site administrator asks (`request_site_change`), someone else approves or refuses
(`decide_site_change`); approval moves the registry status through the sites app's service.
The limits are rule data: temporary offline at most `site.temporary_offline.max_per_year`
times a calendar year and `site.temporary_offline.max_days` days each, for the site kinds in
`site.temporary_offline.site_kinds` (empty: every kind); a closing notice stays up for
`site.closure.notice_min_days` days. National defaults set no limit; city variants do
(丹东, 亳州: once a year, 30 days).

亳州 第8条 adds two steps, also rule data (national: none). ID-27: a suspension of at most
`site.temporary_offline.filing_only_up_to_hours` hours is a prior written filing (报备: asked
before it starts), a longer one needs the provincial government office's consent, whose
document number the request carries (`approval_reference`). ID-28: resuming is applied for at
least `site.temporary_offline.restore_application_days` days before the planned date with the
self-check (自查情况), and approved on or after that date with the verification (核实情况) as
the decision note.

While a site is offline, closed or migrated the application answers for it
(`middleware.SiteLifecycleMiddleware`; nginx hands such sites to the application, or
redirects a migrated site itself): the notice page (503) while suspended, the closing notice
for the notice period and 410 after it, and 301 to the same address on the new site after
a migration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govsites.core import audit
from govsites.rules.resolve import value as rule_value
from govsites.sites.choices import SiteStatus
from govsites.sites.lifecycle import opening_problems
from govsites.sites.services import change_site_status

from . import audit as actions
from . import nginx_sync
from .models import ChangeAction, ChangeStatus, SiteChange


class ChangeRefused(ValidationError):
    """A lifecycle request or decision the rules do not allow (the message says why)."""


@dataclass(frozen=True)
class OfflineLimits:
    """The temporary-offline limits in force for a site (None: no limit)."""

    max_per_year: int | None
    max_days: int | None


def offline_limits(site: Any) -> OfflineLimits:
    """The limits of the rule set in force, if they apply to this kind of site."""
    kinds = rule_value("site.temporary_offline.site_kinds", site=site) or []
    if kinds and site.kind not in kinds:
        return OfflineLimits(None, None)
    per_year = rule_value("site.temporary_offline.max_per_year", site=site)
    days = rule_value("site.temporary_offline.max_days", site=site)
    return OfflineLimits(int(per_year) if per_year else None, int(days) if days else None)


def suspensions_in_year(site: Any, year: int) -> int:
    """Approved, counted temporary-offline periods of a site starting in a calendar year."""
    return SiteChange.objects.filter(site=site, action=ChangeAction.SUSPEND,
                                     status=ChangeStatus.APPROVED, counted=True,
                                     starts_on__year=year).count()


def _check_identity(site: Any) -> None:
    """ID-03: a site goes online only with its domain, 标识码 and both 备案号 valid."""
    missing = [label for label, value in (("政府网站标识码", site.site_code),
                                          ("ICP备案号", site.icp_number),
                                          ("公安机关备案号", site.police_number)) if not value]
    if missing:
        raise ChangeRefused("开设上线前须登记：" + "、".join(missing))
    site.full_clean()  # the .gov.cn domain rules and the identifiers' formats
    filings = opening_problems(site)  # the 管理备案 the rules in force ask for
    if filings:
        raise ChangeRefused("网站须完成管理备案后方可上线，尚缺：" + "、".join(filings))


def filing_only_hours(site: Any) -> int | None:
    """ID-27: the longest suspension (hours) that needs only a prior filing (None: no rule)."""
    hours = rule_value("site.temporary_offline.filing_only_up_to_hours", site=site)
    return int(hours) if hours else None


def restore_application_days(site: Any) -> int | None:
    """ID-28: days before the planned date a resumption must be applied for (None: no rule)."""
    days = rule_value("site.temporary_offline.restore_application_days", site=site)
    return int(days) if days else None


def _check_filing(site: Any, starts_on: dt.date, ends_on: dt.date, approval_reference: str,
                  *, at_request: bool) -> None:
    """ID-27: a short suspension is filed before it starts; a longer one carries the consent."""
    hours = filing_only_hours(site)
    if hours is None:
        return
    if at_request and starts_on < timezone.localdate():
        raise ChangeRefused("临时下线须事先书面报备或报批，不能补报已经开始的下线。")
    planned = ((ends_on - starts_on).days + 1) * 24
    if planned > hours and not approval_reference.strip():
        raise ChangeRefused(f"临时下线超过{hours}小时（申请为{planned}小时）须经省级政府办公厅同意，"
                            "请填写同意文件的文号。")


def _check_resume(site: Any, starts_on: dt.date | None, self_check: str, *,
                  at_request: bool) -> None:
    """ID-28: applied for N days ahead with the self-check (at request time)."""
    days = restore_application_days(site)
    if days is None or not at_request:
        return
    if starts_on is None or starts_on < timezone.localdate() + dt.timedelta(days=days):
        raise ChangeRefused(f"恢复上线须提前{days}天申请：请填写不早于"
                            f"{timezone.localdate() + dt.timedelta(days=days):%Y-%m-%d}的计划恢复上线日期。")
    if not self_check.strip():
        raise ChangeRefused("恢复上线须先自查，请填写自查情况。")


def _check(site: Any, action: str, starts_on: dt.date | None, ends_on: dt.date | None,
           target: Any, counted: bool, *, request_id: int | None = None,
           approval_reference: str = "", self_check: str = "") -> None:
    status = site.status
    pending = SiteChange.objects.filter(site=site, status=ChangeStatus.PENDING)
    if request_id is not None:
        pending = pending.exclude(pk=request_id)
    if pending.exists():
        raise ChangeRefused("该网站已有待审批的变更申请。")
    if action == ChangeAction.OPEN:
        if status != SiteStatus.PLANNED:
            raise ChangeRefused("只有筹建中的网站可以申请开设上线。")
        _check_identity(site)
    elif action == ChangeAction.SUSPEND:
        if status != SiteStatus.ONLINE:
            raise ChangeRefused("只有正常运行的网站可以申请临时下线。")
        if starts_on is None or ends_on is None or ends_on < starts_on:
            raise ChangeRefused("临时下线须填写开始日期和不早于开始日期的计划恢复日期。")
        limits = offline_limits(site)
        days = (ends_on - starts_on).days + 1
        if counted and limits.max_days is not None and days > limits.max_days:
            raise ChangeRefused(f"每次临时下线不得超过{limits.max_days}天（申请为{days}天）。")
        if (counted and limits.max_per_year is not None
                and suspensions_in_year(site, starts_on.year) >= limits.max_per_year):
            raise ChangeRefused(f"每年临时下线不得超过{limits.max_per_year}次，"
                                f"{starts_on.year}年已达上限。")
        if counted:  # force majeure or an order to close is neither filed nor asked ahead
            _check_filing(site, starts_on, ends_on, approval_reference,
                          at_request=request_id is None)
    elif action == ChangeAction.RESUME:
        if status != SiteStatus.TEMP_OFFLINE:
            raise ChangeRefused("只有临时下线的网站可以申请恢复上线。")
        _check_resume(site, starts_on, self_check, at_request=request_id is None)
    elif action in (ChangeAction.CLOSE, ChangeAction.MIGRATE):
        if status not in (SiteStatus.ONLINE, SiteStatus.TEMP_OFFLINE):
            raise ChangeRefused("只有运行中或临时下线的网站可以申请关停或迁移。")
        if action == ChangeAction.MIGRATE and (target is None or target.pk == site.pk
                                               or target.status != SiteStatus.ONLINE):
            raise ChangeRefused("整合迁移须指定另一个正常运行的网站作为迁入网站。")
    else:
        raise ChangeRefused("未知的变更事项。")


def request_site_change(*, site: Any, action: str, justification: str, acting_user: Any,
                        notice: str = "", starts_on: dt.date | None = None,
                        ends_on: dt.date | None = None, target: Any = None,
                        counted: bool = True, approval_reference: str = "",
                        self_check: str = "") -> SiteChange:
    """Ask to open, suspend, resume, close or migrate a site; checked against the rules now."""
    if not justification.strip():
        raise ChangeRefused("请填写申请理由。")
    with transaction.atomic():
        _check(site, action, starts_on, ends_on, target, counted,
               approval_reference=approval_reference, self_check=self_check)
        change = SiteChange.objects.create(
            site=site, action=action, justification=justification.strip(), notice=notice.strip(),
            starts_on=starts_on, ends_on=ends_on, target=target, counted=counted,
            approval_reference=approval_reference.strip(), self_check=self_check.strip(),
            requested_by=acting_user, requested_at=timezone.now())
        audit.record(action=actions.SITE_CHANGE_REQUEST, actor=acting_user, obj=change,
                     organisation=site.host_organisation,
                     details={"action": action, "starts_on": starts_on, "ends_on": ends_on,
                              "target": getattr(target, "pk", None)})
    return change


NEW_STATUS = {ChangeAction.OPEN: SiteStatus.ONLINE, ChangeAction.SUSPEND: SiteStatus.TEMP_OFFLINE,
              ChangeAction.RESUME: SiteStatus.ONLINE, ChangeAction.CLOSE: SiteStatus.RETIRED,
              ChangeAction.MIGRATE: SiteStatus.RETIRED}


def decide_site_change(*, change: SiteChange, approve: bool, acting_user: Any,
                       note: str = "") -> SiteChange:
    """Approve (and carry out) or refuse a pending request; the requester cannot decide it."""
    if change.status != ChangeStatus.PENDING:
        raise ChangeRefused("该申请已审批。")
    if acting_user is not None and change.requested_by_id == getattr(acting_user, "pk", None):
        raise ChangeRefused("申请人不能审批自己的申请。")
    if not approve and not note.strip():
        raise ChangeRefused("不予批准须填写审批意见。")
    if approve and change.action == ChangeAction.RESUME \
            and restore_application_days(change.site) is not None:
        if not note.strip():
            raise ChangeRefused("恢复上线须经核实：请在审批意见中填写核实情况。")
        if change.starts_on is not None and timezone.localdate() < change.starts_on:
            raise ChangeRefused(f"计划恢复上线日期为{change.starts_on:%Y-%m-%d}，此前不能批准上线。")
    with transaction.atomic():
        site = change.site
        if approve:
            _check_still_allowed(change)
            change_site_status(site=site, status=NEW_STATUS[ChangeAction(change.action)],
                               acting_user=None,
                               reason=f"{change.get_action_display()}（申请 #{change.pk}）")
            if change.action == ChangeAction.RESUME:
                SiteChange.objects.filter(site=site, action=ChangeAction.SUSPEND,
                                          status=ChangeStatus.APPROVED,
                                          ended_at__isnull=True).update(ended_at=timezone.now())
            # nginx answers the site by its new status only after a regenerated configuration
            transaction.on_commit(nginx_sync.after_lifecycle_change)
        change.status = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
        change.decided_by = acting_user
        change.decided_at = timezone.now()
        change.decision_note = note.strip()
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(action=actions.SITE_CHANGE_DECIDE, actor=acting_user, obj=change,
                     organisation=site.host_organisation,
                     details={"action": change.action, "approved": approve, "note": note})
    forget_site_states()
    return change


def _check_still_allowed(change: SiteChange) -> None:
    """Re-run the request's checks at approval (the site may have changed since)."""
    _check(change.site, change.action, change.starts_on, change.ends_on, change.target,
           change.counted, request_id=change.pk, approval_reference=change.approval_reference,
           self_check=change.self_check)


@dataclass(frozen=True)
class SiteState:
    """How the application answers for a site that is not simply online."""

    mode: str  # "suspended", "closed", "gone" or "moved"
    notice: str
    until: dt.date | None = None
    target_url: str = ""


_states: dict[str, tuple[float, SiteState | None]] = {}
STATE_TTL_SECONDS = 5.0


def forget_site_states() -> None:
    """Drop the per-process cache of site states (after a decision)."""
    _states.clear()


def state_for(site_profile: Any, *, today: dt.date | None = None) -> SiteState | None:
    """The state a site is answered in, or None when its pages are served normally."""
    if site_profile.status == SiteStatus.TEMP_OFFLINE:
        change = _last(site_profile, (ChangeAction.SUSPEND,))
        return SiteState("suspended", change.notice if change else "", change.ends_on if change else None)
    if site_profile.status != SiteStatus.RETIRED:
        return None
    change = _last(site_profile, (ChangeAction.CLOSE, ChangeAction.MIGRATE))
    if change is not None and change.action == ChangeAction.MIGRATE and change.target is not None:
        return SiteState("moved", change.notice, target_url=site_base_url(change.target))
    today = today or timezone.localdate()
    notice_days = int(rule_value("site.closure.notice_min_days", site=site_profile) or 30)
    decided = timezone.localdate(change.decided_at) if change and change.decided_at else today
    until = decided + dt.timedelta(days=notice_days)
    return SiteState("closed" if today < until else "gone", change.notice if change else "", until)


def _last(site: Any, kinds: tuple[str, ...]) -> SiteChange | None:
    return (SiteChange.objects.filter(site=site, action__in=kinds, status=ChangeStatus.APPROVED)
            .select_related("target__site").order_by("-decided_at").first())


def site_base_url(profile: Any) -> str:
    """Where a site answers: its public domain (scheme from settings) for redirects."""
    from django.conf import settings

    return f"{settings.GOVSITES_PUBLIC_SCHEME}://{profile.domain}"


def cached_state_for(hostname: str, site_profile_loader: Any) -> SiteState | None:
    """state_for with a few seconds' per-process cache keyed by host name."""
    import time

    now = time.monotonic()
    hit = _states.get(hostname)
    if hit is not None and now - hit[0] < STATE_TTL_SECONDS:
        return hit[1]
    profile = site_profile_loader()
    state = state_for(profile) if profile is not None else None
    _states[hostname] = (now, state)
    return state


def overdue_suspensions(*, today: dt.date | None = None, warn_days: int = 3) -> list[SiteChange]:
    """Suspensions still in force whose planned end is within `warn_days` or past; where a
    resumption must be applied for N days ahead (ID-28), within N + `warn_days`."""
    today = today or timezone.localdate()
    candidates = SiteChange.objects.filter(
        action=ChangeAction.SUSPEND, status=ChangeStatus.APPROVED, ended_at__isnull=True,
        site__status=SiteStatus.TEMP_OFFLINE).select_related("site__host_organisation")
    return [change for change in candidates if change.ends_on is not None
            and change.ends_on <= today + dt.timedelta(
                days=warn_days + (restore_application_days(change.site) or 0))]


def nginx_overrides() -> dict[str, str]:
    """Wagtail host name → how nginx answers it: 'app' (the application) or '301 <base>'."""
    from govsites.sites.selectors import all_sites

    out: dict[str, str] = {}
    for profile in all_sites().exclude(status__in=(SiteStatus.ONLINE, SiteStatus.PLANNED)):
        state = state_for(profile)
        if state is None:
            continue
        out[profile.site.hostname] = (f"301 {state.target_url}" if state.mode == "moved" else "app")
    return out
