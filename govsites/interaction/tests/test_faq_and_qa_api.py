"""智能问答: answered messages curated into the FAQ, GET /api/v1/qa, unanswered questions logged."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from govsites.interaction import faq, services
from govsites.interaction.exceptions import TransitionRefused
from govsites.interaction.models import FaqEntry, UnansweredQuestion

from .conftest import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def knowledge(portal: Any, mailbox: Any, clerk: Any, approver: Any) -> Any:
    enquiry = write(mailbox, subject="小学新生入学什么时候报名").enquiry
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    services.approve_reply(reply=services.draft_reply(
        enquiry=enquiry, acting_user=clerk, body="城区小学新生入学网上报名在每年6月上旬。"),
        acting_user=approver)
    enquiry.refresh_from_db()
    faq.curate_from_enquiry(enquiry=enquiry, acting_user=clerk)
    FaqEntry.objects.create(site=portal, question="公积金怎么提取", answer="携带身份证到公积金中心办理。")
    FaqEntry.objects.create(site=portal, question="护照如何办理", answer="到出入境大厅办理。")
    cache.clear()
    return enquiry


def test_the_api_returns_the_curated_answer_for_a_related_question(knowledge: Any,
                                                                  client: Any) -> None:
    body = client.get("/api/v1/qa", {"q": "小学报名时间"}, HTTP_HOST="localhost").json()
    assert body["answered"] and body["answers"][0]["question"] == "小学新生入学什么时候报名"
    assert "6月上旬" in body["answers"][0]["answer"]
    traditional = client.get("/api/v1/qa", {"q": "小學報名時間"}, HTTP_HOST="localhost").json()
    assert traditional["answers"][0]["question"] == "小学新生入学什么时候报名"


def test_an_unanswered_question_is_logged_masked_and_counted(knowledge: Any, client: Any) -> None:
    for _ in range(2):
        body = client.get("/api/v1/qa", {"q": "垃圾分类几点收运？电话13812345678"},
                          HTTP_HOST="localhost").json()
        assert body == {"question": "垃圾分类几点收运？电话13812345678", "answered": False,
                        "answers": []}
    logged = UnansweredQuestion.objects.get()
    assert logged.times == 2 and "13812345678" not in logged.question


def test_a_missing_question_is_a_clear_error(portal: Any, client: Any) -> None:
    response = client.get("/api/v1/qa", HTTP_HOST="localhost")
    assert response.status_code == 400 and response.json()["error"]["parameter"] == "q"


def test_only_answered_published_messages_can_be_curated(mailbox: Any, clerk: Any) -> None:
    enquiry = write(mailbox).enquiry
    with pytest.raises(TransitionRefused):
        faq.curate_from_enquiry(enquiry=enquiry, acting_user=clerk)
    assert not FaqEntry.objects.exists()


def test_the_qa_calls_a_minute_are_rule_data(portal: Any, client: Any) -> None:
    from govsites.rules.services import set_override

    from .test_enquiry_deadlines import _platform_admin

    cache.clear()
    assert client.get("/api/v1/qa", {"q": "招生"}, HTTP_HOST="localhost").status_code == 200
    set_override(key="interaction.qa.rate_limit_per_minute", value=1, site=portal,
                 reason="测试", acting_user=_platform_admin(portal))
    refused = client.get("/api/v1/qa", {"q": "招生"}, HTTP_HOST="localhost")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "请求过于频繁" in refused.json()["error"]["message"]
