"""Visit statistics from the access logs: classification, rotation, idempotence, privacy."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from govsites.operations import ingest, selectors
from govsites.operations.models import (
    DailyNotFound,
    DailyPageViews,
    DailyReferrer,
    DailySearchTerm,
    DailySiteVisits,
    IngestedLog,
    VisitorSalt,
    VisitorSet,
)
from govsites.operations.samplelog import sample_lines
from govsites.operations.visitlog import BEIJING, COUNTERS, format_line

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148"


def line(uri: str = "/", *, host: str = "localhost", address: str = "203.0.113.7",
         status: int = 200, referrer: str = "", agent: str = CHROME, mode: str = "",
         when: dt.datetime | None = None, method: str = "GET") -> str:
    when = when or dt.datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)
    return format_line(when=when, site=host, address=address, method=method, uri=uri,
                       status=status, referrer=referrer, agent=agent, mode=mode)


def write(path: Path, lines: list[str], *, gz: bool = False) -> Path:
    data = "".join(lines).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def day_row(site) -> DailySiteVisits:
    return DailySiteVisits.objects.get(site=site, day=DAY)


def test_page_views_visitors_and_shares_are_counted_per_site_and_day(portal, department_site,
                                                                     tmp_path):
    log = write(tmp_path / "visits.log", [
        line("/"), line("/xxgk/"), line("/zh-hant/xxgk/"),
        line("/news/1.html", address="198.51.100.2", agent=IPHONE, mode="care"),
        line("/static/govsites/site.css"), line("/admin/"),
        line("/", agent="Mozilla/5.0 (compatible; Baiduspider/2.0)"),
        line("/missing/", status=404), line("/", method="POST"),
        line("/", host="jyj.localhost"),
        line("/", host="unknown.example"),
        "not a log line\n",
    ])
    [result] = ingest.import_logs(paths=[log])
    assert (result.lines, result.malformed, result.unknown_site) == (12, 1, 1)
    row = day_row(portal)
    assert row.page_views == 4
    assert row.unique_visitors == 2
    assert (row.hant_views, row.care_views, row.mobile_views, row.desktop_views) == (1, 1, 1, 3)
    assert (row.bot_hits, row.not_found) == (1, 1)
    assert day_row(department_site).page_views == 1
    pages = dict(DailyPageViews.objects.filter(site=portal).values_list("path", "views"))
    assert pages == {"/": 1, "/xxgk/": 2, "/news/1.html": 1}
    assert list(DailyNotFound.objects.values_list("path", "hits")) == [("/missing/", 1)]


def test_referrers_and_search_terms_are_kept_without_the_sites_own_addresses(portal, tmp_path):
    log = write(tmp_path / "visits.log", [
        line("/", referrer="https://www.baidu.com/s?wd=%E5%8A%9E%E4%BA%8B%E6%8C%87%E5%8D%97"),
        line("/", referrer="https://mp.weixin.qq.com/s/abc"),
        line("/xxgk/", referrer="http://localhost/"),
        line("/xxgk/", referrer=f"https://{portal.domain}/"),
        line("/search/?q=社保查询"), line("/zh-hant/search/?q=社保查询"),
    ])
    ingest.import_logs(paths=[log])
    referrers = dict(DailyReferrer.objects.values_list("host", "views"))
    assert referrers == {"www.baidu.com": 1, "mp.weixin.qq.com": 1}
    terms = set(DailySearchTerm.objects.values_list("source", "term", "count"))
    assert terms == {("engine", "办事指南", 1), ("on_site", "社保查询", 2)}


def test_a_rotated_and_gzipped_log_set_is_counted_once_whatever_the_import_order(portal,
                                                                                tmp_path):
    lines = list(sample_lines(hosts=["localhost"], paths=["/", "/xxgk/"], start=DAY, days=3,
                              per_day=50))
    first, second, third = lines[:60], lines[60:110], lines[110:]
    live = tmp_path / "visits.log"
    write(live, first[:40])
    ingest.import_logs(paths=ingest.log_files([str(live), f"{live}.*"]))
    # logrotate: the live log grows, is renamed to .1 and later gzipped as .2.gz
    write(live, first)
    live.rename(tmp_path / "visits.log.1")
    write(tmp_path / "visits.log.2.gz", first, gz=True)
    (tmp_path / "visits.log.1").unlink()
    write(tmp_path / "visits.log.1", second)
    write(live, third)
    files = ingest.log_files([str(live), f"{live}.*"])
    assert [p.name for p in files] == ["visits.log.2.gz", "visits.log.1", "visits.log"]
    ingest.import_logs(paths=files)
    ingest.import_logs(paths=files)  # again: nothing new
    everything = tmp_path / "all.log"
    write(everything, lines)
    expected = _counts_of(everything, portal)
    assert _totals(portal) == expected
    assert IngestedLog.objects.count() == 3


def _totals(site) -> tuple[int, int, int]:
    t = selectors.visit_totals(site=site, start=DAY, end=DAY + dt.timedelta(days=2))
    return t.page_views, t.not_found, t.bot_hits


def _counts_of(path: Path, site) -> tuple[int, int, int]:
    from govsites.operations.ingest import new_counter

    counter = new_counter()
    for text in path.read_text().splitlines():
        counter.add_line(text)
    return tuple(sum(t[COUNTERS.index(name)] for t in counter.totals.values())
                 for name in ("page_views", "not_found", "bot_hits"))


def test_importing_the_same_file_twice_counts_nothing_the_second_time(portal, tmp_path):
    log = write(tmp_path / "visits.log", [line("/"), line("/xxgk/")])
    ingest.import_logs(paths=[log])
    [again] = ingest.import_logs(paths=[log])
    assert again.lines == 0
    assert day_row(portal).page_views == 2


def test_a_line_still_being_written_waits_for_the_next_import(portal, tmp_path):
    log = tmp_path / "visits.log"
    complete = line("/")
    log.write_text(complete + line("/xxgk/")[:30])
    ingest.import_logs(paths=[log])
    assert day_row(portal).page_views == 1
    log.write_text(complete + line("/xxgk/"))
    ingest.import_logs(paths=[log])
    assert day_row(portal).page_views == 2


def test_no_address_or_user_agent_is_stored_and_digests_change_every_day(portal, tmp_path):
    next_day = dt.datetime(2026, 3, 3, 9, 0, tzinfo=BEIJING)
    log = write(tmp_path / "visits.log", [
        line("/", address="203.0.113.77"), line("/", address="203.0.113.77", when=next_day)])
    ingest.import_file(log)
    stored = "".join(serializers.serialize("json", m.objects.all()) for m in (
        DailySiteVisits, DailyPageViews, DailyReferrer, VisitorSet, IngestedLog))
    assert "203.0.113.77" not in stored and "Chrome/124.0" not in stored
    digests = [bytes(d) for d in VisitorSet.objects.order_by("day").values_list("digests", flat=True)]
    assert len(digests) == 2 and len(digests[0]) == 8 and digests[0] != digests[1]
    assert VisitorSalt.objects.count() == 2


def test_salts_and_digests_past_the_retention_window_are_deleted(portal, tmp_path, settings):
    settings.GOVSITES_VISITS_SALT_DAYS = 2
    log = write(tmp_path / "visits.log", [line("/")])
    ingest.import_file(log)
    assert VisitorSet.objects.exists()
    ingest.forget_old_salts(today=DAY + dt.timedelta(days=3))
    assert not VisitorSalt.objects.exists() and not VisitorSet.objects.exists()
    assert day_row(portal).unique_visitors == 1  # the day's count stays
    write(log, [line("/"), line("/", address="192.0.2.9")])  # a late line of that day
    ingest.import_file(log)
    assert day_row(portal).unique_visitors == 2


def test_the_import_command_reports_each_file_and_refuses_a_missing_one(portal, tmp_path,
                                                                       capsys):
    log = write(tmp_path / "visits.log", [line("/")])
    call_command("visits", "import", str(log))
    assert "新计入 1 行" in capsys.readouterr().out
    with pytest.raises(CommandError, match="找不到日志文件"):
        call_command("visits", "import", str(tmp_path / "nope.log"))
    assert day_row(portal).page_views == 1


def test_the_embedded_mode_logs_public_requests_in_the_nginx_format(portal, tmp_path, settings,
                                                                   client):
    from django.test import Client

    settings.GOVSITES_VISITS_APP_LOG = True
    settings.GOVSITES_VISITS_LOG = str(tmp_path / "visits.log")
    embedded = Client()
    embedded.get("/", HTTP_USER_AGENT=IPHONE, HTTP_REFERER="https://www.so.com/s?q=x")
    embedded.get("/admin/")
    text = (tmp_path / "visits.log").read_text()
    assert len(text.splitlines()) == 1
    ingest.import_logs(paths=[tmp_path / "visits.log"])
    row = DailySiteVisits.objects.get(site=portal)
    assert (row.page_views, row.mobile_views) == (1, 1)
    assert json.dumps(list(DailyReferrer.objects.values_list("host", flat=True))) == '["www.so.com"]'
