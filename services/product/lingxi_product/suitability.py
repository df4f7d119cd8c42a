"""Suitability decisions: inputs gathered, rules applied, every decision stored for audit.

Customer risk data belongs to the tag service. A single Check asks it over gRPC
(TagService.GetCustomer, the freshest answer) and falls back to this service's projection when
the tag service cannot be reached; a batch uses the projection only (kept current by
`lingxi.tag.customer.changed`), since a call per customer would not scale. The decision records
which source it used, with the exact inputs and the rule version, so ReplayDecision reproduces it.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import grpc
import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.events.v1 import tag_events_pb2
from lingxi.product.v1 import suitability_service_pb2
from lingxi.tag.v1 import customer_pb2, tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_product import catalog
from lingxi_product.convert import from_date, money, parse_decimal, timestamp, to_date
from lingxi_product.models import (
    customer_risk,
    suitability_batch_results,
    suitability_batches,
    suitability_decisions,
)
from lingxi_product.suitability_rules import (
    RULE_VERSION,
    CustomerArrays,
    CustomerRisk,
    Outcome,
    ProductFacts,
    decide,
    decide_many,
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
    }
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

    async def lookup(
        self, session: AsyncSession, customer_id: str
    ) -> tuple[CustomerRisk, str, str, str] | None:
        """(risk profile, branch, advisor, source) or None when the customer is unknown."""
        if self._stub is not None:
            try:
                reply = await self._stub.GetCustomer(
                    tag_service_pb2.GetCustomerRequest(customer_id=customer_id), timeout=self._timeout
                )
            except grpc.aio.AioRpcError as error:
                if error.code() == grpc.StatusCode.NOT_FOUND:
                    return None
                log.warning("tag service unavailable (%s); using the projection", error.code().name)
            else:
                c = reply.customer
                profile = CustomerRisk(
                    customer_id=c.customer_id,
                    risk_level=c.risk_level,
                    expires_on=to_date(c.risk_assessment_expires_on, "risk_assessment_expires_on"),
                    professional=c.professional_investor,
                    active=c.status not in _INACTIVE,
                    version=c.version,
                )
                return profile, c.branch_id, c.advisor_id, "tag_service"
        row = (
            await session.execute(sa.select(customer_risk).where(customer_risk.c.customer_id == customer_id))
        ).first()
        if row is None:
            return None
        return _from_projection(row), row.branch_id, row.advisor_id, "projection"


# ---- snapshots ---------------------------------------------------------------------------------


def product_facts(row: Any) -> ProductFacts:
    return ProductFacts(
        product_id=row.product_id,
        risk_rating=row.risk_rating,
        status=row.status,
        min_investment=row.min_investment,
        version=row.version,
    )


def _customer_json(c: CustomerRisk) -> dict[str, Any]:
    return {
        "customer_id": c.customer_id,
        "risk_level": c.risk_level,
        "expires_on": c.expires_on.isoformat() if c.expires_on else None,
        "professional": c.professional,
        "active": c.active,
        "version": c.version,
    }


def _product_json(p: ProductFacts) -> dict[str, Any]:
    return {
        "product_id": p.product_id,
        "risk_rating": p.risk_rating,
        "status": p.status,
        "min_investment": str(p.min_investment) if p.min_investment is not None else None,
        "version": p.version,
    }


def _customer_from_json(data: dict[str, Any]) -> CustomerRisk:
    return CustomerRisk(
        customer_id=data["customer_id"],
        risk_level=data["risk_level"],
        expires_on=date.fromisoformat(data["expires_on"]) if data["expires_on"] else None,
        professional=data["professional"],
        active=data["active"],
        version=data["version"],
    )


def _product_from_json(data: dict[str, Any]) -> ProductFacts:
    return ProductFacts(
        product_id=data["product_id"],
        risk_rating=data["risk_rating"],
        status=data["status"],
        min_investment=Decimal(data["min_investment"]) if data["min_investment"] is not None else None,
        version=data["version"],
    )


def decision_to_proto(row: Any) -> suitability_service_pb2.SuitabilityDecision:
    inputs = row.inputs
    c = _customer_from_json(inputs["customer"])
    p = _product_from_json(inputs["product"])
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
                    "customer": _customer_json(customer),
                    "product": _product_json(product),
                    "intended_amount": str(intended_amount) if intended_amount is not None else None,
                    "customer_source": source,
                },
                evaluated_on=on,
                requested_by=caller.subject,
            )
            .returning(suitability_decisions)
        )
    ).one()


def _purpose(purpose: int) -> int:
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
    purpose = _purpose(request.purpose)
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


# ---- batch -------------------------------------------------------------------------------------


async def load_arrays(session: AsyncSession, customer_ids: Sequence[str]) -> tuple[CustomerArrays, list[Any]]:
    """The projection rows of the ids, as columns aligned with `customer_ids` (unknown → known=False)."""
    rows = (
        await session.execute(
            sa.select(
                customer_risk.c.customer_id,
                customer_risk.c.risk_level,
                customer_risk.c.risk_assessment_expires_on,
                customer_risk.c.professional_investor,
                customer_risk.c.active,
                customer_risk.c.version,
                customer_risk.c.branch_id,
                customer_risk.c.advisor_id,
            ).where(
                customer_risk.c.customer_id
                == sa.func.any(sa.cast(list(customer_ids), postgresql.ARRAY(sa.Text)))
            )
        )
    ).all()
    by_id = {row.customer_id: row for row in rows}
    aligned = [by_id.get(cid) for cid in customer_ids]
    arrays = CustomerArrays(
        risk_level=np.array([r.risk_level if r else 0 for r in aligned], dtype=np.int8),
        expires_ordinal=np.array(
            [
                r.risk_assessment_expires_on.toordinal() if r and r.risk_assessment_expires_on else 0
                for r in aligned
            ],
            dtype=np.int32,
        ),
        professional=np.array([bool(r and r.professional_investor) for r in aligned], dtype=np.bool_),
        active=np.array([bool(r is None or r.active) for r in aligned], dtype=np.bool_),
        known=np.array([r is not None for r in aligned], dtype=np.bool_),
    )
    return arrays, aligned


async def check_batch(
    session: AsyncSession,
    caller: Caller,
    request: suitability_service_pb2.CheckBatchRequest,
    *,
    on: date | None = None,
) -> suitability_service_pb2.CheckBatchResponse:
    started = time.perf_counter()
    if caller.role in (Role.PARTNER, Role.SRE, Role.CUSTOMER):
        raise PermissionDenied(f"role {caller.role.value} may not run batch suitability checks")
    if request.WhichOneof("target") == "snapshot_id":
        raise FailedPrecondition(
            "audience snapshots are not available from the tag service yet; pass the customer ids instead"
        )
    if request.WhichOneof("target") != "customers" or not request.customers.customer_ids:
        raise InvalidArgument("customers", "a non-empty customer id list (or a snapshot id) is required")
    ids = list(dict.fromkeys(request.customers.customer_ids))
    if len(ids) > MAX_BATCH:
        raise InvalidArgument("customers.customer_ids", f"at most {MAX_BATCH} ids per call")
    purpose = _purpose(request.purpose)
    if purpose == suitability_service_pb2.SUITABILITY_PURPOSE_SELL:
        raise InvalidArgument("purpose", "a sale is checked one customer at a time, with its amount")
    if not 0 <= request.inline_limit <= MAX_INLINE:
        raise InvalidArgument("inline_limit", f"between 0 and {MAX_INLINE}")
    product = product_facts(await catalog.load_row(session, request.product_id))
    arrays, aligned = await load_arrays(session, ids)
    if not caller.sees_all_customers:
        for cid, row in zip(ids, aligned, strict=True):
            if row is not None and not caller.can_see_customer(
                customer_id=cid, branch_id=row.branch_id, advisor_id=row.advisor_id
            ):
                raise PermissionDenied(f"customer {cid!r} is outside your data scope")
    day = on or business_date()
    allowed, masks = decide_many(arrays, product, on=day)
    reason_order = list(masks)
    stacked = (
        np.stack([masks[r] for r in reason_order]) if reason_order else np.zeros((0, len(ids)), dtype=bool)
    )
    batch_id = uuid.uuid4()
    fingerprint = hashlib.sha256(
        "\n".join(
            f"{cid}:{row.version if row else 0}" for cid, row in sorted(zip(ids, aligned, strict=True))
        ).encode()
        + f"|{product.product_id}:{product.version}|{day}".encode()
    ).hexdigest()
    denied_by_reason = {str(reason): int(np.count_nonzero(masks[reason])) for reason in reason_order}
    allowed_count = int(np.count_nonzero(allowed))
    await session.execute(
        suitability_batches.insert().values(
            batch_id=batch_id,
            product_id=product.product_id,
            rule_version=RULE_VERSION,
            purpose=purpose,
            product_snapshot=_product_json(product),
            evaluated_on=day,
            evaluated=len(ids),
            allowed=allowed_count,
            denied=len(ids) - allowed_count,
            denied_by_reason={k: v for k, v in denied_by_reason.items() if v},
            input_fingerprint=fingerprint,
            requested_by=caller.subject,
        )
    )
    results = []
    for index, cid in enumerate(ids):
        reasons = [reason_order[i] for i in np.flatnonzero(stacked[:, index])]
        row = aligned[index]
        results.append(
            {
                "batch_id": batch_id,
                "customer_id": cid,
                "allowed": bool(allowed[index]),
                "reasons": reasons,
                "customer_version": row.version if row else 0,
            }
        )
    for start in range(0, len(results), 5000):
        await session.execute(suitability_batch_results.insert(), results[start : start + 5000])
    allowed_ids = [cid for cid, ok in zip(ids, allowed, strict=True) if ok]
    return suitability_service_pb2.CheckBatchResponse(
        batch_id=str(batch_id),
        evaluated=len(ids),
        allowed=allowed_count,
        denied=len(ids) - allowed_count,
        denied_by_reason=[
            suitability_service_pb2.ReasonCount(reason=int(reason), count=count)
            for reason, count in sorted(denied_by_reason.items(), key=lambda kv: int(kv[0]))
            if count
        ],
        allowed_customer_ids=allowed_ids if len(allowed_ids) <= request.inline_limit else [],
        rule_version=RULE_VERSION,
        elapsed_ms=int((time.perf_counter() - started) * 1000),
    )


def _uuid(value: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise InvalidArgument(field, "not an id issued by this service") from error


async def list_batch_results(
    session: AsyncSession, batch_id: str, denied: bool, after: str | None, limit: int
) -> list[suitability_service_pb2.BatchCheckResult]:
    key = _uuid(batch_id, "batch_id")
    if (
        await session.execute(
            sa.select(suitability_batches.c.batch_id).where(suitability_batches.c.batch_id == key)
        )
    ).first() is None:
        raise NotFound("suitability batch", batch_id)
    r = suitability_batch_results.c
    statement = sa.select(suitability_batch_results).where(r.batch_id == key, r.allowed.is_(not denied))
    if after:
        statement = statement.where(r.customer_id > after)
    rows = (await session.execute(statement.order_by(r.customer_id).limit(limit))).all()
    return [
        suitability_service_pb2.BatchCheckResult(
            customer_id=row.customer_id, allowed=row.allowed, reasons=row.reasons
        )
        for row in rows
    ]


# ---- audit -------------------------------------------------------------------------------------


def _audit_reader(caller: Caller) -> None:
    if caller.role not in (
        Role.COMPLIANCE,
        Role.HQ_OPERATOR,
        Role.SERVICE,
        Role.BRANCH_MANAGER,
        Role.ADVISOR,
    ):
        raise PermissionDenied(f"role {caller.role.value} may not read suitability decisions")


async def get_decision(session: AsyncSession, caller: Caller, decision_id: str) -> Any:
    _audit_reader(caller)
    row = (
        await session.execute(
            sa.select(suitability_decisions).where(
                suitability_decisions.c.decision_id == _uuid(decision_id, "decision_id")
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
    _audit_reader(caller)
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
        _customer_from_json(inputs["customer"]),
        _product_from_json(inputs["product"]),
        on=row.evaluated_on,
        purpose=row.purpose,
        intended_amount=Decimal(amount) if amount is not None else None,
        rule_version=row.rule_version,
    )
