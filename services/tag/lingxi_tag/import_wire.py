"""Protobuf wire format and outbox rows for whole columns at once (Arrow kernels, no row loop).

An import announces up to hundreds of thousands of changes per file. Building one protobuf
message per row in Python costs ~10 µs a row — more than PostgreSQL spends storing it — so the
events are assembled column-wise instead: every field is a binary column (tag byte, length, value)
and a message is the element-wise concatenation of its fields. Low-cardinality fields (dates,
enums, versions, changed-field lists) are encoded once per distinct value and gathered with
``take``. Parsers see ordinary messages: protobuf accepts fields in any order and merges repeated
occurrences of a message field, so parts shared by every event are serialized once as a prefix.

The outbox rows are written as PostgreSQL's binary COPY format (no hex text for ``bytea``, no CSV
parsing), and their ids are time-ordered UUIDs (version 7) so that the outbox primary key grows at
its right edge instead of touching a random leaf page per event.
"""

from __future__ import annotations

import os
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_EMPTY = pa.scalar(b"", pa.binary())
_HEX = np.frombuffer(b"".join(f"{i:02x}".encode() for i in range(256)), np.uint8).reshape(256, 2)
_VARINT_LIMIT = 1 << 14
_varints: pa.Array | None = None


def varint(value: int) -> bytes:
    out = bytearray()
    value &= (1 << 64) - 1  # negative int64 as protobuf does: ten bytes, two's complement
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _varint_table() -> pa.Array:
    """Varint bytes of 0 .. 2**14-1: lengths of fields, gathered by ``take``."""
    global _varints
    if _varints is None:
        _varints = pa.array([varint(n) for n in range(_VARINT_LIMIT)], pa.binary())
    return _varints


def key(field_number: int, wire_type: int) -> bytes:
    return varint(field_number << 3 | wire_type)


