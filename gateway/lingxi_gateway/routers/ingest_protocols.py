"""Decoding of analytics-SDK requests into normalised ``BehaviorEvent`` records.

Pure functions, no I/O: the router authenticates, calls these, and publishes the result. Every
record of a request is validated before anything is published, so a malformed request is refused
whole (400 naming the record and field) and nothing of it is stored. Unknown keys are ignored —
SDK versions add keys all the time — but the keys we rely on must have the right shape.

Event ids are derived, not random: ``uuid5(source_id:messageId)`` for Segment/RudderStack (the
caller's message id is unique per source only) and a digest of the record for Sensors (whose
Python SDK sends no id). A re-sent request therefore yields the same event ids, which is what lets
the tag service apply each event once.

This is the gateway's hot path (tens of thousands of events per second on one core), so records
are written straight into the batch's ``BehaviorEvent`` (``into``) instead of building messages
and copying them, times are set as integer seconds/nanos without ``datetime`` round trips, and
uuid5 is computed from the SHA-1 digest directly. The checks and the error texts are unchanged.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
import uuid
import zlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from google.protobuf import struct_pb2, timestamp_pb2

from lingxi.events.v1 import ingest_events_pb2 as pb

EVENT_ID_NAMESPACE = uuid.UUID("5d6f0a3e-8f0c-4d59-9a77-1c1f2b7c9e51")
MAX_RECORDS_PER_REQUEST = 2_000
MAX_ID_LENGTH = 255
# The range of google.protobuf.Timestamp (0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z).
MIN_SECONDS = -62_135_596_800
MAX_SECONDS = 253_402_300_799
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NAMESPACE_BYTES = EVENT_ID_NAMESPACE.bytes

Stamp = tuple[int, int]  # (seconds, nanos) since the epoch, as google.protobuf.Timestamp holds them


class IngestRejected(Exception):
    """A request the SDK must not retry as is; answered as ``{"code", "message"}``."""

    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def malformed(message: str) -> IngestRejected:
    return IngestRejected(400, "invalid_request", message)


# --- shared helpers ---------------------------------------------------------------------------


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Inflate gzip ``data``, refusing (413) once the output passes ``limit`` (zip bombs)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as error:
        raise malformed(f"body is not valid gzip: {error}") from error
    if len(out) > limit or inflater.unconsumed_tail:
        raise IngestRejected(413, "payload_too_large", f"body inflates beyond {limit} bytes")
    if not inflater.eof:
        raise malformed("body is truncated gzip")
    return out


def stamp_of(moment: dt.datetime) -> Stamp:
    """Seconds and nanos of an aware datetime, exactly (integer arithmetic, no float rounding)."""
    delta = moment - _EPOCH
    return delta.days * 86_400 + delta.seconds, delta.microseconds * 1_000


def _set_stamp(target: timestamp_pb2.Timestamp, stamp: Stamp) -> None:
    target.seconds, target.nanos = stamp


def _fill(target: struct_pb2.Struct, value: Mapping[str, Any], where: str) -> None:
    """Copy a JSON object into a Struct field of the event (in place, no intermediate message)."""
    try:
        target.update(value)
    except (ValueError, TypeError, OverflowError) as error:  # e.g. an integer beyond a double
        raise malformed(f"{where} cannot be stored: {error}") from error


def uuid5_text(name: str) -> str:
    """``str(uuid.uuid5(EVENT_ID_NAMESPACE, name))``, computed without the UUID object."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode(), usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _id(value: Any, where: str, *, required: bool = False) -> str:
    """An identifier field: a string or a number (some SDKs send numeric ids); JSON null = absent."""
    if value is None or value == "":
        if required:
            raise malformed(f"{where} is required")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise malformed(f"{where} must be a string")
    text = str(value)
    if len(text) > MAX_ID_LENGTH:
        raise malformed(f"{where} is longer than {MAX_ID_LENGTH} characters")
    return text


