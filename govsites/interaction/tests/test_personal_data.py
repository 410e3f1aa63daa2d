"""Personal data sealed with SM4 at rest, masked everywhere else, keys rotatable; notices once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from govsites.interaction import crypto, services
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


def test_a_tampered_sealed_value_does_not_open() -> None:
    sealed = crypto.seal("王小明")
    key_id, payload = sealed.split("$")
    tampered = key_id + "$" + payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises(crypto.SealedValueError):
        crypto.open_sealed(tampered)


def test_rotation_reseals_every_value_with_the_new_key(mailbox: Any) -> None:
    from django.core.management import call_command

    old = {"k1": "00112233445566778899aabbccddeeff"}
    from govsites.interaction.attachments import Upload

    pdf = b"%PDF-1.4 demo"
    with override_settings(GOVSITES_INTERACTION_KEYS=old, GOVSITES_INTERACTION_KEY_ID="k1"):
        enquiry = write(mailbox, attachments=[Upload("a.pdf", pdf)]).enquiry
    both = {**old, "k2": "ffeeddccbbaa99887766554433221100"}
    with override_settings(GOVSITES_INTERACTION_KEYS=both, GOVSITES_INTERACTION_KEY_ID="k2"):
        call_command("interaction_rotate_keys")
    only_new = {"k2": both["k2"]}
    with override_settings(GOVSITES_INTERACTION_KEYS=only_new, GOVSITES_INTERACTION_KEY_ID="k2"):
        enquiry = Enquiry.objects.get(pk=enquiry.pk)
        assert crypto.key_id_of(enquiry.sealed_mobile) == "k2"
        assert enquiry.writer_mobile == "13812345678"
        assert crypto.open_sealed_bytes(enquiry.attachments.get().sealed_data) == pdf


@override_settings(GOVSITES_INTERACTION_SMS_GATEWAY="govsites.testing.sms.RecordingSmsGateway")
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
