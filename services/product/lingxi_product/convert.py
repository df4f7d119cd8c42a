"""Conversions between the wire types (Date, Decimal, Money, Timestamp) and Python values.

Every field-level conversion that can fail raises `InvalidArgument` naming the field, so a bad
request is refused with a message that points at what to fix.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from google.protobuf.timestamp_pb2 import Timestamp

from lingxi.common.v1 import date_pb2, decimal_pb2, event_meta_pb2
from lingxi_common.errors import InvalidArgument

RATIO_QUANTUM = Decimal("0.00000001")
PRICE_QUANTUM = Decimal("0.000001")


def to_date(value: date_pb2.Date, field: str) -> date | None:
    """None for the unset (all-zero) date; InvalidArgument for an impossible one."""
    if value.year == 0 and value.month == 0 and value.day == 0:
        return None
    try:
        return date(value.year, value.month, value.day)
    except ValueError as error:
        raise InvalidArgument(field, f"not a valid date ({error})") from error


def from_date(value: date | None) -> date_pb2.Date | None:
    return date_pb2.Date(year=value.year, month=value.month, day=value.day) if value else None


def to_decimal(value: decimal_pb2.Decimal, field: str) -> Decimal | None:
    """None for the empty string ("not known"); InvalidArgument for anything not a plain decimal."""
    return parse_decimal(value.value, field)


def parse_decimal(text: str, field: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise InvalidArgument(field, f"{text!r} is not a decimal number") from error
    if not number.is_finite() or "e" in text.lower():
        raise InvalidArgument(field, f"{text!r} is not a plain decimal number")
    return number


def from_decimal(
    value: Decimal | float | None, quantum: Decimal = RATIO_QUANTUM
) -> decimal_pb2.Decimal | None:
    """The wire form; floats (from NumPy) are quantised through their shortest repr first."""
    if value is None:
        return None
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    if not number.is_finite():
        return None
    return decimal_pb2.Decimal(value=str(number.quantize(quantum)))


def quantize(value: float | None, quantum: Decimal = RATIO_QUANTUM) -> Decimal | None:
    """A finite float as a Decimal for a NUMERIC column; NaN/inf mean "not enough data" (NULL)."""
    if value is None:
        return None
    number = Decimal(repr(float(value)))
    return number.quantize(quantum) if number.is_finite() else None


def money(amount: Decimal | None, currency: str = "CNY") -> decimal_pb2.Money | None:
    if amount is None:
        return None
    return decimal_pb2.Money(amount=str(amount), currency_code="" if currency == "CNY" else currency)


def timestamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value.astimezone(UTC))
    return stamp


def event_meta(correlation_id: str = "", causation_id: str = "") -> event_meta_pb2.EventMeta:
    meta = event_meta_pb2.EventMeta(
        event_id=str(uuid.uuid4()),
        producer="product",
        correlation_id=correlation_id,
        causation_id=causation_id,
    )
    meta.occurred_at.GetCurrentTime()
    return meta
