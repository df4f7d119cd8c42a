"""The stored form of a batch suitability decision: one record, every customer replayable.

A batch of a million customers used to store a million result rows, which cost far more than the
decision. Now a batch is one `suitability_batches` row: the product snapshot, rule version,
business date and audience reference in plain columns, and three compressed columnar payloads:

* `customer_ids` — the ids in evaluation order, UTF-8, newline-separated (ids never contain one);
* `customer_inputs` — per customer, exactly what the rules read: risk level (int8), flags (uint8:
  known, active, professional), assessment expiry as date ordinal (int32), projection version
  (int64), packed little-endian;
* `outcomes` — one bit per (reason, customer) in `reason_order`, `np.packbits` row by row; a
  customer is allowed when none of its bits is set.

Each payload is zlib level 1 (fast; ids and inputs compress 3-4×). `input_fingerprint` is SHA-256
over the three payloads plus product, rule version, purpose and date, so an audit can tell that
what it replays is what was stored. Replay decodes the inputs and runs the rules again.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from lingxi_product.suitability_rules import CustomerArrays, CustomerRisk

FORMAT = "columns-v1"
_LEVEL = 1
_INPUT = np.dtype([("risk_level", "i1"), ("flags", "u1"), ("expires", "<i4"), ("version", "<i8")])
_KNOWN, _ACTIVE, _PROFESSIONAL = 1, 2, 4


class CorruptPayload(ValueError):
    """A stored payload does not decode to the size recorded with the batch."""


def encode_ids(ids: Sequence[str]) -> bytes:
    text = "\n".join(ids)
    if text.count("\n") != max(len(ids) - 1, 0):
        raise ValueError("a customer id contains a line break")
    return zlib.compress(text.encode(), _LEVEL)


def decode_ids(blob: bytes, size: int) -> list[str]:
    ids = zlib.decompress(blob).decode().split("\n") if size else []
    if len(ids) != size:
        raise CorruptPayload(f"{len(ids)} customer ids stored for a batch of {size}")
    return ids


def encode_inputs(arrays: CustomerArrays, versions: npt.NDArray[np.int64]) -> bytes:
    packed = np.empty(len(arrays.risk_level), dtype=_INPUT)
    packed["risk_level"] = arrays.risk_level
    packed["flags"] = (
        arrays.known.astype(np.uint8) * _KNOWN
        | arrays.active.astype(np.uint8) * _ACTIVE
        | arrays.professional.astype(np.uint8) * _PROFESSIONAL
    )
    packed["expires"] = arrays.expires_ordinal
    packed["version"] = versions
    return zlib.compress(packed.tobytes(), _LEVEL)


def decode_inputs(blob: bytes, size: int) -> tuple[CustomerArrays, npt.NDArray[np.int64]]:
    raw = zlib.decompress(blob)
    if len(raw) != size * _INPUT.itemsize:
        raise CorruptPayload(f"customer inputs of {len(raw)} bytes for a batch of {size}")
    packed = np.frombuffer(raw, dtype=_INPUT)
    flags = packed["flags"]
    arrays = CustomerArrays(
        risk_level=packed["risk_level"].astype(np.int8),
        expires_ordinal=packed["expires"].astype(np.int32),
        professional=(flags & _PROFESSIONAL) != 0,
        active=(flags & _ACTIVE) != 0,
        known=(flags & _KNOWN) != 0,
    )
    return arrays, packed["version"].astype(np.int64)


def stack(masks: dict[int, npt.NDArray[np.bool_]], order: Sequence[int], size: int) -> npt.NDArray[np.bool_]:
    if not order:
        return np.zeros((0, size), dtype=np.bool_)
    return np.stack([masks[reason] for reason in order])


def encode_outcomes(stacked: npt.NDArray[np.bool_]) -> bytes:
    return zlib.compress(np.packbits(stacked, axis=1).tobytes(), _LEVEL)


def decode_outcomes(blob: bytes, reasons: int, size: int) -> npt.NDArray[np.bool_]:
    raw = np.frombuffer(zlib.decompress(blob), dtype=np.uint8)
    row_bytes = (size + 7) // 8
    if len(raw) != reasons * row_bytes:
        raise CorruptPayload(f"outcome bits of {len(raw)} bytes for {reasons} reasons × {size} customers")
    if reasons == 0:
        return np.zeros((0, size), dtype=np.bool_)
    return np.unpackbits(raw.reshape(reasons, row_bytes), axis=1, count=size).astype(np.bool_)


def fingerprint(
    payloads: Sequence[bytes], product: dict[str, Any], rule_version: str, purpose: int, on: date
) -> str:
    digest = hashlib.sha256()
    for payload in payloads:
        digest.update(len(payload).to_bytes(8, "little"))
        digest.update(payload)
    digest.update(json.dumps([product, rule_version, purpose, on.isoformat()], sort_keys=True).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredBatch:
    """A batch record decoded: ids, the inputs the rules read, and the stored outcome bits."""

    ids: list[str]
    arrays: CustomerArrays
    versions: npt.NDArray[np.int64]
    reason_order: list[int]
    outcomes: npt.NDArray[np.bool_]  # (reasons, customers)

    @property
    def allowed(self) -> npt.NDArray[np.bool_]:
        if not len(self.reason_order):
            return np.ones(len(self.ids), dtype=np.bool_)
        denied: npt.NDArray[np.bool_] = np.any(self.outcomes, axis=0)
        return ~denied

    def reasons_of(self, index: int) -> list[int]:
        return [self.reason_order[r] for r in np.flatnonzero(self.outcomes[:, index])]

    def customer(self, index: int) -> CustomerRisk:
        """The customer's inputs as the scalar rules take them (unknown: an empty profile)."""
        expires = int(self.arrays.expires_ordinal[index])
        return CustomerRisk(
            customer_id=self.ids[index],
            risk_level=int(self.arrays.risk_level[index]),
            expires_on=date.fromordinal(expires) if expires > 0 else None,
            professional=bool(self.arrays.professional[index]),
            active=bool(self.arrays.active[index]),
            version=int(self.versions[index]),
        )


def decode(row: Any) -> StoredBatch:
    size = int(row.evaluated)
    order = [int(r) for r in (row.reason_order or [])]
    arrays, versions = decode_inputs(row.customer_inputs, size)
    return StoredBatch(
        ids=decode_ids(row.customer_ids, size),
        arrays=arrays,
        versions=versions,
        reason_order=order,
        outcomes=decode_outcomes(row.outcomes, len(order), size),
    )
