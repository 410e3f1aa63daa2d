"""`govsites sync [--verify]`: pull the published tree from object storage to this node."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govsites.deployment.storage import s3_configured
from govsites.deployment.treesync import sync_tree


class Command(BaseCommand):
    help = ("把对象存储中的发布目录同步到本节点：按发布清单拉取变化的文件（SM3 校验、逐个原子替换），"
            "删除清单中已没有的文件，更新退役地址映射；--verify 之后再做一次防篡改校验。")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--verify", action="store_true", help="同步后运行 guard verify")

    def handle(self, *args: Any, **options: Any) -> None:
        from govsites.publishing.nginx import write_retired_map

        if not s3_configured():
            raise CommandError("未配置对象存储（GOVSITES_S3_BUCKET）：单节点安装无需同步")
        report = sync_tree()
        map_changed = write_retired_map()
        self.stdout.write(f"已核对 {report.checked} 个文件：拉取 {len(report.fetched)} 个，"
                          f"删除 {len(report.deleted)} 个"
                          + ("，退役地址映射已更新" if map_changed else ""))
        for key in report.failed[:20]:
            self.stderr.write(f"同步失败：{key}")
        failed = bool(report.failed)
        if options["verify"]:
            from govsites.publishing import guard

            result = guard.verify()
            if result.incidents:
                self.stderr.write(f"防篡改校验发现 {len(result.incidents)} 处异常")
                failed = True
            else:
                self.stdout.write(f"防篡改校验通过：{result.checked_files} 个文件")
        if failed:
            sys.exit(1)
