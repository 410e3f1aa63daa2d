"""站点监测 in the admin as its people use it (issue 10 #1–#3).

No listing offers a create form for records the system writes; the 监管员 sees and acts on the
sites they supervise; 立即检查 runs as a task with its progress on the inspection, and the
finished inspection reads as the report (Beijing time, Chinese labels), with 整改单 one click
away from each finding.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from govsites import testing
from govsites.accounts.roles import Role
from govsites.core.models import AuditRecord
from govsites.monitoring import services
from govsites.monitoring.choices import InspectionStatus, TicketStatus
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.models import Inspection, Ticket, UptimeAlert, UptimeProbe

from .admin_helpers import client_for, county_with_site, make_user, serve_site_at

pytestmark = pytest.mark.django_db
VIEWSETS = ("monitoring_tickets", "monitoring_overdue", "monitoring_inspections",
            "monitoring_probes", "monitoring_alerts")
FAST = {"GOVSITES_INSPECT_DELAY_SECONDS": 0.0,
        "GOVSITES_OUTBOUND_ALLOWED_NETWORKS": ["127.0.0.0/8"]}


def _text(response: Any) -> str:
    """The visible text of a page (tags, scripts and styles removed)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _records(portal: Any) -> dict[str, Any]:
    """One record of every kind for a site."""
    finding = InspectionFinding(rule_id="link.broken", url="http://127.0.0.1:9/gone.pdf",
                                evidence="附件不可用（HTTP 404）", severity="serious",
                                veto=False, message="附件不可用")
    [ticket] = services.open_tickets(findings=[finding], organisation=portal.host_organisation,
                                     site=portal, today=dt.date(2026, 3, 5))
    now = timezone.now()
    probe = UptimeProbe.objects.create(site=portal, at=now, url="http://localhost/",
                                       outcome="failed", error="HTTP 500")
    alert = UptimeAlert.objects.create(site=portal, at=now, level=0.01, share=0.02)
    inspection = Inspection.objects.create(site=portal, target="http://localhost/",
                                           status=InspectionStatus.QUEUED, requested_at=now)
    return {"monitoring_tickets": ticket, "monitoring_overdue": ticket,
            "monitoring_inspections": inspection, "monitoring_probes": probe,
            "monitoring_alerts": alert}


