"""How a value is decided and who may change it: national → variant → cluster → site,
overrides with a reason, each audited once, platform administrators only."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from govsites import rules
from govsites.accounts.roles import Role, group_name
from govsites.core.models import AuditRecord
from govsites.rules import services
from govsites.rules.models import RuleOverride, VariantChoice

pytestmark = pytest.mark.django_db
KEY = "column.empty.veto_count"
_numbers = itertools.count(1)


def make_user(organisation: Any, role: Role) -> Any:
    from govsites.accounts.services import create_user

    n = next(_numbers)
    return create_user(username=f"rules{n}", password="Zq7!mesa-Lk", real_name=f"规则测试{n}",
                       mobile=f"1390000{n:04d}", organisation=organisation, acting_user=None,
                       groups=[Group.objects.get(name=group_name(role))])


def test_a_value_comes_from_the_nation_then_the_variant_then_the_cluster_then_the_site(
        portal: Any, department_site: Any) -> None:
    assert rules.value(KEY, site=portal) == 5
    assert rules.snapshot(site=portal).origin(KEY).origin == "national"
    services.choose_variant(variant="liangping-2021", reason="本区施行梁平办法", acting_user=None)
    assert rules.value(KEY, site=portal) == 1
    assert rules.snapshot(site=portal).origin(KEY).origin == "variant"
    services.set_override(key=KEY, value=3, reason="过渡期放宽", acting_user=None)
    assert rules.value(KEY, site=portal) == 3
    services.set_override(key=KEY, value=2, reason="门户网站从严", site=portal, acting_user=None)
    assert rules.value(KEY, site=portal) == 2
    assert rules.value(KEY, site=department_site) == 3
    applied = rules.snapshot(site=portal).origin(KEY)
    assert (applied.origin, applied.reason) == ("site", "门户网站从严")


def test_the_setting_gives_the_installations_variant_until_an_administrator_chooses(
        settings: Any, portal: Any) -> None:
    settings.GOVSITES_RULES_VARIANT = "nantong-2019"
    assert rules.snapshot().variant == "nantong-2019"
    assert rules.snapshot().variant_origin == "setting"
    services.choose_variant(variant="meizhou-2021", reason="改用梅州规定", acting_user=None)
    assert rules.snapshot().variant == "meizhou-2021"


def test_an_unknown_configured_variant_stops_the_system_checks(settings: Any) -> None:
    settings.GOVSITES_RULES_VARIANT = "atlantis-2030"
    with pytest.raises(SystemCheckError, match=r"rules\.E002"):
        call_command("check")


def test_an_override_needs_a_reason_and_a_value_of_the_right_shape_and_changes_nothing_else(
        portal: Any) -> None:
    before = AuditRecord.objects.count()
    with pytest.raises(ValidationError, match="请填写理由"):
        services.set_override(key=KEY, value=3, reason="  ", acting_user=None)
    with pytest.raises(ValidationError, match="应为整数"):
        services.set_override(key=KEY, value="三", reason="理由", acting_user=None)
    with pytest.raises(ValidationError, match="不能为负数"):
        services.set_override(key=KEY, value=-1, reason="理由", acting_user=None)
    with pytest.raises(ValidationError, match="不存在"):
        services.set_override(key="no.such", value=1, reason="理由", acting_user=None)
    with pytest.raises(ValidationError, match="不能为空"):
        services.set_override(key=KEY, value=None, reason="理由", acting_user=None)
    assert not RuleOverride.objects.exists()
    assert AuditRecord.objects.count() == before
    assert rules.value(KEY) == 5


def test_each_override_and_its_withdrawal_is_audited_once_with_before_and_after(
        portal: Any) -> None:
    before = AuditRecord.objects.count()
    services.set_override(key=KEY, value=3, reason="第一次", acting_user=None)
    services.set_override(key=KEY, value=4, reason="第二次", acting_user=None)
    services.clear_override(key=KEY, reason="恢复全国默认", acting_user=None)
    records = list(AuditRecord.objects.order_by("pk")[before:])
    assert [r.action for r in records] == ["rules.override.set", "rules.override.set",
                                           "rules.override.clear"]
    assert records[1].details["before"] == 3 and records[1].details["after"] == 4
    assert records[1].details["reason"] == "第二次"
    assert records[2].details["before"] == 4
    assert rules.value(KEY) == 5


def test_a_variant_choice_is_audited_and_a_site_can_return_to_the_clusters(
        portal: Any) -> None:
    before = AuditRecord.objects.count()
    services.choose_variant(variant="dandong-2019", reason="丹东", site=portal, acting_user=None)
    assert rules.snapshot(site=portal).variant == "dandong-2019"
    services.choose_variant(variant=None, reason="统一采用全站群规则", site=portal,
                            acting_user=None)
    assert rules.snapshot(site=portal).variant == rules.NATIONAL
    assert not VariantChoice.objects.exists()
    assert [r.action for r in AuditRecord.objects.order_by("pk")[before:]] == [
        "rules.variant.choose", "rules.variant.choose"]
    with pytest.raises(ValidationError, match="不存在"):
        services.choose_variant(variant="atlantis-2030", reason="?", acting_user=None)


def test_only_platform_administrators_may_change_the_rules(portal: Any) -> None:
    organisation = portal.host_organisation
    site_admin = make_user(organisation, Role.SITE_ADMIN)
    supervisor = make_user(organisation, Role.SUPERVISOR)
    platform_admin = make_user(organisation, Role.PLATFORM_ADMIN)
    for user in (site_admin, supervisor):
        with pytest.raises(PermissionDenied):
            services.set_override(key=KEY, value=3, reason="理由", acting_user=user)
        with pytest.raises(PermissionDenied):
            services.choose_variant(variant="meizhou-2021", reason="理由", acting_user=user)
    services.set_override(key=KEY, value=3, reason="理由", acting_user=platform_admin)
    record = AuditRecord.objects.order_by("-pk").first()
    assert record is not None and record.actor_id == platform_admin.pk


def test_a_parameter_read_for_the_whole_cluster_cannot_be_overridden_for_one_site(
        portal: Any) -> None:
    with pytest.raises(ValidationError, match="只能为全站群设置"):
        services.set_override(key="site.chinese_domain.separators", value=[".", "·"],
                              reason="理由", site=portal, acting_user=None)


def test_an_override_left_behind_by_an_older_registry_is_ignored_and_reported(
        portal: Any) -> None:
    from django.utils import timezone

    RuleOverride.objects.create(key="retired.parameter", value=1, reason="旧版本",
                                created_at=timezone.now())
    current = rules.snapshot()
    assert current.ignored == ("retired.parameter",)
    assert current.override_count == 0
