"""TCP port helpers: is a port free, who holds it, and a free one for tests.

`lingxi up` uses fixed ports so URLs stay stable between runs; when one of them is taken we want
to name the culprit ("postgres (pid 812)") instead of letting the server die with a bind error
buried in its log.
"""

from __future__ import annotations

import contextlib
import errno
import socket

import psutil

from lingxi_common.runtime.errors import PortInUseError


def port_is_free(host: str, port: int) -> bool:
    """True when nothing listens on (or is bound to) host:port.

    Binding is the only reliable test: a connect() misses sockets that are bound but not yet
    listening, and a server on 0.0.0.0 also blocks 127.0.0.1. SO_REUSEADDR keeps sockets in
    TIME_WAIT from a previous run of our own servers from counting as "taken".
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def find_free_port(host: str = "127.0.0.1") -> int:
    """A port the kernel considers free right now (tests start their servers on it at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
    return port


def port_owner_pid(port: int) -> int | None:
    """Pid of the process listening on `port`, when the OS lets us see it."""
    with contextlib.suppress(psutil.Error, OSError):
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
                return conn.pid
    return None


def describe_process(pid: int) -> str:
    """'name (pid N)' or just 'pid N' when the process is gone or hidden from us."""
    try:
        return f"{psutil.Process(pid).name()} (pid {pid})"
    except psutil.Error:
        return f"pid {pid}"


def ensure_port_free(host: str, port: int, what: str, hint: str) -> None:
    """Raise PortInUseError naming the holder when host:port is taken."""
    if port_is_free(host, port):
        return
    pid = port_owner_pid(port)
    raise PortInUseError(host, port, what, describe_process(pid) if pid else None, hint)


def tcp_port_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when a TCP connection to host:port succeeds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
