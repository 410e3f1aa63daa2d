"""政务新媒体 conduct and assessment: NM-06 (no fan-buying, no forced interaction), NM-07 (apps
support IPv6), NM-08 (单项否决 → 不合格), and the registry's list of findings.

NM-06 (丹东 第28条): the 主办单位 declares (承诺) for each account that it buys no fans and forces
nobody to download, like or repost; the daily check also screens the account's readable content
(its feed's or page's text) for wording that forces interaction (`new_media.forced_interaction_terms`,
compared after screening's folding: 繁简, full-width and separators do not hide a phrase). A hit is
an open alert of rule NM-06 until the wording is gone.

NM-07 (丹东 第18条): a 移动客户端 records the host its app talks to and whether it supports IPv6;
the check resolves the host's IPv6 (AAAA) addresses through an `Ipv6Checker` (tests use
`FakeIpv6Checker`). Where `new_media.app_ipv6_required` is on, an app without IPv6 is a finding.

NM-08 (检查指标 指标说明): an account's assessment is 不合格 as soon as it has one 单项否决 — the
automatic one (an open 僵尸号 alert, NM-01) or one the assessor records under an indicator of
`new_media.veto_indicators` — whatever else it does well; otherwise 合格 (扣分/加分 apply to
portals only).
"""

from __future__ import annotations

import datetime as dt
import re
import socket
from dataclasses import dataclass, field
from typing import Any, Protocol
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govsites.core import audit
from govsites.rules.resolve import value as rule_value

from . import audit as actions
from .models import (
    AccountStatus,
    AssessmentVerdict,
    Ipv6Support,
    MediaPlatform,
    NewMediaAccount,
    NewMediaAlert,
    NewMediaAssessment,
)

FORCED_INTERACTION = "NM-06"
ZOMBIE = "NM-01"
ZOMBIE_INDICATOR = "not_updated"  # the 检查指标's 不更新 veto, raised by an open NM-01 alert
_TAG = re.compile(r"<[^>]+>")


def _site_of(organisation: Any) -> Any:
    from govsites.sites.selectors import all_sites

    return all_sites().filter(host_organisation=organisation).order_by("pk").first()


# --- NM-06: the declaration and the screening of content ---


def declare_integrity(*, account: NewMediaAccount, acting_user: Any) -> NewMediaAccount:
    """Record the body's 承诺 for an account: no fan-buying, no forced downloads, likes or reposts."""
    with transaction.atomic():
        account.integrity_declared_at = timezone.now()
        account.integrity_declared_by = acting_user
        account.save(update_fields=["integrity_declared_at", "integrity_declared_by"])
        audit.record(action=actions.NEW_MEDIA_DECLARE, actor=acting_user, obj=account,
                     organisation=account.organisation, details={})
    return account


def readable_text(body: bytes) -> str:
    """The text of a feed's entries (titles, summaries, content) or of a page without its tags."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        root = None
    if root is not None and root.tag.rsplit("}", 1)[-1] in ("rss", "feed", "RDF"):
        parts = [(e.text or "") for e in root.iter()
                 if e.tag.rsplit("}", 1)[-1] in ("title", "description", "summary", "content")]
        return "\n".join(_TAG.sub(" ", p) for p in parts)
    return _TAG.sub(" ", body.decode("utf-8", "replace"))


def forced_interaction_hits(text: str, *, site: Any = None) -> list[str]:
    """NM-06: the rule's forced-interaction phrases found in a text (folded like screening does)."""
    from govsites.screening.normalise import fold_term

    folded = fold_term(text)
    terms = [str(t) for t in rule_value("new_media.forced_interaction_terms", site=site)]
    return [t for t in terms if fold_term(t) and fold_term(t) in folded]


