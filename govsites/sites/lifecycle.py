"""A site's life as the city's data bureau records it: 开办批准, 管理备案, 网站标识 and domain
registry clocks, registry changes and their filing, domain changes, permanent closure.

Rules encoded here (each number is a rule parameter read for the site, through
`govsites.rules`; deadlines in working days go through the core calendar):

- ID-03 a site goes online only with every 管理备案 of `site.opening.required_filings`
  (`opening_problems`; `services.change_site_status` refuses 筹建中 → 正常运行 without them and
  operations' 开设上线 request shows the same sentence).
- ID-04 the go-live clock: `site.opening.go_live_days` days from the recorded approval
  (`record_opening_approval`); it stops when the site goes online.
- ID-05 the 开通公告: when `site.opening.notice_required`, going online puts a notice on the
  portal's home page for `site.opening.notice_min_days` days.
- ID-16 the 编制 authority's review of the 网站标识 application: first review within
  `site.conac_mark.first_review_working_days` working days of the application, full review within
  `site.conac_mark.full_review_working_days` after the paper materials arrive.
- ID-21 a registry change (`services.update_site`) is filed with the supervisor within
  `site.registry_change.report_working_days` working days; where `site.registry_change.public_notice`
  holds and the change touches `site.registry_change.public_notice_fields`, the filing also
  announces it on the site's home page for `site.registry_change.notice_days` days.
- ID-22 a domain change is announced on the site's home page for `site.domain_change.notice_months`
  months; the old domain cannot be recorded as cancelled before.
- ID-23 the domain registry registers or cancels within `site.domain_registry.working_days`
  working days of its verification.
- ID-24 a site closed or migrated (→ 已关停) must cancel its ICP备案, 网站标识, 公安备案 and domain
  and report its status within `site.closure.complete_within_days` days of the approval.

Every clock is a `SiteClock` row whose deadline is fixed when it starts; the daily job
`sites.clocks` (tasks.py) reminds the registry keepers `site.clocks.remind_working_days` working
days ahead and every day once a clock is overdue. Each write below is one service: keyword-only,
permission-checked (`acting_user=None` is the platform itself), atomic, one audit record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govsites.core import audit
from govsites.core.audit_actions import register_action
from govsites.core.calendar import add_working_days

from . import policies
from .choices import ClockKind, ClosureStep, FilingKind, NoticeKind, SiteKind, SiteStatus
from .models import SiteClock, SiteFiling, SiteNotice, SiteProfile

register_action("sites.filing.record", "登记管理备案")
register_action("sites.clock.start", "登记时限事项")
register_action("sites.clock.complete", "办结时限事项")
register_action("sites.closure.step", "登记永久下线注销事项")


def _rule(key: str, site: Any) -> Any:
    from govsites.rules.resolve import value

    return value(key, site=site)


def _int_or_none(raw: Any) -> int | None:
    return int(raw) if raw not in (None, "", 0) else None


# ---------------------------------------------------------------- clocks and their deadlines

@dataclass(frozen=True)
class ClockSpec:
    """How a kind of clock is timed: its rule, the parameter giving the period, the unit."""

    rule: str
    unit: str  # "working_days", "days" or "months"


CLOCKS: dict[str, ClockSpec] = {
    ClockKind.GO_LIVE: ClockSpec("ID-04", "days"),
    ClockKind.MARK_FIRST_REVIEW: ClockSpec("ID-16", "working_days"),
    ClockKind.MARK_FULL_REVIEW: ClockSpec("ID-16", "working_days"),
    ClockKind.DOMAIN_REGISTRY: ClockSpec("ID-23", "working_days"),
    ClockKind.REGISTRY_FILING: ClockSpec("ID-21", "working_days"),
    ClockKind.DOMAIN_NOTICE: ClockSpec("ID-22", "months"),
    ClockKind.CLOSURE: ClockSpec("ID-24", "days"),
}


def clock_period(kind: str, site: Any) -> int | None:
    """The period the rule set in force gives a clock of this kind (None: no period)."""
    if kind == ClockKind.GO_LIVE:
        return _int_or_none(_rule("site.opening.go_live_days", site))
    if kind == ClockKind.MARK_FIRST_REVIEW:
        return _int_or_none(_rule("site.conac_mark.first_review_working_days", site))
    if kind == ClockKind.MARK_FULL_REVIEW:
        return _int_or_none(_rule("site.conac_mark.full_review_working_days", site))
    if kind == ClockKind.DOMAIN_REGISTRY:
        return _int_or_none(_rule("site.domain_registry.working_days", site))
    if kind == ClockKind.REGISTRY_FILING:
        return _int_or_none(_rule("site.registry_change.report_working_days", site))
    if kind == ClockKind.DOMAIN_NOTICE:
        return _int_or_none(_rule("site.domain_change.notice_months", site))
    if kind == ClockKind.CLOSURE:
        return _int_or_none(_rule("site.closure.complete_within_days", site))
    raise ValueError(f"unknown clock kind {kind!r}")


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` months on (the month's last day where it has no such day)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def due_date(kind: str, site: Any, started_on: dt.date) -> dt.date | None:
    """The deadline of a clock starting on `started_on` (working days through the calendar)."""
    period = clock_period(kind, site)
    if period is None:
        return None
    unit = CLOCKS[kind].unit
    if unit == "working_days":
        return add_working_days(started_on, period)
    if unit == "months":
        return months_later(started_on, period)
    return started_on + dt.timedelta(days=period)


def _new_clock(site: Any, kind: str, started_on: dt.date, subject: str, *, reference: str = "",
               details: dict[str, Any] | None = None) -> SiteClock:
    clock = SiteClock(site=site, kind=kind, rule=CLOCKS[kind].rule, subject=subject,
                      started_on=started_on, due_on=due_date(kind, site, started_on),
                      reference=reference.strip(), details=details or {})
    clock.full_clean()
    clock.save()
    return clock


def _clock_audit(clock: SiteClock) -> dict[str, Any]:
    return {"clock": clock.pk, "kind": clock.kind, "rule": clock.rule,
            "started_on": str(clock.started_on), "due_on": str(clock.due_on or "")}


def _open_clock(site: Any, kind: str) -> SiteClock | None:
    return (SiteClock.objects.filter(site=site, kind=kind, completed_on__isnull=True)
            .order_by("-started_on", "-pk").first())


def _may_edit(acting_user: Any, site: Any) -> None:
    if acting_user is not None:
        policies.refuse_unless(policies.can_edit_site(acting_user, site))


def _not_future(day: dt.date, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(f"{what}不能晚于今天。")


# ---------------------------------------------------------------------------------- ID-03

def _has_filing(site: Any, kind: str, filings: dict[str, SiteFiling]) -> bool:
    filing = filings.get(kind)
    if filing is not None and filing.cancelled_on is None:
        return True
    by_field: dict[str, str] = {FilingKind.ICP: site.icp_number, FilingKind.POLICE: site.police_number,
                FilingKind.SITE_CODE: site.site_code}
    if kind in by_field:  # the registry field is the filing's number (validated there)
        return bool(by_field[kind])
    return False


def opening_problems(site: Any) -> list[str]:
    """ID-03: the 管理备案 of `site.opening.required_filings` a site still lacks (labels)."""
    required = _rule("site.opening.required_filings", site) or []
    filings = {f.kind: f for f in SiteFiling.objects.filter(site=site)} if site.pk else {}
    return [str(FilingKind(kind).label) for kind in required
            if not _has_filing(site, kind, filings)]


def check_ready_to_open(site: Any) -> None:
    """Raise ValidationError naming the missing 管理备案 (ID-03), else return."""
    missing = opening_problems(site)
    if missing:
        raise ValidationError("网站须完成管理备案后方可上线，尚缺：" + "、".join(missing))


def record_filing(*, site: SiteProfile, kind: str, filed_on: dt.date, acting_user: Any,
                  reference: str = "") -> SiteFiling:
    """Record (or renew) one 管理备案 of a site (ID-03)."""
    if kind not in FilingKind.values:
        raise ValidationError("未知的备案事项。")
    _may_edit(acting_user, site)
    _not_future(filed_on, "备案日期")
    with transaction.atomic():
        filing, _ = SiteFiling.objects.get_or_create(site=site, kind=kind,
                                                     defaults={"filed_on": filed_on})
        filing.filed_on, filing.reference = filed_on, reference.strip()
        filing.cancelled_on, filing.cancel_reference = None, ""
        filing.full_clean()
        filing.save()
        audit.record(action="sites.filing.record", actor=acting_user, obj=filing,
                     organisation=site.host_organisation,
                     details={"kind": kind, "reference": filing.reference,
                              "filed_on": str(filed_on)})
    return filing


# --------------------------------------------------------------------- clocks started by hand

def record_opening_approval(*, site: SiteProfile, approved_on: dt.date, reference: str,
                            acting_user: Any) -> SiteClock:
    """ID-04: the approval to open a site (批准文号) starts its go-live clock."""
    _may_edit(acting_user, site)
    _not_future(approved_on, "批准日期")
    if site.status != SiteStatus.PLANNED:
        raise ValidationError("只有筹建中的网站可以登记开办批准。")
    if _open_clock(site, ClockKind.GO_LIVE) is not None:
        raise ValidationError("该网站已登记开办批准。")
    if not reference.strip():
        raise ValidationError("请填写开办批准的文号。")
    return _start(site, ClockKind.GO_LIVE, approved_on, acting_user,
                  subject=f"“{site.name}”自批准之日起达标上线", reference=reference)


def record_mark_application(*, site: SiteProfile, submitted_on: dt.date, acting_user: Any,
                            reference: str = "") -> SiteClock:
    """ID-16: a 网站标识 application handed to the 编制 authority starts the first-review clock."""
    _may_edit(acting_user, site)
    _not_future(submitted_on, "申请日期")
    if _open_clock(site, ClockKind.MARK_FIRST_REVIEW) is not None:
        raise ValidationError("该网站已有未办结的网站标识申请。")
    return _start(site, ClockKind.MARK_FIRST_REVIEW, submitted_on, acting_user,
                  subject=f"机构编制部门初审“{site.name}”的网站标识申请", reference=reference)


def record_mark_materials(*, site: SiteProfile, received_on: dt.date,
                          acting_user: Any) -> SiteClock:
    """ID-16: the paper materials reaching the 编制 authority start the full-review clock."""
    _may_edit(acting_user, site)
    _not_future(received_on, "收到纸质材料日期")
    application = (SiteClock.objects.filter(site=site, kind=ClockKind.MARK_FIRST_REVIEW)
                   .order_by("-started_on", "-pk").first())
    if application is None:
        raise ValidationError("请先登记网站标识申请。")
    if received_on < application.started_on:
        raise ValidationError("收到纸质材料的日期不能早于提交申请的日期。")
    if _open_clock(site, ClockKind.MARK_FULL_REVIEW) is not None:
        raise ValidationError("该网站的网站标识申请已在审核中。")
    return _start(site, ClockKind.MARK_FULL_REVIEW, received_on, acting_user,
                  subject=f"机构编制部门审核“{site.name}”的网站标识申请（纸质材料）",
                  reference=application.reference)


DOMAIN_OPERATIONS = {"register": "注册", "cancel": "注销"}


def record_domain_verification(*, site: SiteProfile, domain: str, operation: str,
                               verified_on: dt.date, acting_user: Any) -> SiteClock:
    """ID-23: the domain registry's verification starts its registration/cancellation clock."""
    _may_edit(acting_user, site)
    _not_future(verified_on, "核验通过日期")
    if operation not in DOMAIN_OPERATIONS:
        raise ValidationError("请选择域名注册或注销。")
    domain = domain.strip().lower()
    if not domain:
        raise ValidationError("请填写域名。")
    verb = DOMAIN_OPERATIONS[operation]
    return _start(site, ClockKind.DOMAIN_REGISTRY, verified_on, acting_user,
                  subject=f"域名注册管理机构{verb}域名 {domain}",
                  details={"domain": domain, "operation": operation})


