"""govsites hotline_results FILE: import the 12345 hotline's results (CSV or JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsites.interaction.error_reports import ImportRejected
from govsites.interaction.hotline import import_hotline_results


class Command(BaseCommand):
    help = ("导入12345热线反馈的留言办理结果（CSV 表头 query_code,ticket_number,result,replied_at，"
            "或同名字段的 JSON 数组）；有错误的文件整体不导入。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}。")
        try:
            outcome = import_hotline_results(data=path.read_bytes(), filename=path.name,
                                             acting_user=None)
        except ImportRejected as exc:
            raise CommandError("\n".join(["导入文件有错误，未导入任何结果：", *exc.lines])) from exc
        self.stdout.write(f"已记录 {outcome.recorded} 条办理结果，{outcome.unchanged} 条此前已记录。")
