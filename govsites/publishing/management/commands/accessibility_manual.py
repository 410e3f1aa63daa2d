"""`govsites accessibility_manual --site HOST CRITERION RESULT --evaluator NAME [--on DATE]`:
record an evaluator's result for one WCAG 2.0 success criterion on a site (PA-07); without a
criterion, list the site's latest manual results and the criteria still to evaluate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.models import Site


class Command(BaseCommand):
    help = ("登记网站某项 WCAG 2.0 成功准则的无障碍人工评测结果（pass 通过、fail 未通过、"
            "not_applicable 不适用）；不给准则时列出已登记的结果与待评测的准则。")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--site", required=True, help="网站主机名")
        parser.add_argument("criterion", nargs="?", default="", help="成功准则编号，如 1.2.2")
        parser.add_argument("result", nargs="?", default="",
                            help="pass、fail 或 not_applicable")
        parser.add_argument("--evaluator", default="", help="评测人或机构")
        parser.add_argument("--on", default="", help="评测日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--note", default="", help="说明")

    def handle(self, *args: Any, **options: Any) -> None:
        from govsites.publishing.accessibility import MANUAL_RESULTS, wcag20_criteria
        from govsites.publishing.selectors import manual_accessibility_results
        from govsites.publishing.services import record_manual_accessibility_check
        from govsites.sites.selectors import profile_for_site

        site = Site.objects.filter(hostname=options["site"]).first()
        profile = profile_for_site(site) if site is not None else None
        if profile is None:
            raise CommandError(f"没有主机名为 {options['site']} 的网站")
        if not options["criterion"]:
            results = manual_accessibility_results(profile)
            for number, criterion in wcag20_criteria().items():
                shown = MANUAL_RESULTS.get(results.get(number, ""), "待评测")
                self.stdout.write(f"{number}\t{criterion.level}\t{criterion.name}\t{shown}")
            return
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
            check = record_manual_accessibility_check(
                site=profile, criterion=options["criterion"], result=options["result"],
                checked_on=on, evaluator=options["evaluator"], note=options["note"],
                acting_user=None)
        except ValueError as exc:
            raise CommandError(f"评测日期应为 YYYY-MM-DD：{exc}") from exc
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已登记：{profile.name} {check.criterion} "
                          f"{MANUAL_RESULTS[check.result]}（{check.checked_on}，{check.evaluator}）")
