"""A small process supervisor for `lingxi up`: start in order, restart on crash, stop cleanly.

Why not systemd, honcho or supervisord: `make run` must work with nothing but the project's venv,
and it needs things those tools do not combine — readiness probes that gate the next start,
back-off that resets after stable running, and a shutdown that provably leaves nothing behind.

Rules this module keeps:
  * every child gets its own session/process group, so Ctrl-C in the terminal reaches only the
    supervisor, which then stops children explicitly, in reverse start order, group by group
    (SIGTERM, a grace period, then SIGKILL) — grandchildren included;
  * every child gets a parent-death signal, so even a SIGKILLed supervisor leaves nothing behind;
  * stdout and stderr of a child go to `<log_dir>/<name>.log`; the console only gets one-line
    state changes, plus the tail of the log when a child starts crash-looping;
  * a crashed child is restarted after `Backoff.delay` (1 s, 2 s, 4 s … capped at 30 s); the
    count resets once the child has run stably for `Backoff.reset_after` seconds.

Restarts are spawned by the monitor thread, which lives until `stop()`: the kernel ties the
parent-death signal to the thread that forked, so no short-lived thread may spawn a child.
"""

from __future__ import annotations

import contextlib
import enum
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TextIO

from lingxi_common.runtime.processes import (
    death_signal_preexec,
    group_alive,
    indent,
    open_log,
    signal_group,
    stop_process_group,
    tail,
)

Reporter = Callable[[str], None]


class ShutdownRequested(Exception):
    """Raised inside a waiting call once Ctrl-C / SIGTERM asked the supervisor to stop."""


@dataclass(frozen=True)
class ProcessSpec:
    """What to run and how to tell that it is ready.

    `env` is laid over the supervisor's own environment. `ready` is polled until it returns
    True (exceptions count as "not yet"); None means "ready once started".
    """

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    ready: Callable[[], bool] | None = None
    ready_timeout: float = 60.0
    stop_timeout: float = 10.0
    cwd: Path | None = None


@dataclass(frozen=True)
class Backoff:
    """Exponential restart delay: initial * factor**(n-1), capped; reset after stable running."""

    initial: float = 1.0
    factor: float = 2.0
    maximum: float = 30.0
    reset_after: float = 60.0

    def delay(self, consecutive_crashes: int) -> float:
        exponent = max(0, consecutive_crashes - 1)
        return float(min(self.maximum, self.initial * self.factor**exponent))


class ChildState(enum.Enum):
    RUNNING = "running"
    BACKOFF = "backoff"  # crashed, waiting to be restarted
    STOPPED = "stopped"


@dataclass(frozen=True)
class ChildStatus:
    """A snapshot of one supervised child, for the console summary and for tests."""

    name: str
    pid: int | None
    state: ChildState
    ready: bool
    restarts: int
    consecutive_crashes: int
    last_exit_code: int | None
    log_path: Path


@dataclass
class _Child:
    spec: ProcessSpec
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    state: ChildState = ChildState.STOPPED
    ready: bool = False
    started_at: float = 0.0
    restarts: int = 0
    consecutive_crashes: int = 0
    last_exit_code: int | None = None
    next_start_at: float = 0.0
    next_probe_at: float = 0.0


def console_reporter(stream: TextIO | None = None) -> Reporter:
    """Timestamped one-line reports to stderr (or `stream`), safe to call from any thread."""
    lock = threading.Lock()

    def report(message: str) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        with lock:
            print(f"{stamp} {message}", file=stream or sys.stderr, flush=True)

    return report


