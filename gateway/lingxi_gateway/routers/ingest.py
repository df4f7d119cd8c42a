"""Event ingestion from unmodified analytics SDKs: Sensors ``/sa`` and Segment/RudderStack ``/v1/*``.

An app team only changes its SDK's server URL, so these routes speak the SDKs' protocols, not
Lingxi's REST conventions: errors are ``{"code", "message"}`` JSON (RudderStack retries a 4xx that
lacks either key), success is exactly 200 (RudderStack retries 201/204), and credentials are the
SDK's own (write key as Basic user name; Sensors project name).

A request is answered only once its events are durable: all of them go out as ONE
``BehaviorBatch`` message on ``lingxi.ingest.behavior_batch`` and the 200 waits for the JetStream
ack. One message per request means a batch is stored whole or not at all, and a malformed record
anywhere refuses the whole request before anything is published. The batch's ``Nats-Msg-Id`` is
derived from its event ids, so an SDK re-sending after a lost answer is deduplicated by JetStream
(and beyond its window by the consumers' per-event idempotency).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from lingxi.events.v1 import ingest_events_pb2 as pb
from lingxi_common.bus import message_headers
from lingxi_common.contracts import event_subject
from lingxi_gateway.auth.dependencies import client_ip
from lingxi_gateway.request_id import current_request_id
from lingxi_gateway.routers.ingest_protocols import (
    EVENT_ID_NAMESPACE,
    IngestRejected,
    Stamp,
    decode_segment_json,
    decode_sensors_form,
    segment_event,
    segment_messages,
    sensors_event,
    stamp_of,
)
from lingxi_gateway.routers.ingest_sources import (
    KIND_TO_PROTO,
    IngestSettings,
    IngestSource,
    SourceRegistry,
)
from lingxi_gateway.state import gateway_state

logger = logging.getLogger("lingxi_gateway.ingest")

router = APIRouter(tags=["ingestion"])

BATCH_SUBJECT = event_subject(pb.BehaviorBatch)
DEFAULT_SENSORS_PROJECT = "default"


@dataclass
class IngestRuntime:
    """Per-app ingestion state: the configured sources and the in-flight publish count."""

    registry: SourceRegistry
    settings: IngestSettings
    inflight: int = 0
    accepted_events: int = field(default=0)

    @classmethod
    def from_environment(cls, *, production: bool) -> IngestRuntime:
        settings = IngestSettings()
        return cls(registry=SourceRegistry.parse(settings.sources, production=production), settings=settings)


def ingest_runtime(request: Request) -> IngestRuntime:
    """The app's runtime, created from the environment on first use (tests may install their own)."""
    runtime = getattr(request.app.state, "lingxi_ingest", None)
    if runtime is None:
        production = gateway_state(request).settings.is_production
        runtime = IngestRuntime.from_environment(production=production)
        request.app.state.lingxi_ingest = runtime
    assert isinstance(runtime, IngestRuntime)
    return runtime


def _reply(error: IngestRejected) -> JSONResponse:
    return JSONResponse(
        {"code": error.code, "message": error.message}, status_code=error.status, headers=error.headers
    )


def _now() -> Stamp:
    return stamp_of(dt.datetime.now(dt.UTC))


async def _publish(
    request: Request,
    runtime: IngestRuntime,
    batch: pb.BehaviorBatch,
    event_ids: Sequence[str],
    *,
    source_kind: int,
    source_id: str,
) -> None:
    """Publish ``batch`` (its events already filled in) and wait for JetStream to have it, or
    raise IngestRejected."""
    batch_id = str(
        uuid.uuid5(EVENT_ID_NAMESPACE, hashlib.sha256("|".join([source_id, *event_ids]).encode()).hexdigest())
    )
    correlation_id = current_request_id.get() or ""
    for event, event_id in zip(batch.events, event_ids, strict=True):
        meta = event.meta
        meta.event_id = event_id
        meta.producer = "gateway"
        meta.correlation_id = correlation_id
        meta.occurred_at.seconds = event.event_time.seconds
        meta.occurred_at.nanos = event.event_time.nanos
    batch.meta.event_id = batch_id
    batch.meta.producer = "gateway"
    batch.meta.correlation_id = correlation_id
    batch.meta.occurred_at.seconds, batch.meta.occurred_at.nanos = _now()
    batch.source_kind = source_kind
    batch.source_id = source_id
    batch.client_ip = client_ip(request)
    payload = batch.SerializeToString()
    client = gateway_state(request).nats.client
    if client is None:
        raise IngestRejected(
            503, "unavailable", "event storage is unavailable; retry later", {"Retry-After": "1"}
        )
    if len(payload) > client.max_payload:
        raise IngestRejected(
            413, "payload_too_large", f"the batch encodes to {len(payload)} bytes, above {client.max_payload}"
        )
    if runtime.inflight >= runtime.settings.max_inflight_batches:
        raise IngestRejected(
            429, "rate_limited", "too many batches in flight; retry shortly", {"Retry-After": "1"}
        )
    runtime.inflight += 1
    try:
        await client.jetstream().publish(
            BATCH_SUBJECT,
            payload,
            timeout=runtime.settings.publish_timeout_seconds,
            headers=message_headers(batch, batch_id),
        )
    except Exception as error:
        logger.warning("publishing an ingested batch failed: %s", error)
        raise IngestRejected(
            503, "unavailable", "event storage did not confirm; retry later", {"Retry-After": "1"}
        ) from error
    finally:
        runtime.inflight -= 1
    runtime.accepted_events += len(event_ids)


