"""Writes for organisations and the site registry.

Each write is permission-checked (policies.py; acting_user None is the platform itself),
validated in one step (`_validate_organisation`, `_validate_site`: the place for further
registry checks), runs in one transaction and writes exactly one audit record. The admin's
registry views call these functions; a site's Wagtail Site (name, hostname, port) is changed
here only, together with its registry record.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from govsites.core import audit
from govsites.core.audit_actions import register_action

from . import lifecycle, policies, registry_rules
from .choices import OrganisationKind, SiteKind, SiteStatus
from .models import AccessibilityEvaluation, Organisation, SiteProfile

register_action("sites.accessibility.evaluate", "登记适老化与无障碍评测")

ORGANISATION_FIELDS = ("name", "short_name", "credit_code", "kind", "parent", "address", "phone")
SITE_FIELDS = (
    "name", "kind", "host_organisation", "operator_name", "portal", "domain", "chinese_domain",
    "site_code", "icp_number", "police_number", "address", "postcode", "phone", "email",
    "status", "hosting_region",
)


def create_organisation(
    *,
    name: str,
    credit_code: str,
    kind: OrganisationKind | str,
    acting_user: Any,
    parent: Organisation | None = None,
    short_name: str = "",
    address: str = "",
    phone: str = "",
) -> Organisation:
    """Register a government body after validating its 统一社会信用代码."""
    if acting_user is not None:
        policies.refuse_unless(policies.can_create_organisation(acting_user))
    with transaction.atomic():
        org = Organisation(name=name, credit_code=credit_code.strip().upper(), kind=kind,
                           parent=parent, short_name=short_name, address=address, phone=phone)
        _validate_organisation(org)
        org.save()
        audit.record(action="sites.organisation.create", actor=acting_user, obj=org,
                     organisation=org, details={"credit_code": org.credit_code})
    return org


def update_organisation(*, organisation: Organisation, acting_user: Any,
                        **changes: Any) -> Organisation:
    """Change an organisation's registry fields."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    if acting_user is not None:
        policies.refuse_unless(policies.can_edit_organisation(acting_user, organisation))
    if "credit_code" in changes:
        changes["credit_code"] = str(changes["credit_code"]).strip().upper()
    with transaction.atomic():
        before = {k: str(getattr(organisation, k)) for k in changes}
        for key, value in changes.items():
            setattr(organisation, key, value)
        _validate_organisation(organisation)
        organisation.save()
        audit.record(action="sites.organisation.update", actor=acting_user, obj=organisation,
                     organisation=organisation,
                     details={"before": before, "after": {k: str(v) for k, v in changes.items()}})
    return organisation


def create_site(
    *,
    root_page: Page,
    hostname: str,
    port: int = 80,
    is_default_site: bool = False,
    acting_user: Any,
    **fields: Any,
) -> SiteProfile:
    """Register a government website: a Wagtail Site for the hostname plus its registry record.

    `hostname` is where this installation answers (the English domain in production, a
    *.localhost name for local demos); the registry's `domain` is what the public sees.
    """
    unknown = set(fields) - set(SITE_FIELDS)
    if unknown:
        raise TypeError(f"unknown site fields: {sorted(unknown)}")
    if acting_user is not None:
        policies.refuse_unless(policies.can_create_site(acting_user))
    with transaction.atomic():
        wagtail_site = Site(hostname=hostname, port=port, root_page=root_page,
                            is_default_site=is_default_site, site_name=fields.get("name", ""))
        wagtail_site.full_clean()
        wagtail_site.save()
        profile = SiteProfile(site=wagtail_site, **fields)
        _validate_site(profile)
        registry_rules.validate_registration(profile)  # ID-01/02/30 by the rule set in force
        profile.save()
        audit.record(action="sites.site.create", actor=acting_user, obj=profile,
                     organisation=profile.host_organisation,
                     details={"domain": profile.domain, "site_code": profile.site_code})
    return profile


def update_site(*, site: SiteProfile, acting_user: Any, hostname: str | None = None,
                port: int | None = None, **changes: Any) -> SiteProfile:
    """Change registry fields of a site and, with them, its Wagtail Site.

    The Wagtail site name follows the registry name; hostname and port (where this
    installation answers) are changed on the Wagtail Site in the same transaction and
    audited in the same record.
    """
    unknown = set(changes) - set(SITE_FIELDS)
    if unknown:
        raise TypeError(f"unknown site fields: {sorted(unknown)}")
    if "status" in changes and str(changes["status"]) != str(site.status):
        raise ValidationError({"status": _STATUS_REFUSED})
    if acting_user is not None:
        policies.refuse_unless(policies.can_edit_site(acting_user, site))
    with transaction.atomic():
        wagtail_site = site.site
        address = {"hostname": hostname, "port": port}
        moves = {k: v for k, v in address.items() if v is not None and getattr(wagtail_site, k) != v}
        before = {k: str(getattr(site, k)) for k in changes}
        before.update({k: str(getattr(wagtail_site, k)) for k in moves})
        for key, value in changes.items():
            setattr(site, key, value)
        if "status" in changes and before["status"] != str(site.status):
            site.status_changed_at = timezone.now()
        _validate_site(site)
        for key, value in moves.items():
            setattr(wagtail_site, key, value)
        wagtail_site.site_name = site.name
        wagtail_site.full_clean()
        site.save()
        wagtail_site.save()
        after = {k: str(v) for k, v in changes.items()} | {k: str(v) for k, v in moves.items()}
        follows = lifecycle.after_registry_update(site, before)  # ID-21, ID-22
        audit.record(action="sites.site.update", actor=acting_user, obj=site,
                     organisation=site.host_organisation,
                     details={"before": before, "after": after} | follows)
    return site


