"""The public's messages and how they were handled (政民互动)."""

from .enquiries import CitizenNotice, Enquiry, EnquiryEvent, Mailbox, Reply
from .error_reports import ErrorReport

__all__ = ["CitizenNotice", "Enquiry", "EnquiryEvent", "ErrorReport", "Mailbox", "Reply"]
