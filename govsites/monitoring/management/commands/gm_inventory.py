"""`govsites gm_inventory [--check]`: where the platform uses cryptography, the algorithm in
force, and whether it is 国密 (RS-22). With --check, exit 1 when a use the rule data requires
to be 国密 (`security.gm_crypto.required_uses`) is not."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govsites import rules
from govsites.monitoring.gm_inventory import inventory, required_but_not_gm


class Command(BaseCommand):
    help = "列出平台使用密码算法的位置、当前算法及是否为国密算法；--check 时规则要求国密而未使用的退出码为 1"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true",
                            help="规则数据要求使用国密算法的位置未使用时以退出码 1 结束")

    def handle(self, *args: Any, **options: Any) -> None:
        uses = inventory()
        try:
            required = rules.value("security.gm_crypto.required_uses")
        except rules.RulesError as exc:
            raise CommandError(str(exc)) from exc
        required_uses = [str(use) for use in required]
        for use in uses:
            mark = "国密" if use.gm else "非国密"
            need = "（规则要求国密）" if use.use in required_uses else ""
            self.stdout.write(f"{use.label}\t{use.algorithm}\t{mark}{need}\t{use.where}")
            if not use.gm and use.how_to_fix:
                self.stdout.write(f"\t改进：{use.how_to_fix}")
        missing = required_but_not_gm(uses, required_uses)
        if options["check"] and missing:
            raise CommandError("规则要求国密而未使用：" + "、".join(use.label for use in missing))
