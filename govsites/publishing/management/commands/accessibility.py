"""`govsites accessibility [--site HOST]`: which GB/T 37668 level's automated checks each site
passes (axe-core in headless Chromium over one page of each type; PA-07), and which level it
reaches with the manual results recorded by `govsites accessibility_manual`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


class Command(BaseCommand):
    help = ("按 GB/T 37668-2019 分级报告各网站的无障碍自动检查结果（axe-core，无头 Chromium；"
            "不能自动判断的指标列为需人工评测）。")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--site", default=None, help="只检查这个主机名的网站")

    def handle(self, *args: Any, **options: Any) -> None:
        from govsites.publishing.accessibility import axe_script_path, report_sites
        from govsites.publishing.liveserver import chromium_driver, live_app
        from govsites.publishing.screenshots import serving_settings

        sites = Site.objects.select_related("root_page").order_by("hostname")
        if options["site"]:
            sites = sites.filter(hostname=options["site"])
            if not sites:
                raise CommandError(f"没有主机名为 {options['site']} 的网站")
        if not axe_script_path().is_file():
            raise CommandError("缺少 axe-core：请在仓库根目录运行 npm ci")
        try:
            with tempfile.TemporaryDirectory(prefix="govsites-chromium-") as profile, \
                    serving_settings(), live_app() as address, \
                    chromium_driver(Path(profile)) as driver:
                reports = report_sites(driver, address.rsplit(":", 1)[1], list(sites))
        except FileNotFoundError as exc:
            raise CommandError(f"缺少 {exc}：apt-get install chromium chromium-driver") from exc
        for report in reports:
            self.stdout.write(f"{report.name}（{report.hostname}，检查 {len(report.pages)} 个页面）："
                              f"自动检查通过的最高级别：{report.highest_level or '无'}；"
                              f"含人工评测达到的级别：{report.level_reached or '无'}")
            for level in report.levels:
                self.stdout.write("  " + level.summary())
