"""Upgrading: an administrator's edits of the old 栏目类别规则 become rule overrides (nothing
is lost), and an untouched installation gets none."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps as django_apps

from govsites import rules
from govsites.rules.models import RuleOverride

pytestmark = pytest.mark.django_db
migration = importlib.import_module(
    "govsites.content.migrations.0005_column_type_rules_become_rule_overrides")


@dataclass
class OldRule:
    column_type: str
    update_interval_days: int | None
    archive_after_days: int | None


class OldRules:
    def __init__(self, rows: list[OldRule]) -> None:
        self.rows = rows

    def all(self) -> list[OldRule]:
        return self.rows


class Apps:
    """The historical models the migration asks for: the old rows, the real override model."""

    def __init__(self, rows: list[OldRule]) -> None:
        self.old = type("ColumnTypeRule", (), {"objects": OldRules(rows)})

    def get_model(self, app_label: str, name: str) -> Any:
        if name == "ColumnTypeRule":
            return self.old
        return django_apps.get_model(app_label, name)


SHIPPED = [OldRule("工作动态", 14, None), OldRule("通知公告", 183, None),
           OldRule("政策文件", 183, None), OldRule("专题专栏", 183, 183)]


def test_the_shipped_column_type_rules_need_no_override() -> None:
    migration.convert(Apps(SHIPPED), None)
    assert not RuleOverride.objects.exists()


def test_edited_column_type_rules_become_cluster_overrides_the_inspector_reads(portal: Any) -> None:
    edited = [OldRule("工作动态", 10, None), OldRule("通知公告", 183, None),
              OldRule("政策文件", 183, None), OldRule("专题专栏", 183, 90),
              OldRule("征集调查", 30, None)]
    migration.convert(Apps(edited), None)
    assert {o.key for o in RuleOverride.objects.all()} == {
        "column.stale.max_age_days_by_type", "column.update_interval_days_by_type",
        "column.archive_after_days_by_type"}
    values = rules.snapshot(site=portal)
    assert values.value("column.stale.max_age_days_by_type")["工作动态"] == 10
    assert values.value("column.update_interval_days_by_type") == {"专题专栏": 183, "征集调查": 30}
    assert values.value("column.archive_after_days_by_type") == {"专题专栏": 90}
    assert "栏目类别规则" in values.origin("column.archive_after_days_by_type").reason
