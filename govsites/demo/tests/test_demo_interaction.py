"""`make run`'s demo: the portal's 市长信箱 with a message answered after a transfer."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from govsites.interaction.models import Enquiry, Mailbox

pytestmark = pytest.mark.xdist_group("demo")


def test_the_demo_has_a_mayors_mailbox_with_an_answered_message_listed_without_the_mobile(
        demo: str, client: Any) -> None:
    call_command("demo", stdout=StringIO())  # idempotent
    assert Mailbox.objects.filter(slug="mayor", site__kind="portal").count() == 1
    assert Enquiry.objects.count() == 4
    answered = Enquiry.objects.get(status="replied")
    html = client.get(f"/interact/replies/{answered.pk}/", HTTP_HOST="localhost").content.decode()
    assert "示例市教育局" in html and "13912345678" not in html
    assert Enquiry.objects.filter(status="held").count() == 1
    body = client.get("/api/v1/qa", {"q": "小学入学报名"}, HTTP_HOST="localhost").json()
    assert body["answered"]
    page = client.get("/interact/consultations/", HTTP_HOST="localhost").content.decode()
    assert "城市公园管理办法" in page and "养犬管理规定" in page
