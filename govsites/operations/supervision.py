"""The fields of 《政府网站监管年度报表》 (国办函〔2018〕12号) for the supervising office.

Across the cluster for a calendar year: 网站抽查 (the inspector's runs and verdicts), 安全检查
(整改单 and 安全事件), 网站开设整合 (sites opened, merged and closed), "我为政府网站找错"
handling (from the interaction capability, "未接入" without it), 假冒政府网站处置 and 人员培训
(entered).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from govsites.monitoring import selectors as monitoring_selectors
from govsites.sites.selectors import all_sites

from .annual import NOT_CONNECTED, Figure, interaction_statistics, manual, year_bounds
from .models import ChangeAction, ChangeStatus, FigureOrigin, SiteChange


def _inspections(sites: list[Any], year: int) -> list[Figure]:
    start, end = year_bounds(year)
    runs = [i for site in sites for i in monitoring_selectors.inspections_between(site, start, end)]
    inspected = {i.site_id for i in runs}
    failed = {i.site_id for i in runs if i.verdict and i.verdict != "合格"}
    source = f"站点监测：{year}年完成的站点检查（按《政府网站与政务新媒体检查指标》评分）"
    s = "网站抽查"
    return [
        Figure(s, "inspections", "检查次数", str(len(runs)), source, unit="次"),
        Figure(s, "sites_inspected", "检查网站数", str(len(inspected)), source, unit="个"),
        Figure(s, "share_inspected", "抽查比例",
               f"{len(inspected) * 100 // max(len(sites), 1)}%",
               f"检查网站数 ÷ 年底在运行网站数（{len(sites)}个）"),
        Figure(s, "sites_failed", "不合格网站数", str(len(failed)),
               source + "；任一次检查结论非“合格”即计入", unit="个"),
    ]


def _security(sites: list[Any], year: int) -> list[Figure]:
    first, last = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    opened = fixed = 0
    for site in sites:
        tickets = monitoring_selectors.tickets_opened_between(site, first, last)
        opened += tickets.count()
        fixed += tickets.filter(closed_at__isnull=False).count()
    s = "安全检查"
    figures = [
        Figure(s, "problems_found", "发现问题数量", str(opened),
               f"站点监测：{year}年开具的整改单", unit="个"),
        Figure(s, "problems_fixed", "整改问题数量", str(fixed),
               f"站点监测：{year}年开具且已复查销号的整改单", unit="个"),
    ]
    return figures + incident_figures(sites, year)


def incident_figures(sites: list[Any], year: int) -> list[Figure]:
    """安全事件 counts from the duty records (operations)."""
    from .duty import incidents_in_year

    found = incidents_in_year(sites, year)
    source = f"安全事件记录：{year}年全部网站"
    return [Figure("安全检查", "incidents", "安全事件数量", str(len(found)), source, unit="起"),
            Figure("安全检查", "incidents_closed", "处置完毕数量",
                   str(sum(1 for i in found if i.closed_at is not None)), source, unit="起")]


def lifecycle_counts(year: int) -> tuple[int, int, int, str]:
    """(opened, merged, closed, source) of the sites in a year, from the approved requests."""
    start, end = year_bounds(year)
    approved = SiteChange.objects.filter(status=ChangeStatus.APPROVED, decided_at__gte=start,
                                         decided_at__lt=end)
    counts = {action: approved.filter(action=action).count()
              for action in (ChangeAction.OPEN, ChangeAction.MIGRATE, ChangeAction.CLOSE)}
    return (counts[ChangeAction.OPEN], counts[ChangeAction.MIGRATE], counts[ChangeAction.CLOSE],
            f"网站变更申请：{year}年批准的开设、整合迁移和关停")


def _lifecycle(year: int) -> list[Figure]:
    opened, merged, closed, source = lifecycle_counts(year)
    s = "网站开设整合"
    return [Figure(s, "sites_opened", "新开设网站数", str(opened), source, unit="个"),
            Figure(s, "sites_merged", "整合迁移网站数", str(merged), source, unit="个"),
            Figure(s, "sites_closed", "关停网站数", str(closed), source, unit="个")]


def _error_reports(sites: list[Any], year: int) -> list[Figure]:
    s = "找错留言办理"
    keys = (("error_reports_received", "收到网民留言数量", "条"),
            ("error_reports_answered_on_time", "按时办结数量", "条"),
            ("error_reports_unfinished", "未办结数量", "条"),
            ("error_reports_finished_late", "超期办结数量", "条"))
    stats = [interaction_statistics(site, year) for site in sites]
    if any(st is None for st in stats):
        return [Figure(s, key, label, NOT_CONNECTED, "政民互动（找错）功能未接入本平台，请人工填报",
                       FigureOrigin.UNAVAILABLE, unit) for key, label, unit in keys]
    source = f"政民互动：{year}年收到的“我为政府网站找错”留言（全部网站）"
    return [Figure(s, key, label, str(sum(int(st[key]) for st in stats if st)), source,
                   unit=unit) for key, label, unit in keys]


def supervision_figures(portal: Any, year: int) -> list[Figure]:
    """Every field of the cluster's 《政府网站监管年度报表》 for a calendar year."""
    sites = list(all_sites().exclude(status="planned"))
    return [
        Figure("基本信息", "office", "填报单位", portal.host_organisation.name,
               "网站登记信息：门户网站的主办单位"),
        Figure("基本信息", "sites_running", "运行网站数",
               str(sum(1 for s in sites if s.status == "online")), "网站登记信息", unit="个"),
        *_inspections(sites, year), *_security(sites, year), *_lifecycle(year),
        *_error_reports(sites, year),
        manual("假冒政府网站处置", "fake_sites", "发现并处置假冒政府网站数量", "个"),
        manual("人员培训", "trainings", "培训次数", "次"),
        manual("人员培训", "trainees", "培训人数", "人次"),
    ]
