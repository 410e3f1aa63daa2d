from django.db import models
from django.utils.translation import gettext_lazy as _


class ColumnType(models.TextChoices):
    """栏目类别: the national 网页标签 list (政府网站发展指引, 网页设计规范) plus 通知公告 and 专题专栏."""

    HOME = "首页", _("首页")
    OVERVIEW = "概况信息", _("概况信息")
    FUNCTIONS = "机构职能", _("机构职能")
    LEADERS = "负责人信息", _("负责人信息")
    NEWS = "工作动态", _("工作动态")
    POLICY = "政策文件", _("政策文件")
    DISCLOSURE_GUIDE = "信息公开指南", _("信息公开指南")
    DISCLOSURE_CATALOGUE = "信息公开目录", _("信息公开目录")
    DISCLOSURE_ANNUAL_REPORT = "信息公开年报", _("信息公开年报")
    DISCLOSURE_REQUEST = "依法申请公开", _("依法申请公开")
    DATA_RELEASE = "数据发布", _("数据发布")
    OPEN_DATA = "数据开放", _("数据开放")
    INTERPRETATION = "政策解读", _("政策解读")
    RESPONSE = "回应关切", _("回应关切")
    SERVICES = "办事服务", _("办事服务")
    CONSULTATION = "咨询投诉", _("咨询投诉")
    SURVEY = "征集调查", _("征集调查")
    INTERVIEW = "在线访谈", _("在线访谈")
    NOTICE = "通知公告", _("通知公告")
    SPECIAL = "专题专栏", _("专题专栏")


class ColumnStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    MERGED = "merged", _("已合并")
    ARCHIVED = "archived", _("已归档")


class Importance(models.TextChoices):
    """Importance decides how deep the review chain goes (一般 / 重大 / 特级)."""

    NORMAL = "normal", _("一般")
    MAJOR = "major", _("重大")
    CRITICAL = "critical", _("特级")


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


class ArticleKind(models.TextChoices):
    NEWS = "news", _("工作动态")
    NOTICE = "notice", _("通知公告")


class Validity(models.TextChoices):
    """有效性 of a policy document."""

    IN_FORCE = "in_force", _("现行有效")
    AMENDED = "amended", _("已修订")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("已失效")


class InterpretationForm(models.TextChoices):
    TEXT = "text", _("文字")
    GRAPHIC = "graphic", _("图解")
    AUDIO_VIDEO = "audio_video", _("音视频")
    ANIMATION = "animation", _("动漫")


class ImportRunState(models.TextChoices):
    """Where an import run (导入批次) stands."""

    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    ROLLED_BACK = "rolled_back", _("已撤销")
    REFUSED = "refused", _("校验未通过")
