"""govsites interaction_rotate_keys: re-seal every stored personal value with the current key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from govsites.interaction.keys import rotate_keys


class Command(BaseCommand):
    help = "用当前密钥（GOVSITES_INTERACTION_KEY_ID）重新加密政民互动中的全部个人信息"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=500, help="每批处理的记录数")

    def handle(self, *args: Any, batch: int, **options: Any) -> None:
        counts = rotate_keys(batch_size=batch)
        self.stdout.write(f"已重新加密：留言 {counts['enquiries']} 条，找错留言 "
                          f"{counts['error_reports']} 条（当前密钥 {counts['key_id']}）")
