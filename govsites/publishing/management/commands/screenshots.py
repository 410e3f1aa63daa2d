"""`govsites screenshots --out DIR`: a PNG of each page type in both reading modes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("用无头 Chromium 截图：每种前台页面类型和错误页（标准模式和适老化·无障碍模式各一张），"
            "以及后台每类页面（登录页、菜单各页、表单与详情、各页面类型的编辑页）。")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default="screenshots", help="输出目录")
        parser.add_argument("--base", default=None,
                            help="已运行的站点地址（默认在本进程内临时启动）")

    def handle(self, *args: Any, **options: Any) -> None:
        from govsites.publishing.screenshots import run

        try:
            written, missing = run(Path(options["out"]), options["base"])
        except FileNotFoundError as exc:
            raise CommandError(f"缺少 {exc}：apt-get install chromium chromium-driver "
                               "fonts-noto-cjk") from exc
        for path in written:
            self.stdout.write(str(path))
        if missing:
            self.stderr.write("数据库中没有以下页面类型，未截图：" + "、".join(missing))
        self.stdout.write(f"共 {len(written)} 张截图，保存在 {options['out']}")
