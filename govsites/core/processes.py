"""Child processes that must not outlive their parent (render children, the task runner)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux prctl), then make
    sure the parent has not died already (the request only covers deaths after it)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    exit_if_orphaned(parent_pid)


def exit_if_orphaned(parent_pid: int) -> None:
    """Stop at once when the parent is gone (where prctl is missing, call this often)."""
    if os.getppid() != parent_pid:
        os._exit(1)
