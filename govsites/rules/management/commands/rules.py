"""`govsites rules list|coverage|show`: the rule registry, its coverage, and one rule in full."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsites.rules import coverage
from govsites.rules.registry import (
    NATIONAL,
    STATUS_LABELS,
    STATUSES,
    Parameter,
    Rule,
    registry,
    variants,
)
from govsites.rules.resolve import Resolved, RulesError, dumps, snapshot

STATUS_BY_LABEL = {label: code for code, label in STATUS_LABELS.items()}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _status(value: str) -> str:
    code = STATUS_BY_LABEL.get(value, value.upper())
    if code not in STATUSES:
        raise CommandError(f"未知状态“{value}”：可选 {'、'.join(STATUSES)}")
    return code


def _variant(name: str) -> str:
    if name != NATIONAL and name not in variants():
        raise CommandError(f"规则变体“{name}”不存在：可选 {NATIONAL}、{'、'.join(variants())}")
    return name


class Command(BaseCommand):
    help = ("规则登记表：list 列出规则；coverage 按领域统计实现情况并核对测试与参数读取（有问题时退出码 1）；"
            "show 显示一条规则的出处、取值和实施位置")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        listing = sub.add_parser("list", help="列出规则（可按状态、领域、规则变体筛选）")
        listing.add_argument("--status", help="ENCODED、PARTIAL、ABSENT、OTHER-ISSUE（或中文：已实现等）")
        listing.add_argument("--area", help="领域代码，如 CC、IS")
        listing.add_argument("--variant", help="只列出该规则变体调整的规则，并显示其取值")
        sub.add_parser("coverage", help="按领域统计 ENCODED/PARTIAL/ABSENT，核对测试存在、参数被读取")
        show = sub.add_parser("show", help="显示一条规则")
        show.add_argument("rule_id", help="规则编号，如 IS-03")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "list":
            self._list(status=options["status"], area=options["area"], variant=options["variant"])
        elif options["subcommand"] == "coverage":
            self._coverage()
        else:
            self._show(options["rule_id"])

    # --- list -------------------------------------------------------------------------------
    def _list(self, *, status: str | None, area: str | None, variant: str | None) -> None:
        book = registry()
        wanted_status = _status(status) if status else None
        wanted_area = area.upper() if area else None
        if wanted_area and wanted_area not in {a.code for a in book.areas}:
            raise CommandError(f"未知领域“{area}”：可选 {'、'.join(a.code for a in book.areas)}")
        chosen = variants()[_variant(variant)] if variant and variant != NATIONAL else None
        shown = 0
        for rule in book.rules.values():
            if wanted_status and rule.status != wanted_status:
                continue
            if wanted_area and rule.area != wanted_area:
                continue
            if chosen is not None and not any(chosen.value_of(p.key) for p in rule.params):
                continue
            shown += 1
            issue = f"〔议题{rule.issue}〕" if rule.issue else ""
            self.stdout.write(f"{rule.rule_id}  {_pad(rule.status_label, 12)}{rule.statement}{issue}")
            if chosen is not None:
                for param in rule.params:
                    entry = chosen.value_of(param.key)
                    if entry is None:
                        continue
                    self.stdout.write(
                        f"        {param.key} = {dumps(entry.value)}（{chosen.title} {entry.article}；"
                        f"全国默认 {dumps(param.default)}）")
        self.stdout.write(f"共 {shown} 条（登记表版本 {book.version}）")

    # --- coverage ---------------------------------------------------------------------------
    def _coverage(self) -> None:
        book = registry()
        report = coverage.build_report(book, variants())
        labels = [STATUS_LABELS[s] for s in STATUSES]
        self.stdout.write(f"规则覆盖情况（登记表版本 {report.version}，共 {len(book.rules)} 条）")
        header = _pad("领域", 30) + "".join(_pad(label, 12) for label in labels) + "合计"
        self.stdout.write(header)
        for area in report.areas:
            line = _pad(f"{area.code} {area.title}", 30)
            line += "".join(_pad(str(area.counts[s]), 12) for s in STATUSES)
            self.stdout.write(line + str(area.total))
        totals = report.totals()
        self.stdout.write(_pad("合计", 30) + "".join(_pad(str(totals[s]), 12) for s in STATUSES)
                          + str(sum(totals.values())))
        awaiting = sum(len(v) for v in report.params_awaiting.values())
        by_issue = "，".join(f"议题{issue} {len(keys)} 个"
                            for issue, keys in sorted(report.params_awaiting.items()))
        self.stdout.write(f"参数 {len(book.params)} 个：已有代码读取 {report.params_read} 个"
                          f"（核对读取位置 {report.readers_checked} 处），"
                          f"待尚未建成的功能读取 {awaiting} 个（{by_issue}）")
        self.stdout.write(f"已实现的规则 {totals['ENCODED']} 条，核对测试 {report.tests_checked} 个")
        self.stdout.write("开放的功能议题：" + "、".join(f"议题{i.number}（{i.title}）"
                                                   for i in book.open_issues))
        self.stdout.write(f"规则变体：{'、'.join(f'{v.name}（{v.title}，{len(v.values)} 项）' for v in variants().values())}")
        if report.ok:
            self.stdout.write("核对通过：每条已实现的规则都有存在的测试，每个参数都有读取位置或注明待读取的议题。")
            return
        for problem in report.problems:
            self.stderr.write(f"问题：{problem}")
        raise CommandError(f"规则登记表有 {len(report.problems)} 个问题", returncode=1)

    # --- show -------------------------------------------------------------------------------
    def _show(self, rule_id: str) -> None:
        book = registry()
        rule_id = rule_id.upper()
        if rule_id not in book.rules:
            raise CommandError(f"规则 {rule_id} 不在规则登记表中")
        rule = book.rules[rule_id]
        current: Resolved | None
        try:
            current = snapshot()
        except RulesError as exc:
            current, note = None, f"（数据库不可用，只显示规则文件中的值：{exc}）"
        else:
            note = f"（当前全站群：{current.variant}，{current.override_count} 项调整）"
        self._write_rule(rule)
        for param in rule.params:
            self._write_param(param, current)
        if rule.params:
            self.stdout.write(note)

    def _write_rule(self, rule: Rule) -> None:
        area = next(a.title for a in registry().areas if a.code == rule.area)
        self.stdout.write(f"{rule.rule_id}（{area}）：{rule.statement}")
        status = rule.status_label + (f"，议题{rule.issue}" if rule.issue else "")
        self.stdout.write(f"状态：{rule.status}（{status}）")
        if rule.observed:
            self.stdout.write(f"现状：{rule.observed}")
        for source in rule.sources:
            self.stdout.write(f"出处：{source.document}{source.part} {source.evidence}")
        for point in rule.enforced_in:
            self.stdout.write(f"实施：{point}")
        for test in rule.tests:
            self.stdout.write(f"测试：{test}")
        if rule.note:
            self.stdout.write(f"说明：{rule.note}")

    def _write_param(self, param: Parameter, current: Resolved | None) -> None:
        unit = f"（{param.unit}）" if param.unit else ""
        self.stdout.write(f"参数 {param.key}：{param.label}{unit}，依据 {param.evidence}")
        self.stdout.write(f"    全国默认：{dumps(param.default)}")
        for variant in variants().values():
            entry = variant.value_of(param.key)
            if entry is not None:
                self.stdout.write(f"    {variant.title}：{dumps(entry.value)}（{variant.document}{entry.article}）")
        if current is not None:
            applied = current.origin(param.key)
            self.stdout.write(f"    当前取值：{dumps(applied.value)}（{applied.origin_label}）")
        for reader in param.readers:
            self.stdout.write(f"    读取：{reader}")
        if param.awaiting:
            self.stdout.write(f"    待读取：议题{param.awaiting.issue}（{param.awaiting.what}）")
        if param.note:
            self.stdout.write(f"    说明：{param.note}")
