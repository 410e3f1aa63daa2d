"""政务新媒体 registry rules: one account per platform and one name (NM-03), and 备案 (NM-04).

NM-03 (丹东 第18条, 梁平 第7条): a body opens, in principle, one account per platform, its
accounts on different platforms carry the same name, and the platform's public 认证信息 names the
主办单位. Registering or renaming an account that breaks the first two is refused unless an
exception reason is given ("原则上"); 认证信息 that does not contain the 主办单位's name is refused
outright, and an account without one is listed as a finding until it is recorded.

NM-04 (丹东 第17条, 梁平 第9条): opening, changing and closing an account are filed (备案). A
filing's steps are the rule in force when it starts (`new_media.filing_steps`: 丹东 本单位主要负责
同志同意 → 市委网信办备案核准 → 市政府办公室备案考核; 梁平 本单位主要负责人同意 → 区政府办公室备案),
done in order; under 丹东 the 备案表 is uploaded before the last step
(`new_media.filing_form_required`). A change takes effect, and a closure closes the account, when
its filing completes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govsites.core import audit
from govsites.rules.resolve import value as rule_value

from . import audit as actions
from .models import (
    AccountStatus,
    FilingAction,
    FilingStatus,
    MediaPlatform,
    NewMediaAccount,
    NewMediaFiling,
)

CHANGEABLE_FIELDS = ("name", "handle", "verified_name", "responsible_person",
                     "responsible_phone", "feed_url", "service_host", "exception_reason")


def _site_of(organisation: Any) -> Any:
    from govsites.sites.selectors import all_sites

    return all_sites().filter(host_organisation=organisation).order_by("pk").first()


def naming_problems(account: NewMediaAccount) -> list[str]:
    """NM-03: what in an account's platform and name breaks the one-account, one-name rule."""
    problems: list[str] = []
    others = (NewMediaAccount.objects.filter(organisation_id=account.organisation_id,
                                             status=AccountStatus.RUNNING)
              .exclude(pk=account.pk))
    if account.platform != MediaPlatform.OTHER:
        same = others.filter(platform=account.platform).first()
        if same is not None:
            problems.append(f"本单位在{account.get_platform_display()}已有账号“{same.name}”"
                            "（原则上同一平台只开设一个账号）")
    names = sorted({n for n in others.exclude(platform=account.platform)
                    .values_list("name", flat=True)})
    if names and account.name not in names:
        problems.append(f"账号名称与本单位在其他平台的账号（{'、'.join(names)}）不一致"
                        "（不同平台的账号名称原则上应保持一致）")
    return problems


def verification_problem(account: NewMediaAccount) -> str:
    """NM-03: '' when the 认证信息 names the 主办单位, else what is wrong."""
    if not account.verified_name.strip():
        return "未登记平台公开认证信息（认证信息须标明主办单位名称）"
    if account.organisation.name not in account.verified_name:
        return f"认证信息“{account.verified_name}”未标明主办单位名称“{account.organisation.name}”"
    return ""


def validate_account(account: NewMediaAccount) -> None:
    """Refuse an account breaking NM-03 (naming without an exception reason, wrong 认证信息)."""
    account.full_clean()
    naming = [] if account.exception_reason.strip() else naming_problems(account)
    errors = [*naming, "确需例外的，请填写例外理由"] if naming else []
    verification = verification_problem(account)
    if account.verified_name.strip() and verification:
        errors.append(verification)
    if errors:
        raise ValidationError(errors)


def filing_steps(account: NewMediaAccount) -> list[str]:
    """NM-04: the 备案 steps the rules in force for the account's body ask for, in order."""
    return [str(s) for s in rule_value("new_media.filing_steps", site=_site_of(account.organisation))]


def _open_filing(account: NewMediaAccount) -> NewMediaFiling | None:
    return account.filings.filter(completed_at__isnull=True).first()


def _start(account: NewMediaAccount, action: str, acting_user: Any,
           changes: dict[str, Any] | None = None) -> NewMediaFiling:
    site = _site_of(account.organisation)
    filing = NewMediaFiling.objects.create(
        account=account, action=action, requested_at=timezone.now(), requested_by=acting_user,
        changes=changes or {},
        steps=[{"name": name, "done_at": None, "done_by": None, "reference": ""}
               for name in filing_steps(account)],
        form_required=bool(rule_value("new_media.filing_form_required", site=site)))
    audit.record(action=actions.NEW_MEDIA_FILING_START, actor=acting_user, obj=filing,
                 organisation=account.organisation,
                 details={"action": action, "steps": [s["name"] for s in filing.steps],
                          "changes": changes or {}})
    return filing


