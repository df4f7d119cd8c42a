"""`lingxi up` end to end with stand-in deployables, and its port-collision errors."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from lingxi_common.runtime import up
from lingxi_common.runtime.errors import PortInUseError
from lingxi_common.runtime.ports import ensure_port_free, find_free_port, port_is_free


@pytest.fixture
def held_port() -> Iterator[int]:
    """A loopback port held by this very process (a listening socket)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_port_in_use_error_names_port_owner_and_fix(held_port: int) -> None:
    assert not port_is_free("127.0.0.1", held_port)
    with pytest.raises(PortInUseError) as caught:
        ensure_port_free("127.0.0.1", held_port, "the embedded PostgreSQL", "Set DATABASE_URL instead.")
    message = str(caught.value)
    assert message.startswith(f"127.0.0.1:{held_port} is already in use by ")
    assert f"(pid {os.getpid()})" in message
    assert "the embedded PostgreSQL needs it. Set DATABASE_URL instead." in message
    assert caught.value.port == held_port


def test_up_refuses_a_taken_deployable_port(
    held_port: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(up, "deployable_ports", lambda name: [held_port])
    code = up.run_platform(tmp_path, demo_customers=0, only=["tag"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"127.0.0.1:{held_port} is already in use by" in out
    assert "the tag deployable needs it" in out


def test_up_refuses_a_taken_postgres_port(
    held_port: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("DATABASE_URL", "LINGXI_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(up, "deployable_ports", lambda name: [])
    monkeypatch.setattr(up, "EMBEDDED_POSTGRES_PORT", held_port)
    code = up.run_platform(tmp_path / "data", demo_customers=0, only=["tag"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"127.0.0.1:{held_port} is already in use" in out
    assert "DATABASE_URL" in out


def test_unknown_deployable_is_rejected() -> None:
    with pytest.raises(up.PlatformError, match="unknown deployables"):
        up.selected_deployables(["billing"])
    assert up.selected_deployables(["gateway", "tag"]) == ["tag", "gateway"]


_FAKE_PLATFORM = """
import sys
from pathlib import Path
from lingxi_common.runtime import up
from lingxi_common.runtime.supervisor import ProcessSpec

root = Path(sys.argv[1])
up.EMBEDDED_POSTGRES_PORT, up.EMBEDDED_NATS_PORT, up.EMBEDDED_NATS_MONITOR_PORT = map(int, sys.argv[2:5])
up.deployable_ports = lambda name: []
up.cli_argv = lambda *args: [sys.executable, "-c", f"print('one-shot', {args!r})"]
DEPLOYABLE = '''
import os, subprocess, sys, time
helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
names = ("DATABASE_URL", "NATS_URL", "LINGXI_ENVIRONMENT")
with open(sys.argv[1], "w") as f:
    f.write(" ".join(os.environ[name] for name in names))
time.sleep(300)
'''

def spec(name, env):
    marker = root / "markers" / name
    return ProcessSpec(name=name, argv=[sys.executable, "-c", DEPLOYABLE, str(marker)], env=env,
                       ready=marker.exists, ready_timeout=20)

up.deployable_spec = spec
(root / "markers").mkdir(parents=True, exist_ok=True)
sys.exit(up.run_platform(root / "data", demo_customers=0, only=None))
"""


class Output:
    """Collects a child's stdout lines on a thread so the test can wait for one."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert proc.stdout is not None
        stream = proc.stdout
        self._thread = threading.Thread(
            target=lambda: self.lines.extend(iter(stream.readline, "")), daemon=True
        )
        self._thread.start()

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in list(self.lines)):
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not printed; output so far:\n{''.join(self.lines)}")
            time.sleep(0.05)

    def text(self) -> str:
        return "".join(self.lines)


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_up_starts_everything_and_leaves_nothing_behind(tmp_path: Path) -> None:
    pg_port, nats_port, monitor_port = find_free_port(), find_free_port(), find_free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "NATS_URL"}}
    runner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(_FAKE_PLATFORM),
            str(tmp_path),
            str(pg_port),
            str(nats_port),
            str(monitor_port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    output = Output(runner)
    try:
        output.wait_for("Press Ctrl-C", timeout=45)
        text = output.text()
        assert "Lingxi is healthy — 8 deployables in" in text
        assert f"postgresql+asyncpg://lingxi@127.0.0.1:{pg_port}/lingxi" in text
        assert f"nats://127.0.0.1:{nats_port}" in text
        assert "token --role hq_operator" in text
        marker = (tmp_path / "markers" / "gateway").read_text().split()
        assert marker == [
            f"postgresql+asyncpg://lingxi@127.0.0.1:{pg_port}/lingxi",
            f"nats://127.0.0.1:{nats_port}",
            "development",
        ]
        logs = tmp_path / "data" / "logs"
        for name in ("migrate", "provision-streams", "tag", "gateway", "postgres", "nats"):
            assert (logs / f"{name}.log").exists(), name
        assert "one-shot ('migrate',)" in (logs / "migrate.log").read_text()

        descendants = psutil.Process(runner.pid).children(recursive=True)
        names = [proc.name() for proc in descendants]
        assert "nats-server" in names and "postgres" in names
        assert len(descendants) >= 2 + 7 * 2  # servers, deployables and their helpers

        # An embedded server that dies is brought back while the platform runs.
        nats_pid = next(proc.pid for proc in descendants if proc.name() == "nats-server")
        os.kill(nats_pid, signal.SIGKILL)
        output.wait_for("embedded NATS is back", timeout=15)
        descendants += psutil.Process(runner.pid).children(recursive=True)

        runner.send_signal(signal.SIGINT)
        assert runner.wait(timeout=30) == 0
        output.wait_for("no Lingxi process is left running", timeout=5)
        assert [proc for proc in descendants if _alive(proc)] == []
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
