"""Choices of the interaction app (stable values: stored and exported)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailboxKind(models.TextChoices):
    LEADER = "leader", _("领导信箱")
    DEPARTMENT = "department", _("部门信箱")


class EnquiryKind(models.TextChoices):
    CONSULT = "consult", _("咨询")
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("建议")
    HELP = "help", _("求助")
    REPORT = "report", _("举报")


class EnquiryStatus(models.TextChoices):
    HELD = "held", _("待人工审查")
    RECEIVED = "received", _("待受理")
    ACCEPTED = "accepted", _("办理中")
    REPLIED = "replied", _("已答复")
    INVALID = "invalid", _("不予受理")


class InvalidReason(models.TextChoices):
    """Why a message is not a valid 政务咨询 (kept: the 3-month rule skips it only with one)."""

    DUPLICATE = "duplicate", _("重复留言")
    NO_CONTENT = "no_content", _("内容空泛，无具体诉求")
    ABUSIVE = "abusive", _("含辱骂、攻击等不文明内容")
    ADVERTISING = "advertising", _("广告或垃圾信息")
    OUT_OF_SCOPE = "out_of_scope", _("不属于行政机关职责（如涉诉涉法、信访事项）")
    TEST = "test", _("测试留言")


class ReplyStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已公开")
    RETURNED = "returned", _("已退回")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交留言")
    HELD = "held", _("转人工审查")
    RELEASED = "released", _("通过人工审查")
    ACCEPTED = "accepted", _("受理")
    REJECTED = "rejected", _("不予受理")
    TRANSFERRED = "transferred", _("转办")
    REPLY_DRAFTED = "reply_drafted", _("拟写答复")
    REPLY_RETURNED = "reply_returned", _("退回答复")
    REPLIED = "replied", _("答复公开")
    RATED = "rated", _("网民评价")
    REOPENED = "reopened", _("重新办理")
    HOTLINE_FORWARDED = "hotline_forwarded", _("推送12345热线")
    HOTLINE_REPLIED = "hotline_replied", _("12345热线反馈办理结果")


class HotlineForwarding(models.TextChoices):
    """Whether a mailbox's messages go to the 12345 hotline (IA-09)."""

    RULE = "rule", _("按规则设置")
    ON = "on", _("推送")
    OFF = "off", _("不推送")


class HotlineStatus(models.TextChoices):
    PENDING = "pending", _("待推送")
    FORWARDED = "forwarded", _("已推送")
    REPLIED = "replied", _("热线已反馈")


class ErrorType(models.TextChoices):
    TYPO = "typo", _("错别字或表述错误")
    BROKEN_LINK = "broken_link", _("链接无法打开")
    OUTDATED = "outdated", _("信息更新不及时")
    WRONG_CONTENT = "wrong_content", _("内容不准确")
    UNAVAILABLE = "unavailable", _("页面无法访问")
    SERVICE = "service", _("办事服务不可用")
    OTHER = "other", _("其他问题")


class ErrorReportStatus(models.TextChoices):
    RECEIVED = "received", _("待转交")
    FORWARDED = "forwarded", _("办理中")
    REPLIED = "replied", _("已答复")


class ErrorReportSource(models.TextChoices):
    SITE = "site", _("本网站")
    NATIONAL = "national", _("国家政务服务平台找错")


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已公开")
    REJECTED = "rejected", _("不予公开")


class QuestionKind(models.TextChoices):
    """What a survey question asks for."""

    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TEXT = "text", _("文字回答")
