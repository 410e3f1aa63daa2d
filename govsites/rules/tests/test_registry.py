"""The shipped registry: every checklist rule once, honest coverage, variants that fit it."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from govsites import rules
from govsites.rules import coverage
from govsites.rules.registry import (
    REGISTRY_DIR,
    Awaiting,
    Registry,
    RegistryError,
    load_registry,
    parse_variant,
    registry,
    variants,
)

#: Rows per area of the rule checklist (ID-01 … DT-04, 174 in all).
CHECKLIST_ROWS = {"ID": 30, "CC": 33, "RS": 23, "PA": 18, "IS": 16, "IA": 11, "DS": 20,
                  "RP": 11, "NM": 8, "DT": 4}


def _with_rule(book: Registry, rule_id: str, **changes: object) -> Registry:
    rules_ = dict(book.rules)
    rules_[rule_id] = dataclasses.replace(book.rules[rule_id], **changes)  # type: ignore[arg-type]
    params = {p.key: p for r in rules_.values() for p in r.params}
    return dataclasses.replace(book, rules=rules_, params=params)


def test_every_checklist_rule_is_registered_once_in_its_area() -> None:
    book = registry()
    assert Counter(r.area for r in book.rules.values()) == CHECKLIST_ROWS
    for area, count in CHECKLIST_ROWS.items():
        assert [r for r in book.rules if r.startswith(area)] == \
            [f"{area}-{n:02d}" for n in range(1, count + 1)]


def test_the_shipped_registry_passes_its_own_coverage_check() -> None:
    report = coverage.build_report(registry(), variants())
    assert report.problems == []
    assert report.totals()["ENCODED"] >= 60


def test_an_encoded_rule_pointing_at_a_missing_test_fails_the_check() -> None:
    book = _with_rule(registry(), "IS-05",
                      tests=("govsites/monitoring/tests/test_scoring_thresholds.py::test_gone",))
    problems = coverage.build_report(book, variants()).problems
    assert problems == ["IS-05：govsites/monitoring/tests/test_scoring_thresholds.py 中没有测试 test_gone"]


def test_an_encoded_rule_without_any_test_fails_the_check() -> None:
    book = _with_rule(registry(), "IS-05", tests=())
    assert "IS-05：已实现的规则须注明测试" in coverage.build_report(book, variants()).problems


def test_a_parameter_nothing_reads_fails_the_check() -> None:
    book = registry()
    rule = book.rules["IS-05"]
    unread = dataclasses.replace(rule.params[0], readers=())
    book = _with_rule(book, "IS-05", params=(unread,))
    problems = coverage.build_report(book, variants()).problems
    assert problems == ["column.stale.veto_count：参数没有任何代码读取（未读取的参数是登记表的错误）"]


def test_a_parameter_awaiting_its_capability_passes_while_its_issue_is_named() -> None:
    book = registry()
    param = book.params["error_report.draft_working_days"]
    assert param.readers == () and param.awaiting == Awaiting(12, param.awaiting.what)
    assert book.params["inspection.results_published"].awaiting is None  # read since IS-14
    assert book.params["repost.upstream_max_hours"].awaiting is None  # read since CC-30


def test_the_open_capability_issues_are_data_of_the_registry() -> None:
    assert registry().open_issue_numbers == {9, 11, 12, 14, 16, 17}


def test_a_rule_left_to_a_resolved_issue_fails_the_check() -> None:
    book = _with_rule(registry(), "IA-01", issue=13)
    problems = coverage.build_report(book, variants()).problems
    assert problems == ["IA-01：状态为属其他功能，负责的议题13已不在开放的议题中"
                        "（开放的议题：9、11、12、14、16、17）；请按已建成的代码重新核对该规则的状态"]
    book = _with_rule(registry(), "IA-01", status="PARTIAL", issue=15)
    assert [p.split("，")[1] for p in coverage.build_report(book, variants()).problems] == \
        ["负责的议题15已不在开放的议题中（开放的议题：9、11、12、14、16、17）；请按已建成的代码重新核对该规则的状态"]


def test_a_parameter_awaiting_a_resolved_issue_fails_the_check() -> None:
    book = registry()
    rule = book.rules["IA-07"]
    param = next(p for p in rule.params if p.awaiting)
    stale = dataclasses.replace(param, awaiting=Awaiting(13, param.awaiting.what))
    book = _with_rule(book, "IA-07",
                      params=tuple(stale if p.key == param.key else p for p in rule.params))
    [problem] = coverage.build_report(book, variants()).problems
    assert problem.startswith(f"{param.key}：待议题13读取，但该议题已不在开放的议题中")


def test_the_open_issues_are_read_from_the_index_file(tmp_path: Path) -> None:
    for path in REGISTRY_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    index = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    index["open_issues"] = [i for i in index["open_issues"] if i["number"] != 12]
    (tmp_path / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    book = load_registry(tmp_path)
    assert 12 not in book.open_issue_numbers
    problems = coverage.build_report(book, variants()).problems
    assert problems and all("议题12" in p and "已不在开放的议题中" in p for p in problems)


def test_a_declared_reader_that_never_mentions_its_parameter_fails_the_check() -> None:
    book = registry()
    rule = book.rules["IS-05"]
    wrong = dataclasses.replace(rule.params[0],
                                readers=("govsites.monitoring.scoring:deductions#veto_count",))
    book = _with_rule(book, "IS-05", params=(wrong,))
    [problem] = coverage.build_report(book, variants()).problems
    assert "govsites.monitoring.scoring:deductions 没有读取 column.stale.veto_count" in problem


def test_code_asking_for_an_undeclared_key_is_reported(tmp_path: Path) -> None:
    source = tmp_path / "reader.py"
    source.write_text('from govsites import rules\n'
                      'rules.value("no.such.key")\nrules.value("column.stale.veto_count")\n',
                      encoding="utf-8")
    problems = coverage.undeclared_keys(registry(), [source], root=tmp_path)
    assert problems == ["reader.py 读取了未登记的参数 no.such.key"]


def test_an_undeclared_parameter_is_refused_by_the_api() -> None:
    with pytest.raises(rules.UnknownParameter, match="未在规则登记表中声明"):
        rules.value("column.stale.no_such_thing")


def test_a_variant_naming_an_undeclared_parameter_or_a_wrong_value_is_refused() -> None:
    book = registry()
    with pytest.raises(RegistryError, match="未在规则登记表中声明"):
        parse_variant({"name": "x", "values": {"no.such": {"value": 1, "article": "第1条"}}},
                      book, origin="x.json")
    with pytest.raises(RegistryError, match="应为整数"):
        parse_variant({"name": "x", "values": {"column.stale.veto_count":
                                               {"value": "五", "article": "第1条"}}},
                      book, origin="x.json")
    with pytest.raises(RegistryError, match="第x条"):
        parse_variant({"name": "x", "values": {"column.stale.veto_count": {"value": 3}}},
                      book, origin="x.json")


def test_sources_are_cited_by_public_names() -> None:
    for rule in registry().rules.values():
        for source in rule.sources:
            assert source.document.startswith(("《", "国办", "GB/T", "工业和信息化部", "中国政府网",
                                               "政府网站标识码", "国务院办公厅"))
            assert "§" not in source.part and "/" not in source.part


def test_other_issue_rules_name_their_issue_and_encoded_rules_name_their_code() -> None:
    for rule in registry().rules.values():
        if rule.status == "OTHER-ISSUE":
            assert rule.issue in registry().open_issue_numbers - {17}
        if rule.status == "ENCODED":
            assert rule.enforced_in and rule.tests
        if rule.status in ("PARTIAL", "ABSENT"):
            assert rule.issue == 17


# What each seed regulation changes, as the checklist's Variants table states it.
VARIANT_DIFFERENCES = {
    "meizhou-2021": {
        "interpretation.max_delay_working_days": 3,
        "dynamic.per_unit.min_items_per_week": 1,
        "dynamic.per_unit.min_items_per_month": 4,
        "column.dynamic.merge_after_months": 1,
        "column.archive_after_days_by_type": {"专题专栏": 183},
        "review.unit_head.applies_from": "major",
        "review.proofreading_enabled": True,
        "site.chinese_domain.separators": [".", "·"],
        "site.department_address_style": "path",
        "site.hosting.allowed_region": "市本级行政区域",
        "inspection.cadence_months": 3,
        "inspection.results_published": True,
        "interaction.route_via_12345": True,
    },
    "dandong-2019": {
        "error_report.reply_working_days": 3,
        "error_report.publish_all": True,
        "interpretation.max_delay_working_days": 0,
        "repost.upstream_max_hours": 12,
        "site.special_sites_allowed": False,
        "site.temporary_offline.max_per_year": 1,
        "site.temporary_offline.max_days": 30,
        "site.temporary_offline.site_kinds": ["department"],
        "site.closure.notice_min_days": 30,
        "inspection.cadence_months": 1,
        "site.hosting.allowed_region": "境内",
        "reports.website_annual.deadline": "01-31",
    },
    "bozhou-2019": {
        "error_report.draft_working_days": 0.5,
        "error_report.reply_working_days": 1,
        "repost.upstream_max_hours": 12,
        "tickets.deadline_working_days": 3,
        "site.temporary_offline.filing_only_up_to_hours": 24,
        "site.temporary_offline.restore_application_days": 7,
        "site.opening.go_live_days": 90,
        "site.opening.notice_min_days": 30,
        "site.closure.complete_within_days": 90,
        "site.domain_change.notice_months": 3,
        "inspection.cadence_months": 1,
        "inspection.self_check_months": 1,
    },
    "liangping-2021": {
        "column.empty.veto_count": 1,
        "new_media.min_updates_per_week": 3,
        "review.unit_head.applies_from": "normal",
        "review.proofreading_enabled": True,
        "tickets.sensitive_deadline_working_days": 1,
        "accounts.password.min_length": 8,
        "inspection.cadence_months": 3,
        "site.department_address_style": "column",
    },
    "nantong-2019": {
        "error_report.forward_working_days": 1,
        "error_report.reply_working_days": 3,
        "interpretation.max_delay_working_days": 3,
        "column.stale.top_level_only_types": ["通知公告"],
        "site.subordinate_units_may_open_sites": False,
        "review.unit_head.applies_from": "major",
        "inspection.cadence_months": 1,
    },
}


@pytest.mark.parametrize("name", sorted(VARIANT_DIFFERENCES))
def test_each_variant_carries_the_differences_of_its_regulation_with_their_articles(name: str) -> None:
    resolved = rules.from_files(name)
    national = rules.from_files()
    variant = variants()[name]
    for key, expected in VARIANT_DIFFERENCES[name].items():
        assert resolved.value(key) == expected, key
        assert resolved.origin(key).origin == "variant"
        assert variant.values[key].article.startswith("第")
    changed = [k for k in VARIANT_DIFFERENCES[name] if national.value(k) != resolved.value(k)]
    assert changed, "a variant must change something"


def test_the_approval_chains_of_meizhou_and_liangping_are_data() -> None:
    meizhou = rules.from_files("meizhou-2021").value("review.chain.applies_from")
    liangping = rules.from_files("liangping-2021").value("review.chain.applies_from")
    assert meizhou["本级政府分管领导审核"] == "never" and meizhou["分管领导审核"] == "normal"
    assert liangping["审核负责人审核"] == "never"
    assert liangping["本级政府分管领导审核"] == "major"
    assert liangping["本级政府主要领导审核"] == "critical"


def test_a_variant_written_for_an_earlier_registry_version_is_reported_for_review() -> None:
    book = registry()
    assert {v.registry_version for v in variants().values()} == {book.version}
    old = dataclasses.replace(variants()["meizhou-2021"], registry_version="2026.12")
    problems = coverage.build_report(book, {**variants(), "meizhou-2021": old}).problems
    assert problems == [f"规则变体 meizhou-2021 按登记表 2026.12 编写，"
                        f"当前登记表为 {book.version}：请核对后更新"]


def test_the_coverage_table_in_docs_matches_the_registry() -> None:
    out = StringIO()
    call_command("rules", "coverage", stdout=out)
    table = out.getvalue().splitlines()[:13]
    docs = (Path(coverage.ROOT_DIR) / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "\n".join(table) in docs
