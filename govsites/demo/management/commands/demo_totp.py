"""`govsites demo_totp USER`: print the current two-factor code of a demo account."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govsites.demo.loader import demo_usernames


class Command(BaseCommand):
    help = "显示演示账号当前的双因素验证码（仅限 govsites demo 创建的演示账号）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        from govsites.accounts import totp
        from govsites.accounts.models import TOTPDevice

        username = options["username"]
        if username not in demo_usernames():
            raise CommandError(f"“{username}”不是演示账号；真实账号请使用本人的验证器应用。")
        device = TOTPDevice.objects.filter(user__username=username,
                                           confirmed_at__isnull=False).first()
        if device is None:
            raise CommandError(f"演示账号“{username}”未启用双因素认证，登录时无需验证码。")
        self.stdout.write(totp.code_for(device.secret))
