"""`govsites rotate_personal_data_keys`: re-seal every stored personal value with the current key."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsites.core import crypto, sealed


class Command(BaseCommand):
    help = ("用当前密钥（GOVSITES_PERSONAL_DATA_KEY_ID）重新加密全部个人信息（政民互动、依申请公开等）；"
            "可中断后重新运行，已使用当前密钥的记录不再处理")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="每批处理的记录数（默认 500）")

    def handle(self, *args: Any, batch: int, **options: Any) -> None:
        if batch < 1:
            raise CommandError("--batch 须为正整数")

        def progress(name: str, changed: int) -> None:
            self.stderr.write(f"  {name}：已重新加密 {changed} 条")

        try:
            result = sealed.rotate_keys(batch_size=batch, progress=progress)
        except ImproperlyConfigured as exc:
            raise CommandError(f"密钥配置有误：{exc}") from exc
        except crypto.SealedValueError as exc:
            raise CommandError(
                f"有记录无法用已配置的密钥解密（{exc}）：请先把封存它的旧密钥加回 "
                "GOVSITES_PERSONAL_DATA_KEYS，再运行本命令；已处理的批次保持不变") from exc
        labels = {entry.model._meta.label: entry.describe() for entry in sealed.registered()}
        parts = [f"{labels.get(label, label)} {count} 条"
                 for label, count in result["records"].items()]
        self.stdout.write(f"已重新加密：{'，'.join(parts) or '无'}（当前密钥 {result['key_id']}）")
