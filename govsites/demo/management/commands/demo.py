"""`govsites demo`: build (or refresh) the 示例市 demo cluster. Safe to run repeatedly."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from govsites.demo.loader import load_cluster_spec, load_demo


class Command(BaseCommand):
    help = "加载演示站群（示例市人民政府及部门、县区网站），可重复运行。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000, help="本机访问端口（默认 8000）")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        def say(text: str) -> None:
            if not options["quiet"]:
                self.stdout.write(text)

        hints = load_demo(port=options["port"], say=say)
        password = load_cluster_spec()["demo_password"]
        self.stdout.write(self.style.SUCCESS("演示站群已就绪。"))
        self.stdout.write(f"后台：http://localhost:{options['port']}/admin/  演示账号（密码均为 {password}）：")
        for hint in hints:
            self.stdout.write(f"  {hint}")
        self.stdout.write("审核负责人、领导和管理员登录时需输入双因素验证码；演示环境可运行\n"
                          "  .venv/bin/govsites demo_totp <用户名>  获取当前验证码。")
