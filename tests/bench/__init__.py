"""Benchmarks of Lingxi, run by `make bench` (`python -m tests.bench [name ...]`).

Speed and memory are measured here, not asserted in timed tests: a timing assertion is either so
loose it never fails or so tight it fails on a busy CI machine. Each benchmark is a module of
this package defining ``BENCHMARK`` (see `_core.py`); it measures on this machine and writes its
figures, dataset sizes, command and machine to ``docs/benchmarks/<name>.md``.
"""

from tests.bench._core import BenchContext, Benchmark, discover

__all__ = ["BenchContext", "Benchmark", "discover"]
