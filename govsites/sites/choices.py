from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")
    TOWNSHIP = "township", _("乡镇（街道）")


class SiteKind(models.TextChoices):
    PORTAL = "portal", _("政府门户网站")
    DEPARTMENT = "department", _("部门网站")
    COUNTY = "county", _("县区政府网站")
    SPECIAL = "special", _("专题网站")


class SiteStatus(models.TextChoices):
    PLANNED = "planned", _("筹建中")
    ONLINE = "online", _("正常运行")
    TEMP_OFFLINE = "temp_offline", _("临时下线")
    RETIRED = "retired", _("已关停")


class HostingRegion(models.TextChoices):
    """Where a site's servers are hosted (ID-30: 丹东 境内, 梅州 市本级行政区域)."""

    LOCAL = "local", _("市本级行政区域内")
    PROVINCE = "province", _("省内其他地区")
    DOMESTIC = "domestic", _("境内其他地区")
    ABROAD = "abroad", _("境外")


class FilingKind(models.TextChoices):
    """管理备案 a site holds before it goes online (ID-03) and cancels when it closes (ID-24)."""

    CONAC_MARK = "conac_mark", _("党政机关网站标识")
    DOMAIN = "domain", _("域名注册")
    ICP = "icp", _("ICP备案")
    POLICE = "police", _("公安机关备案")
    SITE_CODE = "site_code", _("政府网站标识码")
    MLPS = "mlps", _("等级保护定级备案")
    GOV_CERTIFICATION = "gov_certification", _("全国政府网站认证")
    SECURITY_ASSESSMENT = "security_assessment", _("安全测评")


class ClockKind(models.TextChoices):
    """A deadline the rules put on one step of a site's life (时限事项)."""

    GO_LIVE = "go_live", _("批准后达标上线")
    MARK_FIRST_REVIEW = "mark_first_review", _("网站标识申请初审")
    MARK_FULL_REVIEW = "mark_full_review", _("网站标识申请审核")
    DOMAIN_REGISTRY = "domain_registry", _("域名注册或注销办理")
    REGISTRY_FILING = "registry_filing", _("登记信息变更报备")
    DOMAIN_NOTICE = "domain_notice", _("域名调整公告期")
    CLOSURE = "closure", _("永久下线注销与报告")


class ClosureStep(models.TextChoices):
    """What a permanently closed site must finish within the period after approval (ID-24)."""

    ICP = "icp", _("注销ICP备案")
    CONAC_MARK = "conac_mark", _("注销党政机关网站标识")
    POLICE = "police", _("注销公安机关备案")
    DOMAIN = "domain", _("注销域名")
    REPORT = "report", _("报告网站状态")


class NoticeKind(models.TextChoices):
    """Announcements shown on a site's home page."""

    OPENING = "opening", _("开通公告")
    REGISTRY_CHANGE = "registry_change", _("变更公告")
    DOMAIN_CHANGE = "domain_change", _("域名调整公告")