def _start(site: Any, kind: str, started_on: dt.date, acting_user: Any, *, subject: str,
           reference: str = "", details: dict[str, Any] | None = None) -> SiteClock:
    with transaction.atomic():
        clock = _new_clock(site, kind, started_on, subject, reference=reference, details=details)
        audit.record(action="sites.clock.start", actor=acting_user, obj=clock,
                     organisation=site.host_organisation, details=_clock_audit(clock))
    return clock


# ------------------------------------------------------------------------- completing a clock

def complete_clock(*, clock: SiteClock, completed_on: dt.date, acting_user: Any,
                   reference: str = "", notice_text: str = "") -> SiteClock:
    """Record that the step a clock times was done (late is recorded as late).

    - 网站标识 full review: the reference is the mark's number; the 党政机关网站标识 filing is
      recorded with it (ID-03).
    - domain registration: the domain filing is recorded (ID-03).
    - registry change filing (ID-21): where the change must be announced, `notice_text` is
      required and is shown on the site's home page.
    - domain-change notice (ID-22): the old domain's cancellation, refused before the period ends.
    - closure (ID-24) completes through `record_closure_step`.
    """
    site = clock.site
    _may_edit(acting_user, site)
    _not_future(completed_on, "完成日期")
    if not clock.is_open:
        raise ValidationError("该事项已办结。")
    if completed_on < clock.started_on:
        raise ValidationError("完成日期不能早于起算日期。")
    if clock.kind in (ClockKind.GO_LIVE, ClockKind.CLOSURE):
        raise ValidationError("达标上线随开设上线审批完成；永久下线请逐项登记注销事项。")
    if (clock.kind == ClockKind.DOMAIN_NOTICE and clock.due_on is not None
            and completed_on < clock.due_on):
        raise ValidationError(f"域名调整须在首页公告期满后方可注销原域名：{clock.due_on:%Y-%m-%d}起"
                              "方可登记注销。")
    announce = clock.kind == ClockKind.REGISTRY_FILING and bool(clock.details.get("announce"))
    if announce and not notice_text.strip():
        raise ValidationError("本次变更须向社会公告：请填写公告内容。")
    extra: dict[str, Any] = {}
    with transaction.atomic():
        clock.completed_on = completed_on
        clock.completion_reference = reference.strip()
        clock.save(update_fields=["completed_on", "completion_reference"])
        if clock.kind == ClockKind.MARK_FULL_REVIEW:
            _upsert_filing(site, FilingKind.CONAC_MARK, completed_on, reference)
            extra["filing"] = FilingKind.CONAC_MARK
        if (clock.kind == ClockKind.DOMAIN_REGISTRY
                and clock.details.get("operation") == "register"
                and clock.details.get("domain") == site.domain):
            _upsert_filing(site, FilingKind.DOMAIN, completed_on, reference or site.domain)
            extra["filing"] = FilingKind.DOMAIN
        if announce:
            notice = _post_notice(
                shown_on=site, about=site, kind=NoticeKind.REGISTRY_CHANGE,
                title=f"关于“{site.name}”网站登记信息变更的公告", body=notice_text.strip(),
                days=int(_rule("site.registry_change.notice_days", site)))
            extra["notice"] = notice.pk
        audit.record(action="sites.clock.complete", actor=acting_user, obj=clock,
                     organisation=site.host_organisation,
                     details=_clock_audit(clock) | {"completed_on": str(completed_on),
                                                    "late": clock.completed_late,
                                                    "reference": clock.completion_reference}
                     | extra)
    return clock


