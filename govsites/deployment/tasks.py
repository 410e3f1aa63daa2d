"""The scheduled backup: a periodic job of the worker when GOVSITES_BACKUP_DIR is set.

Its interval and the number of archives kept are rule parameters of RS-21 (容灾备份), so a
city's variant or an administrator can change them without code.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.tasks import task

from govsites.core import periodic

logger = logging.getLogger(__name__)


def retention() -> tuple[int, int]:
    """(hours between scheduled backups, archives kept): rule data (RS-21)."""
    from govsites.rules.resolve import value

    interval_hours = int(value("backup.interval_hours"))
    keep_count = int(value("backup.keep_count"))
    return interval_hours, keep_count


@task()
def scheduled_backup() -> str:
    """Write a backup into GOVSITES_BACKUP_DIR if the interval has passed; prune old ones."""
    from .backup import backups_in, create_backup, prune_backups

    folder = getattr(settings, "GOVSITES_BACKUP_DIR", "")
    if not folder:
        return "未设置 GOVSITES_BACKUP_DIR，跳过定时备份"
    interval_hours, keep_count = retention()
    existing = backups_in(Path(folder))
    if existing:
        age = dt.datetime.now(dt.UTC).timestamp() - existing[-1].stat().st_mtime
        if age < interval_hours * 3600 - 300:
            return f"距上次备份不足 {interval_hours} 小时，跳过"
    result = create_backup(out_dir=Path(folder))
    pruned = prune_backups(Path(folder), keep=keep_count)
    logger.info("已备份到 %s（%d 字节），删除旧备份 %d 份", result.path, result.size, len(pruned))
    return f"{result.path.name} {result.sm3}"


periodic.register("deployment.backup", every=dt.timedelta(hours=1), task=scheduled_backup,
                  description="定时备份（间隔与保留份数见规则 RS-21）")
