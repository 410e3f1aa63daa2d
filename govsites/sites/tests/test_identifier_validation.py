import pytest
from django.core.exceptions import ValidationError

from govsites.sites import validators as v


@pytest.mark.parametrize("code", ["11441700007280420Y", "91350100M000100Y43", "11100000000013127D"])
def test_real_credit_codes_pass(code):
    v.validate_credit_code(code)


@pytest.mark.parametrize(("code", "reason"), [
    ("11441700007280420X", "checksum"),      # wrong check character
    ("1144170000728042", "length"),          # too short
    ("11441700007280420I", "charset"),       # I is not in the GB 32100 set
    ("11AB1700007280420Y", "region"),        # region code must be digits
    ("11441700007280420y", "charset"),       # lower case
])
def test_bad_credit_codes_fail_with_a_reason(code, reason):
    with pytest.raises(ValidationError) as info:
        v.validate_credit_code(code)
    assert info.value.code == reason


@pytest.mark.parametrize("domain", ["www.shili.gov.cn", "www.beijing.gov.cn", "www.bd.gov.cn"])
def test_portal_domains_follow_www_name_gov_cn(domain):
    v.validate_portal_domain(domain)


@pytest.mark.parametrize("domain", ["shili.gov.cn", "www.shili.com", "www.shili.gov.cn.cn",
                                    "www.shi_li.gov.cn", "www.Shili.gov.cn", ""])
def test_non_compliant_portal_domains_fail(domain):
    with pytest.raises(ValidationError):
        v.validate_portal_domain(domain)


def test_department_domain_must_sit_under_the_portal():
    v.validate_department_domain("jyj.shili.gov.cn", "www.shili.gov.cn")
    for bad in ["jyj.other.gov.cn", "www.jyj.gov.cn", "a.b.shili.gov.cn", "shili.gov.cn"]:
        with pytest.raises(ValidationError):
            v.validate_department_domain(bad, "www.shili.gov.cn")


@pytest.mark.django_db  # the allowed forms are the rule set's (national: "." only)
def test_chinese_domains_end_in_zhengwu():
    v.validate_chinese_domain("示例市人民政府.政务")
    v.validate_chinese_domain("示例市人民政府.政务.cn")
    with pytest.raises(ValidationError):
        v.validate_chinese_domain("示例市人民政府.中国")


@pytest.mark.parametrize(("value", "ok"), [
    ("4499000001", True), ("bm01000001", True), ("449900001", False), ("BM01000001", False),
    ("bm0100000", False),
])
def test_site_code_format(value, ok):
    if ok:
        v.validate_site_code(value)
    else:
        with pytest.raises(ValidationError):
            v.validate_site_code(value)


@pytest.mark.parametrize(("value", "ok"), [
    ("京ICP备19014889号", True), ("粤ICP备05080000号-1", True), ("ICP备19014889号", False),
    ("京ICP备1901488号", False), ("京icp备19014889号", False), ("美ICP备19014889号", False),
])
def test_icp_number_format(value, ok):
    if ok:
        v.validate_icp_number(value)
    else:
        with pytest.raises(ValidationError):
            v.validate_icp_number(value)


@pytest.mark.parametrize(("value", "ok"), [
    ("京公网安备 11010202008000号", True), ("冀公网安备13030202002230号", True),
    ("京公网安备 1101020200800号", False), ("公网安备 11010202008000号", False),
])
def test_police_record_number_format(value, ok):
    if ok:
        v.validate_police_number(value)
        assert len(v.police_record_code(value)) == 14
    else:
        with pytest.raises(ValidationError):
            v.validate_police_number(value)