def register_account(*, acting_user: Any, **fields: Any) -> NewMediaAccount:
    """Add an account to the registry (NM-03 checked) and start its 开设 filing (NM-04).

    An account registered as already filed (备案 done before the platform) starts no filing.
    """
    with transaction.atomic():
        account = NewMediaAccount(**fields)
        validate_account(account)
        account.save()
        audit.record(action=actions.NEW_MEDIA_REGISTER, actor=acting_user, obj=account,
                     organisation=account.organisation,
                     details={"platform": account.platform, "name": account.name,
                              "exception_reason": account.exception_reason})
        if account.filing_status != FilingStatus.FILED:
            _start(account, FilingAction.OPEN, acting_user)
    return account


def request_change(*, account: NewMediaAccount, acting_user: Any,
                   **changes: Any) -> NewMediaFiling:
    """Start the 变更 filing of an account; the changes apply when the filing completes."""
    unknown = set(changes) - set(CHANGEABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能通过变更备案修改：{'、'.join(sorted(unknown))}")
    changes = {k: v for k, v in changes.items() if getattr(account, k) != v}
    if not changes:
        raise ValidationError("没有需要变更的内容。")
    if _open_filing(account) is not None:
        raise ValidationError("该账号有尚未完成的备案，完成后再申请变更。")
    draft = NewMediaAccount.objects.get(pk=account.pk)
    for key, val in changes.items():
        setattr(draft, key, val)
    validate_account(draft)
    with transaction.atomic():
        return _start(account, FilingAction.CHANGE, acting_user, changes)


def request_closure(*, account: NewMediaAccount, closed_on: dt.date, reason: str,
                    acting_user: Any) -> NewMediaFiling:
    """Start the 关停注销 filing of an account; it is closed when the filing completes."""
    if account.status == AccountStatus.CLOSED:
        raise ValidationError("该账号已关停。")
    if not reason.strip():
        raise ValidationError("请填写关停理由。")
    if _open_filing(account) is not None:
        raise ValidationError("该账号有尚未完成的备案，完成后再申请关停。")
    with transaction.atomic():
        return _start(account, FilingAction.CLOSE, acting_user,
                      {"closed_on": closed_on.isoformat(), "reason": reason.strip()})


def next_step(filing: NewMediaFiling) -> int | None:
    """Index of the first step not yet done (None: all done)."""
    for index, step in enumerate(filing.steps):
        if not step.get("done_at"):
            return index
    return None


def record_filing_step(*, filing: NewMediaFiling, acting_user: Any, reference: str = "",
                       form_file: Any = None) -> NewMediaFiling:
    """Record the next step of a filing as done (steps go in order: 丹东 网信办 before 市政府办);
    the last completes the filing and applies it to the account."""
    index = next_step(filing)
    if index is None or filing.completed_at is not None:
        raise ValidationError("该备案已完成。")
    last = index == len(filing.steps) - 1
    if form_file is not None:
        filing.form_file = form_file
    if last and filing.form_required and not filing.form_file:
        raise ValidationError("须上传填写完整的《政务新媒体备案表》后才能完成备案。")
    now = timezone.now()
    with transaction.atomic():
        steps = [dict(s) for s in filing.steps]
        steps[index].update(done_at=now.isoformat(), done_by=getattr(acting_user, "pk", None),
                            reference=reference.strip())
        filing.steps = steps
        if last:
            filing.completed_at = now
            _apply(filing, reference.strip())
        filing.save()
        audit.record(action=actions.NEW_MEDIA_FILING_STEP, actor=acting_user, obj=filing,
                     organisation=filing.account.organisation,
                     details={"step": steps[index]["name"], "reference": reference.strip(),
                              "completed": last})
    return filing


def _apply(filing: NewMediaFiling, reference: str) -> None:
    account = filing.account
    if filing.action == FilingAction.OPEN:
        account.filing_status = FilingStatus.FILED
        account.filing_number = reference or account.filing_number
    elif filing.action == FilingAction.CHANGE:
        for key, val in filing.changes.items():
            setattr(account, key, val)
        validate_account(account)
    else:
        account.status = AccountStatus.CLOSED
        account.closed_on = dt.date.fromisoformat(filing.changes["closed_on"])
        account.filing_status = FilingStatus.CANCELLED
    account.save()


def pending_filings(accounts: list[NewMediaAccount]) -> list[NewMediaFiling]:
    """Filings of these accounts not yet complete, oldest first."""
    return list(NewMediaFiling.objects.filter(account__in=accounts, completed_at__isnull=True)
                .select_related("account__organisation").order_by("requested_at"))
