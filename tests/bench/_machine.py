"""The machine a benchmark ran on, read from the machine itself.

Figures without the hardware and versions behind them cannot be compared with the next run, so
every report starts with this; nothing here is typed in by hand.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

from tests.bench._servers import Backends

# Client libraries whose versions change the figures (drivers, protocol stacks).
LIBRARIES = ("grpcio", "protobuf", "SQLAlchemy", "asyncpg", "nats-py", "opentelemetry-sdk")


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (platform.processor() is often empty on Linux)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Hardware", "cpu model") and value.strip():
                return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def library_versions() -> str:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return ", ".join(versions)


def describe_machine(backends: Backends, started_at: datetime) -> list[tuple[str, str]]:
    """(label, value) rows describing hardware, software and servers of this run."""
    memory = psutil.virtual_memory()
    usable_cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    settings = ", ".join(f"{key}={value}" for key, value in backends.postgres_settings.items())
    return [
        ("Date", started_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", cpu_model()),
        (
            "Cores",
            f"{psutil.cpu_count(logical=True)} logical, {psutil.cpu_count(logical=False) or '?'} physical, "
            f"{usable_cpus} usable by this process",
        ),
        ("RAM", f"{memory.total / 2**30:.1f} GiB"),
        ("Load average before measuring (1/5/15 min)", ", ".join(f"{v:.2f}" for v in os.getloadavg())),
        ("OS", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("PostgreSQL", f"{backends.postgres_version} — {backends.postgres_kind}; {settings}"),
        ("NATS", f"nats-server {backends.nats_version} — {backends.nats_kind}"),
        ("Libraries", library_versions()),
    ]


@dataclass(frozen=True)
class CpuSnapshot:
    """Cumulative CPU seconds at one instant: the whole machine, and this benchmark's processes."""

    at: float
    busy: float  # every CPU, every process: user + nice + system + irq + softirq
    steal: float  # taken by the hypervisor for other guests
    ours: float  # this process and its descendants (embedded servers, spawned services)


def _process_cpu(process: psutil.Process) -> float:
    """A process's own CPU plus that of its children it has reaped (exited PostgreSQL backends)."""
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def cpu_snapshot() -> CpuSnapshot:
    """Cheap enough to take between measurements, never during one (it walks our process tree)."""
    machine = psutil.cpu_times()
    busy = machine.user + machine.nice + machine.system
    busy += getattr(machine, "irq", 0.0) + getattr(machine, "softirq", 0.0)
    me = psutil.Process()
    ours = _process_cpu(me)
    for child in me.children(recursive=True):
        try:
            ours += _process_cpu(child)
        except psutil.Error:
            continue  # exited meanwhile; its time reaches its parent's children_* when reaped
    return CpuSnapshot(time.monotonic(), busy, getattr(machine, "steal", 0.0), ours)


@dataclass(frozen=True)
class CpuShare:
    """How the machine's CPU was spent between two snapshots.

    The figures are only as good as the machine was quiet: on a shared host another workload
    takes cores from the benchmark. `foreign` makes that visible instead of silently folding it
    into the results. Servers named by DATABASE_URL/NATS_URL on this host count as foreign.
    """

    label: str
    wall: float
    capacity: float  # wall × logical CPUs
    ours: float
    foreign: float
    steal: float

    @classmethod
    def between(cls, label: str, before: CpuSnapshot, after: CpuSnapshot) -> CpuShare:
        wall = after.at - before.at
        ours = after.ours - before.ours
        return cls(
            label=label,
            wall=wall,
            capacity=wall * (psutil.cpu_count() or 1),
            ours=ours,
            foreign=max(0.0, (after.busy - before.busy) - ours),
            steal=max(0.0, after.steal - before.steal),
        )

    def share(self, seconds: float) -> float:
        return seconds / self.capacity if self.capacity > 0 else 0.0
