"""Operator tools for dead letters: list what consumers gave up on, and replay a message.

Replay publishes the original payload and headers (including its `Lingxi-Event-Id`) on the
original subject, so consumers that already applied it skip it and the one that failed retries.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from nats.js.errors import NotFoundError

from lingxi_common.bus import HEADER_EVENT_ID, HEADER_TYPE, Bus
from lingxi_common.consumer import (
    HEADER_DLQ_CONSUMER,
    HEADER_DLQ_DELIVERIES,
    HEADER_DLQ_ERROR,
    HEADER_DLQ_SUBJECT,
    replay_dead_letter,
)
from lingxi_common.settings import CommonSettings, load_settings

DLQ_STREAM = "DEAD_LETTERS"


async def dead_letters(
    bus: Bus, *, consumer: str | None = None, limit: int = 100
) -> AsyncIterator[dict[str, object]]:
    """Dead letters in stream order, optionally of one consumer."""
    info = await bus.js.stream_info(DLQ_STREAM)
    seq, shown = int(info.state.first_seq), 0
    last = int(info.state.last_seq)
    while seq <= last and shown < limit:
        try:
            stored = await bus.js.get_msg(DLQ_STREAM, seq=seq)
        except NotFoundError:
            seq += 1
            continue
        headers = dict(stored.headers or {})
        if consumer is None or headers.get(HEADER_DLQ_CONSUMER) == consumer:
            shown += 1
            yield {
                "seq": seq,
                "consumer": headers.get(HEADER_DLQ_CONSUMER),
                "subject": headers.get(HEADER_DLQ_SUBJECT),
                "type": headers.get(HEADER_TYPE),
                "event_id": headers.get(HEADER_EVENT_ID),
                "deliveries": headers.get(HEADER_DLQ_DELIVERIES),
                "error": headers.get(HEADER_DLQ_ERROR),
            }
        seq += 1


async def _with_bus(action: str, consumer: str | None, seqs: list[int], limit: int) -> int:
    settings = load_settings(CommonSettings)
    bus = Bus(settings.nats_servers, name="lingxi-dlq")
    await asyncio.wait_for(bus.connect(), timeout=10)
    try:
        if action == "list":
            async for entry in dead_letters(bus, consumer=consumer, limit=limit):
                print(json.dumps(entry, ensure_ascii=False))
        else:
            for seq in seqs:
                subject = await replay_dead_letter(bus, seq, dlq_stream=DLQ_STREAM)
                print(f"replayed dead letter {seq} to {subject}")
    finally:
        await bus.close()
    return 0


def run_cli(action: str, consumer: str | None, seqs: list[int], limit: int) -> int:
    return asyncio.run(_with_bus(action, consumer, seqs, limit))