def as_binary(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array if pa.types.is_binary(array.type) else pc.cast(array, pa.binary())


def join(*parts: pa.Array | bytes) -> pa.Array:
    """Element-wise concatenation; a null part makes the row null, so parts use b"" for absent."""
    return pc.binary_join_element_wise(*parts, b"")


def length_delimited(field_number: int, values: pa.Array, *, keep_empty: bool = False) -> pa.Array:
    """Field ``field_number`` carrying each value (strings, bytes, serialized messages).

    Null values — and empty ones unless ``keep_empty`` (proto3 omits empty strings) — give b"".
    """
    values = as_binary(values)
    lengths = pc.binary_length(values)
    if (pc.max(lengths).as_py() or 0) >= _VARINT_LIMIT:
        raise ValueError("a field value longer than 16 KiB cannot be encoded column-wise")
    encoded = join(key(field_number, 2), pc.take(_varint_table(), lengths), values)
    present = pc.is_valid(values) if keep_empty else pc.fill_null(pc.greater(lengths, 0), False)
    return pc.if_else(present, encoded, _EMPTY)


def by_value(values: pa.Array | pa.ChunkedArray, encode: Callable[[Any], bytes]) -> pa.Array:
    """``encode`` applied once per distinct value (nulls included) and gathered for every row."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    distinct = pc.unique(values)
    encoded = pa.array([encode(value) for value in distinct.to_pylist()], pa.binary())
    return pc.take(encoded, pc.index_in(values, value_set=distinct))


# --- time-ordered event ids ---------------------------------------------------------------------

_clock_lock = threading.Lock()
_clock = [0, 0]  # last millisecond used, next counter value within it


def _reserve(count: int) -> tuple[int, int]:
    """A millisecond and a first counter value no earlier id of this process used."""
    with _clock_lock:
        now = time.time_ns() // 1_000_000
        if now > _clock[0]:
            _clock[0], _clock[1] = now, 0
        if _clock[1] + count >= 1 << 32:
            _clock[0], _clock[1] = _clock[0] + 1, 0
        start = _clock[1]
        _clock[1] += count
        return _clock[0], start


def uuid7(count: int) -> tuple[pa.Array, pa.Array]:
    """``count`` RFC 9562 version-7 UUIDs, increasing: (16-byte binary, 36-char text) columns.

    48 bits of Unix milliseconds, then a 32-bit counter (12 bits in ``rand_a``, 20 at the top of
    ``rand_b``) and 42 random bits: unique within the process by the counter, across processes by
    the random bits, and sorted, so a batch lands at the right edge of a B-tree.
    """
    millis, start = _reserve(count)
    raw = np.frombuffer(os.urandom(16 * count), np.uint8).reshape(count, 16).copy()
    counter = np.arange(start, start + count, dtype=np.uint64)
    raw[:, :6] = np.frombuffer(millis.to_bytes(6, "big"), np.uint8)
    high = (counter >> np.uint64(20)) & np.uint64(0xFFF)
    low = counter & np.uint64(0xFFFFF)
    raw[:, 6] = (0x70 | (high >> np.uint64(8))).astype(np.uint8)
    raw[:, 7] = (high & np.uint64(0xFF)).astype(np.uint8)
    raw[:, 8] = (0x80 | ((low >> np.uint64(14)) & np.uint64(0x3F))).astype(np.uint8)
    raw[:, 9] = ((low >> np.uint64(6)) & np.uint64(0xFF)).astype(np.uint8)
    raw[:, 10] = (((low & np.uint64(0x3F)) << np.uint64(2)).astype(np.uint8)) | (raw[:, 10] & 0x03)
    digits = _HEX[raw].reshape(count, 32)
    text = np.full((count, 36), ord("-"), np.uint8)
    for target, source in ((0, 0), (9, 8), (14, 12), (19, 16), (24, 20)):
        width = {0: 8, 20: 12}.get(source, 4)
        text[:, target : target + width] = digits[:, source : source + width]
    return fixed_width(raw), fixed_width(text)


def fixed_width(matrix: np.ndarray) -> pa.Array:
    """Rows of a 2-d uint8 matrix as a binary column (zero-copy offsets, one buffer)."""
    count, width = matrix.shape
    offsets = np.arange(0, width * (count + 1), width, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.binary(), count, [None, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(matrix))]
    )


def _int32_be(values: pa.Array) -> pa.Array:
    numbers = values.to_numpy(zero_copy_only=False).astype(">i4")
    return fixed_width(numbers.view(np.uint8).reshape(len(numbers), 4))


# --- outbox rows ---------------------------------------------------------------------------------

OUTBOX_COPY_COLUMNS = ["id", "subject", "message_type", "payload", "headers"]
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_COPY_TRAILER = struct.pack("!h", -1)


def _field(data: bytes) -> bytes:
    return struct.pack("!i", len(data)) + data


def outbox_copy(
    *,
    ids: pa.Array,
    id_texts: pa.Array,
    subject: str,
    message_type: str,
    payloads: pa.Array,
    headers_around_id: tuple[str, str],
) -> bytes:
    """Binary COPY input for the outbox columns ``OUTBOX_COPY_COLUMNS``, one row per payload.

    ``headers_around_id`` is the headers JSON before and after the event id (the only part of the
    headers that differs between rows); jsonb's binary input is a version byte and the text.
    """
    head, tail = (part.encode() for part in headers_around_id)
    before_id = struct.pack("!h", len(OUTBOX_COPY_COLUMNS)) + struct.pack("!i", 16)
    between = _field(subject.encode()) + _field(message_type.encode())
    headers_prefix = struct.pack("!i", 1 + len(head) + 36 + len(tail)) + b"\x01" + head
    rows = join(
        before_id,
        ids,
        between,
        _int32_be(pc.binary_length(payloads)),
        payloads,
        headers_prefix,
        id_texts,
        tail,
    )
    offsets = np.frombuffer(rows.buffers()[1], np.int32, len(rows) + 1, rows.offset * 4)
    body = rows.buffers()[2].to_pybytes()[offsets[0] : offsets[-1]]
    return _COPY_HEADER + body + _COPY_TRAILER
