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