class Supervisor:
    """Starts named children in order and keeps them running until `stop()`."""

    def __init__(
        self,
        log_dir: Path,
        *,
        backoff: Backoff | None = None,
        report: Reporter | None = None,
        poll_interval: float = 0.1,
        crash_loop_after: int = 3,
        ready_gives_up_after_crashes: int = 2,
    ) -> None:
        self.log_dir = Path(log_dir)
        self.backoff = backoff or Backoff()
        self.report = report or console_reporter()
        self.poll_interval = poll_interval
        self.crash_loop_after = crash_loop_after
        self.ready_gives_up_after_crashes = ready_gives_up_after_crashes
        self._children: dict[str, _Child] = {}
        self._lock = threading.RLock()
        self._stop_requested = threading.Event()
        self._force = threading.Event()
        self._closing = threading.Event()
        self._monitor: threading.Thread | None = None

    # -- public API -------------------------------------------------------------------------

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def request_stop(self) -> None:
        """Ask for shutdown (signal-handler safe). A second request cuts grace periods short."""
        if self._stop_requested.is_set():
            self._force.set()
        self._stop_requested.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop_requested.is_set()

    def wait_for_stop_request(self, timeout: float | None = None) -> bool:
        """Block until shutdown is requested (True) or `timeout` passes (False)."""
        return self._stop_requested.wait(timeout)

    def run_once(self, spec: ProcessSpec, timeout: float = 300.0) -> int:
        """Run a one-shot child (migrations, provisioning) to completion; return its exit code.

        Its output goes to its own log like any child; it is not restarted. A shutdown request
        stops it and raises ShutdownRequested; overrunning `timeout` stops it and raises
        TimeoutError.
        """
        child = _Child(spec=spec, log_path=self.log_path(spec.name))
        proc = self._popen(child)
        deadline = time.monotonic() + timeout
        try:
            while True:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    code = proc.wait(timeout=0.1)
                    if group_alive(proc.pid):
                        signal_group(proc.pid, signal.SIGKILL)
                    return code
                if self._stop_requested.is_set():
                    raise ShutdownRequested(spec.name)
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"{spec.name} did not finish within {timeout:.0f}s; see {child.log_path}"
                    )
        finally:
            if proc.poll() is None or group_alive(proc.pid):
                stop_process_group(proc, grace=spec.stop_timeout, abort=self._force)

    def start(self, spec: ProcessSpec) -> bool:
        """Start `spec` and wait until it is ready; keep supervising it either way.

        Returns False (after reporting why) when the child is not ready within its timeout or
        crashed `ready_gives_up_after_crashes` times first — the caller moves on and the monitor
        keeps restarting it with back-off, so a broken service cannot block the others.
        """
        if self._closing.is_set():
            raise ShutdownRequested(spec.name)
        began = time.monotonic()
        with self._lock:
            if spec.name in self._children:
                raise ValueError(f"a child named {spec.name!r} is already supervised")
            child = _Child(spec=spec, log_path=self.log_path(spec.name))
            self._children[spec.name] = child
            self._spawn(child)
        self._ensure_monitor()
        if spec.ready is None:
            child.ready = True
            return True
        deadline = began + spec.ready_timeout
        while True:
            if self._stop_requested.is_set():
                raise ShutdownRequested(spec.name)
            if child.ready or (child.state is ChildState.RUNNING and _probe(spec.ready)):
                child.ready = True
                self.report(f"✓ {spec.name} ready in {time.monotonic() - began:.1f}s")
                return True
            if child.consecutive_crashes >= self.ready_gives_up_after_crashes:
                self.report(
                    f"✗ {spec.name} crashed {child.consecutive_crashes} times before becoming ready; "
                    f"still restarting it with back-off — see {child.log_path}"
                )
                return False
            if time.monotonic() > deadline:
                self.report(
                    f"✗ {spec.name} not ready after {spec.ready_timeout:.0f}s; still supervising it — "
                    f"see {child.log_path}"
                )
                return False
            self._stop_requested.wait(0.1)

    def status(self, name: str) -> ChildStatus:
        with self._lock:
            child = self._children[name]
            return ChildStatus(
                name=name,
                pid=child.proc.pid if child.proc is not None and child.proc.poll() is None else None,
                state=child.state,
                ready=child.ready,
                restarts=child.restarts,
                consecutive_crashes=child.consecutive_crashes,
                last_exit_code=child.last_exit_code,
                log_path=child.log_path,
            )

    def statuses(self) -> list[ChildStatus]:
        with self._lock:
            names = list(self._children)
        return [self.status(name) for name in names]

    def stop(self) -> None:
        """Stop every child in reverse start order, whole process groups, nothing left running."""
        self._stop_requested.set()
        self._closing.set()
        if self._monitor is not None:
            self._monitor.join()
        with self._lock:
            children = list(self._children.values())
        for child in reversed(children):
            proc = child.proc
            if proc is None:
                continue
            if proc.poll() is None:
                self.report(f"stopping {child.spec.name} (pid {proc.pid})")
            stop_process_group(proc, grace=child.spec.stop_timeout, abort=self._force)
            child.state = ChildState.STOPPED
            child.ready = False

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- internals --------------------------------------------------------------------------

    def _popen(self, child: _Child) -> subprocess.Popen[bytes]:
        spec = child.spec
        log_fd = open_log(child.log_path)
        try:
            stamp = datetime.now().isoformat(timespec="seconds")
            header = f"\n===== {stamp} lingxi supervisor: starting {spec.name}: {' '.join(spec.argv)}\n"
            os.write(log_fd, header.encode())
            env = {**os.environ, "PYTHONUNBUFFERED": "1", **spec.env}
            return subprocess.Popen(  # noqa: S603 - argv comes from the runtime's own plan, no shell
                list(spec.argv),
                stdin=subprocess.DEVNULL,
                stdout=log_fd,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=spec.cwd,
                start_new_session=True,
                preexec_fn=death_signal_preexec(signal.SIGTERM),
            )
        finally:
            os.close(log_fd)

    def _spawn(self, child: _Child) -> None:
        """Start (or restart) a child; a failure to exec counts as a crash."""
        child.ready = False
        child.started_at = time.monotonic()
        child.next_probe_at = child.started_at + 0.5
        try:
            child.proc = self._popen(child)
        except OSError as error:
            child.proc = None
            self.report(f"✗ cannot start {child.spec.name}: {error}")
            self._after_exit(child, code=None, now=time.monotonic())
            return
        child.state = ChildState.RUNNING

    def _ensure_monitor(self) -> None:
        if self._monitor is None:
            self._monitor = threading.Thread(target=self._monitor_loop, name="lingxi-supervisor", daemon=True)
            self._monitor.start()

    def _monitor_loop(self) -> None:
        while not self._closing.wait(self.poll_interval):
            to_probe: list[_Child] = []
            with self._lock:
                now = time.monotonic()
                for child in self._children.values():
                    if self._closing.is_set():
                        return
                    self._tick(child, now)
                    if self._awaits_probe(child, now):
                        child.next_probe_at = now + 1.0
                        to_probe.append(child)
            for child in to_probe:
                if child.spec.ready is not None and _probe(child.spec.ready) and not child.ready:
                    child.ready = True
                    self.report(f"✓ {child.spec.name} is ready again (restart #{child.restarts})")

    @staticmethod
    def _awaits_probe(child: _Child, now: float) -> bool:
        """A restarted child not yet ready again is probed about once a second."""
        return (
            child.state is ChildState.RUNNING
            and not child.ready
            and child.restarts > 0
            and child.spec.ready is not None
            and now >= child.next_probe_at
        )

    def _tick(self, child: _Child, now: float) -> None:
        if child.state is ChildState.RUNNING and child.proc is not None:
            code = child.proc.poll()
            if code is None:
                if child.consecutive_crashes and now - child.started_at >= self.backoff.reset_after:
                    child.consecutive_crashes = 0
                return
            # Helpers the crashed child left in its group are useless now; clear them out.
            signal_group(child.proc.pid, signal.SIGKILL)
            self._after_exit(child, code, now)
        elif child.state is ChildState.BACKOFF and now >= child.next_start_at:
            child.restarts += 1
            self._spawn(child)

    def _after_exit(self, child: _Child, code: int | None, now: float) -> None:
        """Record an unexpected exit and schedule the restart."""
        ran_for = now - child.started_at
        if ran_for >= self.backoff.reset_after:
            child.consecutive_crashes = 0
        child.consecutive_crashes += 1
        child.last_exit_code = code
        child.ready = False
        delay = self.backoff.delay(child.consecutive_crashes)
        child.next_start_at = now + delay
        child.state = ChildState.BACKOFF
        name = child.spec.name
        how = f"exited with code {code}" if code is not None and code >= 0 else _describe_signal(code)
        self.report(f"{name} {how} after {ran_for:.1f}s; restarting in {delay:.0f}s")
        if child.consecutive_crashes == self.crash_loop_after:
            self.report(
                f"⚠ {name} is crash-looping ({child.consecutive_crashes} crashes in a row); "
                f"last lines of {child.log_path}:\n{indent(tail(child.log_path, 15))}"
            )


def _describe_signal(code: int | None) -> str:
    if code is None:
        return "could not be started"
    with contextlib.suppress(ValueError):
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


def _probe(check: Callable[[], bool]) -> bool:
    """Run a readiness check; any exception means "not ready yet"."""
    try:
        return bool(check())
    except Exception:
        return False
