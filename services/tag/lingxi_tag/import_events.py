"""``CustomerChanged`` for every customer an import created or changed, written to the outbox in bulk.

The points service opens members and the product service keeps its suitability projection from
these events, so an import must announce its changes exactly like ``UpsertCustomer`` does — in
the same transaction as the merge. A nightly extract can change hundreds of thousands of
customers, so the rows are built column-wise and COPYed into the outbox rather than emitted one
INSERT at a time; the relay cannot tell them apart from ``emit``'s rows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi_common.bus import HEADER_EVENT_ID, message_headers
from lingxi_common.contracts import event_subject
from lingxi_tag.import_stage import to_csv

OUTBOX_COLUMNS = ["id", "subject", "message_type", "payload", "headers"]


def _uuid4_strings(count: int) -> list[str]:
    """Random (version 4) UUIDs as text; ``uuid.uuid4()`` per row costs more than the COPY."""
    hexes = os.urandom(16 * count).hex()
    variants = "89ab"
    return [
        f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-{variants[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"
        for h in (hexes[i : i + 32] for i in range(0, 32 * count, 32))
    ]


def customer_changed_csv(records: Sequence[Any], *, created_fields: Sequence[str], job_id: str) -> bytes:
    """Outbox rows (CSV for COPY) announcing the merged customers.

    ``records`` carry customer_id, branch_id, advisor_id, version, risk_level,
    risk_assessment_expires_on, professional_investor, created and changed (field names).
    """
    sample = tag_events_pb2.CustomerChanged()
    subject = event_subject(sample)
    type_name = sample.DESCRIPTOR.full_name
    # Headers are the same JSON for every row but the event id (a UUID: no escaping needed).
    base = json.dumps({**message_headers(sample), HEADER_EVENT_ID: "\0"})
    head, tail = base.split('"\\u0000"')
    meta = event_meta_pb2.EventMeta(producer="tag", correlation_id=f"import:{job_id}", causation_id=job_id)
    meta.occurred_at.GetCurrentTime()
    # Protobuf merges repeated occurrences of a message field, so the parts shared by every event
    # (meta without its id, kind, the field list of created customers) are serialized once and
    # prefixed; the per-row part carries only what differs. Parsers see one merged message.
    created_prefix = tag_events_pb2.CustomerChanged(
        meta=meta, kind=tag_events_pb2.CHANGE_KIND_CREATED, changed_fields=list(created_fields)
    ).SerializeToString()
    updated_prefix = tag_events_pb2.CustomerChanged(
        meta=meta, kind=tag_events_pb2.CHANGE_KIND_UPDATED
    ).SerializeToString()
    ids = _uuid4_strings(len(records))
    payloads: list[str] = []
    headers: list[str] = []
    message = tag_events_pb2.CustomerChanged
    for event_id, record in zip(ids, records, strict=True):
        event = message(
            customer_id=record["customer_id"],
            branch_id=record["branch_id"],
            advisor_id=record["advisor_id"] or "",
            version=record["version"],
            risk_level=record["risk_level"] or 0,
            professional_investor=record["professional_investor"],
        )
        event.meta.event_id = event_id
        if not record["created"]:
            event.changed_fields.extend(record["changed"])
        expires = record["risk_assessment_expires_on"]
        if expires is not None:
            date = event.risk_assessment_expires_on
            date.year, date.month, date.day = expires.year, expires.month, expires.day
        prefix = created_prefix if record["created"] else updated_prefix
        payloads.append("\\x" + (prefix + event.SerializeToString()).hex())
        headers.append(f'{head}"{event_id}"{tail}')
    count = len(records)
    table = pa.table(
        {
            "id": pa.array(ids, pa.string()),
            "subject": pa.array([subject] * count, pa.string()),
            "message_type": pa.array([type_name] * count, pa.string()),
            "payload": pa.array(payloads, pa.string()),
            "headers": pa.array(headers, pa.string()),
        }
    )
    return to_csv(table)