def _upsert_filing(site: Any, kind: str, filed_on: dt.date, reference: str) -> SiteFiling:
    filing, _ = SiteFiling.objects.update_or_create(
        site=site, kind=kind, defaults={"filed_on": filed_on, "reference": reference.strip(),
                                        "cancelled_on": None, "cancel_reference": ""})
    return filing


def record_closure_step(*, site: SiteProfile, step: str, done_on: dt.date, acting_user: Any,
                        reference: str = "") -> SiteClock:
    """ID-24: one of a closed site's cancellations (or its status report) is done.

    A cancelled filing is marked cancelled; when every step is done the closure clock completes
    on the last step's date (late if after its deadline)."""
    _may_edit(acting_user, site)
    _not_future(done_on, "办理日期")
    if step not in ClosureStep.values:
        raise ValidationError("未知的注销事项。")
    clock = _open_clock(site, ClockKind.CLOSURE)
    if clock is None:
        raise ValidationError("该网站没有待办结的永久下线事项。")
    if done_on < clock.started_on:
        raise ValidationError("办理日期不能早于批准下线的日期。")
    with transaction.atomic():
        steps = dict(clock.details.get("steps", {}))
        steps[step] = {"on": str(done_on), "reference": reference.strip()}
        clock.details = {**clock.details, "steps": steps}
        if step != ClosureStep.REPORT:
            SiteFiling.objects.filter(site=site, kind=step).update(
                cancelled_on=done_on, cancel_reference=reference.strip())
        if set(ClosureStep.values) <= set(steps):
            clock.completed_on = max(dt.date.fromisoformat(s["on"]) for s in steps.values())
        clock.save(update_fields=["details", "completed_on"])
        audit.record(action="sites.closure.step", actor=acting_user, obj=clock,
                     organisation=site.host_organisation,
                     details=_clock_audit(clock) | {"step": step, "on": str(done_on),
                                                    "reference": reference.strip(),
                                                    "completed": not clock.is_open})
    return clock


