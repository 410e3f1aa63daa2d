"""`govsites inspect URL`: crawl a site and score it against the 2019 检查指标."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govsites.monitoring import netguard
from govsites.monitoring.crawler import CrawlStats
from govsites.monitoring.inspector import Inspector, crawl_config


class Command(BaseCommand):
    help = "按《政府网站与政务新媒体检查指标》检查一个网站（抓取、检查、评分），可输出 JSON、HTML、PDF 报告。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("url", help="网站首页地址")
        parser.add_argument("--max-pages", type=int, default=500, help="最多抓取页面数（默认 500）")
        parser.add_argument("--json", dest="json_file", help="写出 JSON 报告")
        parser.add_argument("--html", dest="html_file", help="写出 HTML 报告")
        parser.add_argument("--pdf", dest="pdf_file", help="写出 PDF 报告（WeasyPrint）")
        parser.add_argument("--per-host", type=int, default=None, help="每个主机的并发请求数")
        parser.add_argument("--delay", type=float, default=None, help="同一主机两次请求的间隔（秒）")
        parser.add_argument("--concurrency", type=int, default=None, help="总并发数")
        parser.add_argument("--as-of", help="检查基准日 YYYY-MM-DD（默认今天）")
        parser.add_argument("--variant", default=None, help="省级规则变体（data/variants/NAME.json 或文件路径）")
        parser.add_argument("--include-traditional", action="store_true",
                            help="同时抓取繁体页面（/zh-hant/ 下的副本；默认不抓取）")
        parser.add_argument("--no-platform", action="store_true", help="即使是平台网站也只按抓取结果判断")
        parser.add_argument("--no-store", "--no-record", dest="no_store", action="store_true",
                            help="不使用数据库：不识别平台网站、不保存检查结果、不开具整改单")
        parser.add_argument("--quiet", action="store_true", help="不显示进度")

    def _progress(self, stats: CrawlStats, queued: int) -> None:
        line = (f"\r已抓取 {stats.pages} 页，检查链接 {stats.checks} 个，发现错误 {stats.errors} 个，"
                f"队列 {queued}，用时 {stats.elapsed():.1f} 秒")
        sys.stderr.write(line)
        sys.stderr.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        from govsites.monitoring import reports, services
        from govsites.monitoring import selectors as monitoring_selectors
        from govsites.monitoring.labels import decided_by_label, rule_title
        from govsites.monitoring.platform import apply_platform_mode
        from govsites.monitoring.rulebook import RulebookError, load_rulebook

        as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else None
        use_database = not options["no_store"]
        if use_database:
            # An external site needs no database: without one, inspect it and say so.
            reason = monitoring_selectors.storage_unavailable_reason()
            if reason:
                use_database = False
                sys.stderr.write(f"{reason}。本次检查不使用数据库：按规则文件（全国默认或 --variant "
                                 "指定的变体）检查，不识别平台网站，不保存检查记录，不开具整改单。"
                                 "如需保存，请先运行 govsites migrate；"
                                 "不需要时可加 --no-store 省去此提示。\n")
        variant = options["variant"]
        if variant is None and not use_database:
            variant = ""  # the shipped files: the administrators' choices live in the database
        try:
            rulebook = load_rulebook(variant)
        except RulebookError as exc:
            raise CommandError(str(exc)) from exc
        config = crawl_config(options["url"], max_pages=options["max_pages"],
                              per_host_concurrency=options["per_host"], delay=options["delay"],
                              concurrency=options["concurrency"],
                              include_traditional=options["include_traditional"])
        inspector = Inspector(config, rulebook=rulebook, as_of=as_of,
                              on_progress=None if options["quiet"] else self._progress)
        import asyncio

        try:
            result = asyncio.run(inspector.run())
        except netguard.TargetNotAllowed as exc:
            raise CommandError(str(exc)) from exc
        if not options["quiet"]:
            sys.stderr.write("\n")
        profile = monitoring_selectors.site_for_url(result.target) if use_database else None
        if profile is not None and not options["no_platform"]:
            spec = rulebook.rule("site.unavailable")
            share = monitoring_selectors.uptime_share(
                profile, window_days=int(spec.param("window_days", 7))).share
            result = apply_platform_mode(result, profile, rulebook=rulebook, uptime_share=share)
        report = result.as_dict()
        if options["json_file"]:
            Path(options["json_file"]).write_text(
                json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        if options["html_file"] or options["pdf_file"]:
            html = reports.render_inspection_html(report)
            if options["html_file"]:
                Path(options["html_file"]).write_text(html, encoding="utf-8")
            if options["pdf_file"]:
                reports.html_to_pdf(html, options["pdf_file"])
        if profile is not None:
            inspection = services.record_inspection(result=result, site=profile)
            tickets = services.open_tickets(findings=result.findings,
                                            organisation=profile.host_organisation, site=profile,
                                            inspection=inspection, rulebook=rulebook,
                                            today=result.as_of)
            self.stdout.write(f"已保存检查记录 #{inspection.pk}，新开整改单 {len(tickets)} 张。")
        counts: dict[str, int] = {}
        for finding in result.findings:
            counts[finding.rule_id] = counts.get(finding.rule_id, 0) + 1
        self.stdout.write(f"抓取 {result.pages_crawled} 页，{result.pages_per_second:.0f} 页/秒。")
        for rule_id, n in sorted(counts.items()):
            self.stdout.write(f"  {rule_title(rule_id, rulebook)}（{rule_id}）：{n} 处")
        if result.not_checked:
            self.stdout.write(f"  未检查的链接：{len(result.not_checked)} 个（原因见报告）")
        for note in result.notes:
            self.stdout.write(f"  说明：{note}")
        verdict = result.verdict
        score = f"，{verdict.score:g} 分" if verdict.score is not None else ""
        basis = decided_by_label(verdict.decided_by, rulebook)
        self.stdout.write(f"结论：{verdict.label}{score}（{basis}。{verdict.decided_because}）")
        if verdict.bonus_eligible:
            self.stdout.write(f"扣分部分得分高于 {verdict.bonus_above:g} 分，可进入加分指标评审"
                              "（国家加分指标内容尚未获取，本平台未计算加分）。")
