"""Suitability decisions: inputs gathered, rules applied, every decision stored for audit.

Customer risk data belongs to the tag service. A single Check asks it over gRPC
(TagService.GetCustomer, the freshest answer) and falls back to this service's projection when
the tag service cannot be reached; a batch (`suitability_batch.py`) uses the projection only
(kept current by `lingxi.tag.customer.changed`), since a call per customer would not scale. The
decision records which source it used, with the exact inputs and the rule version, so
ReplayDecision reproduces it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import grpc
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.events.v1 import tag_events_pb2
from lingxi.product.v1 import suitability_service_pb2
from lingxi.tag.v1 import customer_pb2, tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_product import catalog
from lingxi_product.convert import from_date, money, parse_decimal, timestamp, to_date
from lingxi_product.customer_context import CustomerContext, from_full_view
from lingxi_product.models import (
    CURRENT_XID,
    customer_risk,
    suitability_decisions,
)
from lingxi_product.suitability_rules import (
    RULE_VERSION,
    CustomerRisk,
    Outcome,
    ProductFacts,
    decide,
    explain,
)

log = logging.getLogger(__name__)
BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
MAX_BATCH = 100_000
MAX_INLINE = 10_000
_INACTIVE = (customer_pb2.CUSTOMER_STATUS_FROZEN, customer_pb2.CUSTOMER_STATUS_CLOSED)


def business_date() -> date:
    return datetime.now(BUSINESS_TZ).date()


# ---- the customer projection -------------------------------------------------------------------


async def apply_customer_changed(session: AsyncSession, event: tag_events_pb2.CustomerChanged) -> bool:
    """Upsert the projection unless a newer (or the same) version is already applied."""
    if not event.customer_id:
        return False
    values = {
        "branch_id": event.branch_id,
        "advisor_id": event.advisor_id,
        "version": event.version,
        "risk_level": event.risk_level,
        "risk_assessment_expires_on": to_date(event.risk_assessment_expires_on, "risk_assessment_expires_on"),
        "professional_investor": event.professional_investor,
        "updated_at": sa.func.now(),
        "written_xid": CURRENT_XID,
    }
    # Frozen and closed customers may not be sold to. An event without a status (a producer that
    # does not set the field) leaves the known status as it is; a new customer starts active.
    if event.status != customer_pb2.CUSTOMER_STATUS_UNSPECIFIED:
        values["active"] = event.status not in _INACTIVE
    insert = postgresql.insert(customer_risk).values(customer_id=event.customer_id, **values)
    statement = insert.on_conflict_do_update(
        index_elements=["customer_id"],
        set_=values,
        where=customer_risk.c.version < insert.excluded.version,
    ).returning(customer_risk.c.customer_id)
    return (await session.execute(statement)).first() is not None


def _from_projection(row: Any) -> CustomerRisk:
    return CustomerRisk(
        customer_id=row.customer_id,
        risk_level=row.risk_level,
        expires_on=row.risk_assessment_expires_on,
        professional=row.professional_investor,
        active=row.active,
        version=row.version,
    )


class CustomerSource:
    """Where single checks read a customer's risk profile: the tag service, else the projection."""

    def __init__(self, channel: grpc.aio.Channel | None, timeout: float = 2.0) -> None:
        self._stub = tag_service_pb2_grpc.TagServiceStub(channel) if channel is not None else None
        self._timeout = timeout

    async def ask(
        self, customer_id: str, *, full: bool = False
    ) -> tag_service_pb2.GetCustomerResponse | None:
        """The tag service's answer; None when it does not know the customer.

        Raises `TagUnavailable` when it cannot answer (or none is configured): callers fall back
        to the projection.
        """
        if self._stub is None:
            raise TagUnavailable("no tag service configured")
        view = tag_service_pb2.CUSTOMER_VIEW_FULL if full else tag_service_pb2.CUSTOMER_VIEW_BASIC
        try:
            return await self._stub.GetCustomer(
                tag_service_pb2.GetCustomerRequest(customer_id=customer_id, view=view), timeout=self._timeout
            )
        except grpc.aio.AioRpcError as error:
            if error.code() == grpc.StatusCode.NOT_FOUND:
                return None
            log.warning("tag service unavailable (%s); using the projection", error.code().name)
            raise TagUnavailable(error.code().name) from error

    async def prefetch(
        self, customer_ids: Sequence[str], *, full: bool, concurrency: int = 16
    ) -> dict[str, Any]:
        """Answers for many customers at once (a call each, `concurrency` in flight); customers the
        tag service could not answer for are left out, so `lookup` falls back for them."""
        gate = asyncio.Semaphore(concurrency)
        answers: dict[str, Any] = {}

        async def one(customer_id: str) -> None:
            async with gate:
                with contextlib.suppress(TagUnavailable):
                    answers[customer_id] = await self.ask(customer_id, full=full)

        await asyncio.gather(*(one(cid) for cid in dict.fromkeys(customer_ids)))
        return answers

    async def lookup(
        self, session: AsyncSession, customer_id: str
    ) -> tuple[CustomerRisk, str, str, str] | None:
        """(risk profile, branch, advisor, source) or None when the customer is unknown."""
        found = await self.lookup_with_context(session, customer_id, full=False)
        return found[0] if found is not None else None

    async def lookup_with_context(
        self,
        session: AsyncSession,
        customer_id: str,
        *,
        full: bool = True,
        answers: dict[str, Any] | None = None,
    ) -> tuple[tuple[CustomerRisk, str, str, str], CustomerContext] | None:
        """As `lookup`, plus the holdings and tags recommendations rank by (view FULL)."""
        reply: Any = _UNANSWERED
        if answers is not None and customer_id in answers:
            reply = answers[customer_id]
        elif answers is None:
            try:
                reply = await self.ask(customer_id, full=full)
            except TagUnavailable:
                reply = _UNANSWERED
        if reply is None:
            return None
        if reply is not _UNANSWERED:
            c = reply.customer
            profile = CustomerRisk(
                customer_id=c.customer_id,
                risk_level=c.risk_level,
                expires_on=to_date(c.risk_assessment_expires_on, "risk_assessment_expires_on"),
                professional=c.professional_investor,
                active=c.status not in _INACTIVE,
                version=c.version,
            )
            context = from_full_view(reply) if full else CustomerContext()
            return (profile, c.branch_id, c.advisor_id, "tag_service"), context
        row = (
            await session.execute(sa.select(customer_risk).where(customer_risk.c.customer_id == customer_id))
        ).first()
        if row is None:
            return None
        return (_from_projection(row), row.branch_id, row.advisor_id, "projection"), CustomerContext()


