"""`govsites worker`: the task worker plus the periodic-job scheduler, in one process tree.

The task process (django-tasks-db's `db_worker`) runs under an id this command chooses and
heartbeats for (core/workers.py); it is killed by the kernel if this command dies. A task
whose process died is requeued: at once when this command sees its own child die, and by
any node's worker once a lost node's lease lapses.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand

from govsites.core import periodic, singleton, workers
from govsites.core.processes import die_with_parent

# The shipped poll interval of the task process: approval-to-live stays well under 1 s.
POLL_INTERVAL = "0.1"


def _start_db_worker(worker_id: str, verbosity: int) -> subprocess.Popen[bytes]:
    parent = os.getpid()
    return subprocess.Popen(
        [sys.executable, "-m", "govsites", "db_worker", "--no-startup-delay", "--no-reload",
         "--interval", POLL_INTERVAL, "--worker-id", worker_id, "--verbosity", str(verbosity)],
        preexec_fn=lambda: die_with_parent(parent))


class Command(BaseCommand):
    help = "运行后台任务处理进程（含定时任务调度），无需 cron。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tick", type=float, default=30.0,
                            help="调度器检查间隔（秒），默认 30")
        parser.add_argument("--no-scheduler", action="store_true", help="只处理队列，不调度定时任务")

    def handle(self, *args: Any, **options: Any) -> None:
        periodic.freeze()
        stop = threading.Event()
        verbosity = 0 if options["verbosity"] <= 1 else options["verbosity"]
        worker_id = workers.new_worker_id()
        workers.reap()  # tasks left RUNNING by a worker that died before we started
        worker = _start_db_worker(worker_id, verbosity)
        workers.take_lease(worker_id, worker.pid)

        def _stop(*_: object) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        names = ", ".join(j.name for j in periodic.jobs()) or "（无）"
        self.stdout.write(f"后台任务进程已启动；定时任务：{names}")
        # Only one worker on all nodes schedules (core/singleton.py); all of them run tasks.
        lock = None if options["no_scheduler"] else singleton.scheduler_lock()
        scheduling: bool | None = None
        next_tick = 0.0
        try:
            while not stop.is_set():
                if worker.poll() is not None:
                    self.stderr.write("任务处理进程意外退出，已将其未完成的任务重新排队，正在重启……")
                    workers.end_lease(worker_id)
                    workers.reap()
                    worker_id = workers.new_worker_id()
                    worker = _start_db_worker(worker_id, verbosity)
                    workers.take_lease(worker_id, worker.pid)
                workers.beat([worker_id])
                workers.reap()
                if time.monotonic() >= next_tick:
                    next_tick = time.monotonic() + options["tick"]
                    workers.prune_leases()
                    if lock is not None:
                        held = lock.acquire()
                        if held != scheduling:
                            scheduling = held
                            self.stdout.write("本进程负责定时任务调度" if held
                                              else "定时任务调度由其他节点负责")
                        if held:
                            for name in periodic.enqueue_due():
                                self.stdout.write(f"已加入队列：{name}")
                stop.wait(min(options["tick"], workers.heartbeat_seconds()))
        finally:
            if lock is not None:
                lock.release()
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            workers.end_lease(worker_id)
            workers.reap()
