"""Accepting send requests into the contact ledger: validate, apply the policy, render, record.

Exactly-once starts here: the ledger row is keyed by the caller's idempotency key under a UNIQUE
constraint, and only a row that was actually inserted can ever be dispatched. A retry, a NATS
redelivery or a concurrent duplicate finds the row (or loses the insert race inside PostgreSQL)
and is answered DUPLICATE with the original message — or KEY_CONFLICT when the same key arrives
with a different request — and never reaches a provider. Rejections are recorded too, with the
reason, so nothing is silently dropped.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.channel.v1 import channel_pb2
from lingxi.channel.v1 import template_service_pb2 as tpl_pb2
from lingxi.common.v1 import customer_pb2, enums_pb2
from lingxi.events.v1 import channel_events_pb2
from lingxi_channel import bulk
from lingxi_channel.accounts import AccountRegistry
from lingxi_channel.directory import CustomerDirectory, CustomerProfile, load_contexts
from lingxi_channel.events import emit_all
from lingxi_channel.models import contact_counts, message_status_history, messages
from lingxi_channel.policy import (
    MANDATORY,
    MARKETING,
    ContactPolicy,
    CustomerContext,
    Verdict,
    choose_channel,
)
from lingxi_channel.policy_store import PolicyStore
from lingxi_channel.rendering import Rendered, render, validate_variables
from lingxi_channel.templates import LoadedVersion, TemplateCache
from lingxi_channel.webhooks import active_subscriptions
from lingxi_common.errors import NotFound
from lingxi_common.identity import Caller
from lingxi_common.pii import PiiCipher

P = channel_pb2
C = enums_pb2
MAX_BATCH = 1000
PII_CONTEXT_REQUEST = "channel.message.request"
PII_CONTEXT_ADDRESS = "channel.message.address"
PII_CONTEXT_CONTENT = "channel.message.content"


@dataclass(slots=True)
class Draft:
    """One request on its way into the ledger."""

    request: channel_pb2.OutboundMessage
    request_sha256: str
    message_id: str = field(default_factory=lambda: f"msg_{uuid.uuid4().hex}")
    status: int = P.MESSAGE_STATUS_REJECTED
    reason_code: str = ""
    reason: str = ""
    channel_used: int = C.CHANNEL_UNSPECIFIED
    template_version: int = 0
    decisions: list[channel_pb2.PolicyDecision] = field(default_factory=list)
    profile: CustomerProfile | None = None
    rendered: Rendered | None = None
    address: str = ""
    # WeCom: the advisor's WeCom userid the message is sent on behalf of.
    sender: str = ""
    scheduled_for: datetime | None = None
    subscription_active: bool = False


def request_digest(message: channel_pb2.OutboundMessage) -> str:
    return hashlib.sha256(message.SerializeToString(deterministic=True)).hexdigest()


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def shape_problem(message: channel_pb2.OutboundMessage) -> tuple[str, str] | None:
    """(field, reason) when the request cannot even be considered; None when well-formed."""
    if not message.idempotency_key:
        return "idempotency_key", "required"
    if len(message.idempotency_key) > 200:
        return "idempotency_key", "at most 200 characters"
    recipient = message.WhichOneof("recipient")
    if recipient is None:
        return "recipient", "name a customer_id, webhook_subscription_id or raw_address"
    if message.channel == C.CHANNEL_UNSPECIFIED:
        return "channel", "required"
    if not message.template_code:
        return "template_code", "required"
    if message.message_class == C.MESSAGE_CLASS_UNSPECIFIED:
        return "message_class", "required"
    if message.message_class == MANDATORY and not message.fallback_channels:
        return "fallback_channels", "a mandatory notice must name at least one fallback channel"
    if recipient == "raw_address" and message.message_class == MARKETING:
        return "raw_address", "marketing may only be sent to customers (consent applies)"
    return None


class SendService:
    """Turns OutboundMessages into ledger rows; the dispatcher takes it from there."""

    def __init__(
        self,
        *,
        directory: CustomerDirectory,
        templates: TemplateCache,
        policies: PolicyStore,
        cipher: PiiCipher,
        registry: AccountRegistry,
    ) -> None:
        self.directory = directory
        self.templates = templates
        self.policies = policies
        self.cipher = cipher
        self.registry = registry

    @property
    def policy(self) -> ContactPolicy:
        """The policy this replica last read (refreshed at the start of every accept)."""
        return self.policies.current

    async def _prepare(
        self, drafts: list[Draft], at: datetime, session: AsyncSession, caller: Caller, policy: ContactPolicy
    ) -> None:
        sms_accounts = await self.registry.for_channel(C.CHANNEL_SMS)
        signatures = {C.CHANNEL_SMS: sms_accounts[0].sms_signature} if sms_accounts else {}
        subscriptions = {
            d.request.webhook_subscription_id
            for d in drafts
            if d.request.WhichOneof("recipient") == "webhook_subscription_id"
        }
        active = await active_subscriptions(session, subscriptions)
        for draft in drafts:
            draft.subscription_active = draft.request.webhook_subscription_id in active
        customer_ids = {
            d.request.customer_id for d in drafts if d.request.WhichOneof("recipient") == "customer_id"
        }
        profiles = await self.directory.get_many(customer_ids)
        known = {cid: p for cid, p in profiles.items() if p is not None}
        contexts = await load_contexts(session, policy, known, at)
        for draft in drafts:
            await self._decide(draft, known, contexts, at, caller, signatures, policy)

    async def _decide(
        self,
        draft: Draft,
        profiles: dict[str, CustomerProfile],
        contexts: dict[str, CustomerContext],
        at: datetime,
        caller: Caller,
        signatures: dict[int, str],
        policy: ContactPolicy,
    ) -> None:
        request = draft.request

        def reject(code: str, reason: str, check: int = 0) -> None:
            draft.status, draft.reason_code, draft.reason = P.MESSAGE_STATUS_REJECTED, code, reason
            if check:
                stamp = _ts(at)
                draft.decisions.append(
                    P.PolicyDecision(
                        check=check,
                        outcome=P.POLICY_OUTCOME_DENY,
                        channel=request.channel,
                        reason=code,
                        decided_at=stamp,
                    )
                )

        try:
            loaded = await self.templates.load(request.template_code, request.template_version)
        except NotFound:
            return reject(
                "unknown_template",
                f"template {request.template_code}@{request.template_version or 'current'} not found",
            )
        if not self._template_usable(loaded, request, reject):
            return
        draft.template_version = loaded.version.version
        declared = list(loaded.version.variables)
        values, problems = validate_variables(declared, dict(request.variables))
        if problems:
            text = "; ".join(f"{p.name}: {p.code} ({p.message})" for p in problems)
            return reject("invalid_variables", text, P.POLICY_CHECK_VARIABLES)

        recipient = request.WhichOneof("recipient")
        channels = [request.channel, *[ch for ch in request.fallback_channels if ch != request.channel]]
        if recipient == "customer_id":
            profile = profiles.get(request.customer_id)
            if profile is None:
                return reject("unknown_customer", f"customer {request.customer_id!r} not found")
            if not caller.can_see_customer(
                customer_id=profile.customer_id, branch_id=profile.branch_id, advisor_id=profile.advisor_id
            ):
                return reject("out_of_scope", "the caller may not contact this customer")
            draft.profile = profile
            verdict, decisions = choose_channel(
                policy, contexts[profile.customer_id], channels, request.message_class, at
            )
        else:
            if recipient == "webhook_subscription_id" and (
                request.channel != C.CHANNEL_WEBHOOK or not draft.subscription_active
            ):
                return reject(
                    "unknown_webhook_subscription", "no active subscription with this id on CHANNEL_WEBHOOK"
                )
            verdict = Verdict(request.channel, P.POLICY_OUTCOME_PASS, [])
            decisions = []
        draft.decisions.extend(decisions)
        if verdict.outcome == P.POLICY_OUTCOME_DENY:
            return reject(
                verdict.reason_code or "policy_denied", f"no allowed channel: {verdict.reason_code}"
            )
        draft.channel_used = verdict.channel
        wording = (loaded.version.content, declared, values)
        if verdict.channel != request.channel:
            found = await self._fallback_text(loaded, verdict.channel, request, draft, at, reject)
            if found is None:
                return
            wording = found
        try:
            draft.rendered = render(
                verdict.channel,
                request.message_class,
                *wording,
                account_signature=signatures.get(verdict.channel, ""),
            )
        except ValueError as error:
            return reject("render_failed", str(error), P.POLICY_CHECK_VARIABLES)
        if recipient == "customer_id":
            assert draft.profile is not None
            draft.address = contexts[draft.profile.customer_id].addresses[verdict.channel]
            if verdict.channel == C.CHANNEL_WECOM:
                draft.sender = request.sender_advisor_id or draft.profile.wecom_sender
                if not draft.sender:
                    return reject(
                        "no_wecom_sender", "no advisor to send the WeCom message from", P.POLICY_CHECK_ADDRESS
                    )
        elif recipient == "raw_address":
            draft.address = request.raw_address
        else:
            draft.address = request.webhook_subscription_id
        not_before = request.not_before.ToDatetime(tzinfo=UTC) if request.HasField("not_before") else at
        if verdict.outcome == P.POLICY_OUTCOME_HOLD and verdict.hold_until is not None:
            draft.status, draft.reason_code = P.MESSAGE_STATUS_HELD, "quiet_hours"
            draft.scheduled_for = max(verdict.hold_until.astimezone(UTC), not_before)
        elif not_before > at:
            draft.status, draft.reason_code = P.MESSAGE_STATUS_HELD, "not_before"
            draft.scheduled_for = not_before
        else:
            draft.status = P.MESSAGE_STATUS_ACCEPTED
            draft.scheduled_for = at
        if request.HasField("expires_at") and request.expires_at.ToDatetime(tzinfo=UTC) <= at:
            draft.status, draft.reason_code, draft.reason = (
                P.MESSAGE_STATUS_EXPIRED,
                "expired",
                "expires_at passed",
            )

    async def _fallback_text(
        self,
        loaded: LoadedVersion,
        channel: int,
        request: channel_pb2.OutboundMessage,
        draft: Draft,
        at: datetime,
        reject: Callable[..., None],
    ) -> tuple[tpl_pb2.TemplateContent, list[tpl_pb2.TemplateVariable], dict[str, str]] | None:
        """The content a fallback channel sends: the template the primary names for it, else its own.

        The fallback template must be approved for the same class like any template; it may use a
        subset of the primary's variables (the rest are ignored, not reported as unknown).
        """
        named = [f for f in loaded.version.content.fallback_templates if f.channel == channel]
        if not named:
            declared = list(loaded.version.variables)
            values, _ = validate_variables(declared, dict(request.variables))
            return loaded.version.content, declared, values
        ref = named[0]
        try:
            fallback = await self.templates.load(ref.template_code, ref.template_version)
        except NotFound:
            reject(
                "unknown_fallback_template",
                f"fallback template {ref.template_code}@{ref.template_version or 'current'} not found",
                P.POLICY_CHECK_TEMPLATE_APPROVAL,
            )
            return None
        if not self._template_usable(fallback, request, reject, channel=channel):
            return None
        declared = list(fallback.version.variables)
        names = {var.name for var in declared}
        values, problems = validate_variables(
            declared, {k: v for k, v in request.variables.items() if k in names}
        )
        if problems:
            text = "; ".join(f"{p.name}: {p.code} ({p.message})" for p in problems)
            reject("invalid_variables", f"fallback {ref.template_code}: {text}", P.POLICY_CHECK_VARIABLES)
            return None
        draft.decisions.append(
            P.PolicyDecision(
                check=P.POLICY_CHECK_TEMPLATE_APPROVAL,
                outcome=P.POLICY_OUTCOME_PASS,
                channel=channel,
                reason=f"fallback_template:{fallback.template.template_code}@{fallback.version.version}",
                decided_at=_ts(at),
            )
        )
        return fallback.version.content, declared, values

    @staticmethod
    def _template_usable(
        loaded: LoadedVersion,
        request: channel_pb2.OutboundMessage,
        reject: Callable[..., None],
        *,
        channel: int | None = None,
    ) -> bool:
        version = loaded.version
        template = loaded.template
        fail = reject
        if template.channel != (channel or request.channel):
            fail(
                "template_channel_mismatch",
                f"template {template.template_code} is for {C.Channel.Name(template.channel)}",
            )
            return False
        if template.message_class == MANDATORY and request.message_class == MARKETING:
            fail("template_class_mismatch", "a mandatory-notice template cannot carry marketing")
            return False
        if template.message_class == MARKETING and request.message_class != MARKETING:
            fail("template_class_mismatch", "a marketing template must be sent as marketing")
            return False
        status = version.status
        if status == tpl_pb2.TEMPLATE_VERSION_STATUS_RETIRED:
            fail(
                "template_retired",
                f"{template.template_code}@{version.version} is retired",
                P.POLICY_CHECK_TEMPLATE_APPROVAL,
            )
            return False
        if status != tpl_pb2.TEMPLATE_VERSION_STATUS_APPROVED:
            # Marketing only ever uses approved versions; service and mandatory texts are approved
            # too (compliance signs every text that leaves), drafts are for previews only.
            fail(
                "template_not_approved",
                f"{template.template_code}@{version.version} is not approved",
                P.POLICY_CHECK_TEMPLATE_APPROVAL,
            )
            return False
        return True

    async def accept(
        self,
        session: AsyncSession,
        requests: list[channel_pb2.OutboundMessage],
        caller: Caller,
        *,
        dry_run: bool = False,
    ) -> list[channel_pb2.SendResult]:
        """Record every request (in order) and answer each one; commits happen in the caller's transaction."""
        at = datetime.now(UTC)
        # One policy version for the whole batch: decided and counted under the same rules.
        policy = await self.policies.refresh()
        results: list[channel_pb2.SendResult | None] = [None] * len(requests)
        drafts: dict[int, Draft] = {}
        by_key: dict[str, Draft] = {}
        keys = [r.idempotency_key for r in requests if r.idempotency_key]
        existing = await self._existing(session, keys)
        for index, request in enumerate(requests):
            problem = shape_problem(request)
            if problem is not None:
                results[index] = P.SendResult(
                    idempotency_key=request.idempotency_key,
                    disposition=P.SEND_DISPOSITION_REJECTED,
                    status=P.MESSAGE_STATUS_REJECTED,
                    reason_code="invalid_request",
                    reason=f"{problem[0]}: {problem[1]}",
                )
                continue
            digest = request_digest(request)
            if request.idempotency_key in existing:
                results[index] = self._duplicate_result(existing[request.idempotency_key], digest)
                continue
            first = by_key.get(request.idempotency_key)
            if first is not None:
                # The same key twice in one batch: the second is a duplicate of the first.
                results[index] = P.SendResult(
                    idempotency_key=request.idempotency_key,
                    message_id=first.message_id,
                    disposition=P.SEND_DISPOSITION_DUPLICATE
                    if first.request_sha256 == digest
                    else P.SEND_DISPOSITION_KEY_CONFLICT,
                    reason_code="" if first.request_sha256 == digest else "idempotency_key_reused",
                )
                continue
            drafts[index] = by_key[request.idempotency_key] = Draft(request=request, request_sha256=digest)
        if drafts:
            await self._prepare(list(drafts.values()), at, session, caller, policy)
        if dry_run:
            for index, draft in drafts.items():
                results[index] = self._result(
                    draft,
                    P.SEND_DISPOSITION_ACCEPTED
                    if draft.status != P.MESSAGE_STATUS_REJECTED
                    else P.SEND_DISPOSITION_REJECTED,
                )
            return [r for r in results if r is not None]
        inserted = await self._insert(session, list(drafts.values()), at, policy) if drafts else set()
        lost_race = [d.request.idempotency_key for d in drafts.values() if d.message_id not in inserted]
        winners = await self._existing(session, lost_race) if lost_race else {}
        for index, draft in drafts.items():
            if draft.message_id in inserted:
                disposition = (
                    P.SEND_DISPOSITION_REJECTED
                    if draft.status == P.MESSAGE_STATUS_REJECTED
                    else P.SEND_DISPOSITION_ACCEPTED
                )
                results[index] = self._result(draft, disposition)
            else:
                results[index] = self._duplicate_result(
                    winners[draft.request.idempotency_key], draft.request_sha256
                )
        return [r for r in results if r is not None]

    @staticmethod
    def _result(draft: Draft, disposition: int) -> channel_pb2.SendResult:
        return P.SendResult(
            idempotency_key=draft.request.idempotency_key,
            message_id=draft.message_id,
            disposition=disposition,
            status=draft.status,
            channel=draft.channel_used,
            reason_code=draft.reason_code,
            reason=draft.reason,
            decisions=draft.decisions,
            scheduled_for=_ts(draft.scheduled_for) if draft.status == P.MESSAGE_STATUS_HELD else None,
        )

    @staticmethod
    def _duplicate_result(row: sa.Row, digest: str) -> channel_pb2.SendResult:
        same = row.request_sha256 == digest
        return P.SendResult(
            idempotency_key=row.idempotency_key,
            message_id=row.message_id,
            disposition=P.SEND_DISPOSITION_DUPLICATE if same else P.SEND_DISPOSITION_KEY_CONFLICT,
            status=row.status,
            channel=row.channel_used,
            reason_code=row.reason_code if same else "idempotency_key_reused",
            reason="" if same else "the idempotency key was already used with a different request",
        )

    @staticmethod
    async def _existing(session: AsyncSession, keys: list[str]) -> dict[str, sa.Row]:
        if not keys:
            return {}
        rows = (
            await session.execute(
                sa.select(
                    messages.c.idempotency_key,
                    messages.c.message_id,
                    messages.c.request_sha256,
                    messages.c.status,
                    messages.c.channel_used,
                    messages.c.reason_code,
                ).where(messages.c.idempotency_key.in_(keys))
            )
        ).all()
        return {row.idempotency_key: row for row in rows}

    async def _insert(
        self, session: AsyncSession, drafts: list[Draft], at: datetime, policy: ContactPolicy
    ) -> set[str]:
        rows = []
        for draft in drafts:
            request = draft.request
            rendered = draft.rendered
            rows.append(
                {
                    "message_id": draft.message_id,
                    "idempotency_key": request.idempotency_key,
                    "request_sha256": draft.request_sha256,
                    "request_enc": self.cipher.encrypt(
                        request.SerializeToString().hex(), context=PII_CONTEXT_REQUEST
                    ),
                    "customer_id": request.customer_id or None,
                    "branch_id": draft.profile.branch_id if draft.profile else None,
                    "advisor_id": (request.sender_advisor_id or draft.profile.advisor_id)
                    if draft.profile
                    else None,
                    "webhook_subscription_id": request.webhook_subscription_id or None,
                    "sender_id": draft.sender or None,
                    "channel": request.channel,
                    "channel_used": draft.channel_used,
                    "template_code": request.template_code,
                    "template_version": draft.template_version,
                    "message_class": request.message_class,
                    "priority": request.priority,
                    "campaign_id": request.origin.campaign_id or None,
                    "strategy_id": request.origin.strategy_id or None,
                    "task_id": request.origin.task_id or None,
                    "origin_source": request.origin.source or None,
                    "status": draft.status,
                    "reason_code": draft.reason_code,
                    "decisions": [decision_json(d) for d in draft.decisions],
                    "labels": dict(request.labels),
                    "address_enc": self.cipher.encrypt(draft.address, context=PII_CONTEXT_ADDRESS)
                    if draft.address
                    else None,
                    "address_index": address_index(self.cipher, draft.address) if draft.address else None,
                    "content_enc": self.cipher.encrypt(rendered.to_json(), context=PII_CONTEXT_CONTENT)
                    if rendered
                    else None,
                    "content_sha256": rendered.sha256 if rendered else "",
                    "rendered_preview": rendered.preview if rendered else "",
                    "provider_template_id": rendered.provider_template_id if rendered else "",
                    "dispatch_state": "idle"
                    if draft.status in (P.MESSAGE_STATUS_ACCEPTED, P.MESSAGE_STATUS_HELD)
                    else "done",
                    "scheduled_for": draft.scheduled_for,
                    "expires_at": request.expires_at.ToDatetime(tzinfo=UTC)
                    if request.HasField("expires_at")
                    else None,
                    "created_at": at,
                    "updated_at": at,
                }
            )
        # One statement for the batch; rows in key order, so two batches racing on the same keys
        # wait for each other in the same order instead of deadlocking.
        rows.sort(key=lambda row: str(row["idempotency_key"]))
        found = await bulk.insert(
            session,
            messages,
            rows,
            on_conflict="ON CONFLICT (idempotency_key) DO NOTHING",
            returning="message_id",
        )
        inserted = {row.message_id for row in found}
        if not inserted:
            return inserted
        kept = [d for d in drafts if d.message_id in inserted]
        await bulk.insert(
            session,
            message_status_history,
            [
                {
                    "message_id": d.message_id,
                    "seq": 1,
                    "status": d.status,
                    "channel": d.channel_used,
                    "detail": d.reason_code,
                    "occurred_at": at,
                }
                for d in kept
            ],
        )
        counted: dict[tuple[str, int, object, int], int] = {}
        for d in kept:
            if d.status in (P.MESSAGE_STATUS_ACCEPTED, P.MESSAGE_STATUS_HELD) and d.request.customer_id:
                day = policy.local_day(d.scheduled_for or at)
                key = (d.request.customer_id, d.channel_used, day, d.request.message_class)
                counted[key] = counted.get(key, 0) + 1
        if counted:
            # executemany of one compiled upsert (in a stable order, so concurrent batches lock the
            # same rows in the same order): a multi-row VALUES would be compiled afresh per batch.
            statement = pg_insert(contact_counts)
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["customer_id", "channel", "local_day", "message_class"],
                    set_={"sent": contact_counts.c.sent + statement.excluded.sent},
                ),
                [
                    {
                        "customer_id": k[0],
                        "channel": k[1],
                        "local_day": k[2],
                        "message_class": k[3],
                        "sent": n,
                    }
                    for k, n in sorted(counted.items(), key=lambda item: str(item[0]))
                ],
            )
        await emit_all(
            session,
            [
                status_event(
                    d.message_id,
                    d.request,
                    d.profile,
                    d.channel_used,
                    d.template_version,
                    d.status,
                    0,
                    d.reason_code,
                    1,
                    at,
                )
                for d in kept
            ],
        )
        return inserted


