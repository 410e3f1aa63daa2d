"""`govsites search rebuild [--site S]`: rebuild the public search index with a progress bar."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsites.search import pipeline, selectors, services


class Command(BaseCommand):
    help = "站内搜索：rebuild 重建公开搜索索引（--site 只重建一个网站）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        rebuild = sub.add_parser("rebuild", help="从已发布的页面重建搜索索引")
        rebuild.add_argument("--site", help="网站域名、主机名或网站标识码")
        rebuild.add_argument("--jobs", type=int, default=pipeline.default_jobs(),
                             help="并行进程数：其余进程分词，本进程写索引（默认为 CPU 核数，至多 4；1 为单进程）")
        rebuild.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        site = None
        if options.get("site"):
            site = selectors.site_for_parameter(options["site"])
            if site is None:
                raise CommandError(f"没有网站“{options['site']}”：请给出域名、主机名或网站标识码")
        show = not options.get("no_progress")
        if options["jobs"] < 1:
            raise CommandError("--jobs 至少为 1")

        def progress(done: int, total: int) -> None:
            if not show:
                return
            width = 30
            filled = width * done // total if total else width
            sys.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            sys.stdout.flush()

        outcome = services.rebuild_index(acting_user=None, site=site, jobs=options["jobs"],
                                         progress=progress)
        if show:
            sys.stdout.write("\n")
        self.stdout.write(f"已索引 {outcome['indexed']} 条，移除 {outcome['dropped']} 条。")
