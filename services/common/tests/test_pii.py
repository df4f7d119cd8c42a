"""PII never leaves a process unmasked by accident, and is unreadable at rest without the key."""

import base64
import json
import logging
import os

import pytest
from opentelemetry import trace

from lingxi_common.logs import JsonFormatter
from lingxi_common.pii import PiiCipher, mask_id_number, mask_phone, mask_text


def test_masks() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("110101199003071234") == "1101**********1234"
    text = "call 13812345678 about id 11010119900307123X, openid oAbCdEfGhIjKlMnOpQrStUvWx"
    masked = mask_text(text)
    assert "13812345678" not in masked and "138****5678" in masked
    assert "11010119900307123X" not in masked and "123X" in masked
    assert "oAbCdEfGhIjKlMnOpQrStUvWx" not in masked


def test_encryption_round_trip_and_context_binding() -> None:
    cipher = PiiCipher(os.urandom(32))
    blob = cipher.encrypt("13812345678", context="customer.phone")
    assert b"13812345678" not in blob
    assert cipher.decrypt(blob, context="customer.phone") == "13812345678"
    with pytest.raises(Exception):
        cipher.decrypt(blob, context="customer.id_number")
    other = PiiCipher(os.urandom(32))
    with pytest.raises(Exception):
        other.decrypt(blob, context="customer.phone")


def test_blind_index_is_stable_and_keyed() -> None:
    key = os.urandom(32)
    a = PiiCipher(key).blind_index("13812345678", context="phone")
    assert a == PiiCipher.from_base64(base64.b64encode(key).decode()).blind_index(
        " 13812345678 ", context="phone"
    )
    assert a != PiiCipher(os.urandom(32)).blind_index("13812345678", context="phone")
    with pytest.raises(ValueError, match="32 bytes"):
        PiiCipher(b"short")


def test_json_log_line_carries_trace_id_and_masks_pii() -> None:
    from opentelemetry.sdk.trace import TracerProvider

    provider = TracerProvider()
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "sent SMS to %s", ("13900001111",), None)
    record.customer_phone = "13900001111"
    with provider.get_tracer("t").start_as_current_span("work") as span:
        line = json.loads(JsonFormatter("tag").format(record))
        expected = format(span.get_span_context().trace_id, "032x")
    assert line["trace_id"] == expected
    assert line["service"] == "tag"
    assert "13900001111" not in json.dumps(line)
    assert line["message"] == "sent SMS to 139****1111"
    assert trace.get_current_span().get_span_context().is_valid is False
