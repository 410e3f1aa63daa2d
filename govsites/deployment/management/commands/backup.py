"""`govsites backup [--out DIR] [--keep N]`: write one consistent archive and its SM3 checksum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from govsites.deployment.archive import BackupError
from govsites.deployment.backup import create_backup, prune_backups


class Command(BaseCommand):
    help = ("备份：数据库（SQLite 在线备份或 pg_dump）、媒体文件、数据开放表、发布清单与审计链头，"
            "写成一个 tar 文件，旁边是它的 SM3 校验文件。")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default="", help="备份目录，默认 GOVSITES_BACKUP_DIR")
        parser.add_argument("--keep", type=int, default=0,
                            help="只保留最新的 N 份（默认不删除）")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = options["out"] or getattr(settings, "GOVSITES_BACKUP_DIR", "")
        if not folder:
            raise CommandError("请用 --out 指定备份目录（或设置 GOVSITES_BACKUP_DIR）")
        try:
            result = create_backup(out_dir=Path(folder))
            pruned = prune_backups(Path(folder), keep=options["keep"]) if options["keep"] else []
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        meta = result.meta
        self.stdout.write(f"已备份：{result.path}（{result.size} 字节）")
        self.stdout.write(f"SM3：{result.sm3}")
        self.stdout.write(f"审计链头：{meta.audit_head}；发布文件 {meta.published_files} 个，"
                          f"媒体文件 {meta.media_files} 个，数据开放文件 {meta.opendata_files} 个")
        for path in pruned:
            self.stdout.write(f"已删除旧备份：{path.name}")
