"""我为政府网站找错: the form's reports, their clocks, the national import and the annual counts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govsites.interaction import error_reports, selectors
from govsites.interaction.models import ErrorReport

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _nantong() -> None:
    from govsites.rules.services import choose_variant

    choose_variant(variant="nantong-2019", site=None, reason="南通", acting_user=None)


def test_under_nantong_a_report_is_due_forwarded_in_one_and_answered_in_three_working_days(
        portal: Any) -> None:
    _nantong()
    report = error_reports.submit_error_report(
        site=portal, page_url="http://localhost/xxgk/", error_type="typo",
        description="“政府”写成了“正府”", now=_at(dt.date(2026, 9, 30)))
    assert (report.forward_due, report.reply_due) == (dt.date(2026, 10, 8), dt.date(2026, 10, 10))


def test_a_report_without_a_description_is_refused(portal: Any) -> None:
    with pytest.raises(ValidationError):
        error_reports.submit_error_report(site=portal, page_url="http://localhost/",
                                          error_type="typo", description="")
    assert not ErrorReport.objects.exists()


def test_the_owner_answers_and_the_annual_counts_follow(portal: Any, clerk: Any) -> None:
    late = error_reports.submit_error_report(site=portal, page_url="http://localhost/a/",
                                             error_type="broken_link", description="链接打不开",
                                             now=_at(dt.date(2026, 1, 5)))
    error_reports.submit_error_report(site=portal, page_url="http://localhost/b/",
                                      error_type="outdated", description="信息过期",
                                      now=_at(dt.date(2026, 11, 30)))
    error_reports.forward_error_report(report=late, acting_user=clerk)
    error_reports.reply_to_error_report(report=late, acting_user=clerk, reply="已修复。")
    stats = selectors.yearly_statistics(portal, 2026)
    assert stats["error_reports_received"] == 2 and stats["error_reports_unfinished"] == 1
    assert stats["error_reports_finished_late"] == 1


CSV_OK = ("id,page_url,error_type,description,received_at\n"
          "N1,http://localhost/a/,typo,错字,2026-11-02T09:00:00+08:00\n"
          "N2,http://localhost/b/,broken_link,死链,2026-11-03T09:00:00+08:00\n")


def test_a_national_export_is_imported_once(portal: Any, clerk: Any) -> None:
    result = error_reports.import_error_reports(site=portal, data=CSV_OK.encode(),
                                                filename="export.csv", acting_user=clerk)
    again = error_reports.import_error_reports(site=portal, data=CSV_OK.encode(),
                                               filename="export.csv", acting_user=clerk)
    assert (result.created, again.created, again.skipped) == (2, 0, 2)
    assert ErrorReport.objects.filter(source="national").count() == 2


def test_a_malformed_file_is_rejected_whole_with_line_numbers(portal: Any, clerk: Any) -> None:
    bad = CSV_OK + "N3,http://localhost/c/,nonsense,描述,2026-11-04T09:00:00\n" \
                   "N4,http://localhost/d/,typo,描述,yesterday\n"
    with pytest.raises(error_reports.ImportRejected) as info:
        error_reports.import_error_reports(site=portal, data=bad.encode(),
                                           filename="export.csv", acting_user=clerk)
    assert any("第4行" in line for line in info.value.lines)
    assert any("第5行" in line for line in info.value.lines)
    assert not ErrorReport.objects.exists()


def test_a_json_export_is_read_too(portal: Any, clerk: Any) -> None:
    rows = [{"id": "J1", "page_url": "http://localhost/", "error_type": "other",
             "description": "首页图片不显示", "received_at": "2026-11-02 09:00:00"}]
    result = error_reports.import_error_reports(
        site=portal, data=json.dumps(rows, ensure_ascii=False).encode(), filename="x.json",
        acting_user=clerk)
    assert result.created == 1
