"""Format checks for the identifiers every government site and body must carry.

Each validator raises django.core.exceptions.ValidationError with a Chinese message that says
what is wrong, and each has a boolean twin for code that only needs a yes or no.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB 32100-2015 统一社会信用代码: 31 characters (no I, O, S, V, Z) and position weights.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

PROVINCE_ABBREVIATIONS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台"

PORTAL_DOMAIN_RE = re.compile(r"^www\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.gov\.cn$")
LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
CHINESE_DOMAIN_NAME = r"[\u4e00-\u9fffA-Za-z0-9]{1,30}"
SITE_CODE_RE = re.compile(r"^(?:bm\d{8}|\d{10})$")
ICP_RE = re.compile(rf"^[{PROVINCE_ABBREVIATIONS}]ICP备\d{{8}}号(?:-\d{{1,3}})?$")
POLICE_RE = re.compile(rf"^[{PROVINCE_ABBREVIATIONS}]公网安备 ?(\d{{14}})号$")


def credit_code_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a credit code."""
    total = 0
    for ch, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True):
        total += CREDIT_CODE_CHARSET.index(ch) * weight
    value = (31 - total % 31) % 31
    return CREDIT_CODE_CHARSET[value]


def validate_credit_code(value: str) -> None:
    """Check a 统一社会信用代码: 18 characters from the GB 32100 set and a correct check character."""
    code = (value or "").strip()
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(code)},
                              code="length")
    bad = [ch for ch in code if ch not in CREDIT_CODE_CHARSET]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、S、V、Z 及小写字母）。")
            % {"chars": "".join(sorted(set(bad)))},
            code="charset",
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3至8位应为行政区划代码（数字）。"), code="region")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：末位应为“%(expected)s”。") % {"expected": expected},
            code="checksum",
        )


def is_valid_credit_code(value: str) -> bool:
    """Say whether value is a valid 统一社会信用代码."""
    try:
        validate_credit_code(value)
    except ValidationError:
        return False
    return True


def validate_portal_domain(value: str) -> None:
    """A portal's English domain is www.<pinyin or English>.gov.cn (政府网站发展指引)."""
    if not PORTAL_DOMAIN_RE.match(value or ""):
        raise ValidationError(
            _("门户网站域名应为 www.<拼音或英文>.gov.cn 形式，例如 www.shili.gov.cn；“%(v)s”不符合。")
            % {"v": value},
            code="portal_domain",
        )


def validate_department_domain(value: str, portal_domain: str) -> None:
    """A department site lives under its portal: <name>.<portal domain without www.>."""
    parent = portal_domain.removeprefix("www.")
    suffix = "." + parent
    if not value.endswith(suffix) or not LABEL_RE.match(value[: -len(suffix)]):
        raise ValidationError(
            _("部门网站域名应为本级门户网站的下级域名 <名称>.%(parent)s，例如 jyj.%(parent)s；“%(v)s”不符合。")
            % {"parent": parent, "v": value},
            code="department_domain",
        )


def chinese_domain_pattern(separators: list[str]) -> re.Pattern[str]:
    """The Chinese-domain form for the given separators before 政务 ("." nationally; 梅州 also "·")."""
    joined = "|".join(re.escape(sep) for sep in separators)
    return re.compile(rf"^{CHINESE_DOMAIN_NAME}(?:{joined})政务(?:\.cn)?$")


def validate_chinese_domain(value: str, separators: list[str] | None = None) -> None:
    """A Chinese domain for a Party or government site ends in .政务 or .政务.cn.

    The separators allowed before 政务 are the rule set's `site.chinese_domain.separators` for
    the cluster (梅州's variant adds the middle dot: 梅州市人民政府·政务).
    """
    if not value:
        return
    if separators is None:
        from govsites import rules

        separators = list(rules.value("site.chinese_domain.separators"))
    if not chinese_domain_pattern(separators).match(value):
        forms = "或".join(f"“名称{sep}政务”" for sep in separators)
        raise ValidationError(
            _("中文域名应为%(forms)s形式（可加 .cn），例如 示例市人民政府%(sep)s政务。")
            % {"forms": forms, "sep": separators[0]}, code="chinese_domain"
        )


def validate_site_code(value: str) -> None:
    """政府网站标识码: bm + 8 digits (central) or 10 digits (local)."""
    if not SITE_CODE_RE.match(value or ""):
        raise ValidationError(
            _("政府网站标识码应为10位数字（地方网站）或 bm 加8位数字（国务院部门），例如 4400000001。"),
            code="site_code",
        )


def validate_icp_number(value: str) -> None:
    """ICP备案号: <province>ICP备<8 digits>号, optionally -N."""
    if not ICP_RE.match(value or ""):
        raise ValidationError(
            _("ICP备案号格式应为“省份简称ICP备8位数字号”，可带“-序号”，例如 粤ICP备05080000号-1。"),
            code="icp",
        )


def validate_police_number(value: str) -> None:
    """公安机关备案号: <province>公网安备 <14 digits>号."""
    if not POLICE_RE.match(value or ""):
        raise ValidationError(
            _("公安机关备案号格式应为“省份简称公网安备 14位数字号”，例如 粤公网安备 44010402000001号。"),
            code="police",
        )


def police_record_code(value: str) -> str:
    """Return the 14-digit record code inside a 公安机关备案号 (for the beian.gov.cn link)."""
    m = POLICE_RE.match(value or "")
    return m.group(1) if m else ""
