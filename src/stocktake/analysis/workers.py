"""Which process executes an analysis run, and whether it is still alive: a run whose process died
(killed, crashed, the machine restarted) is recognised at once, not after its heartbeat goes stale."""

from __future__ import annotations

import os
import socket
from pathlib import Path


def _started(pid: int) -> str:
    """When the process started, in clock ticks since boot (Linux), so that a later process that
    reuses the id is not taken for it; empty where /proc is not available."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[19]


def worker_id() -> str:
    """This process: host, process id and start time."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_started(pid)}"


def worker_alive(worker: str) -> bool:
    """False when the worker ran on this host and its process is gone; True when it is alive, or
    ran elsewhere (then only its heartbeat tells)."""
    host, _, rest = worker.partition(":")
    pid_text, _, started = rest.partition(":")
    if not worker or host != socket.gethostname() or not pid_text.isdigit():
        return True
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, under another user
    return not started or _started(pid) in ("", started)