def judge_content(account: NewMediaAccount, body: bytes | None, now: dt.datetime
                  ) -> NewMediaAlert | None:
    """Open (or keep) an NM-06 alert when the account's content forces interaction; close it when
    the content read no longer does. Nothing changes when the content could not be read."""
    if body is None:
        return None
    hits = forced_interaction_hits(readable_text(body), site=_site_of(account.organisation))
    open_alert = account.alerts.filter(closed_at__isnull=True, rule_id=FORCED_INTERACTION).first()
    if not hits:
        if open_alert is not None:
            open_alert.closed_at = now
            open_alert.save(update_fields=["closed_at"])
        return None
    if open_alert is not None:
        return open_alert
    message = f"内容含强制群众下载、关注、点赞或转发的表述：{'、'.join(hits)}"[:300]
    alert = NewMediaAlert.objects.create(account=account, opened_at=now,
                                         rule_id=FORCED_INTERACTION, days_without_update=0,
                                         message=message)
    audit.record(action=actions.NEW_MEDIA_ALERT, actor=None, obj=alert,
                 organisation=account.organisation,
                 details={"rule": FORCED_INTERACTION, "terms": hits})
    transaction.on_commit(lambda: _notify_forced(alert))
    return alert


def _notify_forced(alert: NewMediaAlert) -> None:
    from govsites.accounts.selectors import users_with_role
    from govsites.core import notifications

    account = alert.account
    notice = notifications.Notice(
        kind="operations.new_media.forced", item_key=f"operations.new_media.forced:{alert.pk}",
        subject=f"政务新媒体内容告警：{account}",
        body=f"“{account}”{alert.message}。政务新媒体不得强制群众下载、点赞、转发，请核实并修改。")
    notifications.notify(notice=notice,
                         recipients=users_with_role("site_admin", account.organisation))


# --- NM-07: IPv6 of mobile apps ---


class Ipv6Checker(Protocol):
    def supports_ipv6(self, host: str) -> bool: ...


class DnsIpv6Checker:
    """A host supports IPv6 when it resolves to at least one IPv6 (AAAA) address."""

    def supports_ipv6(self, host: str) -> bool:
        try:
            return bool(socket.getaddrinfo(host, 443, socket.AF_INET6, socket.SOCK_STREAM))
        except (socket.gaierror, UnicodeError, OSError):
            return False


@dataclass
class FakeIpv6Checker:
    """Answers from a set of hosts that have IPv6 (tests and the demo)."""

    hosts: set[str] = field(default_factory=set)

    def supports_ipv6(self, host: str) -> bool:
        return host in self.hosts


def ipv6_required(account: NewMediaAccount) -> bool:
    """NM-07: whether the rules in force for the account's body require apps to support IPv6."""
    return bool(rule_value("new_media.app_ipv6_required", site=_site_of(account.organisation)))


def check_ipv6(account: NewMediaAccount, *, checker: Ipv6Checker,
               now: dt.datetime | None = None) -> str:
    """Check a 移动客户端's service host for IPv6 and record the answer (other accounts: no-op)."""
    if account.platform != MediaPlatform.APP or not account.service_host.strip():
        return str(account.ipv6_support)
    answer = (Ipv6Support.SUPPORTED if checker.supports_ipv6(account.service_host.strip())
              else Ipv6Support.UNSUPPORTED)
    account.ipv6_support = answer
    account.ipv6_checked_at = now or timezone.now()
    account.save(update_fields=["ipv6_support", "ipv6_checked_at"])
    return str(answer)


# --- the registry's findings (NM-03, NM-04, NM-06, NM-07) ---


@dataclass(frozen=True)
class RegistryFinding:
    """One rule an account's record does not meet."""

    account: NewMediaAccount
    rule_id: str
    message: str


