"""`govsites nginx-config`: write an nginx configuration for the published tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from govsites.publishing.nginx import NginxOptions, http_config, standalone_config


class Command(BaseCommand):
    help = "生成 nginx 配置：静态发布目录直接由 nginx 提供，动态路径转发到应用。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default="-", help="输出文件，默认标准输出")
        parser.add_argument("--upstream", default="127.0.0.1:8000", help="应用地址 host:port；多个应用节点用逗号分隔")
        parser.add_argument("--listen", default="80", help="nginx 监听，例如 80 或 127.0.0.1:8080")
        parser.add_argument("--hsts", type=int, default=0, metavar="SECONDS",
                            help="启用 HSTS 的 max-age（秒）；0 为不启用（仅在已启用 HTTPS 时设置）")
        parser.add_argument("--html-max-age", type=int, default=60)
        parser.add_argument("--tls-cert", default="")
        parser.add_argument("--tls-key", default="")
        parser.add_argument("--standalone", metavar="PREFIX", default=None,
                            help="生成完整的 nginx.conf（pid、日志、临时目录放在 PREFIX 下）")
        parser.add_argument("--workers", default="auto")
        parser.add_argument("--open-file-cache-valid", type=int, default=1, metavar="SECONDS",
                            help="nginx 缓存已发布文件句柄的秒数（重新发布的页面在此时间内生效）；0 为不缓存")
        parser.add_argument("--visits-log", default=None,
                            help="访问日志文件（访问统计从中导入；默认 GOVSITES_VISITS_LOG，空字符串为不记录）")

    def handle(self, *args: Any, **options: Any) -> None:
        opts = NginxOptions(upstream=options["upstream"], listen=options["listen"],
                            hsts_max_age=options["hsts"], html_max_age=options["html_max_age"],
                            tls_certificate=options["tls_cert"],
                            tls_certificate_key=options["tls_key"],
                            open_file_cache_valid=max(0, options["open_file_cache_valid"]),
                            visits_log=(settings.GOVSITES_VISITS_LOG if options["visits_log"] is None
                                        else options["visits_log"]))
        if options["standalone"]:
            prefix = Path(options["standalone"])
            for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (prefix / "temp" / sub).mkdir(parents=True, exist_ok=True)
            text = standalone_config(opts, prefix, workers=options["workers"])
        else:
            text = http_config(opts)
        if options["out"] == "-":
            self.stdout.write(text)
        else:
            Path(options["out"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"已写入 {options['out']}")