class TagUnavailable(Exception):
    """The tag service did not answer (or none is configured)."""


_UNANSWERED = object()


# ---- snapshots ---------------------------------------------------------------------------------


def product_facts(row: Any) -> ProductFacts:
    return ProductFacts(
        product_id=row.product_id,
        risk_rating=row.risk_rating,
        status=row.status,
        min_investment=row.min_investment,
        version=row.version,
    )


def customer_json(c: CustomerRisk) -> dict[str, Any]:
    return {
        "customer_id": c.customer_id,
        "risk_level": c.risk_level,
        "expires_on": c.expires_on.isoformat() if c.expires_on else None,
        "professional": c.professional,
        "active": c.active,
        "version": c.version,
    }


def product_json(p: ProductFacts) -> dict[str, Any]:
    return {
        "product_id": p.product_id,
        "risk_rating": p.risk_rating,
        "status": p.status,
        "min_investment": str(p.min_investment) if p.min_investment is not None else None,
        "version": p.version,
    }


def customer_from_json(data: dict[str, Any]) -> CustomerRisk:
    return CustomerRisk(
        customer_id=data["customer_id"],
        risk_level=data["risk_level"],
        expires_on=date.fromisoformat(data["expires_on"]) if data["expires_on"] else None,
        professional=data["professional"],
        active=data["active"],
        version=data["version"],
    )


