"""Fixed vocabularies of open data ([S] national lists; varying lists are rule parameters)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data"


class OpenAttribute(models.TextChoices):
    """开放属性 (《政务信息资源目录编制指南（试行）》 core metadata, DT-04)."""

    UNCONDITIONAL = "无条件开放", _("无条件开放")
    CONDITIONAL = "有条件开放", _("有条件开放")


class ResourceKind(models.TextChoices):
    FILE = "file", _("数据文件")
    API = "api", _("外部接口链接")


class TableFormat(models.TextChoices):
    CSV = "CSV", "CSV"
    XLSX = "XLSX", "XLSX"
    JSON = "JSON", "JSON"
    API = "API", _("接口")


class VersionStatus(models.TextChoices):
    CLEAN = "clean", _("校验通过")
    HELD = "held", _("含个人信息，已扣留")


class ChartKind(models.TextChoices):
    LINE = "line", _("折线图")
    BAR = "bar", _("柱状图")
    PIE = "pie", _("饼图")


@cache
def industries() -> list[tuple[str, str]]:
    """行业分类: the sections (门类) of GB/T 4754-2017 《国民经济行业分类》."""
    rows = json.loads((DATA / "industries.json").read_text(encoding="utf-8"))["sections"]
    return [(row["code"], f"{row['code']} {row['name']}") for row in rows]
