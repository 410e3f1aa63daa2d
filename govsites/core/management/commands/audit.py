"""`govsites audit verify|head|tail`: check and read the SM3-chained audit trail."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from govsites.core import audit
from govsites.core.audit_actions import label_for
from govsites.core.models import AuditChainHead, AuditRecord


class Command(BaseCommand):
    help = "审计日志：verify 校验 SM3 链（完好退出码 0，有问题 1）；head 输出链头；tail 列出最近记录"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="校验整条审计链，报告第一处被修改、删除或插入的记录")
        verify.add_argument("--expect", action="append", default=[], metavar="SEQ:HASH",
                            help="另行保存的链头（可多次给出），须仍在链中")
        sub.add_parser("head", help="输出链头（序号:摘要），供异地留存")
        tail = sub.add_parser("tail", help="列出最近的审计记录")
        tail.add_argument("-n", type=int, default=20, help="条数（默认 20）")

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        if subcommand == "verify":
            self._verify(options["expect"])
        elif subcommand == "head":
            self._head()
        else:
            self._tail(options["n"])

    def _verify(self, anchors: list[str]) -> None:
        chained = audit.chain_pending()
        if chained:
            self.stdout.write(f"已先将 {chained} 条待链记录链入。")
        problem = audit.verify_chain()
        if problem is not None:
            self.stderr.write(f"审计链校验失败：{problem.message}（kind={problem.kind}, seq={problem.seq}）")
            sys.exit(1)
        for anchor in anchors:
            seq_text, _sep, digest = anchor.partition(":")
            if not seq_text.isdigit() or not digest or not audit.chain_contains(int(seq_text),
                                                                               digest):
                self.stderr.write(f"审计链校验失败：留存的链头 {anchor} 不在链中，链可能被整体改写")
                sys.exit(1)
        count = AuditRecord.objects.exclude(seq=None).count()
        self.stdout.write(f"审计链完好：共 {count} 条记录。")

    def _head(self) -> None:
        audit.chain_pending()
        head = AuditChainHead.objects.filter(pk=1).first()
        if head is None:
            self.stdout.write(f"0:{audit.GENESIS}")
            return
        self.stdout.write(f"{head.last_seq}:{head.last_hash}")

    def _tail(self, n: int) -> None:
        audit.chain_pending()
        for r in reversed(list(AuditRecord.objects.order_by("-seq")[:max(n, 0)])):
            when = timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M:%S")
            who = r.actor_name or "系统"
            self.stdout.write(f"#{r.seq} {when} {who} {label_for(r.action)}（{r.action}）"
                              f" {r.object_type} {r.object_repr}")