def closure_steps_left(clock: SiteClock) -> list[str]:
    """The labels of the closure steps not yet recorded."""
    done = clock.details.get("steps", {})
    return [str(ClosureStep(step).label) for step in ClosureStep.values if step not in done]


# ---------------------------------------------- what status and registry changes set going

def _portal_of(site: Any) -> Any:
    """Where a new site is announced: the portal it belongs to (a county portal registered
    under the city portal is announced there too); a portal announces itself."""
    if site.kind == SiteKind.PORTAL or site.portal is None:
        return site
    return site.portal


def _post_notice(*, shown_on: Any, about: Any, kind: str, title: str, body: str,
                 days: int, starts_on: dt.date | None = None) -> SiteNotice:
    starts_on = starts_on or timezone.localdate()
    notice = SiteNotice(shown_on=shown_on, about=about, kind=kind, title=title, body=body,
                        starts_on=starts_on,
                        ends_on=starts_on + dt.timedelta(days=max(days, 1) - 1))
    notice.full_clean()
    notice.save()
    root = shown_on.site.root_page_id
    transaction.on_commit(lambda: notices_changed([root]))
    return notice


def notices_changed(root_page_ids: list[int]) -> None:
    """Tell the publisher that these home pages show other notices now (signals.py)."""
    from .signals import home_notices_changed

    home_notices_changed.send(sender=SiteNotice, root_page_ids=list(root_page_ids))


