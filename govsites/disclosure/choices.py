"""Choices of the disclosure app: channels, applicant types, states, reply results."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a request arrived; it decides the date of receipt (条例第31条)."""

    ONLINE = "online", _("网上申请")
    FAX = "fax", _("传真")
    IN_PERSON = "in_person", _("当面提交")
    REGISTERED_POST = "registered_post", _("挂号信或邮政特快专递")
    ORDINARY_POST = "ordinary_post", _("平常信函")
    ORAL = "oral", _("口头申请（代为填写）")


#: Channels whose date of receipt is the day the office confirms it with the applicant.
CONFIRMED_CHANNELS = frozenset({Channel.ONLINE, Channel.FAX})


class ApplicantType(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人或其他组织")


class OrganisationSubtype(models.TextChoices):
    """The annual report's columns under 法人或其他组织 (2021 format, table 三)."""

    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER = "other", _("其他")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    OTHER_ID = "other_id", _("其他有效身份证件")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")


class DeliveryForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")


class DeliveryMethod(models.TextChoices):
    """Ways of providing the information (条例第40条)."""

    DOWNLOAD = "download", _("网上下载")
    EMAIL = "email", _("电子邮件")
    POST = "post", _("邮寄")
    INSPECTION = "inspection", _("当面领取或查阅")


class RequestState(models.TextChoices):
    """Where a request stands (条例第30至35条)."""

    PENDING = "pending", _("待确认")
    ACCEPTED = "accepted", _("已受理")
    CORRECTION = "correction", _("待补正")
    THIRD_PARTY = "third_party", _("征求第三方意见")
    OTHER_AGENCY = "other_agency", _("征求其他机关意见")
    FEE_DUE = "fee_due", _("待缴费")
    REPLIED = "replied", _("已答复")


#: States in which the case is open (it counts for 结转 and for reminders).
OPEN_STATES = frozenset({RequestState.PENDING, RequestState.ACCEPTED, RequestState.CORRECTION,
                         RequestState.THIRD_PARTY, RequestState.OTHER_AGENCY,
                         RequestState.FEE_DUE})


class PauseKind(models.TextChoices):
    """Periods that do not count towards the reply period (条例第33条第3款)."""

    THIRD_PARTY = "third_party", _("征求第三方意见")
    OTHER_AGENCY = "other_agency", _("征求其他机关意见")
    FEE = "fee", _("缴纳信息处理费")


class ConsultationOutcome(models.TextChoices):
    """How a consultation ended (条例第32、34条)."""

    ANSWERED = "answered", _("已提出意见")
    AGREED = "agreed", _("同意公开")
    OBJECTED = "objected", _("不同意公开")
    DEEMED_CONSENT = "deemed_consent", _("逾期未提出意见，视为同意公开")
    NO_REPLY = "no_reply", _("逾期未提出意见，由本机关依法决定")


#: Outcomes a handler records for an answer; the two lapses are the daily round's.
ANSWER_OUTCOMES = frozenset({ConsultationOutcome.ANSWERED, ConsultationOutcome.AGREED,
                             ConsultationOutcome.OBJECTED})


class Result(models.TextChoices):
    """The final 办理结果: exactly the rows of table 三 of the annual report (2021 format)."""

    DISCLOSED = "disclosed", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD_STATE_SECRET = "withheld_state_secret", _("不予公开：属于国家秘密")
    WITHHELD_BY_LAW = "withheld_by_law", _("不予公开：其他法律行政法规禁止公开")
    WITHHELD_SECURITY = "withheld_security", _("不予公开：危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("不予公开：保护第三方合法权益")
    WITHHELD_INTERNAL = "withheld_internal", _("不予公开：属于三类内部事务信息")
    WITHHELD_PROCESS = "withheld_process", _("不予公开：属于四类过程性信息")
    WITHHELD_ENFORCEMENT = "withheld_enforcement", _("不予公开：属于行政执法案卷")
    WITHHELD_INQUIRY = "withheld_inquiry", _("不予公开：属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", _("无法提供：本机关不掌握相关政府信息")
    UNAVAILABLE_NEEDS_CREATION = "unavailable_needs_creation", _("无法提供：没有现成信息需要另行制作")
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", _("无法提供：补正后申请内容仍不明确")
    NOT_HANDLED_PETITION = "not_handled_petition", _("不予处理：信访举报投诉类申请")
    NOT_HANDLED_REPEAT = "not_handled_repeat", _("不予处理：重复申请")
    NOT_HANDLED_PUBLICATION = "not_handled_publication", _("不予处理：要求提供公开出版物")
    NOT_HANDLED_EXCESSIVE = "not_handled_excessive", _("不予处理：无正当理由大量反复申请")
    NOT_HANDLED_CONFIRMATION = "not_handled_confirmation", _(
        "不予处理：要求行政机关确认或重新出具已获取信息")
    OTHER_NO_CORRECTION = "other_no_correction", _(
        "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    OTHER_FEE_UNPAID = "other_fee_unpaid", _(
        "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    OTHER = "other", _("其他处理：其他")


#: Results a handler may choose when replying (the two lapses are the system's own).
REPLY_RESULTS = [r for r in Result if r not in (Result.OTHER_NO_CORRECTION,
                                                  Result.OTHER_FEE_UNPAID)]

#: Results that deliver information to the applicant (条例第40条).
DELIVERING_RESULTS = frozenset({Result.DISCLOSED, Result.PARTIAL})


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


#: The steps of a case's history (RequestEvent.action), as shown to staff.
STEP_LABELS: dict[str, Any] = {
    "submit": _("网上提交"), "register": _("登记"), "confirm": _("确认受理"),
    "assign": _("指定承办人"), "correction": _("告知补正"), "corrected": _("收到补正"),
    "consult": _("征求意见"), "consulted": _("征求意见结束"),
    "consult_lapsed": _("征求意见逾期"), "extend": _("延期"),
    "fee_notice": _("收费通知"), "fee_paid": _("缴费"), "lapse": _("逾期办结"),
    "reply": _("答复"), "to_proactive": _("转主动公开"), "archive": _("归档"),
}