def status_event(
    message_id: str,
    request: channel_pb2.OutboundMessage,
    profile: CustomerProfile | None,
    channel: int,
    template_version: int,
    status: int,
    previous: int,
    reason_code: str,
    sequence: int,
    at: datetime,
    *,
    call_result: int = 0,
) -> channel_events_pb2.MessageStatusChanged:
    return channel_events_pb2.MessageStatusChanged(
        message_id=message_id,
        idempotency_key=request.idempotency_key,
        customer=customer_pb2.CustomerRef(
            customer_id=request.customer_id,
            branch_id=profile.branch_id if profile else "",
            advisor_id=profile.advisor_id if profile else "",
        ),
        channel=channel,
        status=status,
        previous_status=previous,
        message_class=request.message_class,
        origin=request.origin,
        template_code=request.template_code,
        template_version=template_version,
        reason_code=reason_code,
        call_result=call_result,
        sequence=sequence,
        status_at=_ts(at),
        webhook_subscription_id=request.webhook_subscription_id,
    )


def address_index(cipher: PiiCipher, address: str) -> str:
    """Blind index of an address, with phone numbers normalised (replies arrive as +86…)."""
    return cipher.blind_index(address.strip().removeprefix("+86"), context=PII_CONTEXT_ADDRESS)


def decision_json(decision: channel_pb2.PolicyDecision) -> dict[str, object]:
    """A decision as stored in the ledger (protobuf JSON field names, enums as numbers)."""
    return {
        "check": decision.check,
        "outcome": decision.outcome,
        "channel": decision.channel,
        "reason": decision.reason,
        "decidedAt": _json_time(decision.decided_at.seconds, decision.decided_at.nanos),
    }


@lru_cache(maxsize=64)
def _json_time(seconds: int, nanos: int) -> str:
    """RFC 3339 text of a decision time (a batch's decisions share one; formatted once)."""
    return Timestamp(seconds=seconds, nanos=nanos).ToJsonString()
