"""A writer's query password: stored as a keyed digest, never in clear; old hashes still open."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password

from govsites.interaction import policies
from govsites.interaction.models import Enquiry

from .conftest import write

pytestmark = pytest.mark.django_db


def test_the_query_password_opens_the_message_and_a_wrong_one_does_not(mailbox: Any) -> None:
    submitted = write(mailbox)
    stored = Enquiry.objects.get(pk=submitted.enquiry.pk).password_hash
    assert stored.startswith(policies.QUERY_PASSWORD_PREFIX) and submitted.password not in stored
    assert policies.enquiry_for_writer(query_code=submitted.query_code,
                                       password=submitted.password.lower()) is not None
    assert policies.enquiry_for_writer(query_code=submitted.query_code, password="WRONG123") is None
    assert policies.enquiry_for_writer(query_code="20260101000000", password="X") is None


def test_the_same_password_gives_another_digest_for_another_message(mailbox: Any) -> None:
    first, second = write(mailbox).query_code, write(mailbox).query_code
    assert (policies.query_password_digest(first, "ABCD2345")
            != policies.query_password_digest(second, "ABCD2345"))


def test_a_message_stored_with_the_former_pbkdf2_hash_still_opens(mailbox: Any) -> None:
    submitted = write(mailbox)
    Enquiry.objects.filter(pk=submitted.enquiry.pk).update(
        password_hash=make_password("OLDPASS2"))
    assert policies.enquiry_for_writer(query_code=submitted.query_code,
                                       password="oldpass2") is not None
