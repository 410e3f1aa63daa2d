"""`govsites restore ARCHIVE`: rebuild an empty installation from a backup, then verify it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govsites.deployment.archive import BackupError
from govsites.deployment.restore import restore_backup


class Command(BaseCommand):
    help = ("从备份恢复到新安装（空数据库）：校验 SM3，载入数据库、媒体文件与数据开放表，"
            "重新生成发布目录，然后校验审计链与防篡改清单。")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="备份文件（.tar，旁边须有 .tar.sm3 校验文件）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(archive=Path(options["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        meta = result.meta
        self.stdout.write(f"已从 {options['archive']}（{meta.created_at}，{meta.node}）恢复："
                          f"媒体文件 {result.media_files} 个，数据开放文件 {result.opendata_files} 个，"
                          f"重新发布 {result.published_files} 个文件")
        if result.manifest_differences:
            self.stdout.write(f"重新生成的发布文件与备份清单有 {len(result.manifest_differences)} 处不同"
                              "（程序版本不同时属正常）：")
            for line in result.manifest_differences[:20]:
                self.stdout.write(f"  {line}")
        else:
            self.stdout.write("重新生成的发布文件与备份时的清单完全一致。")
        self.stdout.write("审计链：" + (f"校验失败：{result.audit_problem}" if result.audit_problem
                                      else f"完好，含备份时的链头 {meta.audit_head.split(':')[0]}"))
        self.stdout.write("防篡改校验：" + (f"{result.guard_incidents} 处异常"
                                        if result.guard_incidents else "发布目录与清单一致"))
        if not result.ok:
            sys.exit(1)
