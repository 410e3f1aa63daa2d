"""The fields of 《政府网站工作年度报表》 (国办函〔2018〕12号) and where the platform finds each.

`website_figures(site, year)` returns every field in the national layout's order with its
value and a sentence naming its source. Fields the platform cannot know (registered users,
办件量, the people who sign) are left to be entered (origin MANUAL); fields of a capability
that is not installed say so (UNAVAILABLE, "未接入") rather than inventing a number.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone

from govsites.content.choices import ColumnType, InterpretationForm
from govsites.content.selectors import YearOfPublishing, year_of_publishing
from govsites.monitoring import selectors as monitoring_selectors

from . import selectors
from .models import FigureOrigin
from .visitlog import BEIJING

NOT_CONNECTED = "未接入"
TO_ENTER = "平台无此数据，由网站主办单位填报"
# 信息发布 groups of the report by 栏目类别 (reference 3.3).
OVERVIEW_TYPES = (ColumnType.OVERVIEW, ColumnType.FUNCTIONS, ColumnType.LEADERS)
NEWS_TYPES = (ColumnType.NEWS,)
CATALOGUE_TYPES = (ColumnType.DISCLOSURE_CATALOGUE, ColumnType.POLICY, ColumnType.NOTICE,
                   ColumnType.DISCLOSURE_ANNUAL_REPORT, ColumnType.DATA_RELEASE)
PRODUCT_FORMS = (InterpretationForm.GRAPHIC, InterpretationForm.AUDIO_VIDEO,
                 InterpretationForm.ANIMATION)


@dataclass(frozen=True)
class Figure:
    """One field of a report as compiled."""

    section: str
    key: str
    label: str
    value: str
    source: str
    origin: str = FigureOrigin.PLATFORM
    unit: str = ""


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January, next 1 January) of a year in Beijing time."""
    return (dt.datetime(year, 1, 1, tzinfo=BEIJING), dt.datetime(year + 1, 1, 1, tzinfo=BEIJING))


def yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def manual(section: str, key: str, label: str, unit: str = "") -> Figure:
    return Figure(section, key, label, "", TO_ENTER, FigureOrigin.MANUAL, unit)


def interaction_statistics(site: Any, year: int) -> dict[str, Any] | None:
    """The interaction app's yearly statistics, or None when that capability is not installed."""
    if not apps.is_installed("govsites.interaction"):
        return None
    try:
        module = importlib.import_module("govsites.interaction.selectors")
    except ImportError:
        return None
    reader: Callable[[Any, int], dict[str, Any]] | None = getattr(module, "yearly_statistics", None)
    return dict(reader(site, year)) if reader is not None else None


def _identity(site: Any, year: int) -> list[Figure]:
    registry = "网站登记信息（网站管理 → 网站）"
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    visits = selectors.visit_totals(site=site, start=start, end=end)
    visit_source = (f"访问统计：{start:%Y-%m-%d} 至 {end:%Y-%m-%d} 的网站访问日志（不含爬虫请求）")
    s = "基本信息"
    return [
        Figure(s, "site_name", "网站名称", site.name, registry),
        Figure(s, "home_url", "首页网址", f"https://{site.domain}/", registry),
        Figure(s, "host_organisation", "主办单位", site.host_organisation.name, registry),
        Figure(s, "site_kind", "网站类型",
               "政府门户网站" if site.kind in ("portal", "county") else "部门网站", registry),
        Figure(s, "site_code", "政府网站标识码", site.site_code, registry),
        Figure(s, "icp_number", "ICP备案号", site.icp_number, registry),
        Figure(s, "police_number", "公安机关备案号", site.police_number, registry),
        Figure(s, "unique_visitors", "独立用户访问总量", str(visits.unique_visitors),
               visit_source + "；按每日独立访客（每日更换盐值的摘要）之和计", unit="个"),
        Figure(s, "page_views", "网站总访问量", str(visits.page_views),
               visit_source + "；页面浏览次数", unit="次"),
    ]


def _publishing(pub: YearOfPublishing, year: int) -> list[Figure]:
    def count(types: tuple[str, ...]) -> int:
        return sum(pub.by_column_type.get(t, 0) for t in types)

    def where(types: tuple[str, ...]) -> str:
        return (f"{year}年首次发布、仍在发布的信息，所在栏目类别为：" + "、".join(types))

    s = "信息发布"
    return [
        Figure(s, "items_total", "信息发布总数", str(sum(pub.by_column_type.values())),
               f"{year}年首次发布、仍在发布的全部信息", unit="条"),
        Figure(s, "items_overview", "概况类信息更新量", str(count(OVERVIEW_TYPES)),
               where(OVERVIEW_TYPES), unit="条"),
        Figure(s, "items_news", "政务动态信息更新量", str(count(NEWS_TYPES)), where(NEWS_TYPES),
               unit="条"),
        Figure(s, "items_catalogue", "信息公开目录信息更新量", str(count(CATALOGUE_TYPES)),
               where(CATALOGUE_TYPES), unit="条"),
    ]


