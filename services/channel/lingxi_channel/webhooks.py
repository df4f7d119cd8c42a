"""Partner webhooks: subscriptions, signed deliveries, retries over hours, dead letters, replay.

Every delivery is signed: `Lingxi-Signature: t=<unix seconds>,v1=<hex hmac_sha256(secret,
"<t>.<raw body>")>`, with `Lingxi-Delivery-Id` (stable across retries and replays, for partner
dedupe) and `Lingxi-Type`. A delivery is claimed (committed) before it is posted, so two replicas
never post the same attempt; a short burst of retries (tenacity, exponential) rides out a blip,
then the next attempt is scheduled with exponential back-off (by default 1 min … 12 h, about a day
in all) and after the last one the delivery is dead-lettered, announced on
lingxi.channel.webhook_delivery.dead_lettered, and waits for an operator's replay.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import httpx
import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from lingxi.channel.v1 import channel_pb2
from lingxi.channel.v1 import webhook_service_pb2 as W
from lingxi.events.v1 import channel_events_pb2
from lingxi_channel.events import emit_all
from lingxi_channel.models import messages, webhook_deliveries, webhook_subscriptions
from lingxi_channel.webhook_events import normalize_event_types
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.pii import PiiCipher

log = logging.getLogger(__name__)

SECRET_CONTEXT = "channel.webhook.secret"  # noqa: S105 - AES-GCM associated data, not a secret
ADMINS = frozenset({Role.HQ_OPERATOR, Role.SRE, Role.SERVICE})
DEFAULT_BACKOFF = (60.0, 300.0, 1800.0, 7200.0, 21600.0, 43200.0)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def _check_url(url: str, *, production: bool) -> None:
    parsed = urlparse(url)
    if parsed.scheme == "https" and parsed.netloc:
        return
    if not production and parsed.scheme == "http" and parsed.hostname in ("127.0.0.1", "localhost"):
        return
    raise InvalidArgument("subscription.url", "must be an https URL (http only to loopback in development)")


def _to_proto(row: sa.Row) -> W.WebhookSubscription:
    return W.WebhookSubscription(
        subscription_id=row.subscription_id,
        partner_id=row.partner_id,
        url=row.url,
        event_types=list(row.event_types),
        active=row.active,
        description=row.description,
        created_at=_ts(row.created_at),
        updated_at=_ts(row.updated_at),
        secret_rotated_at=_ts(row.secret_rotated_at),
        previous_secret_expires_at=_ts(row.previous_secret_expires_at),
    )


def _owner(caller: Caller, partner_id: str) -> str:
    if caller.role is Role.PARTNER:
        if partner_id and partner_id != caller.subject:
            raise PermissionDenied("a partner manages only its own subscriptions")
        return caller.subject
    if caller.role not in ADMINS:
        raise PermissionDenied("webhooks are managed by partners, hq_operator or sre")
    if not partner_id:
        raise InvalidArgument("subscription.partner_id", "required")
    return partner_id


async def create_subscription(
    session: AsyncSession,
    cipher: PiiCipher,
    caller: Caller,
    request: W.CreateWebhookSubscriptionRequest,
    *,
    production: bool,
) -> tuple[W.WebhookSubscription, str]:
    sub = request.subscription
    partner_id = _owner(caller, sub.partner_id)
    _check_url(sub.url, production=production)
    event_types = normalize_event_types(list(sub.event_types), may_grant=caller.role in ADMINS)
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    row = (
        await session.execute(
            webhook_subscriptions.insert()
            .values(
                subscription_id=f"whs_{uuid.uuid4().hex[:20]}",
                partner_id=partner_id,
                url=sub.url,
                event_types=event_types,
                active=True,
                description=sub.description,
                secret_enc=cipher.encrypt(secret, context=SECRET_CONTEXT),
            )
            .returning(*webhook_subscriptions.c)
        )
    ).one()
    return _to_proto(row), secret


async def _subscription_row(
    session: AsyncSession, caller: Caller, subscription_id: str, *, lock: bool = False
) -> sa.Row:
    if not subscription_id:
        raise InvalidArgument("subscription_id", "required")
    query = sa.select(webhook_subscriptions).where(
        webhook_subscriptions.c.subscription_id == subscription_id,
        webhook_subscriptions.c.deleted_at.is_(None),
    )
    row = (await session.execute(query.with_for_update() if lock else query)).one_or_none()
    if row is None or (caller.role is Role.PARTNER and row.partner_id != caller.subject):
        raise NotFound("webhook subscription", subscription_id)
    if caller.role not in ADMINS | {Role.PARTNER}:
        raise PermissionDenied("not allowed to read webhook subscriptions")
    return row


async def get_subscription(
    session: AsyncSession, caller: Caller, subscription_id: str
) -> W.WebhookSubscription:
    return _to_proto(await _subscription_row(session, caller, subscription_id))


async def list_subscriptions(
    session: AsyncSession, caller: Caller, partner_id: str
) -> list[W.WebhookSubscription]:
    owner = _owner(caller, partner_id) if caller.role is Role.PARTNER or partner_id else ""
    query = sa.select(webhook_subscriptions).where(webhook_subscriptions.c.deleted_at.is_(None))
    if owner:
        query = query.where(webhook_subscriptions.c.partner_id == owner)
    elif caller.role not in ADMINS:
        raise PermissionDenied("not allowed to list webhook subscriptions")
    return [
        _to_proto(row)
        for row in (await session.execute(query.order_by(webhook_subscriptions.c.created_at))).all()
    ]


UPDATABLE = ("url", "event_types", "active", "description")


async def update_subscription(
    session: AsyncSession,
    caller: Caller,
    request: W.UpdateWebhookSubscriptionRequest,
    *,
    production: bool,
) -> W.WebhookSubscription:
    """Changes the fields named in update_mask (url, event_types, active, description)."""
    sub = request.subscription
    if not sub.subscription_id:
        raise InvalidArgument("subscription.subscription_id", "required")
    paths = list(request.update_mask.paths)
    if not paths:
        raise InvalidArgument("update_mask", f"name the fields to change: {', '.join(UPDATABLE)}")
    for index, path in enumerate(paths):
        if path not in UPDATABLE:
            raise InvalidArgument(
                f"update_mask.paths[{index}]", f"{path!r} cannot be changed; one of {UPDATABLE}"
            )
    if "url" in paths:
        _check_url(sub.url, production=production)
    row = await _subscription_row(session, caller, sub.subscription_id, lock=True)
    values: dict[str, Any] = {}
    for path in paths:
        if path == "event_types":
            # A partner keeps or drops what an operator granted; only an operator adds grants.
            values["event_types"] = normalize_event_types(
                list(sub.event_types),
                "subscription.event_types",
                may_grant=caller.role in ADMINS,
                granted=list(row.event_types),
            )
        else:
            values[path] = getattr(sub, path)
    updated = (
        await session.execute(
            webhook_subscriptions.update()
            .where(webhook_subscriptions.c.subscription_id == row.subscription_id)
            .values(**values, updated_at=datetime.now(UTC))
            .returning(*webhook_subscriptions.c)
        )
    ).one()
    return _to_proto(updated)


async def delete_subscription(session: AsyncSession, caller: Caller, subscription_id: str) -> None:
    """Disables and hides a subscription; its deliveries stay (pending ones are dead-lettered when due)."""
    row = await _subscription_row(session, caller, subscription_id, lock=True)
    now = datetime.now(UTC)
    await session.execute(
        webhook_subscriptions.update()
        .where(webhook_subscriptions.c.subscription_id == row.subscription_id)
        .values(active=False, deleted_at=now, updated_at=now)
    )


async def rotate_secret(
    session: AsyncSession, cipher: PiiCipher, caller: Caller, request: W.RotateWebhookSecretRequest
) -> tuple[W.WebhookSubscription, str]:
    row = await _subscription_row(session, caller, request.subscription_id)
    grace = request.grace_hours or 24
    if not 0 < grace <= 168:
        raise InvalidArgument("grace_hours", "between 1 and 168")
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    now = datetime.now(UTC)
    updated = (
        await session.execute(
            webhook_subscriptions.update()
            .where(webhook_subscriptions.c.subscription_id == row.subscription_id)
            .values(
                secret_enc=cipher.encrypt(secret, context=SECRET_CONTEXT),
                previous_secret_enc=row.secret_enc,
                previous_secret_expires_at=now + timedelta(hours=grace),
                secret_rotated_at=now,
                updated_at=now,
            )
            .returning(*webhook_subscriptions.c)
        )
    ).one()
    return _to_proto(updated), secret


async def active_subscriptions(session: AsyncSession, ids: set[str]) -> set[str]:
    if not ids:
        return set()
    rows = await session.execute(
        sa.select(webhook_subscriptions.c.subscription_id).where(
            webhook_subscriptions.c.subscription_id.in_(sorted(ids)),
            webhook_subscriptions.c.active.is_(True),
            webhook_subscriptions.c.deleted_at.is_(None),
        )
    )
    return {row.subscription_id for row in rows}


def delivery_body(message_id: str, request: channel_pb2.OutboundMessage, rendered: Any) -> bytes:
    return json.dumps(
        {
            "type": "lingxi.channel.message",
            "message_id": message_id,
            "idempotency_key": request.idempotency_key,
            "template_code": request.template_code,
            "title": rendered.title,
            "body": rendered.body,
            "url": rendered.url,
            "labels": dict(request.labels),
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()


async def enqueue_for_message(
    session: AsyncSession, subscription_id: str, message_id: str, body: bytes
) -> None:
    """A CHANNEL_WEBHOOK send becomes one delivery (once, whatever repeats: keyed by message id)."""
    await session.execute(
        pg_insert(webhook_deliveries)
        .values(
            delivery_id=f"whd_{uuid.uuid5(uuid.NAMESPACE_URL, message_id).hex[:24]}",
            subscription_id=subscription_id,
            event_type="lingxi.channel.message",
            event_id=message_id,
            message_id=message_id,
            body=body,
            status=W.DELIVERY_STATUS_PENDING,
            next_attempt_at=datetime.now(UTC),
        )
        .on_conflict_do_nothing()
    )


def _delivery_proto(row: sa.Row) -> W.WebhookDelivery:
    return W.WebhookDelivery(
        delivery_id=row.delivery_id,
        subscription_id=row.subscription_id,
        event_type=row.event_type,
        event_id=row.event_id,
        status=row.status,
        attempts=row.attempts,
        last_http_status=row.last_http_status,
        last_error=row.last_error,
        created_at=_ts(row.created_at),
        last_attempt_at=_ts(row.last_attempt_at),
        next_attempt_at=_ts(row.next_attempt_at) if row.status in (1, 3) else None,
        delivered_at=_ts(row.delivered_at),
        message_id=row.message_id or "",
    )


async def list_deliveries(
    session: AsyncSession, caller: Caller, request: W.ListWebhookDeliveriesRequest
) -> list[W.WebhookDelivery]:
    await _subscription_row(session, caller, request.subscription_id)
    query = sa.select(webhook_deliveries).where(
        webhook_deliveries.c.subscription_id == request.subscription_id
    )
    if request.statuses:
        query = query.where(webhook_deliveries.c.status.in_(list(request.statuses)))
    if request.HasField("since"):
        query = query.where(webhook_deliveries.c.created_at >= request.since.ToDatetime(tzinfo=UTC))
    if request.HasField("until"):
        query = query.where(webhook_deliveries.c.created_at < request.until.ToDatetime(tzinfo=UTC))
    size = min(request.page.page_size or 100, 1000)
    rows = (await session.execute(query.order_by(webhook_deliveries.c.created_at.desc()).limit(size))).all()
    return [_delivery_proto(row) for row in rows]


async def replay(session: AsyncSession, caller: Caller, request: W.ReplayWebhookDeliveriesRequest) -> int:
    """Dead letters back to PENDING with the same delivery ids (partners dedupe on them)."""
    if caller.role not in ADMINS:
        raise PermissionDenied("only hq_operator or sre replay webhook deliveries")
    query = webhook_deliveries.update().where(webhook_deliveries.c.status == W.DELIVERY_STATUS_DEAD_LETTERED)
    if request.delivery_ids:
        query = query.where(webhook_deliveries.c.delivery_id.in_(list(request.delivery_ids)))
    elif request.subscription_id:
        query = query.where(webhook_deliveries.c.subscription_id == request.subscription_id)
        if request.HasField("since"):
            query = query.where(webhook_deliveries.c.created_at >= request.since.ToDatetime(tzinfo=UTC))
        if request.HasField("until"):
            query = query.where(webhook_deliveries.c.created_at < request.until.ToDatetime(tzinfo=UTC))
    else:
        raise InvalidArgument("delivery_ids", "name deliveries or a subscription")
    result = await session.execute(
        query.values(
            status=W.DELIVERY_STATUS_PENDING, attempts=0, next_attempt_at=sa.func.now(), last_error="replayed"
        ).returning(webhook_deliveries.c.delivery_id)
    )
    return len(result.all())


class _Retryable(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error


class WebhookDeliverer:
    """Posts due deliveries; a worker of the channel service beside the dispatcher."""

    name = "channel-webhook-deliverer"

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        cipher: PiiCipher,
        *,
        backoff: tuple[float, ...] = DEFAULT_BACKOFF,
        burst_attempts: int = 3,
        burst_wait: float = 0.5,
        poll_interval: float = 0.5,
        timeout: float = 10.0,
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._backoff = backoff
        self._burst = burst_attempts
        self._burst_wait = burst_wait
        self._poll = poll_interval
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        self._client = httpx.AsyncClient(timeout=self._timeout)
        try:
            while True:
                try:
                    handled = await self.tick()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("webhook delivery tick failed")
                    handled = 0
                if not handled:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), timeout=self._poll)
                    self._wake.clear()
        finally:
            await self._client.aclose()

    async def tick(self, limit: int = 50) -> int:
        due = (
            sa.select(webhook_deliveries.c.delivery_id)
            .where(
                webhook_deliveries.c.status.in_([W.DELIVERY_STATUS_PENDING, W.DELIVERY_STATUS_RETRYING]),
                webhook_deliveries.c.next_attempt_at <= sa.func.now(),
                webhook_deliveries.c.in_flight.is_(False),
            )
            .order_by(webhook_deliveries.c.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        async with self._sessions.begin() as session:
            rows = (
                await session.execute(
                    webhook_deliveries.update()
                    .where(webhook_deliveries.c.delivery_id.in_(due))
                    .values(
                        in_flight=True,
                        attempts=webhook_deliveries.c.attempts + 1,
                        last_attempt_at=sa.func.now(),
                    )
                    .returning(*webhook_deliveries.c)
                )
            ).all()
        if not rows:
            return 0
        work = asyncio.ensure_future(asyncio.gather(*(self._deliver(row) for row in rows)))
        try:
            await asyncio.shield(work)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await work
            raise
        return len(rows)

    async def _post(self, url: str, secret: str, row: sa.Row) -> int:
        assert self._client is not None
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "Lingxi-Signature": f"t={stamp},v1={signature(secret, stamp, row.body)}",
            "Lingxi-Delivery-Id": row.delivery_id,
            "Lingxi-Type": row.event_type,
        }
        try:
            response = await self._client.post(url, content=row.body, headers=headers)
        except httpx.HTTPError as error:
            raise _Retryable(0, f"{type(error).__name__}: {error}") from error
        if response.status_code >= 500 or response.status_code == 429:
            raise _Retryable(response.status_code, response.text[:200])
        return response.status_code

    async def _deliver(self, row: sa.Row) -> None:
        async with self._sessions() as session:
            sub = (
                await session.execute(
                    sa.select(webhook_subscriptions).where(
                        webhook_subscriptions.c.subscription_id == row.subscription_id
                    )
                )
            ).one()
        if sub.deleted_at is not None or not sub.active:
            # Removed or paused: nothing is posted; an operator may replay after re-activating it.
            reason = "subscription_deleted" if sub.deleted_at is not None else "subscription_inactive"
            await self._record(row, sub, 0, reason, final=True)
            return
        secret = self._cipher.decrypt(sub.secret_enc, context=SECRET_CONTEXT)
        status, error = 0, ""
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self._burst),
                wait=wait_exponential(multiplier=self._burst_wait, max=10),
                retry=retry_if_exception_type(_Retryable),
                reraise=True,
            ):
                with attempt:
                    status = await self._post(sub.url, secret, row)
        except _Retryable as failure:
            status, error = failure.status, failure.error
        await self._record(row, sub, status, error)

    async def _record(
        self, row: sa.Row, sub: sa.Row, status: int, error: str, *, final: bool = False
    ) -> None:
        now = datetime.now(UTC)
        values: dict[str, Any] = {"in_flight": False, "last_http_status": status, "last_error": error[:500]}
        events = []
        if 200 <= status < 300:
            values.update(
                status=W.DELIVERY_STATUS_DELIVERED, delivered_at=now, next_attempt_at=None, last_error=""
            )
        elif final:
            values.update(status=W.DELIVERY_STATUS_DEAD_LETTERED)
        elif 400 <= status < 500 and status not in (408, 429):
            values.update(
                status=W.DELIVERY_STATUS_DEAD_LETTERED, last_error=error or f"partner answered {status}"
            )
        elif row.attempts >= len(self._backoff) + 1:
            values.update(status=W.DELIVERY_STATUS_DEAD_LETTERED)
        else:
            values.update(
                status=W.DELIVERY_STATUS_RETRYING,
                next_attempt_at=now + timedelta(seconds=self._backoff[row.attempts - 1]),
            )
        if values["status"] == W.DELIVERY_STATUS_DEAD_LETTERED:
            events.append(
                channel_events_pb2.WebhookDeliveryDeadLettered(
                    delivery_id=row.delivery_id,
                    subscription_id=row.subscription_id,
                    partner_id=sub.partner_id,
                    event_type=row.event_type,
                    attempts=row.attempts,
                    last_http_status=status,
                    last_error=values["last_error"],
                )
            )
        async with self._sessions.begin() as session:
            await session.execute(
                webhook_deliveries.update()
                .where(webhook_deliveries.c.delivery_id == row.delivery_id)
                .values(**values)
            )
            await emit_all(session, events)
            if row.message_id and values["status"] in (
                W.DELIVERY_STATUS_DELIVERED,
                W.DELIVERY_STATUS_DEAD_LETTERED,
            ):
                from lingxi_channel.receipts import advance_status

                target = (
                    await session.execute(sa.select(messages).where(messages.c.message_id == row.message_id))
                ).one_or_none()
                if target is not None:
                    outcome = (
                        channel_pb2.MESSAGE_STATUS_DELIVERED
                        if values["status"] == W.DELIVERY_STATUS_DELIVERED
                        else channel_pb2.MESSAGE_STATUS_FAILED
                    )
                    await advance_status(
                        session,
                        self._cipher,
                        target,
                        outcome,
                        "webhook_delivery",
                        provider_code=str(status),
                        reopen_failed=True,
                    )