@pytest.mark.parametrize("viewset", VIEWSETS)
def test_no_monitoring_listing_offers_to_create_edit_or_delete_a_record(
        portal: Any, superuser_client: Any, viewset: str) -> None:
    record = _records(portal)[viewset]
    for name in ("add", "edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"{viewset}:{name}", args=[] if name == "add" else [record.pk])
    index = reverse(f"{viewset}:index")
    assert superuser_client.get(index + "new/").status_code == 404
    assert superuser_client.get(f"{index}edit/{record.pk}/").status_code == 404
    listing = superuser_client.get(index)
    assert listing.status_code == 200
    assert "添加" not in _text(listing)
    detail = superuser_client.get(reverse(f"{viewset}:inspect", args=[record.pk]))
    assert detail.status_code == 200


def test_the_city_supervisor_sees_every_monitoring_page_of_every_site(portal: Any) -> None:
    _county, county_site = county_with_site(portal.host_organisation)
    data_bureau = testing.make_organisation("示例市政务服务数据管理局", kind="department",
                                            parent=portal.host_organisation)
    supervisor = make_user(data_bureau, Role.SUPERVISOR, username="inspector")
    client = client_for(supervisor)
    records = _records(portal) | {"county": _records(county_site)}
    for viewset in VIEWSETS:
        listing = client.get(reverse(f"{viewset}:index"))
        assert listing.status_code == 200, viewset
        record = records[viewset]
        assert client.get(reverse(f"{viewset}:inspect", args=[record.pk])).status_code == 200
        county_record = records["county"][viewset]
        assert client.get(reverse(f"{viewset}:inspect",
                                  args=[county_record.pk])).status_code == 200
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"label": "\\u7ad9\\u70b9\\u76d1\\u6d4b"' in menu  # 站点监测, JSON-escaped
    for viewset in VIEWSETS:
        assert f'"url": "{reverse(f"{viewset}:index")}"' in menu


def test_a_county_supervisor_sees_only_the_county_sites(portal: Any) -> None:
    county, county_site = county_with_site(portal.host_organisation)
    supervisor = make_user(county, Role.SUPERVISOR)
    client = client_for(supervisor)
    city_records, county_records = _records(portal), _records(county_site)
    for viewset in VIEWSETS:
        listing = client.get(reverse(f"{viewset}:index"))
        shown = set(listing.context["object_list"])
        assert county_records[viewset] in shown and city_records[viewset] not in shown, viewset
        assert client.get(reverse(f"{viewset}:inspect",
                                  args=[city_records[viewset].pk])).status_code == 404
    ticket = city_records["monitoring_tickets"]
    assert client.post(reverse("monitoring_ticket_recheck", args=[ticket.pk])).status_code == 404
    start = client.get(reverse("monitoring_inspection_start"))
    assert [c for c in start.context["form"].fields["site"].choices if c[0]] == [
        (county_site.pk, f"{county_site.name}（{county_site.domain}）")]


def test_an_editor_has_no_monitoring_pages(portal: Any) -> None:
    editor = make_user(portal.host_organisation, Role.EDITOR)
    client = client_for(editor)
    records = _records(portal)
    for viewset in VIEWSETS:
        assert client.get(reverse(f"{viewset}:index")).status_code in (302, 403)
    assert client.get(reverse("monitoring_inspection_start")).status_code == 404
    assert client.get(reverse("monitoring_inspection_progress",
                              args=[records["monitoring_inspections"].pk])).status_code == 404


def test_the_overdue_listing_lists_only_overdue_open_tickets(portal: Any,
                                                            superuser_client: Any) -> None:
    records = _records(portal)
    overdue = records["monitoring_tickets"]  # due in March 2026: overdue since
    fresh = Ticket.objects.create(organisation=portal.host_organisation, site=portal,
                                  rule_id="link.broken", url="http://127.0.0.1:9/b",
                                  severity="serious", opened_on=timezone.localdate(),
                                  deadline=timezone.localdate() + dt.timedelta(days=3))
    listing = superuser_client.get(reverse("monitoring_overdue:index"))
    shown = set(listing.context["object_list"])
    assert overdue in shown and fresh not in shown


@override_settings(**FAST)
def test_start_inspection_runs_as_a_task_and_its_report_opens(
        portal: Any, fixture_site: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    serve_site_at(portal, fixture_site["port"])
    data_bureau = testing.make_organisation("数据局", kind="department",
                                            parent=portal.host_organisation)
    client = client_for(make_user(data_bureau, Role.SUPERVISOR))
    form = client.get(reverse("monitoring_inspections:index"))
    assert reverse("monitoring_inspection_start") in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring_inspection_start"),
                               {"site": portal.pk, "max_pages": 40})
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("monitoring_inspections:inspect", args=[inspection.pk])
    assert inspection.status == InspectionStatus.DONE, inspection.error
    assert inspection.requested_by.organisation == data_bureau
    assert inspection.target == f"http://localhost:{fixture_site['port']}/"
    assert 0 < inspection.pages_crawled <= 40 and inspection.progress_at is not None
    actions = list(AuditRecord.objects.filter(action__startswith="monitoring.inspection")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["monitoring.inspection.request", "monitoring.inspection.record"]
    assert Ticket.objects.filter(inspection=inspection).exists()  # serious/veto findings

    page = client.get(response.url)
    text = _text(page)
    assert "检查结论" in text and inspection.verdict in text
    started = timezone.localtime(inspection.started_at).strftime("%Y-%m-%d %H:%M:%S")
    assert f"{started} 至" in text  # Beijing time, as the lists show it
    assert "{'" not in text and "link.broken" not in text
    for code in ("warning", "serious", "score"):
        assert not re.search(rf"\b{code}\b", text), code
    from govsites.monitoring.labels import SEVERITY_LABELS, rule_title
    from govsites.monitoring.rulebook import load_rulebook

    for finding in inspection.report["findings"]:
        assert rule_title(finding["rule_id"], load_rulebook()) in text
        assert SEVERITY_LABELS[finding["severity"]] in text


def test_a_queued_inspection_shows_its_progress_until_it_is_done(portal: Any) -> None:
    client = client_for(make_user(portal.host_organisation, is_superuser=True))
    inspection = Inspection.objects.create(site=portal, target="http://localhost/",
                                           status=InspectionStatus.RUNNING, max_pages=300,
                                           requested_at=timezone.now(), pages_crawled=17,
                                           links_checked=40, queued_links=12,
                                           progress_at=timezone.now())
    page = client.get(reverse("monitoring_inspections:inspect", args=[inspection.pk]))
    progress_url = reverse("monitoring_inspection_progress", args=[inspection.pk])
    html = page.content.decode()
    assert f'data-inspection-progress="{progress_url}"' in html
    assert "已抓取 17 / 300 页" in _text(page)
    payload = client.get(progress_url).json()
    assert payload["status"] == "running" and payload["in_progress"] is True
    assert (payload["pages"], payload["links"], payload["queued"]) == (17, 40, 12)
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.FAILED,
                                                       error="无法检查：目标不在允许访问的网络范围内")
    assert client.get(progress_url).json()["in_progress"] is False
    assert "无法检查" in _text(client.get(reverse("monitoring_inspections:inspect",
                                                 args=[inspection.pk])))


def test_a_page_budget_out_of_range_is_refused_in_chinese_and_nothing_is_queued(
        portal: Any) -> None:
    client = client_for(make_user(portal.host_organisation, is_superuser=True))
    response = client.post(reverse("monitoring_inspection_start"),
                           {"site": portal.pk, "max_pages": 0})
    assert response.status_code == 200
    assert "大于或等于" in _text(response)
    assert not Inspection.objects.exists()


def _finished_inspection(portal: Any) -> Inspection:
    findings = [
        InspectionFinding(rule_id="link.broken", url=f"http://127.0.0.1:9/{n}.pdf",
                          evidence="附件不可用（HTTP 404）", severity="warning", veto=False,
                          message="附件不可用", page="http://127.0.0.1:9/news/")
        for n in range(3)
    ] + [InspectionFinding(rule_id="page.meta_missing", url="http://127.0.0.1:9/news/",
                           evidence="缺少：SiteIDCode", severity="warning", veto=False,
                           message="网页缺少必选网页标签：SiteIDCode")]
    report = {"target": "http://127.0.0.1:9/", "as_of": "2026-06-30",
              "started_at": "2026-06-30T02:00:00+00:00", "finished_at": "2026-06-30T02:01:00+00:00",
              "elapsed_seconds": 60, "pages_crawled": 10, "links_checked": 30,
              "rulebook": "national-2019", "findings": [f.as_dict() for f in findings],
              "not_checked": [], "notes": [], "platform": None, "screening_note": "",
              "verdict": {"label": "合格", "passed": True, "decided_by": "score",
                          "decided_because": "无单项否决，扣分后得分 98", "score": 98.0,
                          "vetoes": [], "deductions": [], "provisional": True}}
    return Inspection.objects.create(site=portal, target=report["target"],
                                     status=InspectionStatus.DONE, verdict="合格",
                                     decided_by="score", score=98.0, report=report,
                                     started_at=dt.datetime(2026, 6, 30, 2, tzinfo=dt.UTC))


def test_the_report_shows_beijing_time_and_words_not_codes(portal: Any,
                                                          superuser_client: Any) -> None:
    inspection = _finished_inspection(portal)
    page = superuser_client.get(reverse("monitoring_inspections:inspect", args=[inspection.pk]))
    text = _text(page)
    assert "2026-06-30 10:00:00 至 2026-06-30 10:01:00" in text  # 02:00 UTC
    assert "决定结论的依据： 扣分评分" in text
    assert "链接不可用（3 处）" in text and "网页标签缺失（1 处）" in text
    assert not re.search(r"\bwarning\b|\bscore\b|link\.broken", text)
    listing = _text(superuser_client.get(reverse("monitoring_inspections:index")))
    assert "扣分评分" in listing and not re.search(r"\bscore\b", listing)


def test_a_finding_becomes_a_ticket_in_one_click_once(portal: Any) -> None:
    supervisor = make_user(portal.host_organisation, Role.SUPERVISOR)
    client = client_for(supervisor)
    inspection = _finished_inspection(portal)
    url = reverse("monitoring_inspection_open_tickets", args=[inspection.pk])
    page = client.get(reverse("monitoring_inspections:inspect", args=[inspection.pk]))
    assert f'action="{url}"' in page.content.decode()
    response = client.post(url, {"finding": "1"})
    ticket = Ticket.objects.get()
    assert (ticket.rule_id, ticket.url, ticket.inspection) == (
        "link.broken", "http://127.0.0.1:9/1.pdf", inspection)
    assert ticket.events.get().actor == supervisor
    assert response.status_code == 302
    assert response.url == reverse("monitoring_inspections:inspect",
                                   args=[inspection.pk]) + "#rule-linkbroken"
    again = client.post(url, {"finding": "1"})
    assert Ticket.objects.count() == 1
    assert again.status_code == 302
    assert AuditRecord.objects.filter(action="monitoring.ticket.open").count() == 1
    page = client.get(reverse("monitoring_inspections:inspect", args=[inspection.pk]))
    assert f"整改单 #{ticket.pk}" in _text(page)


def test_a_whole_rule_group_becomes_tickets_in_one_click(portal: Any) -> None:
    client = client_for(make_user(portal.host_organisation, Role.SUPERVISOR))
    inspection = _finished_inspection(portal)
    page = _text(client.get(reverse("monitoring_inspections:inspect", args=[inspection.pk])))
    assert "为本组 3 个问题开具整改单" in page
    client.post(reverse("monitoring_inspection_open_tickets", args=[inspection.pk]),
                {"finding": ["0", "1", "2"]})
    assert Ticket.objects.filter(rule_id="link.broken", status=TicketStatus.OPEN).count() == 3
    assert AuditRecord.objects.filter(action="monitoring.ticket.open").count() == 1
    page = _text(client.get(reverse("monitoring_inspections:inspect", args=[inspection.pk])))
    assert "为本组 3 个问题" not in page


def test_an_index_the_report_does_not_hold_changes_nothing(portal: Any) -> None:
    client = client_for(make_user(portal.host_organisation, Role.SUPERVISOR))
    inspection = _finished_inspection(portal)
    response = client.post(reverse("monitoring_inspection_open_tickets", args=[inspection.pk]),
                           {"finding": ["1", "99"]}, follow=True)
    assert "检查报告中没有第 100 个问题" in _text(response)
    assert not Ticket.objects.exists()


def test_without_the_open_permission_no_ticket_buttons_and_no_tickets(portal: Any) -> None:
    viewer = make_user(portal.host_organisation)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_inspection"),
                                Permission.objects.get(codename="access_admin"))
    client = client_for(viewer)
    inspection = _finished_inspection(portal)
    page = client.get(reverse("monitoring_inspections:inspect", args=[inspection.pk]))
    assert page.status_code == 200 and "开具整改单" not in _text(page)
    url = reverse("monitoring_inspection_open_tickets", args=[inspection.pk])
    assert client.post(url, {"finding": "0"}).status_code == 404
    assert not Ticket.objects.exists()


