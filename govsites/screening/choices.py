"""Choice lists for the screening models, with the Chinese labels editors see."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .types import Category, Severity


class TermCategory(models.TextChoices):
    """The categories a dictionary term can belong to (values are Category values)."""

    POLITICAL = Category.POLITICAL.value, _("政治")
    PORNOGRAPHY = Category.PORNOGRAPHY.value, _("色情")
    GAMBLING = Category.GAMBLING.value, _("赌博")
    VIOLENCE = Category.VIOLENCE.value, _("暴力")
    ADVERTISING = Category.ADVERTISING.value, _("广告")
    EXPRESSION_ERROR = Category.EXPRESSION_ERROR.value, _("严重表述错误")


class FindingCategory(models.TextChoices):
    """Every category a finding can have (values are Category values)."""

    POLITICAL = Category.POLITICAL.value, _("政治")
    PORNOGRAPHY = Category.PORNOGRAPHY.value, _("色情")
    GAMBLING = Category.GAMBLING.value, _("赌博")
    VIOLENCE = Category.VIOLENCE.value, _("暴力")
    ADVERTISING = Category.ADVERTISING.value, _("广告")
    EXPRESSION_ERROR = Category.EXPRESSION_ERROR.value, _("严重表述错误")
    PRIVACY = Category.PRIVACY.value, _("个人信息")
    COMMERCIAL_LINK = Category.COMMERCIAL_LINK.value, _("商业链接")
    UNSCREENED = Category.UNSCREENED.value, _("无法检查")
    STATE_SECRET = Category.STATE_SECRET.value, _("涉密标志")
    HIDDEN_CONTENT = Category.HIDDEN_CONTENT.value, _("隐藏内容")
    UNSAFE_MARKUP = Category.UNSAFE_MARKUP.value, _("危险代码")
    CONTENT_STANDARD = Category.CONTENT_STANDARD.value, _("内容规范")


class SeverityChoice(models.TextChoices):
    """How serious a finding is (values are Severity values)."""

    INFO = Severity.INFO.value, _("提示")
    WARNING = Severity.WARNING.value, _("警告")
    SERIOUS = Severity.SERIOUS.value, _("严重")
    VETO = Severity.VETO.value, _("单项否决")
