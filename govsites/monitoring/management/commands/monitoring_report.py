"""`govsites monitoring_report`: the monthly monitoring report of a site or of the cluster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "生成网站监测月报（HTML 和 PDF）：--site 域名或标识码，或 --cluster 生成站群月报。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--site", help="网站域名、政府网站标识码或名称")
        parser.add_argument("--cluster", action="store_true", help="站群月报（全部网站）")
        parser.add_argument("--month", required=True, help="月份 YYYY-MM")
        parser.add_argument("--html", dest="html_file", help="写出 HTML")
        parser.add_argument("--pdf", dest="pdf_file", help="写出 PDF")

    def handle(self, *args: Any, **options: Any) -> None:
        from govsites.monitoring import reports
        from govsites.sites import selectors as site_selectors

        try:
            month = dt.date.fromisoformat(options["month"] + "-01")
        except ValueError as exc:
            raise CommandError("月份格式应为 YYYY-MM") from exc
        if not options["html_file"] and not options["pdf_file"]:
            raise CommandError("请用 --html 或 --pdf 指定输出文件")
        profiles = list(site_selectors.all_sites())
        if options["cluster"]:
            html = reports.render_cluster_month(profiles, month.year, month.month)
        elif options["site"]:
            key = options["site"]
            match = [p for p in profiles if key in (p.domain, p.site_code, p.name)]
            if not match:
                raise CommandError(f"找不到网站“{key}”")
            html = reports.render_site_month(match[0], month.year, month.month)
        else:
            raise CommandError("请指定 --site 或 --cluster")
        if options["html_file"]:
            Path(options["html_file"]).write_text(html, encoding="utf-8")
        if options["pdf_file"]:
            reports.html_to_pdf(html, options["pdf_file"])
        self.stdout.write("月报已生成。")