def after_status_change(site: Any, previous: str, new: str) -> dict[str, Any]:
    """Called inside `services.change_site_status` (its transaction and audit record).

    筹建中 → 正常运行: ID-03 checked; the go-live clock stops (ID-04); the 开通公告 goes on the
    portal (ID-05). → 已关停: the closure clock starts (ID-24). Returns what it did, for the
    audit record."""
    today = timezone.localdate()
    done: dict[str, Any] = {}
    if previous == SiteStatus.PLANNED and new == SiteStatus.ONLINE:
        check_ready_to_open(site)
        clock = _open_clock(site, ClockKind.GO_LIVE)
        if clock is not None:
            clock.completed_on = today
            clock.save(update_fields=["completed_on"])
            done["go_live"] = {"clock": clock.pk, "late": clock.completed_late}
        if _rule("site.opening.notice_required", site):
            portal = _portal_of(site)
            notice = _post_notice(
                shown_on=portal, about=site, kind=NoticeKind.OPENING,
                title=f"关于“{site.name}”开通运行的公告",
                body=(f"经批准，{site.host_organisation.name}主办的“{site.name}”（{site.domain}）"
                      f"于{today:%Y年%m月%d日}正式开通运行，欢迎访问。"),
                days=int(_rule("site.opening.notice_min_days", site)))
            done["opening_notice"] = notice.pk
    if new == SiteStatus.RETIRED and previous != SiteStatus.RETIRED:
        clock = _new_clock(site, ClockKind.CLOSURE, today,
                           f"“{site.name}”永久下线：注销备案、标识和域名并报告网站状态",
                           details={"steps": {}})
        done["closure"] = _clock_audit(clock)
    return done