def product_from_json(data: dict[str, Any]) -> ProductFacts:
    return ProductFacts(
        product_id=data["product_id"],
        risk_rating=data["risk_rating"],
        status=data["status"],
        min_investment=Decimal(data["min_investment"]) if data["min_investment"] is not None else None,
        version=data["version"],
    )


def decision_to_proto(row: Any) -> suitability_service_pb2.SuitabilityDecision:
    inputs = row.inputs
    c = customer_from_json(inputs["customer"])
    p = product_from_json(inputs["product"])
    message = suitability_service_pb2.SuitabilityDecision(
        decision_id=str(row.decision_id),
        allowed=row.allowed,
        reasons=row.reasons,
        explanation=row.explanation,
        rule_version=row.rule_version,
        purpose=row.purpose,
        customer=suitability_service_pb2.CustomerRiskSnapshot(
            customer_id=c.customer_id,
            risk_level=c.risk_level,
            risk_assessment_expires_on=from_date(c.expires_on),
            professional_investor=c.professional,
            customer_version=c.version,
            active=c.active,
        ),
        product=suitability_service_pb2.ProductSnapshot(
            product_id=p.product_id,
            risk_rating=p.risk_rating,
            status=p.status,
            min_investment=money(p.min_investment),
            product_version=p.version,
        ),
        evaluated_on=from_date(row.evaluated_on),
        decided_at=timestamp(row.decided_at),
        requested_by=row.requested_by,
    )
    if inputs.get("intended_amount") is not None:
        message.intended_amount.CopyFrom(money(Decimal(inputs["intended_amount"])))
    return message


async def record(
    session: AsyncSession,
    caller: Caller,
    customer: CustomerRisk,
    product: ProductFacts,
    outcome: Outcome,
    *,
    purpose: int,
    on: date,
    intended_amount: Decimal | None,
    source: str,
) -> Any:
    """Store one decision with everything needed to replay it."""
    return (
        await session.execute(
            suitability_decisions.insert()
            .values(
                decision_id=uuid.uuid4(),
                customer_id=customer.customer_id,
                product_id=product.product_id,
                allowed=outcome.allowed,
                reasons=list(outcome.reasons),
                explanation=explain(customer, product, outcome),
                rule_version=RULE_VERSION,
                purpose=purpose,
                inputs={
                    "customer": customer_json(customer),
                    "product": product_json(product),
                    "intended_amount": str(intended_amount) if intended_amount is not None else None,
                    "customer_source": source,
                },
                evaluated_on=on,
                requested_by=caller.subject,
            )
            .returning(suitability_decisions)
        )
    ).one()


def resolve_purpose(purpose: int) -> int:
    if purpose == suitability_service_pb2.SUITABILITY_PURPOSE_UNSPECIFIED:
        return suitability_service_pb2.SUITABILITY_PURPOSE_RECOMMEND
    if purpose not in suitability_service_pb2.SuitabilityPurpose.values():
        raise InvalidArgument("purpose", f"unknown purpose {purpose}")
    return purpose


async def check(
    session: AsyncSession,
    source: CustomerSource,
    caller: Caller,
    request: suitability_service_pb2.CheckRequest,
    *,
    on: date | None = None,
) -> suitability_service_pb2.SuitabilityDecision:
    if caller.role in (Role.PARTNER, Role.SRE):
        raise PermissionDenied(f"role {caller.role.value} may not run suitability checks")
    if not request.customer_id:
        raise InvalidArgument("customer_id", "required")
    if not request.product_id:
        raise InvalidArgument("product_id", "required")
    purpose = resolve_purpose(request.purpose)
    amount = parse_decimal(request.intended_amount.amount, "intended_amount.amount")
    if purpose == suitability_service_pb2.SUITABILITY_PURPOSE_SELL and amount is None:
        raise InvalidArgument("intended_amount", "required for a sale (minimum investment rule)")
    if amount is not None and amount <= 0:
        raise InvalidArgument("intended_amount.amount", "must be positive")
    product = product_facts(await catalog.load_row(session, request.product_id))
    found = await source.lookup(session, request.customer_id)
    if found is None:
        raise NotFound("customer", request.customer_id)
    customer, branch_id, advisor_id, origin = found
    if not caller.can_see_customer(
        customer_id=customer.customer_id, branch_id=branch_id, advisor_id=advisor_id
    ):
        raise PermissionDenied(f"customer {request.customer_id!r} is outside your data scope")
    day = on or business_date()
    outcome = decide(customer, product, on=day, purpose=purpose, intended_amount=amount)
    row = await record(
        session,
        caller,
        customer,
        product,
        outcome,
        purpose=purpose,
        on=day,
        intended_amount=amount,
        source=origin,
    )
    return decision_to_proto(row)