_STATUS_REFUSED = ("网站运行状态只能通过网站变更申请（开设上线、临时下线、恢复上线、关停、整合迁移）"
                   "经审批后变更。")


def change_site_status(*, site: SiteProfile, status: SiteStatus | str, acting_user: Any,
                       reason: str = "") -> SiteProfile:
    """Move a site through its lifecycle (planned / online / temporarily offline / retired).

    Going online from 筹建中 needs every 管理备案 the rules ask for (ID-03: ValidationError
    naming what is missing), stops the go-live clock (ID-04) and posts the 开通公告 (ID-05);
    retiring starts the closure clock (ID-24) — `lifecycle.after_status_change`.

    Called by the operations app's lifecycle decisions (an approved 网站变更 request); the
    registry admin and `update_site` refuse to change the status themselves.
    """
    if status not in SiteStatus.values:
        raise ValueError(f"unknown site status {status!r}")
    if acting_user is not None:
        policies.refuse_unless(policies.can_edit_site(acting_user, site))
    with transaction.atomic():
        previous = site.status
        # before the record changes: a refusal (ID-03) leaves the caller's object as it was
        follows = lifecycle.after_status_change(site, str(previous), str(status))  # ID-03/04/05/24
        site.status = status
        site.status_changed_at = timezone.now()
        site.save(update_fields=["status", "status_changed_at"])
        audit.record(action="sites.site.status", actor=acting_user, obj=site,
                     organisation=site.host_organisation,
                     details={"from": previous, "to": str(status), "reason": reason} | follows)
    return site


def years_later(day: Any, years: int) -> Any:
    """The same date `years` years on (28 February for a 29 February without its year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def record_accessibility_evaluation(*, site: SiteProfile, evaluated_on: Any, evaluator: str,
                                    score: Any, acting_user: Any,
                                    report_reference: str = "") -> AccessibilityEvaluation:
    """Record an 适老化 / 信息无障碍 evaluation of a site (PA-12).

    Full score, pass line and how long the 信息无障碍标识 stays valid are rule data for the
    site (`accessibility.evaluation.full_score`, `.pass_score`, `.mark_valid_years`); a
    passing evaluation gets the expiry date, a failing one none.
    """
    from decimal import Decimal, InvalidOperation

    from govsites.rules.resolve import value as rule_value

    if acting_user is not None:
        policies.refuse_unless(policies.can_edit_site(acting_user, site))
    full = int(rule_value("accessibility.evaluation.full_score", site=site))
    line = int(rule_value("accessibility.evaluation.pass_score", site=site))
    years = int(rule_value("accessibility.evaluation.mark_valid_years", site=site))
    try:
        points = Decimal(str(score))
    except InvalidOperation:
        raise ValidationError(f"评测得分应为 0 至 {full} 之间的数。") from None
    if not points.is_finite() or not Decimal(0) <= points <= full:
        raise ValidationError(f"评测得分应为 0 至 {full} 之间的数。")
    if evaluated_on > timezone.localdate():
        raise ValidationError("评测日期不能晚于今天。")
    if not evaluator.strip():
        raise ValidationError("请填写评测机构。")
    passed = points >= line
    with transaction.atomic():
        evaluation = AccessibilityEvaluation(
            site=site, evaluated_on=evaluated_on, evaluator=evaluator.strip(), score=points,
            full_score=full, pass_score=line, passed=passed,
            mark_valid_until=years_later(evaluated_on, years) if passed else None,
            report_reference=report_reference.strip())
        evaluation.full_clean()
        evaluation.save()
        audit.record(action="sites.accessibility.evaluate", actor=acting_user, obj=evaluation,
                     organisation=site.host_organisation,
                     details={"score": str(points), "passed": passed,
                              "valid_until": str(evaluation.mark_valid_until or "")})
    return evaluation


def _validate_organisation(organisation: Organisation) -> None:
    """Every check an organisation must pass before it is saved (raises ValidationError)."""
    organisation.full_clean()


def _validate_site(profile: SiteProfile) -> None:
    """Every check a site's registry record must pass before it is saved.

    Raises ValidationError naming the fields. Further registry rules (e.g. the site-registry
    rules of the rule set) are added here so that every write path runs them.
    """
    profile.full_clean()


__all__ = ["SiteKind", "change_site_status", "create_organisation", "create_site",
           "update_organisation", "update_site"]


def remove_placeholder_sites(*, hostname: str, port: int = 80) -> int:
    """Delete unregistered Wagtail sites at hostname:port or marked default.

    Wagtail's initial "welcome" site is such a placeholder; removing it lets a registered site
    take the address or the default. Returns the number deleted.
    """
    from django.db.models import Q

    deleted, _ = Site.objects.filter(
        Q(hostname=hostname, port=port) | Q(is_default_site=True), profile__isnull=True
    ).delete()
    return deleted
