"""Demo 政府信息公开: 公开主体 for the city government, the 教育局 and the 卫健委, and a year
of the 教育局's requests (paper and online, every kind of outcome), built through the
disclosure services so the casework, the 2026 annual report's table 三 and the statistics
have something to show. Applicants are fictional; their ID numbers carry a valid check digit
only. Cases are created once (skipped when the 教育局 already has requests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from govsites.accounts.models import User
from govsites.content.choices import ColumnType
from govsites.content.models import ColumnPage
from govsites.content.services import create_column
from govsites.disclosure import reports, services
from govsites.disclosure.identity import Applicant
from govsites.disclosure.models import (
    DisclosureBody,
    DisclosureCataloguePage,
    DisclosureRequest,
)

Say = Callable[[str], None]

BODIES = [
    # organisation key, office, address, phone, fax
    ("gov", "示例市人民政府办公室（政务公开科）", "示例市人民路1号", "0753-2200001", "0753-2200002"),
    ("edu", "示例市教育局办公室", "示例市学府路8号", "0753-2345678", "0753-2345679"),
    ("health", "示例市卫生健康委员会办公室", "示例市健康路2号", "0753-3456789", ""),
]
HOURS = "工作日上午9:00-12:00，下午14:30-17:30（法定节假日除外）"

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _resident_id(serial: int) -> str:
    """A fictional resident ID (region 449900, born 1980) with a valid check digit."""
    first = f"449900198001{serial:02d}{serial % 1000:03d}"[:17]
    return first + "10X98765432"[sum(int(d) * w for d, w in zip(first, _W, strict=True)) % 11]


def _person(name: str, serial: int, *, email: str = "") -> Applicant:
    return Applicant(name=name, id_type="resident_id", id_number=_resident_id(serial),
                     phone=f"1390000{serial:04d}", email=email,
                     address="示例市东城区示例路8号")


def _user(username: str) -> User:
    return User.objects.get(username=username)


PLATFORM_SITES = ("portal", "edu", "health")  # the sites of the demo's 公开主体 (BODIES)


def ensure_platforms(sites: dict[str, Any], say: Say) -> dict[str, list[dict[str, Any]]]:
    """Give each 公开主体's site its 政府信息公开平台 as a city configures it: one platform under
    the unified name (DS-14, DS-19) with a column for every category 条例第20条, and 第21条 for
    the site's level, requires (DS-12, DS-13). Names and categories are the rule data, so the
    demo follows the registry. Returns one item per new column (imported with the demo's items)
    so that no category column is blank."""
    from govsites.disclosure import platform as layout
    from govsites.monitoring.rulebook import load_rulebook

    lines: dict[str, list[dict[str, Any]]] = {}
    for key in PLATFORM_SITES:
        profile = sites[key]
        value = load_rulebook(site=profile).value
        name = str(value("disclosure.platform.names")[0])
        found = layout.site_layout(profile, value=value)
        if found.platform is None:
            create_column(parent=profile.site.root_page, title=name, slug="zfxxgk",
                          column_type=ColumnType.DISCLOSURE_CATALOGUE,
                          description=f"{profile.host_organisation.name}政府信息公开平台",
                          keywords="政府信息公开,信息公开目录", acting_user=None)
            say(f"    栏目：{profile.name} · {name}")
            found = layout.site_layout(profile, value=value)
        assert found.platform is not None
        platform = found.platform.column
        for number, category in enumerate(layout.missing_categories(found.platform, value=value),
                                          start=1):
            title = category.keywords[0] + ("信息" if len(category.keywords[0]) < 3 else "")
            create_column(parent=platform, title=title, slug=f"gk{number:02d}",
                          column_type=ColumnType.NOTICE, description=category.title,
                          keywords=",".join(category.keywords), acting_user=None)
            lines.setdefault(key, []).append({
                "type": "article", "external_id": f"{key}-gk{number:02d}",
                "column": f"{platform.title}/{title}", "days_ago": 2,
                "title": f"{profile.host_organisation.name}{category.title}",
                "body": f"本栏目依据《中华人民共和国政府信息公开条例》{category.citation()}，"
                        f"主动公开{category.title}。",
                "metadata": {"topic": "综合政务\\电子政务",
                             "publisher": profile.host_organisation.name}})
        say(f"    政府信息公开平台：{profile.name} · {platform.title}，"
            f"新设栏目 {len(lines.get(key, []))} 个")
    return lines


def _annual_report_column(site: Any, say: Say) -> None:
    """Give the 教育局's site a 信息公开年报 column inside its 政府信息公开平台 (专栏姓专):
    published reports are placed there."""
    root = site.site.root_page
    if ColumnPage.objects.descendant_of(root).filter(column_type="信息公开年报").exists():
        return
    platform = ColumnPage.objects.descendant_of(root).filter(
        column_type=ColumnType.DISCLOSURE_CATALOGUE).order_by("path").first()
    create_column(parent=platform or root, title="信息公开年报", slug="xxgknb",
                  column_type="信息公开年报",
                  description="政府信息公开工作年度报告", keywords="政府信息公开,年度报告",
                  acting_user=None)
    say(f"    栏目：{site.name} · 信息公开年报")


def _catalogue_page(body: DisclosureBody, site: Any, say: Say) -> None:
    """The body's static 政府信息公开目录 on its own site (linked from every page's footer)."""
    root = site.site.root_page
    if DisclosureCataloguePage.objects.descendant_of(root).filter(disclosure_body=body).exists():
        return
    page = services.create_catalogue_page(body=body, parent=root, acting_user=None)
    say(f"    政府信息公开目录：{site.name}{page.url_path[len(root.url_path) - 1:]}")


def load_disclosure(*, sites: dict[str, Any], orgs: dict[str, Any], say: Say) -> None:
    """Create the bodies and, the first time, the 教育局's cases and draft report."""
    _annual_report_column(sites["edu"], say)
    bodies: dict[str, DisclosureBody] = {}
    for key, office, address, phone, fax in BODIES:
        body = DisclosureBody.objects.filter(organisation=orgs[key]).first()
        if body is None:
            body = services.save_body(organisation=orgs[key], acting_user=None,
                                      office_name=office, address=address, postcode="514000",
                                      office_hours=HOURS, phone=phone, fax=fax)
            say(f"  公开主体：{body.name}（/disclosure/{body.pk}/）")
        bodies[key] = body
        _catalogue_page(body, sites["portal" if key == "gov" else key], say)
    edu = bodies["edu"]
    if DisclosureRequest.objects.filter(body=edu).exists():
        return
    clerk, deputy = _user("jyj_editor"), _user("jyj_deputy")

    def paper(name: str, serial: int, received: dt.date, description: str,
              channel: str = "in_person", **kw: Any) -> DisclosureRequest:
        return services.register_request(
            body=edu, acting_user=clerk, channel=channel, received_on=received,
            applicant_type=kw.get("applicant_type", "natural_person"),
            organisation_subtype=kw.get("subtype", ""),
            applicant=kw.get("person") or _person(name, serial),
            content=services.RequestContent(description=description,
                                            document_number=kw.get("number", ""),
                                            delivery_form="paper",
                                            delivery_method="inspection"))

    carried = paper("刘某", 1, dt.date(2025, 12, 22), "2025年市级教育经费预算执行情况")
    services.reply(request=carried, acting_user=clerk, result="disclosed",
                   reply_text="该信息已主动公开，可在本局网站“财政预决算”栏目查阅。",
                   on=dt.date(2026, 1, 9))
    plan = paper("王某", 2, dt.date(2026, 3, 2), "2026年城区义务教育学校招生计划",
                 channel="registered_post")
    services.reply(request=plan, acting_user=clerk, result="disclosed",
                   reply_text="予以公开，招生计划见附件。", on=dt.date(2026, 3, 16))
    partial = paper("赵某", 3, dt.date(2026, 4, 7), "某民办学校办学许可审批材料")
    services.start_consultation(request=partial, acting_user=clerk, kind="third_party",
                                party="示例市某民办学校", on=dt.date(2026, 4, 10))
    services.end_consultation(request=partial, acting_user=clerk, on=dt.date(2026, 4, 24),
                              note="第三方不同意公开其财务资料")
    services.reply(request=partial, acting_user=clerk, result="partial",
                   reply_text="审批结论予以公开；涉及第三方商业秘密的财务资料不予公开。",
                   on=dt.date(2026, 5, 12))
    process = paper("孙某", 4, dt.date(2026, 5, 18), "局务会议讨论中小学布局调整的会议记录")
    services.reply(request=process, acting_user=clerk, result="withheld_process",
                   reply_text="所申请信息属于讨论记录等过程性信息，依据条例第十六条第二款不予公开。",
                   on=dt.date(2026, 6, 3))
    firm = Applicant(name="示例市某教育科技有限公司", id_type="credit_code",
                     id_number="91449900MA4W0001X7", phone="0753-6600001",
                     contact_person="周某")
    not_held = paper("", 0, dt.date(2026, 6, 15), "全市校外培训机构从业人员名单",
                     applicant_type="legal_person", subtype="commercial", person=firm)
    services.reply(request=not_held, acting_user=clerk, result="unavailable_not_held",
                   reply_text="经检索，本机关未制作、获取该信息。", on=dt.date(2026, 6, 29))
    unclear = paper("吴某", 5, dt.date(2026, 9, 1), "关于学校的文件")
    services.request_correction(request=unclear, acting_user=clerk,
                                note="请写明所需文件的名称、文号或者学校名称", on=dt.date(2026, 9, 3))
    services.close_lapsed(request=unclear, acting_user=None, on=dt.date(2026, 10, 9))
    extended = paper("郑某", 6, dt.date(2026, 10, 12), "2026年教师招聘考试成绩复核材料")
    services.extend(request=extended, acting_user=deputy, days=10,
                    reason="涉及多个考点，需要调取档案", on=dt.date(2026, 11, 2))
    online = services.submit_online_request(
        body=edu, applicant_type="natural_person",
        applicant=_person("陈某", 7, email="chen@example.cn"),
        content=services.RequestContent(description="2026年秋季学期中小学课后服务收费标准",
                                        document_number="", delivery_form="electronic",
                                        delivery_method="email"))
    say(f"  依申请公开：{edu.name} 7件办理记录，1件网上申请待确认（{online.reference}）")
    reports.draft_report(body=edu, year=2026, acting_user=None)
    say("  年度报告：示例市教育局2026年政府信息公开工作年度报告（草稿）")
