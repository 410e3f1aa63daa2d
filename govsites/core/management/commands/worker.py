"""`govsites worker`: the task worker plus the periodic-job scheduler, in one process tree."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from typing import Any

from django.core.management.base import BaseCommand

from govsites.core import periodic


def _start_db_worker() -> subprocess.Popen[bytes]:
    """Start django-tasks-db's worker; a 0.1 s poll keeps approval-to-live well under 1 s."""
    return subprocess.Popen(
        [sys.executable, "-m", "govsites", "db_worker", "--no-startup-delay", "--interval", "0.1"])


class Command(BaseCommand):
    help = "运行后台任务处理进程（含定时任务调度），无需 cron。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tick", type=float, default=30.0,
                            help="调度器检查间隔（秒），默认 30")
        parser.add_argument("--no-scheduler", action="store_true", help="只处理队列，不调度定时任务")

    def handle(self, *args: Any, **options: Any) -> None:
        periodic.freeze()
        stop = threading.Event()
        worker = _start_db_worker()

        def _stop(*_: object) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        names = ", ".join(j.name for j in periodic.jobs()) or "（无）"
        self.stdout.write(f"后台任务进程已启动；定时任务：{names}")
        try:
            while not stop.is_set():
                if not options["no_scheduler"]:
                    for name in periodic.enqueue_due():
                        self.stdout.write(f"已加入队列：{name}")
                if worker.poll() is not None:
                    self.stderr.write("任务处理进程意外退出，正在重启……")
                    worker = _start_db_worker()
                stop.wait(options["tick"])
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
