import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from govsites import testing
from govsites.content.identifiers import allocate_index_number
from govsites.content.models import IndexNumber

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_index_number_is_credit_code_year_and_sequence(news_column):
    first = testing.make_article(news_column, title="第一条")
    second = testing.make_article(news_column, title="第二条")
    code = news_column.effective_owner().credit_code
    year = timezone.localtime(first.first_published_at, SHANGHAI).year
    assert first.index_no == f"{code}/{year}-00001"
    assert second.index_no == f"{code}/{year}-00002"


def test_the_year_of_an_index_number_is_the_year_in_beijing_time(news_column):
    """An item first published at 2025-12-31 17:00 UTC is a 2026 item (01:00 in Beijing)."""
    new_year_in_beijing = dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.UTC)
    item = testing.make_article(news_column, title="跨年发布", publish=False,
                                first_published_at=new_year_in_beijing)
    code = news_column.effective_owner().credit_code
    assert item.index_no.startswith(f"{code}/2026-")


def test_a_deleted_items_number_is_never_reused(news_column):
    first = testing.make_article(news_column, title="将被删除")
    number = first.index_no
    first.delete()
    again = testing.make_article(news_column, title="新的一条")
    assert again.index_no != number
    assert IndexNumber.objects.filter(value=number).exists()


def test_a_reprint_keeps_the_originals_number_without_allocating_a_new_one(
        news_column, department_site):
    from govsites.content.services import reprint_item

    dept_column = testing.make_column(department_site.site.root_page, title="转载动态")
    item = testing.make_article(news_column, title="原文")
    before = IndexNumber.objects.count()
    copy = reprint_item(item=item, column=dept_column, acting_user=None)
    assert copy.index_no == item.index_no
    assert IndexNumber.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_never_hands_out_the_same_number():
    org = testing.make_organisation("并发测试单位")
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(10):
                value = allocate_index_number(organisation=org, year=2026)
                with lock:
                    results.append(value)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 60
    assert len(set(results)) == 60
    sequences = sorted(IndexNumber.objects.filter(organisation=org).values_list("sequence",
                                                                                 flat=True))
    assert sequences == list(range(1, 61))