def test_the_report_downloads_as_the_same_html_file(portal: Any, superuser_client: Any) -> None:
    inspection = _finished_inspection(portal)
    response = superuser_client.get(reverse("monitoring_inspection_report",
                                            args=[inspection.pk, "html"]))
    assert response["Content-Type"].startswith("text/html")
    text = _text(response)
    assert "网站检查报告" in text and "链接不可用（3 处）" in text
    assert "2026-06-30 10:00:00" in text


def test_the_supervisor_acknowledges_an_alert_with_a_note(portal: Any) -> None:
    supervisor = make_user(portal.host_organisation, Role.SUPERVISOR)
    client = client_for(supervisor)
    alert = _records(portal)["monitoring_alerts"]
    url = reverse("monitoring_alert_acknowledge", args=[alert.pk])
    assert url in client.get(reverse("monitoring_alerts:index")).content.decode()
    refused = client.post(url, {"acknowledgement": "  "})
    assert refused.status_code == 200 and "必需字段" in _text(refused)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    client.post(url, {"acknowledgement": "已联系承办单位，服务器已恢复"})
    alert.refresh_from_db()
    assert alert.acknowledged_by == supervisor and alert.share == 0.02
    assert alert.acknowledgement == "已联系承办单位，服务器已恢复"
    assert AuditRecord.objects.filter(action="monitoring.uptime.acknowledge").count() == 1
    assert url not in client.get(reverse("monitoring_alerts:index")).content.decode()


