"""gRPC API of the points service: PointsService (members, ledger, rules, tiers, adjustments,
liability, expiry) and RewardService (catalog and redemptions).

Every RPC enforces the caller's role and data scope here, not only in the gateway: a customer
reaches only their own member, balance, history, check-in and redemptions; staff see members
within their scope; ledger writes come from HQ operators or other services.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import grpc
import sqlalchemy as sa
from google.protobuf.json_format import MessageToDict
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import customer_pb2, decimal_pb2, paging_pb2
from lingxi.points.v1 import (
    points_pb2,
    points_service_pb2,
    points_service_pb2_grpc,
    reward_service_pb2,
    reward_service_pb2_grpc,
)
from lingxi_common.db import transaction
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.grpc_server import add_services, current_caller
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceContext
from lingxi_points import adjustments, checkin, expiry, ledger, members, report, rewards, rules, tiers
from lingxi_points.events import proto_date
from lingxi_points.group_commit import Posted, PostingGroupCommit, PostingRequest
from lingxi_points.models import balances, postings
from lingxi_points.models import members as members_table
from lingxi_points.settings import PointsSettings

CONTRACTS = [
    (points_service_pb2, points_service_pb2_grpc),
    (reward_service_pb2, reward_service_pb2_grpc),
]

# Who may write to the ledger or change configuration.
LEDGER_WRITERS = frozenset({Role.HQ_OPERATOR, Role.SERVICE})
CONFIGURERS = frozenset({Role.HQ_OPERATOR, Role.SERVICE})
APPROVERS = frozenset({Role.HQ_OPERATOR, Role.COMPLIANCE})
FINANCE = frozenset({Role.HQ_OPERATOR, Role.COMPLIANCE, Role.SERVICE})
MAX_PAGE = 200


def require(caller: Caller, roles: Iterable[Role], action: str) -> None:
    if not caller.has_role(roles):
        raise PermissionDenied(f"role {caller.role.value} may not {action}")


async def in_scope(session: AsyncSession, caller: Caller, customer_id: str) -> Any:
    """The member row, when the caller may see this customer; NOT_FOUND / PERMISSION_DENIED else."""
    if not customer_id:
        raise InvalidArgument("customer_id", "is required")
    if caller.role in (Role.PARTNER, Role.SRE):
        raise PermissionDenied(f"role {caller.role.value} may not read member accounts")
    row = (
        await session.execute(sa.select(members_table).where(members_table.c.customer_id == customer_id))
    ).first()
    if row is None:
        raise NotFound("member", customer_id)
    if not caller.can_see_customer(
        customer_id=row.customer_id, branch_id=row.branch_id, advisor_id=row.advisor_id
    ):
        if caller.role is Role.CUSTOMER:
            raise PermissionDenied("a customer may only reach their own points")
        raise PermissionDenied(f"member {customer_id!r} is outside your data scope")
    return row


def _page(page: Any) -> tuple[int, int]:
    size = max(1, min(page.page_size or 50, MAX_PAGE))
    try:
        offset = int(page.page_token or 0)
    except ValueError as error:
        raise InvalidArgument("page.page_token", "not a token from a previous page") from error
    return size, max(0, offset)


def _next(size: int, offset: int, got: int) -> paging_pb2.PageResponse:
    return paging_pb2.PageResponse(next_page_token=str(offset + size) if got == size else "")


def _date(value: Any) -> dt.date | None:
    if value is None or not value.year:
        return None
    try:
        return dt.date(value.year, value.month, value.day)
    except ValueError as error:
        raise InvalidArgument("date", f"{value.year}-{value.month}-{value.day} is not a date") from error


def _stamp(message: Any, value: dt.datetime | None) -> None:
    if value is not None:
        message.FromDatetime(value)


def _origin(origin: Any) -> dict[str, str] | None:
    data = MessageToDict(origin, preserving_proto_field_name=True)
    return data or None


def _actor(caller: Caller) -> dict[str, str]:
    return {"subject": caller.subject, "role": caller.role.value}


def posting_to_proto(posting: ledger.Posting) -> Any:
    message = points_pb2.Posting(
        posting_id=str(posting.posting_id),
        business_key=posting.business_key,
        kind=points_pb2.PostingKind.Value(f"POSTING_KIND_{posting.kind.value}"),
        customer_id=posting.customer_id,
        points=posting.points,
        rule_code=posting.rule_code or "",
        description=posting.description,
        reverses_posting_id=str(posting.reverses_posting_id or ""),
        origin=customer_pb2.Origin(**(posting.origin or {})),
        request_sha256=posting.request_sha256,
        entries=[
            points_pb2.LedgerEntry(
                account=points_pb2.LedgerAccountKind.Value(f"LEDGER_ACCOUNT_KIND_{line.account.value}"),
                customer_id=posting.customer_id if line.account.is_member else "",
                amount=line.amount,
                lot_id=str(line.lot_id or ""),
                lot_expires_on=proto_date(line.lot_expires_on) if line.lot_expires_on else None,
            )
            for line in posting.lines
        ],
    )
    if posting.posted_by:
        message.posted_by.CopyFrom(customer_pb2.Actor(**posting.posted_by))
    _stamp(message.created_at, posting.created_at)
    _stamp(message.occurred_at, posting.occurred_at)
    return message


async def balance_proto(session: AsyncSession, customer_id: str) -> Any:
    return _balance_message(
        await ledger.read_balance(session, customer_id), await ledger.read_expiring(session, customer_id)
    )


def _balance_after(posted: Posted) -> Any:
    """The balance a group-committed posting left, in the shape `balance_proto` reads."""
    return _balance_message(posted.result.balance, posted.expiring)


def _balance_message(balance: ledger.Balance, expiring: tuple[tuple[dt.date, int], ...]) -> Any:
    message = points_pb2.Balance(
        customer_id=balance.customer_id,
        available_points=balance.available,
        pending_points=balance.pending,
        reserved_points=balance.reserved,
        expiring=[
            points_pb2.ExpiryBucket(expires_on=proto_date(day), points=points)
            for day, points in expiring[:12]
        ],
    )
    message.as_of.GetCurrentTime()
    return message


async def member_proto(session: AsyncSession, row: Any) -> Any:
    member = members.to_proto(row)
    balance = await balance_proto(session, row.customer_id)
    stored = await ledger.read_balance(session, row.customer_id)
    member.available_points = balance.available_points
    member.pending_points = balance.pending_points
    member.reserved_points = balance.reserved_points
    member.lifetime_earned = stored.lifetime_earned
    member.earned_12m = await tiers.earned_12m(session, row.customer_id, ledger.business_day(ledger.now()))
    _stamp(member.tier_since, row.tier_since)
    if row.tier_review_on:
        member.tier_review_on.CopyFrom(proto_date(row.tier_review_on))
    if row.paid_through:
        member.paid_through.CopyFrom(proto_date(row.paid_through))
    if balance.expiring:
        member.next_expiry_points = balance.expiring[0].points
        member.next_expiry_on.CopyFrom(balance.expiring[0].expires_on)
    return member


class PointsApi(points_service_pb2_grpc.PointsServiceServicer):
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        settings = ctx.settings
        self._point_value = settings.point_value if isinstance(settings, PointsSettings) else Decimal("0.01")
        # Earns and spends from PostPoints are group-committed (many callers, one transaction).
        self._group_commit = PostingGroupCommit(ctx.sessions)

    async def GetMember(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        async with transaction(self._ctx.sessions) as session:
            row = await in_scope(session, current_caller(), request.customer_id)
            return points_service_pb2.GetMemberResponse(member=await member_proto(session, row))

    async def EnrollMember(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        async with transaction(self._ctx.sessions) as session:
            row = await in_scope(session, caller, request.customer_id)
            created = await session.scalar(
                pg_insert(balances)
                .values(customer_id=row.customer_id)
                .on_conflict_do_nothing()
                .returning(balances.c.customer_id)
            )
            if request.tier_code and request.tier_code != row.tier_code:
                require(caller, CONFIGURERS, "choose a member's initial tier")
            return points_service_pb2.EnrollMemberResponse(
                member=await member_proto(session, row), created=created is not None
            )

    async def SetPaidMembership(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        require(caller, LEDGER_WRITERS, "record paid memberships")
        paid_through = _date(request.paid_through)
        if paid_through is None:
            raise InvalidArgument("paid_through", "is required")
        async with transaction(self._ctx.sessions) as session:
            await in_scope(session, caller, request.customer_id)
            change, replayed = await tiers.set_paid_membership(
                session,
                customer_id=request.customer_id,
                tier_code=request.tier_code or "paid",
                paid_through=paid_through,
                fee=request.fee_paid.amount or None,
                payment_ref=request.payment_ref,
            )
            row = await in_scope(session, caller, request.customer_id)
            return points_service_pb2.SetPaidMembershipResponse(
                member=await member_proto(session, row), change=change, replayed=replayed
            )

    async def GetBalance(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        async with transaction(self._ctx.sessions) as session:
            await in_scope(session, current_caller(), request.customer_id)
            return points_service_pb2.GetBalanceResponse(
                balance=await balance_proto(session, request.customer_id)
            )

    async def ListHistory(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        size, offset = _page(request.page)
        async with transaction(self._ctx.sessions) as session:
            await in_scope(session, current_caller(), request.customer_id)
            ids = (
                await session.scalars(
                    sa.select(postings.c.posting_id)
                    .where(postings.c.customer_id == request.customer_id, *_history_filters(request))
                    .order_by(postings.c.created_at.desc(), postings.c.posting_id)
                    .limit(size)
                    .offset(offset)
                )
            ).all()
            found = [await ledger.find_posting(session, posting_id=posting_id) for posting_id in ids]
            return points_service_pb2.ListHistoryResponse(
                postings=[posting_to_proto(p) for p in found if p is not None],
                page=_next(size, offset, len(ids)),
            )

    async def PostPoints(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        require(caller, LEDGER_WRITERS, "post points")
        occurred = request.occurred_at.ToDatetime(dt.UTC) if request.HasField("occurred_at") else None
        common = ledger.Context(
            description=request.description,
            origin=_origin(request.origin),
            posted_by=_actor(caller),
            occurred_at=occurred,
        )
        if request.kind == points_pb2.POSTING_KIND_EARN:
            kind, expires_on = ledger.Kind.EARN, await _default_expiry(occurred)
        elif request.kind == points_pb2.POSTING_KIND_SPEND:
            kind, expires_on = ledger.Kind.SPEND, None
        else:
            raise InvalidArgument("kind", "must be POSTING_KIND_EARN or POSTING_KIND_SPEND")
        posted = await self._group_commit.post(
            PostingRequest(
                kind=kind,
                business_key=request.business_key,
                customer_id=request.customer_id,
                points=request.points,
                expires_on=expires_on,
                pending_days=request.pending_days,
                context=common,
            )
        )
        return points_service_pb2.PostPointsResponse(
            posting=posting_to_proto(posted.result.posting),
            replayed=posted.result.replayed,
            balance=_balance_after(posted),
        )

    async def EarnByRule(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        require(caller, LEDGER_WRITERS, "award points")
        async with transaction(self._ctx.sessions) as session:
            rule = await rules.get_rule(session, request.rule_code)
            award = await rules.award(
                session,
                rule=rule,
                customer_id=request.customer_id,
                business_key=request.business_key,
                amount=request.amount.amount or None,
                facts=MessageToDict(request.facts) if request.HasField("facts") else None,
                occurred_at=request.occurred_at.ToDatetime(dt.UTC)
                if request.HasField("occurred_at")
                else None,
                context=ledger.Context(origin=_origin(request.origin), posted_by=_actor(caller)),
            )
            return points_service_pb2.EarnByRuleResponse(
                outcome=award.outcome,
                posting=posting_to_proto(award.result.posting) if award.result else None,
                points_awarded=award.points,
                multiplier=decimal_pb2.Decimal(value=str(award.multiplier)),
                reason=award.reason,
            )

    async def ReversePosting(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        require(caller, LEDGER_WRITERS, "reverse postings")
        if not request.reason.strip():
            raise InvalidArgument("reason", "is required: a correction says why")
        target = request.WhichOneof("target")
        posting_id = None
        if target == "posting_id":
            try:
                posting_id = uuid.UUID(request.posting_id)
            except ValueError as error:
                raise InvalidArgument("posting_id", f"{request.posting_id!r} is not a posting id") from error
        async with transaction(self._ctx.sessions) as session:
            result = await ledger.reverse(
                session,
                business_key=request.business_key,
                posting_id=posting_id,
                original_business_key=request.original_business_key
                if target == "original_business_key"
                else None,
                context=ledger.Context(description=request.reason, posted_by=_actor(caller)),
            )
            return points_service_pb2.ReversePostingResponse(
                reversal=posting_to_proto(result.posting), replayed=result.replayed
            )

    async def CheckIn(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        if caller.role is not Role.CUSTOMER:
            require(caller, LEDGER_WRITERS, "check in for a customer")
        async with transaction(self._ctx.sessions) as session:
            await in_scope(session, caller, request.customer_id)
            done = await checkin.check_in(session, request.customer_id)
            return points_service_pb2.CheckInResponse(
                checked_in=done.checked_in,
                posting=posting_to_proto(done.posting) if done.posting else None,
                streak_days=done.streak_days,
                points_awarded=done.points,
                bonus_points=done.bonus_points,
            )

    async def GetCheckInStatus(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        async with transaction(self._ctx.sessions) as session:
            await in_scope(session, current_caller(), request.customer_id)
            state = await checkin.status(session, request.customer_id)
            return points_service_pb2.GetCheckInStatusResponse(
                checked_in_today=state["checked_in_today"],
                streak_days=state["streak_days"],
                checked_in_dates=[proto_date(day) for day in state["dates"]],
                next_points=state["next_points"],
            )

    async def ListTiers(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        async with transaction(self._ctx.sessions) as session:
            return points_service_pb2.ListTiersResponse(tiers=await tiers.list_tiers(session))

    async def UpsertTier(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        require(current_caller(), CONFIGURERS, "change tiers")
        async with transaction(self._ctx.sessions) as session:
            return points_service_pb2.UpsertTierResponse(tier=await tiers.upsert_tier(session, request.tier))

    async def ListTierChanges(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        size, offset = _page(request.page)
        async with transaction(self._ctx.sessions) as session:
            await in_scope(session, current_caller(), request.customer_id)
            changes = await tiers.history(session, request.customer_id, limit=size, offset=offset)
            return points_service_pb2.ListTierChangesResponse(
                changes=changes, page=_next(size, offset, len(changes))
            )

    async def EvaluateTier(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        async with transaction(self._ctx.sessions) as session:
            await in_scope(session, caller, request.customer_id)
            change = await tiers.review_due(session, request.customer_id, ledger.business_day(ledger.now()))
            row = await in_scope(session, caller, request.customer_id)
            return points_service_pb2.EvaluateTierResponse(
                member=await member_proto(session, row), change=change
            )

    async def ListEarningRules(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        async with transaction(self._ctx.sessions) as session:
            return points_service_pb2.ListEarningRulesResponse(
                rules=await rules.list_rules(session, active_only=request.active_only)
            )

    async def UpsertEarningRule(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        require(current_caller(), CONFIGURERS, "change earning rules")
        async with transaction(self._ctx.sessions) as session:
            return points_service_pb2.UpsertEarningRuleResponse(
                rule=await rules.upsert(session, request.rule)
            )

    async def RequestAdjustment(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        require(caller, {Role.HQ_OPERATOR}, "request adjustments")
        async with transaction(self._ctx.sessions) as session:
            await in_scope(session, caller, request.customer_id)
            row = await adjustments.request(
                session,
                caller,
                customer_id=request.customer_id,
                points=request.points,
                reason=request.reason,
                business_key=request.business_key,
            )
            return points_service_pb2.RequestAdjustmentResponse(adjustment=adjustments.to_proto(row))

    async def DecideAdjustment(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        require(caller, APPROVERS, "approve adjustments")
        async with transaction(self._ctx.sessions) as session:
            row, result = await adjustments.decide(
                session,
                caller,
                adjustment_id=request.adjustment_id,
                approve=request.approve,
                comment=request.comment,
            )
            return points_service_pb2.DecideAdjustmentResponse(
                adjustment=adjustments.to_proto(row),
                posting=posting_to_proto(result.posting) if result else None,
            )

    async def ListAdjustments(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        require(caller, APPROVERS, "list adjustments")
        size, offset = _page(request.page)
        statuses = [
            points_pb2.AdjustmentStatus.Name(s).removeprefix("ADJUSTMENT_STATUS_") for s in request.statuses
        ]
        async with transaction(self._ctx.sessions) as session:
            rows = await adjustments.list_adjustments(
                session, customer_id=request.customer_id, statuses=statuses, limit=size, offset=offset
            )
            return points_service_pb2.ListAdjustmentsResponse(
                adjustments=[adjustments.to_proto(row) for row in rows], page=_next(size, offset, len(rows))
            )

    async def GetLiabilityReport(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        require(current_caller(), FINANCE, "read the liability report")
        as_of = _date(request.as_of) or ledger.business_day(ledger.now())
        start = _date(request.period.start) if request.HasField("period") else None
        end = _date(request.period.end) if request.HasField("period") else None
        start = start or as_of.replace(day=1)
        end = end or as_of
        if end < start:
            raise InvalidArgument("period", "ends before it starts")
        async with transaction(self._ctx.sessions) as session:
            result = await report.liability(session, as_of, start, end, self._point_value)
            return points_service_pb2.GetLiabilityReportResponse(report=result)

    async def RunExpiry(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        require(current_caller(), LEDGER_WRITERS, "run the expiry job")
        as_of = _date(request.as_of) or ledger.business_day(ledger.now()) - dt.timedelta(days=1)
        run = await expiry.run_expiry(self._ctx.sessions, as_of)
        return points_service_pb2.RunExpiryResponse(
            run_id=run.run_id,
            members=run.members,
            points_expired=run.points_expired,
            already_done=run.already_done,
        )


def _history_filters(request: Any) -> list[Any]:
    """ListHistory's optional filters: posting kinds and a created-at window."""
    filters: list[Any] = []
    if request.kinds:
        kinds = [points_pb2.PostingKind.Name(kind).removeprefix("POSTING_KIND_") for kind in request.kinds]
        filters.append(postings.c.kind.in_(kinds))
    if request.HasField("since"):
        filters.append(postings.c.created_at >= request.since.ToDatetime(dt.UTC))
    if request.HasField("until"):
        filters.append(postings.c.created_at < request.until.ToDatetime(dt.UTC))
    return filters