def registry_findings(accounts: list[NewMediaAccount]) -> list[RegistryFinding]:
    """What the running accounts' records still lack or break, by account."""
    from .newmedia_filing import naming_problems, verification_problem

    found: list[RegistryFinding] = []
    for account in accounts:
        if account.status != AccountStatus.RUNNING:
            continue
        if not account.exception_reason.strip():
            found += [RegistryFinding(account, "NM-03", p) for p in naming_problems(account)]
        if problem := verification_problem(account):
            found.append(RegistryFinding(account, "NM-03", problem))
        pending = account.filings.filter(completed_at__isnull=True).first()
        if pending is not None:
            from .newmedia_filing import next_step

            step = next_step(pending)
            waiting = pending.steps[step]["name"] if step is not None else ""
            found.append(RegistryFinding(account, "NM-04",
                                         f"{pending.get_action_display()}备案未完成：待“{waiting}”"))
        elif account.filing_status != "filed":
            found.append(RegistryFinding(account, "NM-04", "未备案"))
        if account.integrity_declared_at is None:
            found.append(RegistryFinding(account, "NM-06",
                                         "未作出不购买“粉丝”、不强制群众下载点赞转发的承诺"))
        if account.platform == MediaPlatform.APP and ipv6_required(account):
            if account.ipv6_support == Ipv6Support.UNSUPPORTED:
                found.append(RegistryFinding(account, "NM-07",
                                             f"移动客户端不支持IPv6（{account.service_host}）"))
            elif account.ipv6_support == Ipv6Support.UNKNOWN:
                found.append(RegistryFinding(account, "NM-07",
                                             "未登记移动客户端服务地址或未检测IPv6支持"))
    return found


# --- NM-08: the assessment ---


def veto_indicators(account: NewMediaAccount) -> dict[str, str]:
    """The 单项否决 indicators for 政务新媒体 under the rules in force (key → label)."""
    raw = rule_value("new_media.veto_indicators", site=_site_of(account.organisation))
    return {str(k): str(v) for k, v in dict(raw).items()}


def assess_account(*, account: NewMediaAccount, acting_user: Any,
                   vetoes: list[dict[str, str]] | None = None,
                   findings: list[str] | None = None,
                   now: dt.datetime | None = None) -> NewMediaAssessment:
    """Conclude an account's assessment: 不合格 with any 单项否决, else 合格 (NM-08).

    `vetoes` are the assessor's own ({"indicator": key, "evidence": text}); an open 僵尸号 alert
    adds the 不更新 veto by itself.
    """
    now = now or timezone.now()
    indicators = veto_indicators(account)
    recorded: list[dict[str, str]] = []
    for veto in vetoes or []:
        key = str(veto.get("indicator", ""))
        if key not in indicators:
            raise ValidationError(f"没有这一单项否决指标：{key}")
        if not str(veto.get("evidence", "")).strip():
            raise ValidationError("单项否决须写明依据（发现的问题）。")
        recorded.append({"indicator": key, "label": indicators[key],
                         "evidence": str(veto["evidence"]).strip(), "source": "assessor"})
    zombie = account.alerts.filter(closed_at__isnull=True, rule_id=ZOMBIE).first()
    if zombie is not None and ZOMBIE_INDICATOR in indicators:
        recorded.append({"indicator": ZOMBIE_INDICATOR, "label": indicators[ZOMBIE_INDICATOR],
                         "evidence": zombie.message, "source": "platform"})
    verdict = AssessmentVerdict.UNQUALIFIED if recorded else AssessmentVerdict.QUALIFIED
    with transaction.atomic():
        assessment = NewMediaAssessment.objects.create(
            account=account, assessed_at=now, verdict=verdict, vetoes=recorded,
            findings=[f.strip() for f in findings or [] if f.strip()], assessed_by=acting_user)
        audit.record(action=actions.NEW_MEDIA_ASSESS, actor=acting_user, obj=assessment,
                     organisation=account.organisation,
                     details={"verdict": str(verdict),
                              "vetoes": [v["indicator"] for v in recorded]})
    return assessment


def latest_assessments(accounts: list[NewMediaAccount]) -> dict[int, NewMediaAssessment]:
    """Each account's newest assessment, by account id."""
    latest: dict[int, NewMediaAssessment] = {}
    for row in NewMediaAssessment.objects.filter(account__in=accounts).order_by("assessed_at"):
        latest[row.account_id] = row
    return latest
