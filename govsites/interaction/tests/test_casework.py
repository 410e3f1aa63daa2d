"""Handling a message: 受理, 不予受理 with a reason, 转办 keeping the clock, a second approver."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from govsites.accounts.roles import Role
from govsites.interaction import services
from govsites.interaction.choices import EnquiryStatus, ReplyStatus
from govsites.interaction.exceptions import NotAllowed, TransitionRefused
from govsites.interaction.models import EnquiryEvent

from .conftest import make_user, write

pytestmark = pytest.mark.django_db


def test_a_message_is_accepted_answered_and_approved_by_a_second_person(
        mailbox: Any, clerk: Any, approver: Any) -> None:
    enquiry = write(mailbox).enquiry
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    reply = services.draft_reply(enquiry=enquiry, acting_user=clerk, body="5月10日起网上报名。")
    services.approve_reply(reply=reply, acting_user=approver)
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.REPLIED
    assert enquiry.replied_at is not None and enquiry.working_days_taken == 0
    assert enquiry.on_time is True
    kinds = list(EnquiryEvent.objects.filter(enquiry=enquiry).values_list("kind", flat=True))
    assert kinds == ["submitted", "accepted", "reply_drafted", "replied"]


def test_the_author_of_a_reply_cannot_approve_it(mailbox: Any, approver: Any) -> None:
    enquiry = write(mailbox).enquiry
    services.accept_enquiry(enquiry=enquiry, acting_user=approver)
    reply = services.draft_reply(enquiry=enquiry, acting_user=approver, body="答复。")
    with pytest.raises(NotAllowed):
        services.approve_reply(reply=reply, acting_user=approver)
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING


def test_an_editor_without_an_approving_role_cannot_approve(mailbox: Any, clerk: Any,
                                                            portal: Any) -> None:
    other_clerk = make_user(portal.host_organisation, Role.EDITOR)
    enquiry = write(mailbox).enquiry
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    reply = services.draft_reply(enquiry=enquiry, acting_user=clerk, body="答复。")
    with pytest.raises(NotAllowed):
        services.approve_reply(reply=reply, acting_user=other_clerk)


def test_a_transfer_keeps_the_original_deadline_and_hands_the_message_over(
        mailbox: Any, clerk: Any, education: Any) -> None:
    enquiry = write(mailbox).enquiry
    due = enquiry.reply_due
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    services.transfer_enquiry(enquiry=enquiry, acting_user=clerk, to_organisation=education,
                              note="属教育局职责")
    enquiry.refresh_from_db()
    assert enquiry.handling_organisation == education and enquiry.reply_due == due
    edu_clerk = make_user(education, Role.EDITOR)
    edu_reviewer = make_user(education, Role.REVIEWER)
    reply = services.draft_reply(enquiry=enquiry, acting_user=edu_clerk, body="教育局答复。")
    services.approve_reply(reply=reply, acting_user=edu_reviewer)
    reply.refresh_from_db()
    assert reply.organisation == education


def test_someone_of_another_organisation_cannot_handle_the_message(
        mailbox: Any, education: Any) -> None:
    outsider = make_user(education, Role.EDITOR)
    enquiry = write(mailbox).enquiry
    with pytest.raises(NotAllowed):
        services.accept_enquiry(enquiry=enquiry, acting_user=outsider)
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.RECEIVED


def test_an_invalid_message_keeps_its_reason(mailbox: Any, clerk: Any) -> None:
    enquiry = write(mailbox, content="测试测试").enquiry
    with pytest.raises(ValidationError):
        services.reject_enquiry(enquiry=enquiry, acting_user=clerk, reason="dislike")
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.RECEIVED
    services.reject_enquiry(enquiry=enquiry, acting_user=clerk, reason="test", note="测试")
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.INVALID and enquiry.invalid_reason == "test"


def test_an_answered_message_cannot_be_marked_invalid(mailbox: Any, clerk: Any,
                                                      approver: Any) -> None:
    enquiry = write(mailbox).enquiry
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    with pytest.raises(TransitionRefused):
        services.reject_enquiry(enquiry=enquiry, acting_user=clerk, reason="duplicate")


def test_a_returned_reply_can_be_redrafted(mailbox: Any, clerk: Any, approver: Any) -> None:
    enquiry = write(mailbox).enquiry
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    first = services.draft_reply(enquiry=enquiry, acting_user=clerk, body="草稿。")
    with pytest.raises(ValidationError):
        services.return_reply(reply=first, acting_user=approver, note="")
    services.return_reply(reply=first, acting_user=approver, note="请补充报名网址")
    second = services.draft_reply(enquiry=enquiry, acting_user=clerk, body="报名网址见教育局网站。")
    services.approve_reply(reply=second, acting_user=approver)
    assert {r.status for r in enquiry.replies.all()} == {"returned", "approved"}


def test_an_unsatisfied_writer_reopens_once_with_a_new_clock(mailbox: Any, clerk: Any,
                                                            approver: Any) -> None:
    enquiry = write(mailbox).enquiry
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    services.approve_reply(reply=services.draft_reply(enquiry=enquiry, acting_user=clerk,
                                                      body="答复。"), acting_user=approver)
    enquiry.refresh_from_db()
    services.rate_enquiry(enquiry=enquiry, satisfaction="unsatisfied", reopen=True)
    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.ACCEPTED and enquiry.reopen_count == 1
    services.approve_reply(reply=services.draft_reply(enquiry=enquiry, acting_user=clerk,
                                                      body="补充答复。"), acting_user=approver)
    enquiry.refresh_from_db()
    with pytest.raises(TransitionRefused):
        services.rate_enquiry(enquiry=enquiry, satisfaction="unsatisfied", reopen=True)
    services.rate_enquiry(enquiry=enquiry, satisfaction="satisfied")
    with pytest.raises(TransitionRefused):
        services.rate_enquiry(enquiry=enquiry, satisfaction="satisfied")


def test_a_message_with_prohibited_terms_is_held_not_rejected(mailbox: Any, clerk: Any) -> None:
    from govsites.screening.selectors import current_screener

    term = next(t for t in current_screener().ruleset.terms if t.category == "gambling")
    enquiry = write(mailbox, content=f"有人在小区开设{term.text}，请查处。").enquiry
    assert enquiry.status == EnquiryStatus.HELD and enquiry.held_reasons
    with pytest.raises(TransitionRefused):
        services.accept_enquiry(enquiry=enquiry, acting_user=clerk)
    services.release_enquiry(enquiry=enquiry, acting_user=clerk, note="举报线索，放行")
    services.accept_enquiry(enquiry=enquiry, acting_user=clerk)


def test_someone_elses_id_number_holds_the_message_but_the_writers_own_mobile_does_not(
        mailbox: Any) -> None:
    own = write(mailbox, content="请回电13812345678。").enquiry
    assert own.status == EnquiryStatus.RECEIVED
    other = write(mailbox, content="邻居身份证号110101199003070011在骚扰我。").enquiry
    assert other.status == EnquiryStatus.HELD


def test_bad_input_is_refused_and_nothing_is_saved(mailbox: Any) -> None:
    from govsites.interaction.models import Enquiry

    with pytest.raises(ValidationError) as info:
        write(mailbox, mobile="12345", subject="", kind="rant")
    assert set(info.value.message_dict) == {"mobile", "subject", "kind"}
    assert not Enquiry.objects.exists()