async def _default_expiry(occurred: dt.datetime | None) -> dt.date | None:
    from lingxi_points import policy

    return policy.expires_on(policy.DEFAULT_POLICY, ledger.business_day(occurred or ledger.now()))


def _status_names(values: Iterable[int]) -> list[str]:
    return [reward_service_pb2.RedemptionStatus.Name(v).removeprefix("REDEMPTION_STATUS_") for v in values]


class RewardApi(reward_service_pb2_grpc.RewardServiceServicer):
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def _own_redemption(self, session: AsyncSession, caller: Caller, redemption_id: str) -> Any:
        row = await rewards.get_redemption(session, redemption_id)
        await in_scope(session, caller, row.customer_id)
        return row

    async def ListRewards(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        async with transaction(self._ctx.sessions) as session:
            found = await rewards.list_rewards(
                session,
                caller.customer_id if caller.role is Role.CUSTOMER else None,
                list(request.kinds),
                request.redeemable_only,
            )
            if caller.role is Role.CUSTOMER:
                found = [r for r in found if r.status == reward_service_pb2.REWARD_STATUS_ACTIVE]
            return reward_service_pb2.ListRewardsResponse(rewards=found)

    async def GetReward(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        async with transaction(self._ctx.sessions) as session:
            reward = await rewards.get(
                session, request.reward_id, caller.customer_id if caller.role is Role.CUSTOMER else None
            )
            return reward_service_pb2.GetRewardResponse(reward=reward)

    async def UpsertReward(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        require(current_caller(), CONFIGURERS, "change the rewards catalog")
        async with transaction(self._ctx.sessions) as session:
            return reward_service_pb2.UpsertRewardResponse(
                reward=await rewards.upsert(session, request.reward)
            )

    async def AdjustRewardStock(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        require(current_caller(), CONFIGURERS, "change reward stock")
        async with transaction(self._ctx.sessions) as session:
            reward = await rewards.adjust_stock(
                session,
                reward_id=request.reward_id,
                delta=request.delta,
                reason=request.reason,
                request_id=request.request_id,
            )
            return reward_service_pb2.AdjustRewardStockResponse(reward=reward)

    async def ReserveRedemption(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        if caller.role is not Role.CUSTOMER:
            require(caller, LEDGER_WRITERS, "redeem for a customer")
        async with transaction(self._ctx.sessions) as session:
            await in_scope(session, caller, request.customer_id)
            row, replayed = await rewards.reserve(
                session,
                request_id=request.request_id,
                customer_id=request.customer_id,
                reward_id=request.reward_id,
                quantity=request.quantity,
            )
            return reward_service_pb2.ReserveRedemptionResponse(
                redemption=rewards.to_proto(row), replayed=replayed
            )

    async def FulfilRedemption(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        require(current_caller(), LEDGER_WRITERS, "fulfil redemptions")
        async with transaction(self._ctx.sessions) as session:
            row = await rewards.fulfil(session, request.redemption_id, request.fulfilment_ref)
            return reward_service_pb2.FulfilRedemptionResponse(redemption=rewards.to_proto(row))

    async def ConfirmRedemption(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        require(current_caller(), LEDGER_WRITERS, "confirm redemptions")
        async with transaction(self._ctx.sessions) as session:
            row = await rewards.confirm(session, request.redemption_id)
            return reward_service_pb2.ConfirmRedemptionResponse(redemption=rewards.to_proto(row))

    async def CancelRedemption(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        async with transaction(self._ctx.sessions) as session:
            if caller.role is Role.CUSTOMER:
                await self._own_redemption(session, caller, request.redemption_id)
            else:
                require(caller, LEDGER_WRITERS, "cancel redemptions")
            row = await rewards.cancel(session, request.redemption_id, request.reason)
            return reward_service_pb2.CancelRedemptionResponse(redemption=rewards.to_proto(row))

    async def GetRedemption(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        async with transaction(self._ctx.sessions) as session:
            row = await self._own_redemption(session, current_caller(), request.redemption_id)
            return reward_service_pb2.GetRedemptionResponse(redemption=rewards.to_proto(row))

    async def ListRedemptions(self, request: Any, context: grpc.aio.ServicerContext) -> Any:
        caller = current_caller()
        size, offset = _page(request.page)
        async with transaction(self._ctx.sessions) as session:
            if request.customer_id:
                await in_scope(session, caller, request.customer_id)
            else:
                require(caller, CONFIGURERS, "list every member's redemptions")
            rows = await rewards.list_redemptions(
                session,
                customer_id=request.customer_id,
                reward_id=request.reward_id,
                statuses=_status_names(request.statuses),
                limit=size,
                offset=offset,
            )
            return reward_service_pb2.ListRedemptionsResponse(
                redemptions=[rewards.to_proto(row) for row in rows], page=_next(size, offset, len(rows))
            )


def register(server: grpc.aio.Server, ctx: ServiceContext) -> list[str]:
    return add_services(server, CONTRACTS, {"PointsService": PointsApi(ctx), "RewardService": RewardApi(ctx)})


__all__ = ["CONTRACTS", "PointsApi", "RewardApi", "register"]
