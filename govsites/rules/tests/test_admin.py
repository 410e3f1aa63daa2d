"""设置 → 规则 in the admin: every rule with its source and values, overrides with a reason by
platform administrators only, and the variant choice."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from govsites import rules, testing
from govsites.accounts.roles import Role, group_name
from govsites.core.models import AuditRecord
from govsites.rules.models import RuleOverride

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def login(client: Any, organisation: Any, role: Role) -> Any:
    from govsites.accounts.services import create_user

    n = next(_numbers)
    user = create_user(username=f"ruleadmin{n}", password="Zq7!mesa-Lk", real_name=f"管理员{n}",
                       mobile=f"1370000{n:04d}", organisation=organisation, acting_user=None,
                       groups=[Group.objects.get(name=group_name(role))])
    testing.login_verified(client, user)
    return user


def test_the_rule_list_shows_every_rule_with_its_source_status_and_value_in_force(
        client: Any, portal: Any) -> None:
    login(client, portal.host_organisation, Role.EDITOR)
    html = client.get(reverse("govsites_rules:index")).content.decode()
    for rule_id in ("ID-01", "CC-25", "IS-07", "DT-04"):
        assert f">{rule_id}</a>" in html
    assert "《重庆市梁平区政府网站和政务新媒体管理办法》（梁平府办发〔2021〕3号）第17条" in html
    assert "空白栏目达到多少个即单项否决" in html and "<code>5</code>" in html
    assert "当前全站群的规则变体：<strong>全国默认</strong>" in html
    filtered = client.get(reverse("govsites_rules:index"), {"area": "NM"}).content.decode()
    assert ">NM-01</a>" in filtered and ">IS-07</a>" not in filtered


def test_the_settings_menu_offers_the_rules_to_anyone_using_the_admin(
        client: Any, portal: Any) -> None:
    login(client, portal.host_organisation, Role.EDITOR)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("govsites_rules:index") in html


def test_a_platform_administrator_overrides_a_value_with_a_reason_and_it_is_shown_and_audited(
        client: Any, portal: Any) -> None:
    login(client, portal.host_organisation, Role.PLATFORM_ADMIN)
    url = reverse("govsites_rules:detail", args=["IS-07"])
    assert "调整参数" in client.get(url).content.decode()
    response = client.post(url, {"key": "column.empty.veto_count", "site": str(portal.pk),
                                 "value": "1", "reason": "门户网站不得有空白栏目"})
    assert response.status_code == 302
    assert rules.value("column.empty.veto_count", site=portal) == 1
    assert rules.value("column.empty.veto_count") == 5
    html = client.get(url).content.decode()
    assert "门户网站不得有空白栏目" in html and f"调整：{portal.name}" in html
    listing = client.get(reverse("govsites_rules:index"), {"area": "IS"}).content.decode()
    assert f"调整于：{portal.name}" in listing
    assert AuditRecord.objects.filter(action="rules.override.set").count() == 1


def test_an_override_without_a_reason_or_with_a_bad_value_is_refused_in_chinese(
        client: Any, portal: Any) -> None:
    login(client, portal.host_organisation, Role.PLATFORM_ADMIN)
    url = reverse("govsites_rules:detail", args=["IS-07"])
    html = client.post(url, {"key": "column.empty.veto_count", "site": "", "value": "1",
                             "reason": ""}).content.decode()
    assert "这个字段是必填项" in html or "必填" in html
    html = client.post(url, {"key": "column.empty.veto_count", "site": "", "value": "五",
                             "reason": "理由"}).content.decode()
    assert "取值须为 JSON" in html
    html = client.post(url, {"key": "column.empty.veto_count", "site": "", "value": "\"五\"",
                             "reason": "理由"}).content.decode()
    assert "应为整数" in html
    assert not RuleOverride.objects.exists()


def test_a_site_administrator_reads_the_rules_but_cannot_override_them(
        client: Any, portal: Any) -> None:
    login(client, portal.host_organisation, Role.SITE_ADMIN)
    url = reverse("govsites_rules:detail", args=["IS-07"])
    html = client.get(url).content.decode()
    assert "只有平台管理员可以调整规则参数" in html and "保存调整" not in html
    # Wagtail answers a refused admin request by sending the user back to the dashboard.
    response = client.post(url, {"key": "column.empty.veto_count", "site": "", "value": "1",
                                 "reason": "理由"})
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    response = client.post(reverse("govsites_rules:variants"),
                           {"site": "", "variant": "meizhou-2021", "reason": "理由"})
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert not RuleOverride.objects.exists()
    assert rules.snapshot().variant == rules.NATIONAL


def test_an_unknown_rule_is_not_found(client: Any, portal: Any) -> None:
    login(client, portal.host_organisation, Role.PLATFORM_ADMIN)
    assert client.get(reverse("govsites_rules:detail", args=["XX-99"])).status_code == 404


def test_a_platform_administrator_withdraws_an_override_with_a_reason(
        client: Any, portal: Any) -> None:
    from govsites.rules import services

    login(client, portal.host_organisation, Role.PLATFORM_ADMIN)
    services.set_override(key="column.empty.veto_count", value=2, reason="试行", acting_user=None)
    url = reverse("govsites_rules:detail", args=["IS-07"])
    client.post(url, {"clear": "1", "key": "column.empty.veto_count", "site": "", "reason": ""})
    assert rules.value("column.empty.veto_count") == 2
    client.post(url, {"clear": "1", "key": "column.empty.veto_count", "site": "",
                      "reason": "试行结束"})
    assert rules.value("column.empty.veto_count") == 5
    assert AuditRecord.objects.filter(action="rules.override.clear").count() == 1


def test_the_variant_page_chooses_for_the_cluster_and_for_one_site(
        client: Any, portal: Any, department_site: Any) -> None:
    login(client, portal.host_organisation, Role.PLATFORM_ADMIN)
    url = reverse("govsites_rules:variants")
    html = client.get(url).content.decode()
    assert "梅州 2021" in html and "《南通市政府网站管理办法》（通政办发〔2019〕89号）" in html
    client.post(url, {"site": "", "variant": "meizhou-2021", "reason": "本市施行梅州规定"})
    client.post(url, {"site": str(department_site.pk), "variant": "liangping-2021",
                      "reason": "该部门试行梁平办法"})
    assert rules.snapshot().variant == "meizhou-2021"
    assert rules.snapshot(site=department_site).variant == "liangping-2021"
    html = client.get(url).content.decode()
    assert "全站群当前采用：<strong>梅州 2021</strong>" in html and "该部门试行梁平办法" in html
    html = client.post(url, {"site": "", "variant": "meizhou-2021", "reason": ""}).content.decode()
    assert "必填" in html
