"""Writes of the disclosure app: requests from receipt to reply (条例第27至45条).

Each service runs in one transaction, checks who acts (policies.py; `acting_user=None` is
the public on the online form, or the platform's own daily job), validates, appends one
`RequestEvent` and writes exactly one audit record. Identity data never reaches an event, an
audit record or a log line. Mail to the applicant goes out after the commit.
"""

from .. import clock
from .archive import export_case_archive
from .catalogue import create_catalogue_page
from .common import RequestContent, TransitionRefused, refresh_deadline
from .consultation import end_consultation, lapse_consultation, start_consultation
from .receipt import (
    BODY_FIELDS,
    confirm_receipt,
    register_request,
    save_body,
    subject_key,
    submit_online_request,
)
from .steps import (
    assign_handler,
    close_lapsed,
    extend,
    issue_fee_notice,
    mark_proactive,
    receive_correction,
    record_fee_paid,
    reply,
    request_correction,
)

__all__ = [
    "BODY_FIELDS", "RequestContent", "TransitionRefused", "assign_handler", "clock",
    "close_lapsed", "confirm_receipt", "create_catalogue_page", "end_consultation", "export_case_archive", "extend", "issue_fee_notice", "lapse_consultation",
    "mark_proactive", "receive_correction", "record_fee_paid", "refresh_deadline", "register_request",
    "reply", "request_correction", "save_body", "start_consultation", "subject_key",
    "submit_online_request",
]
