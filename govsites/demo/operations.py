"""Demo 运维与年度报表: visits, the portal's annual report, 政务新媒体, duty records.

Built through operations' services, so `make run` shows: the 访问统计 dashboard filled from a
generated visit log (imported like nginx's), the portal's 《政府网站工作年度报表》 for this
year compiled from the platform's data, reviewed and published in its home page's 年度报表
column, a 政务新媒体 account that stopped updating (with its alert) beside one that did not,
and a drill, an incident and a day of duty. Each part is loaded once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone

from govsites.accounts.models import User
from govsites.content.models import ColumnPage
from govsites.operations import duty, ingest, newmedia, reports
from govsites.operations.models import AnnualReport, IngestedLog, NewMediaAccount
from govsites.operations.samplelog import sample_lines

Say = Callable[[str], None]
VISIT_DAYS = 60
VISITS_PER_DAY = 60


def _paths(profile: Any) -> list[str]:
    home = profile.site.root_page
    paths = ["/"]
    for column in ColumnPage.objects.live().child_of(home)[:12]:
        url = column.relative_url(profile.site)
        if url:
            paths.append(url)
    return paths


def load_visits(sites: dict[str, Any], say: Say) -> None:
    """A generated log of the last 60 days for every demo site, imported as nginx's would be."""
    if IngestedLog.objects.exists():
        return
    from pathlib import Path

    log = Path(settings.GOVSITES_VISITS_LOG).with_name("visits-demo.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    start = timezone.localdate() - dt.timedelta(days=VISIT_DAYS)
    with log.open("w", encoding="ascii") as out:
        for profile in sites.values():
            out.writelines(sample_lines(hosts=[profile.site.hostname], paths=_paths(profile),
                                        start=start, days=VISIT_DAYS, per_day=VISITS_PER_DAY,
                                        seed=profile.pk))
    result = ingest.import_file(log)
    say(f"  访问日志：导入 {result.lines} 行（{VISIT_DAYS} 天，{len(sites)} 个网站）")


def load_new_media(orgs: dict[str, Any], say: Say) -> None:
    """Two accounts: one updated yesterday, one silent for 40 days (raises its alert)."""
    if NewMediaAccount.objects.exists():
        return
    today = timezone.localdate()
    fresh = newmedia.register_account(
        acting_user=None, organisation=orgs["gov"], platform="weibo", name="示例市发布",
        handle="shilishifabu", filing_status="filed", filing_number="示网信备2024001号",
        opened_on=dt.date(2019, 3, 1), responsible_person="王芳", followers=128000)
    silent = newmedia.register_account(
        acting_user=None, organisation=orgs["edu"], platform="wechat", name="示例教育",
        handle="shilijiaoyu", filing_status="filed", filing_number="示网信备2024007号",
        opened_on=dt.date(2020, 9, 1), responsible_person="赵强", followers=35600)
    yesterday = today - dt.timedelta(days=1)
    newmedia.record_monthly_count(account=fresh, month=yesterday, posts=46,
                                  last_post_on=yesterday, acting_user=None)
    quiet = today - dt.timedelta(days=40)
    newmedia.record_monthly_count(account=silent, month=quiet, posts=9, last_post_on=quiet,
                                  acting_user=None)
    results = newmedia.check_all_accounts(reader=newmedia.FakeFeedReader())
    alerts = [r.alert for r in results if r.alert]
    say(f"  政务新媒体：2 个账号，更新告警 {len(alerts)} 条"
        + (f"（{alerts[0].account}：{alerts[0].message}）" if alerts else ""))


def load_duty(sites: dict[str, Any], orgs: dict[str, Any], say: Say) -> None:
    """A drill, a closed incident and today's duty for the data office."""
    from govsites.operations.models import EmergencyDrill

    if EmergencyDrill.objects.exists():
        return
    today = timezone.localdate()
    officer = User.objects.get(username="inspector")
    duty.record_drill(organisation=orgs["gov"], held_on=today - dt.timedelta(days=50),
                      scenario="门户网站首页被篡改的发现与恢复", participants=12,
                      findings="告警短信送达晚2分钟", improvements="值班手机改用专线短信通道",
                      acting_user=None)
    incident = duty.record_incident(
        site=sites["portal"], detected_at=timezone.now() - dt.timedelta(days=20),
        source="prober", severity="general", summary="门户网站首页连续3次探测超时",
        acting_user=None)
    duty.close_incident(incident=incident, response="机房网络抖动，运营商处理后恢复", acting_user=None)
    duty.record_shift(organisation=officer.organisation, day=today, officer=officer,
                      web_reading_done=True, reading_notes="各网站首页和重点栏目正常",
                      handover_notes="示例教育微信公众号40天未更新，已提醒教育局", acting_user=officer)
    say("  值班与安全：应急演练 1 次，安全事件 1 起（已处置），今日值班记录 1 条")


DEMO_ENTRIES = {
    "media_commentaries": "6", "registered_users": "15820", "online_service_items": "312",
    "cases_total": "48620", "cases_persons": "40115", "cases_legal_persons": "8505",
    "surveys": "4", "interviews": "6", "smart_answers": "是", "security_owner": "是",
    "head": "陈国栋", "reviewer": "刘敏", "filled_by": "孙丽",
}


def load_annual_report(sites: dict[str, Any], say: Say) -> None:
    """The portal's report for this year: compiled, completed, reviewed and published."""
    portal = sites["portal"]
    year = timezone.localdate().year
    if AnnualReport.objects.filter(site=portal, year=year).exists():
        return
    report = reports.compile_report(site=portal, year=year)
    entries = {f.key: (DEMO_ENTRIES.get(f.key, "无"), "")
               for f in report.figures.all() if not f.value}
    reports.revise_figures(report=report, changes=entries, acting_user=None)
    reports.review_report(report=report, acting_user=User.objects.get(username="inspector"))
    item = reports.publish_report(report=report, acting_user=None)
    say(f"  年度报表：{item.title}（已发布在门户网站首页的“年度报表”栏目）")
    reports.compile_report(kind="supervision", site=portal, year=year)
    say(f"  监管年度报表：{year}年草稿已生成（后台 报告 → 年度报表）")


def load_operations(*, sites: dict[str, Any], orgs: dict[str, Any], say: Say) -> None:
    """Every part of the operations demo (each once)."""
    load_visits(sites, say)
    load_new_media(orgs, say)
    load_duty(sites, orgs, say)
    load_annual_report(sites, say)
