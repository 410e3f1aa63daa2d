"""Personal data sealed with SM4 at rest, masked everywhere else, keys rotatable; notices once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from govsites.core import crypto
from govsites.interaction import services
from govsites.interaction.models import CitizenNotice, Enquiry
from govsites.testing.sms import RecordingSmsGateway

from .conftest import write

pytestmark = pytest.mark.django_db


def test_the_writers_details_are_not_stored_in_clear(mailbox: Any) -> None:
    enquiry = write(mailbox, content="我的身份证号110101199003070011，电话13812345678。").enquiry
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM govsites_interaction_enquiry WHERE id = %s", [enquiry.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    for secret in ("王小明", "13812345678", "wang@example.com", "110101199003070011"):
        assert secret not in row
    enquiry = Enquiry.objects.get(pk=enquiry.pk)
    assert enquiry.writer_name == "王小明" and enquiry.writer_mobile == "13812345678"
    assert "110101199003070011" in enquiry.original_content


def test_rotation_reseals_every_value_with_the_new_key(mailbox: Any) -> None:
    from django.core.management import call_command

    from govsites.interaction import error_reports
    from govsites.interaction.attachments import Upload

    old = {"k1": "00112233445566778899aabbccddeeff"}
    pdf = b"%PDF-1.4 demo"
    with override_settings(GOVSITES_PERSONAL_DATA_KEYS=old, GOVSITES_PERSONAL_DATA_KEY_ID="k1"):
        enquiry = write(mailbox, attachments=[Upload("a.pdf", pdf)]).enquiry
        report = error_reports.submit_error_report(
            site=mailbox.site, page_url="http://localhost/a.html", error_type="typo",
            description="页面有错别字。", contact="13912345678")
    both = {**old, "k2": "ffeeddccbbaa99887766554433221100"}
    with override_settings(GOVSITES_PERSONAL_DATA_KEYS=both, GOVSITES_PERSONAL_DATA_KEY_ID="k2"):
        call_command("rotate_personal_data_keys", batch=1)
    only_new = {"k2": both["k2"]}
    with override_settings(GOVSITES_PERSONAL_DATA_KEYS=only_new, GOVSITES_PERSONAL_DATA_KEY_ID="k2"):
        enquiry = Enquiry.objects.get(pk=enquiry.pk)
        assert crypto.key_id_of(enquiry.sealed_mobile) == "k2"
        assert enquiry.writer_mobile == "13812345678"
        assert crypto.open_sealed_bytes(enquiry.attachments.get().sealed_data) == pdf
        report.refresh_from_db()
        assert crypto.open_sealed(report.sealed_contact) == "13912345678"


@override_settings(GOVSITES_CITIZEN_SMS_GATEWAY="govsites.testing.sms.RecordingSmsGateway")
def test_the_writer_is_told_once_when_accepted_and_once_when_answered(
        mailbox: Any, clerk: Any, approver: Any, django_capture_on_commit_callbacks: Any,
        mailoutbox: Any) -> None:
    RecordingSmsGateway.reset()
    enquiry = write(mailbox).enquiry
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.draft_reply(enquiry=enquiry, acting_user=clerk, body="答复。")
        services.approve_reply(reply=reply, acting_user=approver)
    from govsites.interaction.notices import notify_writer

    assert notify_writer(enquiry=enquiry, key="accepted", text="again") is None
    assert [s.mobile for s in RecordingSmsGateway.sent] == ["13812345678", "13812345678"]
    assert len(mailoutbox) == 2 and mailoutbox[0].to == ["wang@example.com"]
    assert CitizenNotice.objects.filter(enquiry=enquiry).count() == 2
    for sms in RecordingSmsGateway.sent:
        assert "王小明" not in sms.text and enquiry.query_code in sms.text


def test_the_audit_trail_and_logs_carry_no_personal_data(mailbox: Any, caplog: Any) -> None:
    from govsites.core.models import AuditRecord

    caplog.set_level("DEBUG")
    write(mailbox, content="联系我13899998888")
    details = " ".join(str(r.details) for r in AuditRecord.objects.all())
    for secret in ("王小明", "13812345678", "13899998888", "wang@example.com"):
        assert secret not in details and secret not in caplog.text
