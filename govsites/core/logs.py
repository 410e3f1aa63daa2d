"""Logging for `make run` and servers: one line per event on the console, everything (with
tracebacks) in a log file under DATA_DIR/log/."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path
from typing import Any


class OneLineFormatter(logging.Formatter):
    """The message only, never a traceback (the file handler keeps those)."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            text = super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved
        return text.splitlines()[0] if text else text


class LogFileHandler(logging.handlers.WatchedFileHandler):
    """A file handler that creates its folder (and works with logrotate)."""

    def __init__(self, filename: str, **kwargs: Any) -> None:
        Path(filename).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(filename, delay=True, **kwargs)


def log_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """One line per finished task (INFO), or one error line with the traceback for the file."""
    logger = logging.getLogger("govsites.tasks")
    name = getattr(task_result.task, "name", "") or str(task_result.task)
    seconds = ""
    if task_result.started_at and task_result.finished_at:
        seconds = f"（{(task_result.finished_at - task_result.started_at).total_seconds():.2f} 秒）"
    if str(task_result.status).endswith("FAILED"):
        exc_info = sys.exc_info()
        logger.error("任务失败：%s%s", name, seconds, exc_info=exc_info if exc_info[0] else None)
    else:
        logger.info("任务完成：%s%s", name, seconds)
