"""`govsites visits import [FILE ...]`: count visit logs into the daily statistics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "访问统计：导入 nginx（或内置模式）的访问日志，含轮转和 gzip 压缩的旧日志；重复导入不重复计数。"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入访问日志")
        imp.add_argument("files", nargs="*", help="日志文件（默认：GOVSITES_VISITS_LOG 及其轮转文件）")

    def handle(self, *args: Any, **options: Any) -> None:
        from govsites.operations.ingest import import_logs, log_files

        paths = [Path(f) for f in options["files"]] or log_files()
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"找不到日志文件：{'、'.join(missing)}")
        if not paths:
            self.stdout.write("没有需要导入的访问日志。")
            return
        for result in import_logs(paths=paths):
            note = f"，跳过已导入的 {result.skipped_bytes} 字节" if result.skipped_bytes else ""
            bad = f"，格式不符 {result.malformed} 行" if result.malformed else ""
            unknown = f"，未登记网站 {result.unknown_site} 行" if result.unknown_site else ""
            self.stdout.write(f"{result.path}：新计入 {result.lines} 行{note}{bad}{unknown}")