def _object(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise malformed(f"{where} must be a JSON object")
    return value


def _event_id(source_id: str, message_id: str, record: Mapping[str, Any]) -> str:
    if message_id:
        return uuid5_text(f"{source_id}:{message_id}")
    # The standard library's encoding on purpose: the id of a re-sent record must not change
    # with the JSON library.
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(f"{source_id}:{canonical}".encode()).hexdigest()
    return uuid5_text(digest)


# --- Sensors Analytics ------------------------------------------------------------------------

SENSORS_TYPES: dict[str, int] = {
    "track": pb.BEHAVIOR_TYPE_TRACK,
    "track_signup": pb.BEHAVIOR_TYPE_ALIAS,
    "track_id_bind": pb.BEHAVIOR_TYPE_ID_BIND,
    "track_id_unbind": pb.BEHAVIOR_TYPE_ID_UNBIND,
    "profile_set": pb.BEHAVIOR_TYPE_IDENTIFY,
    "profile_set_once": pb.BEHAVIOR_TYPE_IDENTIFY,
    "profile_increment": pb.BEHAVIOR_TYPE_IDENTIFY,
    "profile_append": pb.BEHAVIOR_TYPE_IDENTIFY,
    "profile_unset": pb.BEHAVIOR_TYPE_IDENTIFY,
    "profile_delete": pb.BEHAVIOR_TYPE_IDENTIFY,
    "item_set": pb.BEHAVIOR_TYPE_ITEM,
    "item_delete": pb.BEHAVIOR_TYPE_ITEM,
}
_SENSORS_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\.(\d{1,3})$")
# Sensors identity keys that name an anonymous device / cookie rather than the customer.
_ANONYMOUS_IDENTITIES = (
    "$identity_anonymous_id",
    "$identity_cookie_id",
    "$identity_android_id",
    "$identity_idfv",
)


def decode_sensors_form(
    body: bytes, *, max_decoded_bytes: int
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The records of one ``/sa`` request and its other form fields.

    The SDK sends ``data`` (one record) or ``data_list`` (a JSON array), base64 of gzip when
    ``gzip=1``, else base64 of plain JSON.
    """
    try:
        form = parse_qs(body.decode("ascii"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as error:
        raise malformed("body must be application/x-www-form-urlencoded") from error
    fields = {key: values[0] for key, values in form.items() if values}
    if "data_list" in fields:
        field, many = "data_list", True
    elif "data" in fields:
        field, many = "data", False
    else:
        raise malformed("form field 'data' or 'data_list' is required")
    # A '+' left unencoded by a client arrives as a space; base64 never contains spaces.
    encoded = fields[field].replace(" ", "+").strip()
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise malformed(f"{field} is not valid base64") from error
    gzip_flag = fields.get("gzip", "0")
    if gzip_flag not in ("", "0", "1"):
        raise malformed("gzip must be 0 or 1")
    if gzip_flag == "1":
        raw = gunzip_capped(raw, max_decoded_bytes)
    elif len(raw) > max_decoded_bytes:
        raise IngestRejected(413, "payload_too_large", f"{field} decodes beyond {max_decoded_bytes} bytes")
    try:
        parsed = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise malformed(f"{field} is not JSON: {error}") from error
    records = parsed if many else [parsed]
    if not isinstance(records, list):
        raise malformed("data_list must be a JSON array")
    if len(records) > MAX_RECORDS_PER_REQUEST:
        raise IngestRejected(413, "payload_too_large", f"more than {MAX_RECORDS_PER_REQUEST} records")
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise malformed(f"record {index} must be a JSON object")
    return records, fields


def _sensors_properties(properties: dict[str, Any]) -> dict[str, Any]:
    """Normalise Sensors datetimes to zero-padded milliseconds (``…:09.5`` is 5 ms, not 500)."""
    result = properties
    for key, value in properties.items():
        # Only "YYYY-MM-DD HH:MM:SS.f" (21–23 characters) can match: skip the regex otherwise.
        if isinstance(value, str) and 21 <= len(value) <= 23:
            match = _SENSORS_DATETIME.match(value)
            if match:
                if result is properties:
                    result = dict(properties)
                result[key] = f"{match.group(1)}.{int(match.group(2)):03d}"
    return result


def _sensors_time(time_ms: Any, where: str) -> Stamp:
    if isinstance(time_ms, bool) or not isinstance(time_ms, int | float):
        raise malformed(f"{where}: time must be epoch milliseconds")
    if isinstance(time_ms, int):
        seconds, millis = divmod(time_ms, 1000)
        if MIN_SECONDS <= seconds <= MAX_SECONDS:
            return seconds, millis * 1_000_000
        raise malformed(f"{where}: time {time_ms} is out of range")
    try:
        moment = dt.datetime.fromtimestamp(time_ms / 1000, tz=dt.UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise malformed(f"{where}: time {time_ms} is out of range") from error
    return stamp_of(moment)


def sensors_event(
    record: dict[str, Any], index: int, *, source_id: str, received_at: Stamp, into: pb.BehaviorEvent
) -> str:
    """Validate and normalise one Sensors record into ``into``; returns its event id."""
    where = f"record {index}"
    raw_type = record.get("type")
    if not isinstance(raw_type, str) or raw_type not in SENSORS_TYPES:
        raise malformed(f"{where}: type must be one of {', '.join(SENSORS_TYPES)}")
    behavior_type = SENSORS_TYPES[raw_type]
    event_time = _sensors_time(record.get("time"), where)
    properties = _sensors_properties(_object(record.get("properties"), f"{where}: properties"))
    lib = _object(record.get("lib"), f"{where}: lib")
    identities = _object(record.get("identities"), f"{where}: identities")
    context: dict[str, Any] = {"lib": lib} if lib else {}
    if identities:
        context["identities"] = identities

    distinct_id = user_id = anonymous_id = previous_id = ""
    event_name = ""
    if behavior_type == pb.BEHAVIOR_TYPE_ITEM:
        context["item"] = {
            "item_type": _id(record.get("item_type"), f"{where}: item_type", required=True),
            "item_id": _id(record.get("item_id"), f"{where}: item_id", required=True),
        }
    else:
        distinct_id = _id(record.get("distinct_id"), f"{where}: distinct_id", required=True)
        is_login = properties.get("$is_login_id") is True
        login_identity = _id(identities.get("$identity_login_id"), f"{where}: identities.$identity_login_id")
        anonymous_identity = next(
            (
                _id(identities[key], f"{where}: identities.{key}")
                for key in _ANONYMOUS_IDENTITIES
                if identities.get(key)
            ),
            "",
        )
        if raw_type == "track_signup":
            user_id = distinct_id
            previous_id = _id(record.get("original_id"), f"{where}: original_id", required=True)
            anonymous_id = previous_id
        elif login_identity or anonymous_identity:
            user_id, anonymous_id = login_identity, anonymous_identity
        elif is_login:
            user_id = distinct_id
        else:
            anonymous_id = distinct_id
    if raw_type in ("track", "track_signup"):
        event_name = _id(record.get("event"), f"{where}: event", required=True)
    elif raw_type in ("track_id_bind", "track_id_unbind"):
        event_name = _id(record.get("event"), f"{where}: event") or (
            "$BindID" if raw_type == "track_id_bind" else "$UnbindID"
        )
        if not identities:
            raise malformed(f"{where}: identities are required for {raw_type}")
    message_id = _id(record.get("_track_id"), f"{where}: _track_id")
    event = into
    event.source_kind = pb.INGEST_SOURCE_KIND_SENSORS
    event.source_id = source_id
    event.message_id = message_id
    event.type = behavior_type
    event.event_name = event_name
    event.distinct_id = distinct_id
    event.anonymous_id = anonymous_id
    event.user_id = user_id
    event.previous_id = previous_id
    _set_stamp(event.event_time, event_time)
    _set_stamp(event.received_at, received_at)
    if properties:
        if behavior_type == pb.BEHAVIOR_TYPE_IDENTIFY:
            _fill(event.traits, properties, f"{where}: properties")
        else:
            _fill(event.properties, properties, f"{where}: properties")
    if context:
        _fill(event.context, context, f"{where}: lib/identities")
    event.library = str(lib.get("$lib", ""))
    event.library_version = str(lib.get("$lib_version", ""))
    event.raw_type = raw_type
    return _event_id(source_id, message_id, record)


# --- Segment / RudderStack --------------------------------------------------------------------

SEGMENT_TYPES: dict[str, int] = {
    "track": pb.BEHAVIOR_TYPE_TRACK,
    "page": pb.BEHAVIOR_TYPE_PAGE,
    "screen": pb.BEHAVIOR_TYPE_SCREEN,
    "identify": pb.BEHAVIOR_TYPE_IDENTIFY,
    "alias": pb.BEHAVIOR_TYPE_ALIAS,
    "group": pb.BEHAVIOR_TYPE_GROUP,
}


def decode_segment_json(body: bytes, content_encoding: str, *, max_decoded_bytes: int) -> Any:
    encoding = content_encoding.strip().lower()
    if encoding == "gzip":
        body = gunzip_capped(body, max_decoded_bytes)
    elif encoding not in ("", "identity"):
        raise IngestRejected(
            415, "unsupported_encoding", f"Content-Encoding {content_encoding!r} is not supported"
        )
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise malformed(f"body is not JSON: {error}") from error


def _iso_time(value: Any, where: str) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise malformed(f"{where} must be an ISO 8601 string")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise malformed(f"{where} is not ISO 8601: {value!r}") from error
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def segment_event(
    message: Any,
    index: int,
    *,
    source_id: str,
    source_kind: int,
    received_at: Stamp,
    into: pb.BehaviorEvent,
    forced_type: str | None = None,
) -> str:
    """Validate one Segment-spec message (track/identify/page/screen/group/alias) into ``into``;
    returns its event id."""
    where = f"batch[{index}]"
    if not isinstance(message, dict):
        raise malformed(f"{where} must be a JSON object")
    raw_type = message.get("type", forced_type)
    if forced_type is not None and raw_type != forced_type:
        raise malformed(f"{where}: type must be {forced_type!r} on this endpoint")
    if not isinstance(raw_type, str) or raw_type not in SEGMENT_TYPES:
        raise malformed(f"{where}: type must be one of {', '.join(SEGMENT_TYPES)}")
    user_id = _id(message.get("userId"), f"{where}: userId")
    anonymous_id = _id(message.get("anonymousId"), f"{where}: anonymousId")
    if not user_id and not anonymous_id:
        raise malformed(f"{where}: userId or anonymousId is required")
    message_id = _id(message.get("messageId"), f"{where}: messageId")
    context = _object(message.get("context"), f"{where}: context")
    properties = _object(message.get("properties"), f"{where}: properties")
    traits = _object(message.get("traits"), f"{where}: traits")
    event_name = previous_id = ""
    if raw_type == "track":
        event_name = _id(message.get("event"), f"{where}: event", required=True)
    elif raw_type in ("page", "screen"):
        event_name = _id(message.get("name"), f"{where}: name")
        category = message.get("category")
        if category is not None:
            properties = {**properties, "category": category}
    elif raw_type == "identify":
        traits = traits or _object(context.get("traits"), f"{where}: context.traits")
    elif raw_type == "alias":
        previous_id = _id(message.get("previousId"), f"{where}: previousId", required=True)
        if not user_id:
            raise malformed(f"{where}: userId is required for alias")
    elif raw_type == "group":
        group_id = _id(message.get("groupId"), f"{where}: groupId", required=True)
        context = {**context, "groupId": group_id}
    moment = _iso_time(message.get("timestamp"), f"{where}: timestamp")
    event_time = stamp_of(moment) if moment is not None else received_at
    if not MIN_SECONDS <= event_time[0] <= MAX_SECONDS:
        raise malformed(f"{where}: timestamp is out of range")
    library = _object(context.get("library"), f"{where}: context.library")
    if message.get("channel") is not None:
        context = {**context, "channel": message.get("channel")}
    if raw_type == "identify" and "traits" in context:
        context = {key: value for key, value in context.items() if key != "traits"}
    event = into
    event.source_kind = source_kind
    event.source_id = source_id
    event.message_id = message_id
    event.type = SEGMENT_TYPES[raw_type]
    event.event_name = event_name
    event.distinct_id = user_id or anonymous_id
    event.anonymous_id = anonymous_id
    event.user_id = user_id
    event.previous_id = previous_id
    _set_stamp(event.event_time, event_time)
    _set_stamp(event.received_at, received_at)
    if properties:
        _fill(event.properties, properties, f"{where}: properties")
    if traits:
        _fill(event.traits, traits, f"{where}: traits")
    if context:
        _fill(event.context, context, f"{where}: context")
    event.library = str(library.get("name", ""))
    event.library_version = str(library.get("version", ""))
    event.raw_type = raw_type
    return _event_id(source_id, message_id, message)


def segment_messages(payload: Any, *, single_type: str | None) -> list[Any]:
    """The messages of a ``/v1/batch`` body, or the one message of ``/v1/<type>``."""
    if not isinstance(payload, dict):
        raise malformed("body must be a JSON object")
    if single_type is not None:
        return [payload]
    batch = payload.get("batch")
    if not isinstance(batch, list):
        raise malformed("batch must be a JSON array of messages")
    if len(batch) > MAX_RECORDS_PER_REQUEST:
        raise IngestRejected(413, "payload_too_large", f"more than {MAX_RECORDS_PER_REQUEST} messages")
    return batch
