"""Low-level child-process plumbing shared by the embedded servers and the supervisor.

Two promises matter for a developer's machine: a child never outlives the process that started
it (parent-death signal), and stopping a child also stops everything it spawned (a process group
per child, signalled as a whole).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

_PR_SET_PDEATHSIG = 1


def _load_prctl() -> Callable[..., int] | None:
    """Resolve libc's prctl once, in the parent: the forked child must not load libraries."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl: Callable[..., int] = libc.prctl
    except (OSError, AttributeError):
        return None
    return prctl


_PRCTL = _load_prctl()


def death_signal_preexec(sig: signal.Signals = signal.SIGTERM) -> Callable[[], None]:
    """A preexec_fn asking the kernel to send `sig` to the child when its parent dies.

    Without it a SIGKILLed `lingxi up` (or pytest) would leave PostgreSQL, NATS and services
    running and holding the fixed ports. The kernel ties the signal to the *thread* that forked,
    so long-lived children must be spawned from threads that live as long as the owner. The
    function runs between fork and exec, so it only calls the pre-resolved prctl and os
    functions. If the parent already died before prctl took effect, the child exits at once.
    """
    parent_pid = os.getpid()
    prctl = _PRCTL
    signum = int(sig)

    def _preexec() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
        if os.getppid() != parent_pid:
            os._exit(1)

    return _preexec


def _group_members(pgid: int) -> list[psutil.Process]:
    """Live (non-zombie) processes of a process group.

    Zombies are skipped: an orphaned grandchild that exited may stay a zombie until its new
    parent reaps it, but it holds no port, memory or file.
    """
    members = []
    for proc in psutil.process_iter(["status"]):
        try:
            if os.getpgid(proc.pid) == pgid and proc.info["status"] != psutil.STATUS_ZOMBIE:
                members.append(proc)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return members


def group_alive(pgid: int) -> bool:
    """True while any non-zombie process of group `pgid` runs."""
    return bool(_group_members(pgid))


def signal_group(pgid: int, sig: signal.Signals) -> None:
    """Send `sig` to a whole process group, ignoring a group that no longer exists."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def stop_process_group(
    proc: subprocess.Popen[bytes],
    *,
    first_signal: signal.Signals = signal.SIGTERM,
    grace: float = 10.0,
    signal_leader_only: bool = False,
    abort: threading.Event | None = None,
) -> int | None:
    """Stop a child started with start_new_session=True and every process in its group.

    Sends `first_signal` (to the leader only when it coordinates its own children, like the
    postmaster), waits up to `grace` seconds for the group to empty, then SIGKILLs what is left.
    `abort` (e.g. a second Ctrl-C) cuts the grace short. Returns the leader's exit code.
    """
    pgid = proc.pid
    if proc.poll() is None:
        if signal_leader_only:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(first_signal)
        else:
            signal_group(pgid, first_signal)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and not (abort is not None and abort.is_set()):
        if proc.poll() is not None and not group_alive(pgid):
            return proc.returncode
        time.sleep(0.05)
    signal_group(pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
    kill_deadline = time.monotonic() + 5
    while group_alive(pgid) and time.monotonic() < kill_deadline:
        time.sleep(0.05)
    return proc.returncode


def tail(path: Path, lines: int = 20) -> str:
    """The last `lines` lines of a log file, for error messages; empty when unreadable."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 64 * 1024))
            data = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(data.splitlines()[-lines:])


def indent(text: str, prefix: str = "    | ") -> str:
    """Prefix each line so a log excerpt stands apart from our own message."""
    return "\n".join(prefix + line for line in text.splitlines())


def open_log(path: Path, max_bytes: int = 20 * 1024 * 1024) -> int:
    """Open a log for appending (as an fd for a child's stdout/stderr), rotating it when large.

    One previous generation (`name.log.1`) is kept, which is enough for a development machine and
    keeps a crash-looping child from filling the disk.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        if path.stat().st_size > max_bytes:
            path.replace(path.with_name(path.name + ".1"))
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)


def pid_alive(pid: int) -> bool:
    """True when `pid` names a live, non-zombie process."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def live_owner(pid: int) -> int | None:
    """The parent of `pid` when it is a live Python process (another `lingxi up` or test run).

    A server whose parent is init, a subreaper (systemd, tini) or gone is an orphan of a killed
    run that we may shut down; one still parented by Python belongs to a live run we must not
    touch.
    """
    try:
        parent = psutil.Process(pid).parent()
        if parent is None or parent.pid <= 1 or parent.status() == psutil.STATUS_ZOMBIE:
            return None
        names = [parent.name(), *parent.cmdline()[:1]]
    except psutil.Error:
        return None
    return parent.pid if any("python" in Path(name).name for name in names) else None


def stop_orphan(pid: int, first_signal: signal.Signals, grace_seconds: float) -> None:
    """Stop a server left running by a killed earlier run: polite signal, wait, then SIGKILL."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, first_signal)
    deadline = time.monotonic() + grace_seconds
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if pid_alive(pid):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    while pid_alive(pid) and time.monotonic() < deadline + 5:
        time.sleep(0.05)
