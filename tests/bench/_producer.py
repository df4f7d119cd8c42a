"""A producing service for the latency benchmark, in a process of its own.

`python -m tests.bench._producer …` commits one event per transaction at a fixed rate with its
own `OutboxRelay` running, as a producing service would. Keeping it out of the consuming process
matters: a single-event transaction costs about a millisecond of Python CPU, so at hundreds per
second a producer in the consumer's event loop would make the benchmark measure its own CPU
contention instead of the event path.

Protocol with the parent: after the last commit it prints one JSON line
{"warmup": {event_id: commit_time}, "sent": {event_id: commit_time}} (Unix seconds), keeps
relaying until its stdin closes, then exits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from collections.abc import Sequence

from lingxi_common.bus import Bus
from lingxi_common.db import create_engine, session_factory
from lingxi_common.outbox import OutboxRelay, emit
from lingxi_tag.models import outbox
from tests.bench._messaging import RELAY_POLL_INTERVAL, customer_changed, paced


async def produce(args: argparse.Namespace) -> None:
    engine = create_engine(args.database_url, application_name="lingxi-bench-producer")
    sessions = session_factory(engine)
    bus = Bus([url.strip() for url in args.nats_url.split(",")], name="lingxi-bench-producer")
    await bus.connect()
    relay = OutboxRelay(
        engine, outbox, bus, database_url=args.database_url, poll_interval=RELAY_POLL_INTERVAL
    )
    relay_task = asyncio.create_task(relay.run(), name="producer-relay")

    async def commit_one(index: int) -> tuple[str, float]:
        async with sessions() as session, session.begin():
            event_id = await emit(session, outbox, customer_changed(index), subject=args.subject)
        return str(event_id), time.time()

    try:
        await asyncio.sleep(0.3)  # the relay's LISTEN connection, so the first commits wake it
        warmup = await paced(args.rate, args.warmup, commit_one)
        await asyncio.sleep(1.0)  # let the warm-up drain before the measured events start
        sent = await paced(args.rate, args.count, commit_one)
        sys.stdout.write(json.dumps({"warmup": warmup, "sent": sent}) + "\n")
        sys.stdout.flush()
        # Keep relaying until the parent has seen every event and closes our stdin.
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    finally:
        relay_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relay_task
        await bus.close()
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench._producer")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--nats-url", required=True)
    parser.add_argument("--subject", required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--warmup", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    asyncio.run(produce(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
