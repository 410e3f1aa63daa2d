"""Site registry rules checked on registration, per variant: one site per body (ID-01), no
separate 专项网站 where the variant forbids them (ID-02), the hosting region (ID-30)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from govsites import testing
from govsites.rules import services as rule_services
from govsites.sites.models import SiteProfile

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def _choose(variant: str) -> None:
    rule_services.choose_variant(variant=variant, reason="本市施行该管理办法", site=None,
                                 acting_user=None)


def _register(portal: Any, organisation: Any, *, kind: str = "department",
              hosting_region: str = "") -> Any:
    n = next(_numbers)
    return testing.make_site(name=f"{organisation.name}网站{n}", kind=kind,
                             organisation=organisation, domain=f"s{n}.shili.gov.cn",
                             hostname=f"s{n}.localhost", portal=portal, is_default=False,
                             hosting_region=hosting_region)


def _refused(portal: Any, organisation: Any, **kwargs: Any) -> dict[str, list[str]]:
    before = SiteProfile.objects.count()
    with pytest.raises(ValidationError) as info:
        _register(portal, organisation, **kwargs)
    assert SiteProfile.objects.count() == before  # nothing registered
    return info.value.message_dict


def _department(portal: Any, name: str, parent: Any = None) -> Any:
    return testing.make_organisation(name, kind="department",
                                     parent=parent or portal.host_organisation)


def test_a_body_that_runs_a_site_opens_no_second_one_but_may_run_a_special_site(
        portal: Any) -> None:
    water = _department(portal, "示例市水利局")
    _register(portal, water)
    errors = _refused(portal, water)
    assert "一个单位最多开设一个网站" in errors["host_organisation"][0]
    assert _register(portal, water, kind="special").kind == "special"  # national: allowed


def test_county_departments_and_townships_open_no_site(portal: Any) -> None:
    county = testing.make_organisation("示例县人民政府", parent=portal.host_organisation)
    county_bureau = _department(portal, "示例县教育局", parent=county)
    town = testing.make_organisation("示例县城关镇人民政府", kind="township", parent=county)
    assert "县级政府部门不单独开设网站" in _refused(portal, county_bureau)["host_organisation"][0]
    assert "乡镇（街道）不单独开设网站" in _refused(portal, town)["host_organisation"][0]


def test_nantong_refuses_a_site_for_a_unit_below_a_department(portal: Any) -> None:
    bureau = _department(portal, "示例市交通运输局")
    unit = _department(portal, "示例市公路事业发展中心", parent=bureau)
    _choose("nantong-2019")
    assert "部门下属单位不单独开设网站" in _refused(portal, unit)["host_organisation"][0]
    _choose("national")
    assert _register(portal, unit).host_organisation == unit


def test_dandong_refuses_a_separate_special_site(portal: Any) -> None:
    office = _department(portal, "示例市人民政府办公室")
    _choose("dandong-2019")
    assert "不单独开设专项网站" in _refused(portal, office, kind="special")["kind"][0]
    _choose("national")
    assert _register(portal, office, kind="special").kind == "special"


@pytest.mark.parametrize(("variant", "refused", "accepted"), [
    ("meizhou-2021", "province", "local"),
    ("dandong-2019", "abroad", "domestic"),
])
def test_the_hosting_region_must_lie_where_the_variant_allows(
        portal: Any, variant: str, refused: str, accepted: str) -> None:
    assert _register(portal, _department(portal, "示例市甲局"), hosting_region="abroad")
    _choose(variant)
    errors = _refused(portal, _department(portal, "示例市乙局"), hosting_region=refused)
    assert "本市规定须托管在" in errors["hosting_region"][0]
    assert "请填写服务器托管地区" in _refused(portal, _department(portal, "示例市丙局"))[
        "hosting_region"][0]
    assert _register(portal, _department(portal, "示例市丁局"), hosting_region=accepted)