def test_the_report_downloads_as_pdf(portal: Any, superuser_client: Any) -> None:
    inspection = _finished_inspection(portal)
    response = superuser_client.get(reverse("monitoring_inspection_report",
                                            args=[inspection.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="inspection-{inspection.pk}.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_a_report_of_an_inspection_still_running_is_not_offered(portal: Any,
                                                               superuser_client: Any) -> None:
    inspection = _records(portal)["monitoring_inspections"]  # queued: no report yet
    for fmt in ("html", "pdf"):
        response = superuser_client.get(reverse("monitoring_inspection_report",
                                                args=[inspection.pk, fmt]))
        assert response.status_code == 404


def test_without_the_year_s_holiday_calendar_no_ticket_is_opened_and_the_page_says_why(
        portal: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from govsites.core.calendar import CalendarDataMissing

    def unknown_year(day: dt.date, days: int) -> dt.date:
        raise CalendarDataMissing(2027)

    monkeypatch.setattr(services, "add_working_days", unknown_year)
    client = client_for(make_user(portal.host_organisation, Role.SUPERVISOR))
    inspection = _finished_inspection(portal)
    response = client.post(reverse("monitoring_inspection_open_tickets", args=[inspection.pk]),
                           {"finding": "0"}, follow=True)
    assert "无法开具整改单：2027年的节假日安排尚未录入" in _text(response)
    assert not Ticket.objects.exists()


def test_the_monthly_report_takes_the_latest_finished_inspection(portal: Any) -> None:
    from govsites.monitoring.reports import site_month

    done = _finished_inspection(portal)
    Inspection.objects.create(site=portal, target="http://localhost/",
                              status=InspectionStatus.FAILED, error="检查出错",
                              started_at=dt.datetime(2026, 6, 30, 5, tzinfo=dt.UTC))
    month = site_month(portal, 2026, 6)
    assert month["latest"] == done and month["inspections"] == [done]
