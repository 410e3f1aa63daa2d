"""`govsites rules list|coverage|show` as an operator runs them."""

from __future__ import annotations

import dataclasses
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from govsites.rules.registry import registry

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("rules", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_coverage_counts_every_area_from_the_registry_and_passes_on_a_clean_checkout() -> None:
    text = run("coverage")
    assert "共 174 条" in text
    for area in ("ID 网站标识与开办关停", "CC 栏目与内容", "IS 检查与评分", "DT 数据发布与开放"):
        assert area in text
    totals = next(line for line in text.splitlines() if line.startswith("合计")).split()
    assert sum(int(n) for n in totals[1:5]) == int(totals[5]) == 174
    assert "核对通过" in text


def test_coverage_exits_non_zero_when_an_encoded_rule_names_a_test_that_does_not_exist(
        monkeypatch: Any) -> None:
    book = registry()
    broken = dataclasses.replace(book.rules["IS-01"], tests=(
        "govsites/monitoring/tests/test_scoring_thresholds.py::test_that_was_deleted",))
    patched = dataclasses.replace(book, rules={**book.rules, "IS-01": broken})
    monkeypatch.setattr("govsites.rules.management.commands.rules.registry", lambda: patched)
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("rules", "coverage", stdout=StringIO(), stderr=err)
    assert info.value.returncode == 1
    assert "test_that_was_deleted" in err.getvalue()


def test_coverage_fails_with_a_clear_message_when_a_rule_waits_for_a_resolved_issue(
        monkeypatch: Any) -> None:
    book = registry()
    resolved = tuple(i for i in book.open_issues if i.number != 12)
    patched = dataclasses.replace(book, open_issues=resolved)
    monkeypatch.setattr("govsites.rules.management.commands.rules.registry", lambda: patched)
    err = StringIO()
    with pytest.raises(CommandError, match="规则登记表有") as info:
        call_command("rules", "coverage", stdout=StringIO(), stderr=err)
    assert info.value.returncode == 1
    assert "IA-01：状态为属其他功能，负责的议题12已不在开放的议题中" in err.getvalue()
    assert "error_report.draft_working_days：待议题12读取，但该议题已不在开放的议题中" \
        in err.getvalue()


def test_list_filters_by_status_and_area() -> None:
    text = run("list", "--status", "ENCODED", "--area", "IS")
    lines = [line for line in text.splitlines() if line.startswith("IS-")]
    listed = [line.split()[0] for line in lines]
    book = registry().rules.values()
    encoded = [r.rule_id for r in book if r.area == "IS" and r.status == "ENCODED"]
    assert listed == encoded and {"IS-01", "IS-07"} <= set(listed)
    assert not {r.rule_id for r in book if r.area == "IS" and r.status != "ENCODED"} & set(listed)
    assert f"共 {len(encoded)} 条" in text
    assert "IA-08" not in run("list", "--status", "已实现")


def test_list_with_a_variant_shows_what_it_changes_with_the_article() -> None:
    text = run("list", "--variant", "meizhou-2021")
    assert "site.chinese_domain.separators = [\".\", \"·\"]（梅州 2021 第7条；全国默认 [\".\"]）" in text
    assert "IS-03" in text and "IS-07" not in text


def test_list_refuses_an_unknown_variant_or_status_in_chinese() -> None:
    with pytest.raises(CommandError, match="规则变体“atlantis”不存在"):
        run("list", "--variant", "atlantis")
    with pytest.raises(CommandError, match="未知状态"):
        run("list", "--status", "DONE")


def test_show_prints_sources_values_of_every_variant_readers_and_tests() -> None:
    text = run("show", "is-07")
    assert text.startswith("IS-07（检查与评分）")
    assert "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）单项否决第4项" in text
    assert "梁平 2021：1（《重庆市梁平区政府网站和政务新媒体管理办法》（梁平府办发〔2021〕3号）第17条）" in text
    assert "当前取值：5（全国默认）" in text
    assert "读取：govsites.monitoring.scoring:veto_reasons#veto_count" in text
    assert "测试：govsites/monitoring/tests/test_scoring_thresholds.py::" in text


def test_show_names_the_issue_that_will_read_a_parameter_awaiting_its_capability() -> None:
    text = run("show", "IA-08")
    assert "待读取：议题12" in text and "亳州 2019：0.5" in text
    with pytest.raises(CommandError, match="不在规则登记表中"):
        run("show", "XX-01")
