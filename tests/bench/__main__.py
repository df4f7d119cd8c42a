"""`python -m tests.bench [name ...]`: run the named benchmarks, or all of them.

The servers are started once for the whole run (embedded unless DATABASE_URL / NATS_URL are
set) and removed at the end whatever happens, so an interrupted run leaves nothing behind.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shlex
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.bench._core import (
    DEFAULT_OUTPUT_DIR,
    EXIT_CHECK_FAILED,
    EXIT_OK,
    REPO_ROOT,
    BenchContext,
    Benchmark,
    discover,
    machine_lock,
)
from tests.bench._servers import Backends


def _command_line(argv: Sequence[str]) -> str:
    """The command as a reader would retype it from the repository root."""
    python = Path(sys.executable)
    try:
        shown = str(python.relative_to(REPO_ROOT))
    except ValueError:
        shown = "python"
    return shlex.join([shown, "-m", "tests.bench", *argv])


def build_parser(names: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description="Measure Lingxi on this machine and write docs/benchmarks/<name>.md.",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(names)}")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply dataset sizes (e.g. 0.1 for a quick try; the report records the sizes used)",
    )
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR, help="where reports go")
    parser.add_argument("--no-write", action="store_true", help="print the figures only; write no report")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="SECTION[,SECTION]",
        help=(
            "run only these sections of a benchmark that has named sections (e.g. tag: import, index, "
            "ingestion, latency); its report keeps the other sections' stored figures"
        ),
    )
    return parser


def _keep_cancelling(task: asyncio.Task[int]) -> None:
    """SIGTERM (a CI cancel, `timeout`): cancel the run like Ctrl-C, so the servers and databases
    it started are removed instead of being left to the parent-death signal.

    Cancelled again every second until the task ends: on Python 3.11 `asyncio.wait_for`, which
    nats-py awaits for every message, loses a cancellation that coincides with its result.
    """
    if not task.done():
        task.cancel()
        asyncio.get_running_loop().call_later(1.0, _keep_cancelling, task)


async def _run(
    registry: dict[str, Benchmark], names: Sequence[str], args: argparse.Namespace, command: str
) -> int:
    worst = EXIT_OK
    main_task = asyncio.current_task()
    if main_task is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, _keep_cancelling, main_task)
    async with Backends() as backends:
        context = BenchContext(
            backends=backends,
            output_dir=args.output_dir,
            scale=args.scale,
            write=not args.no_write,
            command=command,
            sections=frozenset(
                part.strip() for value in args.only for part in value.split(",") if part.strip()
            ),
        )
        for name in names:
            print(f"=== benchmark {name}: {registry[name].summary}", flush=True)
            worst = max(worst, await registry[name].run(context))
    return worst


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    broken: dict[str, str] = {}
    registry = discover(broken)
    args = build_parser(list(registry)).parse_args(arguments)
    for module, error in broken.items():
        print(f"warning: benchmark module tests.bench.{module} cannot be imported: {error}")
    if args.list:
        for name, benchmark in registry.items():
            print(f"{name:<16} {benchmark.summary}")
        return EXIT_OK
    unknown = [name for name in args.names if name not in registry]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(registry)}")
        return 2
    if args.scale <= 0:
        print("--scale must be positive")
        return 2
    names = args.names or list(registry)
    # Warnings of the code under measurement stay visible, named by their logger.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    command = _command_line(arguments)
    try:
        with machine_lock(command):
            result = asyncio.run(_run(registry, names, args, command))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted; the servers and databases this run started have been removed")
        return 130
    # Running everything promised every benchmark; one that could not even be imported is a failure.
    return max(result, EXIT_CHECK_FAILED) if broken and not args.names else result


if __name__ == "__main__":
    sys.exit(main())
