"""意见征集: open and close by date, moderated comments, the 采纳情况 deadline (IA-10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from govsites.core.models import NotificationDelivery
from govsites.interaction import consultations
from govsites.interaction.exceptions import TransitionRefused
from govsites.interaction.models import Consultation
from govsites.interaction.reminders import ADOPTION, remind_adoptions

from .test_public_pages import HOST, _answer_captcha

pytestmark = pytest.mark.django_db


def _consultation(portal: Any, opens: dt.date, closes: dt.date) -> Consultation:
    return consultations.save_consultation(consultation=Consultation(
        site=portal, organisation=portal.host_organisation, title="关于城市公园管理办法（征求意见稿）",
        draft="第一条 为了加强城市公园管理……", opens_on=opens, closes_on=closes), acting_user=None)


def test_the_adoption_is_due_a_month_after_closing_and_the_month_is_rule_data(portal: Any) -> None:
    item = _consultation(portal, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert item.adoption_due == dt.date(2026, 2, 28)
    from govsites.rules.services import set_override

    from .test_enquiry_deadlines import _platform_admin

    set_override(key="consultation.adoption_publish_months", value=None, site=None,
                 reason="本市不跟踪", acting_user=_platform_admin(portal))
    assert consultations.refresh_adoption_due(consultation=item).adoption_due is None


def test_the_page_takes_comments_only_while_open_and_shows_them_after_moderation(
        portal: Any, client: Any, clerk: Any) -> None:
    cache.clear()
    today = timezone.localdate()
    item = _consultation(portal, today - dt.timedelta(days=3), today + dt.timedelta(days=3))
    _answer_captcha(client)
    response = client.post(f"/interact/consultations/{item.pk}/",
                           {"content": "建议延长夜间开放时间。", "name": "周", "captcha": "7"}, **HOST)
    assert response.status_code == 200 and "感谢您的意见" in response.content.decode()
    comment = item.comments.get()
    page = client.get(f"/interact/consultations/{item.pk}/", **HOST).content.decode()
    assert "建议延长夜间开放时间" not in page
    consultations.moderate_comment(comment=comment, acting_user=clerk, publish=True)
    page = client.get(f"/interact/consultations/{item.pk}/", **HOST).content.decode()
    assert "建议延长夜间开放时间" in page and "发表意见" in page
    closed = _consultation(portal, today - dt.timedelta(days=30), today - dt.timedelta(days=1))
    with pytest.raises(TransitionRefused):
        consultations.submit_comment(consultation=closed, content="晚了")
    assert "征集已结束" in client.get(f"/interact/consultations/{closed.pk}/",
                                      **HOST).content.decode()


def test_an_unpublished_adoption_is_reminded_and_flagged_late(portal: Any, clerk: Any) -> None:
    item = _consultation(portal, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert remind_adoptions(today=dt.date(2026, 2, 10)) == 0
    assert remind_adoptions(today=dt.date(2026, 2, 25)) == 1
    assert remind_adoptions(today=dt.date(2026, 3, 2)) == 1
    assert NotificationDelivery.objects.filter(kind=ADOPTION).count() == 2
    item.refresh_from_db()
    assert item.adoption_late
    consultations.publish_adoption(consultation=item, acting_user=clerk, text="采纳3条，未采纳1条。")
    item.refresh_from_db()
    assert item.adoption_published_at is not None and item.adoption_late
    assert remind_adoptions(today=dt.date(2026, 3, 3)) == 0


def test_the_adoption_cannot_be_published_before_closing(portal: Any, clerk: Any) -> None:
    today = timezone.localdate()
    item = _consultation(portal, today, today + dt.timedelta(days=10))
    with pytest.raises(TransitionRefused):
        consultations.publish_adoption(consultation=item, acting_user=clerk, text="x")