# --- Sensors Analytics ------------------------------------------------------------------------


async def _sensors(request: Request, *, debug: bool) -> Response:
    runtime = ingest_runtime(request)
    try:
        body = await request.body()
        records, form = decode_sensors_form(body, max_decoded_bytes=runtime.settings.max_decoded_bytes)
        request_project = request.query_params.get("project") or form.get("project") or ""
        received_at = _now()
        batch = pb.BehaviorBatch()
        event_ids: list[str] = []
        batch_source: str | None = None
        sources: dict[str, IngestSource | None] = {}
        for index, record in enumerate(records):
            project = str(record.get("project") or request_project or DEFAULT_SENSORS_PROJECT)
            if project not in sources:
                sources[project] = runtime.registry.by_project(project)
            source = sources[project]
            if source is None:
                raise IngestRejected(401, "unauthorized", f"project {project!r} is not a configured source")
            batch_source = batch_source or source.source_id
            into = batch.events.add()
            event_ids.append(
                sensors_event(record, index, source_id=source.source_id, received_at=received_at, into=into)
            )
        dry_run = debug and request.headers.get("dry-run", "").lower() == "true"
        if event_ids and not dry_run:
            await _publish(
                request,
                runtime,
                batch,
                event_ids,
                source_kind=pb.INGEST_SOURCE_KIND_SENSORS,
                source_id=batch_source or "",
            )
    except IngestRejected as error:
        return _reply(error)
    return JSONResponse({"code": 0, "accepted": len(event_ids), "stored": bool(event_ids) and not dry_run})


@router.post("/sa", summary="Sensors Analytics ingestion (the SDK's server URL)")
async def sensors_ingest(request: Request) -> Response:
    """Accept ``data``/``data_list`` (base64, optionally gzip) records; 200 once durable."""
    return await _sensors(request, debug=False)


@router.post("/debug", summary="Sensors Analytics debug endpoint (DebugConsumer)")
@router.post("/sa/debug", include_in_schema=False)
async def sensors_debug(request: Request) -> Response:
    """Validate like ``/sa``; with ``Dry-Run: true`` store nothing, otherwise store as ``/sa`` does."""
    return await _sensors(request, debug=True)


# --- Segment / RudderStack --------------------------------------------------------------------


def _write_key(request: Request, payload: Any) -> str | None:
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() != "basic":
            raise IngestRejected(401, "unauthorized", "Authorization must be Basic <base64(writeKey:)>")
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, ValueError, UnicodeDecodeError) as error:
            raise IngestRejected(
                401, "unauthorized", "Authorization is not valid Basic credentials"
            ) from error
        return decoded.partition(":")[0] or None
    if isinstance(payload, dict) and isinstance(payload.get("writeKey"), str):
        return str(payload["writeKey"]) or None
    return None


async def _segment(request: Request, single_type: str | None) -> Response:
    runtime = ingest_runtime(request)
    try:
        body = await request.body()
        payload = decode_segment_json(
            body,
            request.headers.get("content-encoding", ""),
            max_decoded_bytes=runtime.settings.max_decoded_bytes,
        )
        write_key = _write_key(request, payload)
        if write_key is None:
            raise IngestRejected(401, "unauthorized", "a write key is required (Basic auth user name)")
        source = runtime.registry.by_write_key(write_key)
        if source is None:
            raise IngestRejected(401, "unauthorized", "the write key is not a configured source")
        source_kind = KIND_TO_PROTO[source.kind]
        received_at = _now()
        batch = pb.BehaviorBatch()
        event_ids = [
            segment_event(
                message,
                index,
                source_id=source.source_id,
                source_kind=source_kind,
                received_at=received_at,
                into=batch.events.add(),
                forced_type=single_type,
            )
            for index, message in enumerate(segment_messages(payload, single_type=single_type))
        ]
        if event_ids:
            await _publish(
                request, runtime, batch, event_ids, source_kind=source_kind, source_id=source.source_id
            )
    except IngestRejected as error:
        if error.status == 401:
            error.headers.setdefault("WWW-Authenticate", 'Basic realm="lingxi-ingest"')
        return _reply(error)
    return JSONResponse({"success": True, "accepted": len(event_ids)})


@router.post("/v1/batch", summary="Segment/RudderStack batch ingestion")
async def segment_batch(request: Request) -> Response:
    """``{"batch": [...]}`` of track/identify/page/screen/group/alias messages; 200 once durable."""
    return await _segment(request, None)


def _single(kind: str) -> Any:
    async def endpoint(request: Request) -> Response:
        return await _segment(request, kind)

    endpoint.__name__ = f"segment_{kind}"
    endpoint.__doc__ = f"One Segment ``{kind}`` message; 200 once durable."
    return endpoint


for _kind in ("track", "identify", "page", "screen", "alias", "group"):
    router.add_api_route(f"/v1/{_kind}", _single(_kind), methods=["POST"], summary=f"Segment {_kind}")
