"""Platform mode against our own site served live, and the commands a user runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from govsites import testing
from govsites.monitoring.findings import InspectionFinding
from govsites.monitoring.models import Inspection, Ticket

pytestmark = pytest.mark.django_db


class _Served:
    def __init__(self, address: str) -> None:
        # Our site answers as "localhost" (its Wagtail hostname), which maps it to the registry.
        self.url = "http://localhost:" + address.rsplit(":", 1)[1]


@pytest.fixture
def served_app(db: Any) -> Any:
    """Our application served on loopback with the test's own connections (no flush, so the
    tests run in a transaction like the rest of the suite)."""
    from govsites.publishing.testing import live_app

    with live_app(share_connections=True) as address:
        yield _Served(address)


@pytest.fixture
def our_site(served_app: Any) -> Any:
    portal = testing.make_site()
    home = portal.site.root_page
    news = testing.make_column(home, title="工作动态", column_type="工作动态")
    testing.make_article(news, title="市政府召开常务会议")
    testing.make_column(home, title="人事信息", column_type="概况信息")
    return portal


def test_inspecting_our_own_site_takes_freshness_from_the_database_and_records_tickets(
        our_site: Any, served_app: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    html = tmp_path / "report.html"
    call_command("inspect", served_app.url + "/", "--max-pages", "50", "--delay", "0",
                 "--json", str(out), "--html", str(html), "--quiet")
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["platform"]["site"] == our_site.name
    assert report["platform"]["interaction"] == "互动回应：留言超过三个月未答复（IA-02）按平台数据库核对"
    empty = [f for f in report["findings"] if f["rule_id"] == "column.empty"]
    assert [f["source"] for f in empty] == ["database"]
    assert not [f for f in report["findings"] if f["rule_id"] == "home.stale"]
    assert report["platform"]["disagreements"] == []
    assert "互动回应" in html.read_text(encoding="utf-8")
    assert Inspection.objects.get().site == our_site
    ticket = Ticket.objects.get(rule_id="column.empty")
    assert ticket.organisation == our_site.host_organisation and ticket.site == our_site


def test_disagreements_between_crawl_and_database_are_listed(our_site: Any, served_app: Any) -> None:
    from govsites.monitoring.crawler import CrawlConfig
    from govsites.monitoring.inspector import inspect_site
    from govsites.monitoring.platform import apply_platform_mode
    from govsites.monitoring.rulebook import load_rulebook

    result = inspect_site(CrawlConfig(start_url=served_app.url + "/", max_pages=30, delay=0.0))
    result.findings.append(InspectionFinding(
        rule_id="column.stale", url=served_app.url + "/site-x/", evidence="", severity="serious",
        veto=False, message="", extra={"kind": "typed"}))
    result = apply_platform_mode(result, our_site, rulebook=load_rulebook(""))
    [disagreement] = result.platform["disagreements"]  # type: ignore[index]
    assert disagreement["rule_id"] == "column.stale" and disagreement["crawl"]
    assert not disagreement["database"]


def test_the_monthly_report_renders_html_and_pdf_in_chinese(our_site: Any, tmp_path: Path) -> None:
    month = timezone.localdate().strftime("%Y-%m")
    html, pdf = tmp_path / "m.html", tmp_path / "m.pdf"
    call_command("monitoring_report", "--cluster", "--month", month, "--html", str(html),
                 "--pdf", str(pdf))
    text = html.read_text(encoding="utf-8")
    assert "网站监测月报" in text and "<svg" in text and our_site.name in text
    assert pdf.read_bytes().startswith(b"%PDF")
