"""信息处理费: rates as data, counted per applicant per natural month."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from govsites.rules.services import set_override

from .. import fees, services
from .factories import applicant, make_body, make_staff, registered

NATIONAL_ON = fees.FeeRates(enabled=True, free=10, first_band_up_to=30, band_size=10,
                            step_yuan=100)


@pytest.mark.parametrize(("ordinal", "fee"), [
    (1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)])
def test_the_fee_follows_the_bands_of_the_2020_measures(ordinal: int, fee: int) -> None:
    assert fees.fee_for(ordinal, NATIONAL_ON) == fee


def test_no_fee_is_charged_while_the_fee_switch_is_off() -> None:
    off = fees.FeeRates(enabled=False, free=10, first_band_up_to=30, band_size=10,
                        step_yuan=100)
    assert fees.fee_for(45, off) == 0


def _switch_fees_on(superuser: Any) -> None:
    set_override(key="disclosure.fee.enabled", value=True, site=None, reason="测试收费",
                 acting_user=superuser)


def test_requests_are_counted_per_applicant_and_the_count_restarts_each_month(
        db: Any, django_user_model: Any) -> None:
    body = make_body()
    clerk = make_staff(body, "clerk")
    admin = django_user_model.objects.create_superuser("root", password="Root@2026x",
                                                       real_name="管理员", mobile="13900000001")
    _switch_fees_on(admin)
    for day in range(1, 12):  # 11 requests in November by the same person
        case = registered(body, clerk, dt.date(2026, 11, min(day, 30)))
    assert (case.month_ordinal, case.fee_yuan) == (11, 100)
    other = registered(body, clerk, dt.date(2026, 11, 20),
                       person=applicant(name="李四", id_number="110105194912310038"))
    assert (other.month_ordinal, other.fee_yuan) == (1, 0)
    december = registered(body, clerk, dt.date(2026, 12, 1))
    assert (december.month_ordinal, december.fee_yuan) == (1, 0)


def test_an_unpaid_fee_pauses_the_clock_and_lapses_into_other_handling(
        db: Any, django_user_model: Any) -> None:
    body = make_body()
    clerk = make_staff(body, "clerk")
    admin = django_user_model.objects.create_superuser("root", password="Root@2026x",
                                                       real_name="管理员", mobile="13900000001")
    _switch_fees_on(admin)
    for _n in range(11):
        case = registered(body, clerk, dt.date(2026, 11, 2))
    case = services.issue_fee_notice(request=case, acting_user=clerk, on=dt.date(2026, 11, 3))
    assert case.state == "fee_due" and case.deadline is None
    assert case.fee_due_on is not None
    case = services.close_lapsed(request=case, acting_user=None,
                                 on=case.fee_due_on + dt.timedelta(days=1))
    assert (case.state, case.result) == ("replied", "other_fee_unpaid")


def test_a_free_request_gets_no_fee_notice(db: Any) -> None:
    body = make_body()
    clerk = make_staff(body, "clerk")
    case = registered(body, clerk, dt.date(2026, 11, 2))
    with pytest.raises(services.TransitionRefused):
        services.issue_fee_notice(request=case, acting_user=clerk, on=dt.date(2026, 11, 3))