def _specials(pub: YearOfPublishing, year: int) -> list[Figure]:
    s = "专栏专题"
    return [
        Figure(s, "specials_maintained", "维护数量", str(pub.special_columns_maintained),
               f"{year}年内存在的“专题专栏”类栏目（未在年初前归档）", unit="个"),
        Figure(s, "specials_new", "新开设数量", str(pub.special_columns_new),
               f"{year}年内新建的“专题专栏”类栏目", unit="个"),
    ]


def _interpretation(pub: YearOfPublishing, year: int) -> list[Figure]:
    forms = pub.interpretations_by_form
    materials = forms.get(InterpretationForm.TEXT, 0)
    products = sum(forms.get(f, 0) for f in PRODUCT_FORMS)
    responses = pub.by_column_type.get(ColumnType.RESPONSE, 0)
    s = "解读回应"
    return [
        Figure(s, "interpretations_total", "解读信息发布总数", str(materials + products),
               f"{year}年发布的政策解读信息", unit="条"),
        Figure(s, "interpretation_materials", "解读材料数量", str(materials),
               "解读形式为“文字”的政策解读", unit="条"),
        Figure(s, "interpretation_products", "解读产品数量", str(products),
               "解读形式为图解、音视频、动漫的政策解读", unit="条"),
        manual(s, "media_commentaries", "媒体评论文章数量", "篇"),
        Figure(s, "responses", "回应公众关注热点或重大舆情数量", str(responses),
               f"{year}年在“回应关切”类栏目发布的信息", unit="次"),
    ]


def _services(pub: YearOfPublishing, year: int) -> list[Figure]:
    s = "办事服务"
    return [
        Figure(s, "service_catalogue", "是否发布服务事项目录", yes_no(pub.service_guides > 0),
               "网站是否发布了办事指南"),
        manual(s, "registered_users", "注册用户数", "个"),
        Figure(s, "service_items", "政务服务事项数量", str(pub.service_guides),
               f"截至{year}年底在发布的办事指南", unit="项"),
        manual(s, "online_service_items", "可全程在线办理政务服务事项数量", "项"),
        manual(s, "cases_total", "办件量总数", "件"),
        manual(s, "cases_persons", "自然人办件量", "件"),
        manual(s, "cases_legal_persons", "法人办件量", "件"),
    ]


def _interaction(site: Any, year: int) -> list[Figure]:
    s = "互动交流"
    stats = interaction_statistics(site, year)
    if stats is None:
        keys = (("unified_platform", "是否使用统一平台", ""),
                ("messages_received", "收到留言数量", "条"),
                ("messages_closed", "办结留言数量", "条"),
                ("average_days", "平均办理时间", "天"), ("messages_public", "公开答复数量", "条"))
        return [Figure(s, k, label, NOT_CONNECTED, "政民互动功能未接入本平台，请在接入前人工填报",
                       FigureOrigin.UNAVAILABLE, unit) for k, label, unit in keys]
    source = f"政民互动：{year}年收到的留言（留言办理记录）"
    average = stats.get("average_working_days")
    return [
        Figure(s, "unified_platform", "是否使用统一平台", "是", "留言由本平台政民互动统一受理"),
        Figure(s, "messages_received", "收到留言数量", str(stats["enquiries_received"]), source,
               unit="条"),
        Figure(s, "messages_closed", "办结留言数量", str(stats["enquiries_replied"]), source,
               unit="条"),
        Figure(s, "average_days", "平均办理时间", "—" if average is None else f"{average:g}",
               source + "；按工作日计（无办结留言时为“—”）", unit="天"),
        Figure(s, "messages_public", "公开答复数量", str(stats["enquiries_public"]), source,
               unit="条"),
        manual(s, "surveys", "征集调查期数", "期"),
        manual(s, "interviews", "在线访谈期数", "期"),
        manual(s, "smart_answers", "是否提供智能问答"),
    ]


