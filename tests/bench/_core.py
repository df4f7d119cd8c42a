"""The benchmark registry and what every benchmark is handed.

A benchmark is a module of this package that defines a module-level ``BENCHMARK``. Discovery
(rather than a hand-kept list) lets each later issue add its own module beside the others
without touching a shared file that several people edit at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import os
import pkgutil
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.bench._servers import Backends

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT_DIR = REPO_ROOT / "docs" / "benchmarks"
# One lock per machine (not per checkout): what competes for the cores is the machine.
LOCK_PATH = Path(tempfile.gettempdir()) / "lingxi-bench.lock"

# Exit codes: figures never fail a run, a broken correctness check (e.g. a duplicate) does.
EXIT_OK = 0
EXIT_CHECK_FAILED = 1


@dataclass(frozen=True)
class BenchContext:
    """Everything a benchmark needs from the runner: servers, where to write, how big to go."""

    backends: Backends
    output_dir: Path
    scale: float
    write: bool
    command: str
    # Sections a benchmark with named sections runs (``--only``); empty = all of them. A
    # benchmark without sections ignores it.
    sections: frozenset[str] = frozenset()

    def report_path(self, name: str) -> Path:
        return self.output_dir / f"{name}.md"


@dataclass(frozen=True)
class Benchmark:
    """One runnable benchmark: `run` measures, writes its report and returns an exit code."""

    name: str
    summary: str
    run: Callable[[BenchContext], Awaitable[int]]
    # Lower runs first when everything is run; the foundation comes before the services.
    order: int = 100


def discover(broken: dict[str, str] | None = None) -> dict[str, Benchmark]:
    """Every module of this package (not starting with `_`) that defines BENCHMARK, by name.

    A module that fails to import (someone's work in progress) must not stop the others from
    running: its error goes into `broken` (module name → error) when given, else it is raised.
    """
    found: dict[str, Benchmark] = {}
    package = importlib.import_module(__package__ or "tests.bench")
    for module_info in pkgutil.iter_modules(package.__path__):
        if module_info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        except Exception as error:
            if broken is None:
                raise
            broken[module_info.name] = f"{type(error).__name__}: {error}"
            continue
        benchmark = getattr(module, "BENCHMARK", None)
        if isinstance(benchmark, Benchmark):
            if benchmark.name in found:
                raise RuntimeError(f"two benchmarks are named {benchmark.name!r}")
            found[benchmark.name] = benchmark
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


@contextlib.contextmanager
def machine_lock(command: str) -> Iterator[None]:
    """Hold a machine-wide lock for one benchmark run; a second run waits for it.

    Two benchmarks on one machine take cores from each other and both report nonsense, and
    several people (and CI jobs) run `python -m tests.bench` on the same host. The lock is an
    flock, so the kernel releases it when the holder exits however it exits.
    """
    with LOCK_PATH.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            print(f"waiting for another benchmark run to finish ({holder}) …", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}: {command}\n")
        handle.flush()
        yield
