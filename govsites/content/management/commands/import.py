"""`govsites import FILE.jsonl --site S --column C`: migrate items from an old site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from govsites.content.exceptions import ImportRefused
from govsites.content.imports import ImportFileInvalid, resolve_column
from govsites.content.imports.runs import rollback_import, run_import, runs_of_file
from govsites.sites.models import SiteProfile


def find_site(ref: str) -> SiteProfile:
    """Find a registered site by domain, 标识码, Wagtail hostname or name."""
    for lookup in ("domain", "site_code", "site__hostname", "name"):
        found = SiteProfile.objects.filter(**{lookup: ref}).select_related("site").first()
        if found:
            return found
    raise CommandError(f"找不到网站“{ref}”（可用英文域名、网站标识码或网站名称）")


class Command(BaseCommand):
    help = ("批量导入信息（整合迁移）：先校验全部记录，任何一条有误则不导入；再分批写入，"
            "中断后重新运行同一文件可继续；--rollback 撤销该文件的导入；重复导入按 external_id 更新。")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="JSON Lines 文件，每行一条信息")
        parser.add_argument("--site", required=True, help="目标网站：域名、标识码或名称")
        parser.add_argument("--column", help="默认栏目：路径（如 xxgk/zcwj）、栏目名称或编号")
        parser.add_argument("--user", help="以该用户名记录操作人（默认：系统）")
        parser.add_argument("--rollback", action="store_true",
                            help="撤销该文件最近一次（已完成或未完成的）导入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        site = find_site(options["site"])
        root = site.site.root_page
        column = None
        if options.get("column"):
            try:
                column = resolve_column(root, options["column"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        user = None
        if options.get("user"):
            from django.contrib.auth import get_user_model

            user = get_user_model()._default_manager.filter(
                username=options["user"]).first()
            if user is None:
                raise CommandError(f"用户“{options['user']}”不存在")
        if options["rollback"]:
            self._rollback(path, root, user)
            return
        self.stdout.write(f"正在校验 {path.name} ……")

        def progress(n: int, total: int, record: Any) -> None:
            if n == 1:
                self.stdout.write(f"校验通过：{total} 条记录，开始导入到“{site.name}”……")
            if n == total or n % 500 == 0:
                self.stdout.write(f"  [{n}/{total}] {record.title[:40]}")

        try:
            run = run_import(path=path, site_root=root, default_column=column, acting_user=user,
                             progress=progress)
        except ImportFileInvalid as exc:
            for line, message in exc.errors:
                where = f"第 {line} 行" if line else "文件"
                self.stderr.write(f"{where}：{message}")
            raise CommandError(f"校验未通过：{len(exc.errors)} 处错误，未导入任何记录。") from exc
        except ImportRefused as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"导入完成（批次 {run.pk}）：新建 {run.created} 条，更新 {run.updated} 条，"
            f"未变化 {run.unchanged} 条，"
            f"暂缓发布 {len(run.held)} 条。"))
        for line, title, reason in run.held:
            self.stdout.write(self.style.WARNING(f"  第 {line} 行《{title}》未发布：{reason}"))

    def _rollback(self, path: Path, root: Any, user: Any) -> None:
        from govsites.content.choices import ImportRunState

        run = (runs_of_file(site_root=root, path=path)
               .filter(state__in=[ImportRunState.RUNNING, ImportRunState.DONE]).first())
        if run is None:
            raise CommandError(f"没有可撤销的导入：文件“{path.name}”未导入到该网站，或已撤销。")
        try:
            rollback_import(run=run, acting_user=user)
        except ImportRefused as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"已撤销批次 {run.pk}：删除其新建的 {run.created} 条，恢复其更新的 {run.updated} 条。"))
