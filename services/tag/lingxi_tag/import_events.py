"""``CustomerChanged`` / ``AccountChanged`` for every row an import created or changed, as outbox rows.

The points service opens members (and qualifies tiers by assets) and the product service keeps its
suitability projection from these events, so an import must announce its changes exactly like
``UpsertCustomer`` / ``UpsertAccount`` do — one event per changed row, in the same transaction as
the merge. A nightly extract can change hundreds of thousands of rows, so the events are built
column-wise (``import_wire``) from an Arrow table of the changes and COPYed into the outbox; the
relay cannot tell them apart from ``emit``'s rows.

Input columns (``changed`` holds the changed field names joined by ",", null for created rows):

- customers: customer_id, branch_id, advisor_id, version, risk_level, risk_assessment_expires_on,
  professional_investor, created, changed;
- accounts: account_id, customer_id, branch_id, advisor_id, account_type, total_assets,
  cash_balance, maintenance_ratio, previous_maintenance_ratio, contract_expires_on, as_of,
  created, changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from google.protobuf.message import Message

from lingxi.common.v1 import date_pb2, event_meta_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import customer_pb2
from lingxi_common.bus import HEADER_EVENT_ID, message_headers
from lingxi_common.contracts import event_subject
from lingxi_tag.import_wire import (
    OUTBOX_COPY_COLUMNS,
    by_value,
    join,
    key,
    length_delimited,
    outbox_copy,
    uuid7,
    varint,
)

OUTBOX_COLUMNS = OUTBOX_COPY_COLUMNS
_ACCOUNT_TYPE_NAMES = {
    customer_pb2.ACCOUNT_TYPE_CASH: "cash",
    customer_pb2.ACCOUNT_TYPE_MARGIN: "margin",
    customer_pb2.ACCOUNT_TYPE_FUND: "fund",
}


def _meta(job_id: str) -> event_meta_pb2.EventMeta:
    meta = event_meta_pb2.EventMeta(producer="tag", correlation_id=f"import:{job_id}", causation_id=job_id)
    meta.occurred_at.GetCurrentTime()
    return meta


def _headers(sample: Message) -> tuple[str, str]:
    """The headers JSON before and after the event id (a UUID: nothing to escape)."""
    base = json.dumps({**message_headers(sample), HEADER_EVENT_ID: "\0"})
    head, tail = base.split('"\\u0000"')
    return f'{head}"', f'"{tail}'


def _kind_prefix(created: pa.Array, created_prefix: bytes, updated_prefix: bytes) -> pa.Array:
    prefixes = pa.array([updated_prefix, created_prefix], pa.binary())
    return pc.take(prefixes, pc.cast(pc.fill_null(created, False), pa.int8()))


def _changed_fields(field_number: int, changed: pa.Array) -> pa.Array:
    def encode(names: str | None) -> bytes:
        if not names:
            return b""
        return b"".join(
            key(field_number, 2) + varint(len(name.encode())) + name.encode() for name in names.split(",")
        )

    return by_value(changed, encode)


def _date(field_number: int, values: pa.Array) -> pa.Array:
    def encode(day: dt.date | None) -> bytes:
        if day is None:
            return b""
        body = date_pb2.Date(year=day.year, month=day.month, day=day.day).SerializeToString()
        return key(field_number, 2) + varint(len(body)) + body

    return by_value(values, encode)


def _varint_field(field_number: int, values: pa.Array) -> pa.Array:
    return by_value(values, lambda v: key(field_number, 0) + varint(int(v)) if v else b"")


def _message(field_number: int, body: pa.Array) -> pa.Array:
    """A sub-message field; an empty body is still written when ``body`` is not null."""
    return length_delimited(field_number, body, keep_empty=False)


def _copy(message: Message, table: pa.Table, per_row: Sequence[pa.Array], prefix: pa.Array) -> bytes:
    ids, id_texts = uuid7(table.num_rows)
    meta_id = join(b"\x0a\x26\x0a\x24", id_texts)  # meta { event_id: <36 chars> }
    return outbox_copy(
        ids=ids,
        id_texts=id_texts,
        subject=event_subject(message),
        message_type=message.DESCRIPTOR.full_name,
        payloads=join(prefix, meta_id, *per_row),
        headers_around_id=_headers(message),
    )


def customer_changed_copy(table: pa.Table, *, created_fields: Sequence[str], job_id: str) -> bytes:
    """Binary COPY input for the outbox: one ``CustomerChanged`` per row of ``table``."""
    meta = _meta(job_id)
    created_prefix = tag_events_pb2.CustomerChanged(
        meta=meta, kind=tag_events_pb2.CHANGE_KIND_CREATED, changed_fields=list(created_fields)
    ).SerializeToString()
    updated_prefix = tag_events_pb2.CustomerChanged(
        meta=meta, kind=tag_events_pb2.CHANGE_KIND_UPDATED
    ).SerializeToString()
    column = table.column
    per_row = [
        length_delimited(2, column("customer_id")),
        length_delimited(3, column("branch_id")),
        length_delimited(4, column("advisor_id")),
        _changed_fields(6, column("changed")),
        _varint_field(7, column("version")),
        _varint_field(8, column("risk_level")),
        _date(9, column("risk_assessment_expires_on")),
        by_value(column("professional_investor"), lambda v: b"\x50\x01" if v else b""),
    ]
    prefix = _kind_prefix(column("created").combine_chunks(), created_prefix, updated_prefix)
    return _copy(tag_events_pb2.CustomerChanged(), table, per_row, prefix)


def account_changed_copy(table: pa.Table, *, created_fields: Sequence[str], job_id: str) -> bytes:
    """Binary COPY input for the outbox: one ``AccountChanged`` per row of ``table``.

    Carries what ``UpsertAccount`` carries: the owner (customer, branch, advisor), balances,
    maintenance ratio before and after, contract expiry, as-of and the account type.
    """
    meta = _meta(job_id)
    created_prefix = tag_events_pb2.AccountChanged(
        meta=meta, kind=tag_events_pb2.CHANGE_KIND_CREATED, changed_fields=list(created_fields)
    ).SerializeToString()
    updated_prefix = tag_events_pb2.AccountChanged(
        meta=meta, kind=tag_events_pb2.CHANGE_KIND_UPDATED
    ).SerializeToString()
    column = table.column
    owner = join(
        length_delimited(1, column("customer_id")),
        length_delimited(2, column("branch_id")),
        length_delimited(3, column("advisor_id")),
    )

    def as_of(value: dt.datetime | None) -> bytes:
        if value is None:
            return b""  # consumers fall back to meta.occurred_at, like for UpsertAccount's "now"
        stamp = tag_events_pb2.AccountChanged().as_of
        stamp.FromDatetime(value)
        body = stamp.SerializeToString()
        return key(11, 2) + varint(len(body)) + body

    def account_type(value: int | None) -> bytes:
        name = _ACCOUNT_TYPE_NAMES.get(value or 0, "")
        return key(12, 2) + varint(len(name)) + name.encode() if name else b""

    per_row = [
        _message(2, owner),
        length_delimited(3, column("account_id")),
        _changed_fields(5, column("changed")),
        _message(6, length_delimited(1, column("maintenance_ratio"))),
        _message(7, length_delimited(1, column("previous_maintenance_ratio"))),
        _date(8, column("contract_expires_on")),
        _message(9, length_delimited(1, column("total_assets"))),
        _message(10, length_delimited(1, column("cash_balance"))),
        by_value(column("as_of"), as_of),
        by_value(column("account_type"), account_type),
    ]
    prefix = _kind_prefix(column("created").combine_chunks(), created_prefix, updated_prefix)
    return _copy(tag_events_pb2.AccountChanged(), table, per_row, prefix)


def records_table(records: Sequence[Any], names: Sequence[str]) -> pa.Table:
    """asyncpg records as an Arrow table (for the few-row paths)."""
    return pa.table({name: [record[name] for record in records] for name in names})
