"""The public's messages and how they were handled (政民互动)."""

from .consultations import Consultation, ConsultationComment
from .enquiries import (
    CitizenNotice,
    Enquiry,
    EnquiryAttachment,
    EnquiryEvent,
    Mailbox,
    Reply,
)
from .error_reports import ErrorReport
from .faq import FaqEntry, UnansweredQuestion
from .hotline import HotlineForward
from .interviews import Interview, InterviewQuestion
from .surveys import Survey, SurveyQuestion, SurveyResponse

__all__ = ["CitizenNotice", "Consultation", "ConsultationComment", "Enquiry", "EnquiryAttachment",
           "EnquiryEvent",
           "ErrorReport", "FaqEntry", "HotlineForward", "Interview", "InterviewQuestion", "Mailbox", "Reply", "Survey", "SurveyQuestion",
           "SurveyResponse", "UnansweredQuestion"]