#: Registry fields whose change is a 注册信息变更 (ID-21).
REGISTRY_CHANGE_FIELDS = (
    "name", "kind", "host_organisation", "operator_name", "portal", "domain", "chinese_domain",
    "site_code", "icp_number", "police_number", "address", "postcode", "phone", "email",
)


def after_registry_update(site: Any, before: dict[str, str]) -> dict[str, Any]:
    """Called inside `services.update_site` once the changed record is saved.

    A changed registry field starts the filing clock (ID-21; marked for a public notice when
    the variant asks for one and the change touches its fields); a changed domain is announced
    on the site's home page and starts the notice period before the old domain may be
    cancelled (ID-22). Returns what it did, for the audit record."""
    changed = [f for f in REGISTRY_CHANGE_FIELDS
               if f in before and before[f] != str(getattr(site, f))]
    done: dict[str, Any] = {}
    if not changed:
        return done
    today = timezone.localdate()
    labels = "、".join(str(getattr(SiteProfile._meta.get_field(f), "verbose_name", f))
                      for f in changed)
    noticed = set(_rule("site.registry_change.public_notice_fields", site) or [])
    announce = bool(_rule("site.registry_change.public_notice", site)) and bool(
        noticed & set(changed))
    if clock_period(ClockKind.REGISTRY_FILING, site) is not None or announce:
        clock = _new_clock(site, ClockKind.REGISTRY_FILING, today,
                           f"“{site.name}”登记信息变更（{labels}）向主管单位报备",
                           details={"fields": changed, "announce": announce})
        done["registry_filing"] = _clock_audit(clock)
    if "domain" in changed and clock_period(ClockKind.DOMAIN_NOTICE, site) is not None:
        old, new = before["domain"], site.domain
        clock = _new_clock(site, ClockKind.DOMAIN_NOTICE, today,
                           f"域名由 {old} 调整为 {new}：首页公告期满后注销原域名 {old}",
                           details={"old_domain": old, "new_domain": new})
        assert clock.due_on is not None
        notice = _post_notice(
            shown_on=site, about=site, kind=NoticeKind.DOMAIN_CHANGE,
            title=f"关于“{site.name}”域名调整的公告",
            body=(f"自{today:%Y年%m月%d日}起，本网站域名由 {old} 调整为 {new}。"
                  f"原域名 {old} 将于{clock.due_on:%Y年%m月%d日}后注销，请使用新域名访问。"),
            days=(clock.due_on - today).days + 1)
        done["domain_notice"] = _clock_audit(clock) | {"notice": notice.pk}
    return done