def parse_id(value: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise InvalidArgument(field, "not an id issued by this service") from error


# ---- audit -------------------------------------------------------------------------------------


def audit_reader(caller: Caller) -> None:
    if caller.role not in (
        Role.COMPLIANCE,
        Role.HQ_OPERATOR,
        Role.SERVICE,
        Role.BRANCH_MANAGER,
        Role.ADVISOR,
    ):
        raise PermissionDenied(f"role {caller.role.value} may not read suitability decisions")


async def get_decision(session: AsyncSession, caller: Caller, decision_id: str) -> Any:
    audit_reader(caller)
    row = (
        await session.execute(
            sa.select(suitability_decisions).where(
                suitability_decisions.c.decision_id == parse_id(decision_id, "decision_id")
            )
        )
    ).first()
    if row is None:
        raise NotFound("suitability decision", decision_id)
    if not caller.sees_all_customers:
        scope = (
            await session.execute(
                sa.select(customer_risk).where(customer_risk.c.customer_id == row.customer_id)
            )
        ).first()
        if scope is None or not caller.can_see_customer(
            customer_id=row.customer_id, branch_id=scope.branch_id, advisor_id=scope.advisor_id
        ):
            raise PermissionDenied(f"decision {decision_id!r} is about a customer outside your data scope")
    return row


async def list_decisions(
    session: AsyncSession,
    caller: Caller,
    customer_id: str,
    product_id: str,
    since: datetime | None,
    until: datetime | None,
    after: tuple[str, str] | None,
    limit: int,
) -> list[Any]:
    audit_reader(caller)
    if not caller.sees_all_customers and not customer_id:
        raise InvalidArgument("customer_id", "required for roles scoped to some customers")
    if customer_id and not caller.sees_all_customers:
        scope = (
            await session.execute(sa.select(customer_risk).where(customer_risk.c.customer_id == customer_id))
        ).first()
        if scope is None or not caller.can_see_customer(
            customer_id=customer_id, branch_id=scope.branch_id, advisor_id=scope.advisor_id
        ):
            raise PermissionDenied(f"customer {customer_id!r} is outside your data scope")
    d = suitability_decisions.c
    statement = sa.select(suitability_decisions)
    if customer_id:
        statement = statement.where(d.customer_id == customer_id)
    if product_id:
        statement = statement.where(d.product_id == product_id)
    if since:
        statement = statement.where(d.decided_at >= since)
    if until:
        statement = statement.where(d.decided_at < until)
    if after:
        statement = statement.where(
            sa.tuple_(d.decided_at, sa.cast(d.decision_id, sa.Text))
            < (datetime.fromisoformat(after[0]), after[1])
        )
    statement = statement.order_by(d.decided_at.desc(), sa.cast(d.decision_id, sa.Text).desc()).limit(limit)
    return list((await session.execute(statement)).all())


def replay(row: Any) -> Outcome:
    """Re-decide from the stored inputs under the stored rule version and business date."""
    inputs = row.inputs
    amount = inputs.get("intended_amount")
    return decide(
        customer_from_json(inputs["customer"]),
        product_from_json(inputs["product"]),
        on=row.evaluated_on,
        purpose=row.purpose,
        intended_amount=Decimal(amount) if amount is not None else None,
        rule_version=row.rule_version,
    )
