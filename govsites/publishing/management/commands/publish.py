"""`govsites publish --all [--site S] [--jobs N]`: rebuild the published tree."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from govsites.publishing import services
from govsites.publishing.paths import publish_root
from govsites.publishing.rebuild import ProgressBar


class Command(BaseCommand):
    help = "重新生成静态发布文件（全部站点或指定站点）。日常发布由后台任务增量完成。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="重新生成全部页面")
        parser.add_argument("--site", action="append", default=[],
                            help="只生成该站点（Wagtail 主机名，可重复）")
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                            help="并行进程数，默认为 CPU 核数")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["all"] and not options["site"]:
            raise CommandError("请指定 --all 或 --site 主机名")
        site_ids = None
        if options["site"]:
            sites = list(Site.objects.filter(hostname__in=options["site"]))
            unknown = set(options["site"]) - {s.hostname for s in sites}
            if unknown:
                raise CommandError(f"未知站点：{', '.join(sorted(unknown))}")
            site_ids = [s.pk for s in sites]
        progress = None if options["no_progress"] else ProgressBar(self.stderr._out)
        result = services.rebuild_sites(acting_user=None, site_ids=site_ids,
                                        jobs=max(1, options["jobs"]), progress=progress)
        s = result.stats
        self.stdout.write(
            f"已发布到 {publish_root()}：{len(result.sites)} 个站点，{s.html_pages} 个页面，"
            f"写入 {s.files_written} 个文件，未变 {s.files_unchanged}，删除 {s.files_removed}，"
            f"用时 {result.seconds:.1f} 秒（{result.pages_per_second:.0f} 页/秒）")
        for error in s.errors[:20]:
            self.stderr.write(f"错误：{error}")
        if s.errors:
            raise CommandError(f"{len(s.errors)} 个目标生成失败")