#: Changes the registry has no field for, recorded by hand (丹东 第23条: 负责人、结构).
UNRECORDED_CHANGES = {"responsible_person": "网站负责人", "structure": "网站结构"}


def record_registry_change(*, site: SiteProfile, fields: list[str], changed_on: dt.date,
                           description: str, acting_user: Any) -> SiteClock:
    """ID-21: a change of what the registry holds no field for (负责人, 网站结构) starts the
    same filing clock as a registry edit, marked for a public notice where the rules say so."""
    _may_edit(acting_user, site)
    _not_future(changed_on, "变更日期")
    if not fields or set(fields) - set(UNRECORDED_CHANGES):
        raise ValidationError("请选择变更事项（网站负责人、网站结构）。")
    if not description.strip():
        raise ValidationError("请填写变更情况。")
    labels = "、".join(UNRECORDED_CHANGES[f] for f in fields)
    noticed = set(_rule("site.registry_change.public_notice_fields", site) or [])
    announce = bool(_rule("site.registry_change.public_notice", site)) and bool(
        noticed & set(fields))
    return _start(site, ClockKind.REGISTRY_FILING, changed_on, acting_user,
                  subject=f"“{site.name}”{labels}变更向主管单位报备：{description.strip()}",
                  details={"fields": list(fields), "announce": announce})


# ------------------------------------------------------------------------------ reminders

@dataclass(frozen=True)
class DueClock:
    clock: SiteClock
    overdue: bool


def due_clocks(*, today: dt.date | None = None) -> list[DueClock]:
    """Open clocks past their deadline, or within `site.clocks.remind_working_days` working
    days of it (the domain-change notice period is a waiting time, not a duty: not listed)."""
    today = today or timezone.localdate()
    out: list[DueClock] = []
    clocks = (SiteClock.objects.filter(completed_on__isnull=True, due_on__isnull=False)
              .exclude(kind=ClockKind.DOMAIN_NOTICE)
              .select_related("site__host_organisation").order_by("due_on", "pk"))
    for clock in clocks:
        assert clock.due_on is not None
        ahead = int(_rule("site.clocks.remind_working_days", clock.site) or 0)
        if today > clock.due_on:
            out.append(DueClock(clock, True))
        elif add_working_days(today, ahead) >= clock.due_on:
            out.append(DueClock(clock, False))
    return out


def remind_due_clocks(*, today: dt.date | None = None) -> int:
    """Notify the registry keepers (holders of the site-registry change permission) of every
    clock near or past its deadline; once a day per clock and person (core.notifications)."""
    from django.contrib.auth import get_user_model

    from govsites.core import notifications

    keepers = list(get_user_model().objects.with_perm("govsites_sites.change_siteprofile",
                                                       include_superusers=False))
    sent = 0
    for item in due_clocks(today=today):
        clock = item.clock
        state = "已超期" if item.overdue else "即将到期"
        notice = notifications.Notice(
            kind="sites.clock.due", item_key=f"sites.clock.due:{clock.pk}",
            subject=f"网站时限事项{state}：{clock.site.name}",
            body=(f"{clock.subject}（{clock.rule}）：自{clock.started_on:%Y-%m-%d}起算，"
                  f"期限为{clock.due_on:%Y-%m-%d}，{state}，尚未登记完成。"))
        sent += len(notifications.notify(notice=notice, recipients=keepers))
    return sent


def refresh_notice_pages(*, today: dt.date | None = None) -> list[int]:
    """The home pages whose notices begin today or ended yesterday: republished daily so the
    static pages show exactly the notices in force."""
    today = today or timezone.localdate()
    roots = sorted(set(SiteNotice.objects.filter(starts_on=today).values_list(
        "shown_on__site__root_page_id", flat=True)) | set(SiteNotice.objects.filter(
            ends_on=today - dt.timedelta(days=1)).values_list(
            "shown_on__site__root_page_id", flat=True)))
    if roots:
        notices_changed(roots)
    return roots