def _security(site: Any, year: int) -> list[Figure]:
    start, end = year_bounds(year)
    inspections = monitoring_selectors.inspections_between(site, start, end).count()
    tickets = monitoring_selectors.tickets_opened_between(site, dt.date(year, 1, 1),
                                                          dt.date(year + 1, 1, 1))
    probes = monitoring_selectors.probes_between(site, start, end).exists()
    s = "安全防护"
    figures = [
        Figure(s, "assessments", "安全检测评估次数", str(inspections),
               f"站点监测：{year}年完成的站点检查", unit="次"),
        Figure(s, "problems_found", "发现问题数量", str(tickets.count()),
               f"站点监测：{year}年开具的整改单", unit="个"),
        Figure(s, "problems_fixed", "问题整改数量", str(tickets.filter(closed_at__isnull=False).count()),
               f"站点监测：{year}年开具且已复查销号的整改单", unit="个"),
        Figure(s, "monitoring_mechanism", "是否建立安全监测预警机制", yes_no(probes),
               "站点监测：当年是否有可用性探测记录"),
    ]
    return figures + security_records(site, year)


def security_records(site: Any, year: int) -> list[Figure]:
    """是否开展应急演练 and 安全事件 from the duty records; 安全责任人 is entered."""
    from .duty import drills_in_year, incidents_in_year

    s = "安全防护"
    drills = drills_in_year(site.host_organisation, year)
    incidents = incidents_in_year([site], year)
    return [Figure(s, "drills", "是否开展应急演练", yes_no(bool(drills)),
                   f"应急演练记录：主办单位{year}年登记{len(drills)}次"),
            Figure(s, "incidents", "安全事件数量", str(len(incidents)),
                   f"安全事件记录：{year}年发现的本网站安全事件", unit="起"),
            manual(s, "security_owner", "是否明确网站安全责任人")]


def new_media_figures(site: Any, year: int) -> list[Figure]:
    """移动新媒体 from the 政务新媒体 registry of the site's host organisation."""
    from .newmedia import accounts_of, posts_in_year

    s = "移动新媒体"
    accounts = accounts_of(site.host_organisation, year=year)
    source = "政务新媒体登记（主办单位的账号；发布量为按月填报之和，关注量为登记值）"

    def describe(platforms: tuple[str, ...], *, other: bool = False) -> str:
        parts = []
        for a in accounts:
            if (a.platform in platforms) != other:
                posts = posts_in_year(a, year)
                extra = [f"信息发布量{posts}条" if posts is not None else "",
                         f"关注量{a.followers}" if a.followers is not None else ""]
                detail = "，".join(e for e in extra if e)
                parts.append(f"{a.name}（{detail}）" if detail else a.name)
        return "；".join(parts) or "无"

    return [Figure(s, "has_new_media", "是否有移动新媒体", yes_no(bool(accounts)), source),
            Figure(s, "weibo", "微博", describe(("weibo",)), source),
            Figure(s, "wechat", "微信", describe(("wechat",)), source),
            Figure(s, "other_new_media", "其他", describe(("weibo", "wechat"), other=True), source)]


def _innovation(site: Any) -> list[Figure]:
    s = "创新发展"
    features = "平台功能：站内搜索、繁体版、适老化模式（关怀模式）为集约化平台所有网站提供"
    opendata = apps.is_installed("govsites.opendata")
    return [
        Figure(s, "search_service", "搜索即服务", yes_no(apps.is_installed("govsites.search")),
               features),
        Figure(s, "multilingual", "多语言版本", "简体中文、繁体中文", features),
        Figure(s, "accessibility", "无障碍浏览", "是", features),
        Figure(s, "personalised", "千人千网", "否", "平台未提供个性化定制"),
        Figure(s, "other_innovation", "其他", "数据开放" if opendata else "", "平台功能：数据开放"),
    ]


def _footer(site: Any) -> list[Figure]:
    s = "填报信息"
    return [
        manual(s, "head", "单位负责人"), manual(s, "reviewer", "审核人"),
        manual(s, "filled_by", "填报人"),
        Figure(s, "phone", "联系电话", site.phone, "网站登记信息（联系电话）"),
        Figure(s, "filled_on", "填报日期", f"{timezone.localdate():%Y-%m-%d}", "报表生成日期"),
    ]


def website_figures(site: Any, year: int) -> list[Figure]:
    """Every field of one site's 《政府网站工作年度报表》 for a calendar year."""
    start, end = year_bounds(year)
    pub = year_of_publishing(site.site.root_page, since=start, until=end)
    return [*_identity(site, year), *_publishing(pub, year), *_specials(pub, year),
            *_interpretation(pub, year), *_services(pub, year), *_interaction(site, year),
            *_security(site, year), *new_media_figures(site, year), *_innovation(site),
            *_footer(site)]
