"""The supervisor: readiness gating, restart with back-off, and a shutdown that leaves nothing."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from lingxi_common.runtime.supervisor import Backoff, ChildState, ProcessSpec, Supervisor


def python(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


class Reports:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, message: str) -> None:
        self.lines.append(message)

    def text(self) -> str:
        return "\n".join(self.lines)


def test_crashing_child_is_restarted_with_growing_backoff(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    reports = Reports()
    backoff = Backoff(initial=0.2, factor=2.0, maximum=0.8, reset_after=60)
    with Supervisor(tmp_path / "logs", backoff=backoff, report=reports) as supervisor:
        ready = supervisor.start(
            ProcessSpec(
                name="crasher",
                argv=python(f"""
                    import sys, time
                    with open({str(starts)!r}, "a") as f:
                        f.write(f"{{time.monotonic()}}\\n")
                    print("boom: cannot connect", file=sys.stderr)
                    sys.exit(3)
                """),
                ready=lambda: False,
                ready_timeout=30,
            )
        )
        assert ready is False  # gave up waiting after two crashes, did not block for 30 s
        wait_for(lambda: len(starts.read_text().split()) >= 5, timeout=15)
        status = supervisor.status("crasher")
        assert status.last_exit_code == 3
        assert status.restarts >= 4
        assert status.state in {ChildState.BACKOFF, ChildState.RUNNING}

    times = [float(line) for line in starts.read_text().split()]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert 0.15 < gaps[0] < gaps[1] < gaps[2]  # 0.2 s, 0.4 s, 0.8 s (+ interpreter start)
    assert all(gap < 0.8 + 1.0 for gap in gaps)  # capped
    text = reports.text()
    assert "crasher exited with code 3" in text
    assert "crasher is crash-looping" in text
    assert "boom: cannot connect" in text  # the log tail reaches the console
    log = (tmp_path / "logs" / "crasher.log").read_text()
    assert log.count("boom: cannot connect") >= 5


def test_backoff_resets_after_stable_running(tmp_path: Path) -> None:
    backoff = Backoff(initial=0.1, factor=10.0, maximum=30, reset_after=0.3)
    with Supervisor(tmp_path / "logs", backoff=backoff, report=Reports()) as supervisor:
        supervisor.start(ProcessSpec(name="flaky", argv=python("import time; time.sleep(0.5)")))
        wait_for(lambda: supervisor.status("flaky").restarts >= 3, timeout=10)
        assert supervisor.status("flaky").consecutive_crashes <= 1


def test_backoff_policy() -> None:
    policy = Backoff(initial=1, factor=2, maximum=30)
    assert [policy.delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_ready_probe_gates_start(tmp_path: Path) -> None:
    marker = tmp_path / "ready"
    with Supervisor(tmp_path / "logs", report=Reports()) as supervisor:
        began = time.monotonic()
        ready = supervisor.start(
            ProcessSpec(
                name="slow",
                argv=python(f"""
                    import pathlib, time
                    time.sleep(0.4)
                    pathlib.Path({str(marker)!r}).touch()
                    time.sleep(60)
                """),
                ready=marker.exists,
                ready_timeout=10,
            )
        )
        assert ready is True
        assert time.monotonic() - began >= 0.4
        assert supervisor.status("slow").ready

        never = supervisor.start(
            ProcessSpec(
                name="never",
                argv=python("import time; time.sleep(60)"),
                ready=lambda: False,
                ready_timeout=0.5,
            )
        )
        assert never is False
        assert supervisor.status("never").state is ChildState.RUNNING


def test_shutdown_leaves_no_child_or_grandchild(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    stubborn_pids = tmp_path / "stubborn"
    reports = Reports()
    supervisor = Supervisor(tmp_path / "logs", report=reports)
    supervisor.start(
        ProcessSpec(
            name="parent",
            argv=python(f"""
                import os, subprocess, sys, time
                child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
                with open({str(pids)!r}, "w") as f:
                    f.write(f"{{os.getpid()}} {{child.pid}}")
                time.sleep(120)
            """),
            ready=lambda: pids.exists() and len(pids.read_text().split()) == 2,
        )
    )
    supervisor.start(
        ProcessSpec(
            name="stubborn",  # ignores SIGTERM: must be SIGKILLed after its grace period
            argv=python(f"""
                import os, signal, time
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                open({str(stubborn_pids)!r}, "w").write(str(os.getpid()))
                time.sleep(120)
            """),
            ready=stubborn_pids.exists,
            stop_timeout=0.5,
        )
    )
    parent_pid, grandchild_pid = (int(value) for value in pids.read_text().split())
    stubborn_pid = int(stubborn_pids.read_text())
    assert psutil.Process(grandchild_pid).ppid() == parent_pid

    began = time.monotonic()
    supervisor.stop()
    assert time.monotonic() - began < 5
    for pid in (parent_pid, grandchild_pid, stubborn_pid):
        assert gone(pid), f"pid {pid} is still running"
    # Stopped in reverse start order.
    stops = [line for line in reports.lines if line.startswith("stopping")]
    assert [line.split()[1] for line in stops] == ["stubborn", "parent"]


def test_run_once_returns_the_exit_code_and_logs(tmp_path: Path) -> None:
    with Supervisor(tmp_path / "logs", report=Reports()) as supervisor:
        assert supervisor.run_once(ProcessSpec(name="ok", argv=python("print('migrated')"))) == 0
        assert supervisor.run_once(ProcessSpec(name="bad", argv=python("raise SystemExit(4)"))) == 4
        with pytest.raises(TimeoutError):
            supervisor.run_once(
                ProcessSpec(name="hang", argv=python("import time; time.sleep(60)")), timeout=0.3
            )
    assert "migrated" in (tmp_path / "logs" / "ok.log").read_text()


def test_children_die_when_the_supervisor_is_killed(tmp_path: Path) -> None:
    """SIGKILL cannot be handled, so the parent-death signal has to stop the children."""
    child_pid_file = tmp_path / "child.pid"
    child_code = (
        f"import os, time; open({str(child_pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(120)"
    )
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from lingxi_common.runtime.supervisor import ProcessSpec, Supervisor
        marker = Path({str(child_pid_file)!r})
        supervisor = Supervisor(Path({str(tmp_path / "logs")!r}), report=lambda message: None)
        supervisor.start(ProcessSpec(
            name="orphan-to-be",
            argv=[sys.executable, "-c", {child_code!r}],
            ready=marker.exists,
        ))
        print("ready", flush=True)
        time.sleep(120)
    """)
    runner = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert runner.stdout is not None
        assert runner.stdout.readline().strip() == "ready"
        child_pid = int(child_pid_file.read_text())
        assert not gone(child_pid)
        os.kill(runner.pid, signal.SIGKILL)
        runner.wait(5)
        wait_for(lambda: gone(child_pid), timeout=5)
    finally:
        if runner.poll() is None:
            runner.kill()
