"""`govsites guard verify [--restore] [--url BASE]`: 网页防篡改校验."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govsites.publishing.guard import verify

LABELS = {"modified": "被篡改", "injected": "被植入", "deleted": "被删除",
          "symlink": "符号链接（已拒绝）", "http_modified": "线上内容不符",
          "http_unavailable": "线上无法访问", "unfinished": "未完成的发布（可修复）",
          "stale_temp": "遗留临时文件"}


class Command(BaseCommand):
    help = "对照发布清单（SM3）检查静态文件和线上页面，发现篡改、植入和删除。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--restore", action="store_true",
                            help="从数据库重新生成被篡改或删除的文件，隔离被植入的文件")
        parser.add_argument("--url", default=None,
                            help="同时检查线上 HTTP 应答，例如 http://127.0.0.1:8080")

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify(restore=options["restore"], url=options["url"], acting_user=None)
        for inc in report.incidents + report.leftovers:
            self.stdout.write(f"{LABELS.get(inc.kind, inc.kind)}\t{inc.hostname}/{inc.path}"
                              + (f"\t{inc.found}" if inc.found else ""))
        for alert in report.alerts:
            self.stderr.write(f"告警：{alert}")
        if report.rebuilt_sites:
            self.stdout.write("已从数据库重新生成：" + "、".join(report.rebuilt_sites))
        self.stdout.write(
            f"检查文件 {report.checked_files} 个，线上地址 {report.checked_urls} 个，"
            f"异常 {len(report.incidents)} 个，已恢复 {len(report.restored)} 个，"
            f"已隔离 {len(report.quarantined)} 个，用时 {report.seconds:.1f} 秒")
        if report.alerts and not options["restore"]:
            raise CommandError("发布清单不可信；使用 --restore 从数据库重新生成（不会隔离文件）")
        if report.incidents and not options["restore"]:
            raise CommandError("发现异常文件；使用 --restore 恢复")
