"""Points through the gateway: the app's "my points" and the operators' ledger console.

App routes live under `/api/v1/points/me/…` and take the customer id from the caller's token
only — there is no path or body field through which one customer could name another. The points
service enforces the same scope again on every call. Operator routes need the operator roles;
the service checks them too (and, for adjustments, that the approver is not the requester).
Proto messages are returned as JSON with their field names (int64 values as JSON strings, the
proto JSON mapping), so clients see exactly the contract in proto/lingxi/points/v1.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from google.protobuf.json_format import MessageToDict, ParseDict, ParseError
from google.protobuf.message import Message
from pydantic import BaseModel, Field

from lingxi.common.v1 import date_pb2, paging_pb2
from lingxi.points.v1 import (
    points_pb2,
    points_service_pb2,
    points_service_pb2_grpc,
    reward_service_pb2,
    reward_service_pb2_grpc,
)
from lingxi_common.identity import Caller, Role
from lingxi_gateway.auth.dependencies import CurrentCaller, require_roles
from lingxi_gateway.problems import FieldError, ProblemError
from lingxi_gateway.upstream import UpstreamDep

router = APIRouter(prefix="/api/v1/points", tags=["points"])

Customer = Annotated[Caller, Depends(require_roles(Role.CUSTOMER))]
Operator = Annotated[Caller, Depends(require_roles(Role.HQ_OPERATOR))]
Approver = Annotated[Caller, Depends(require_roles(Role.HQ_OPERATOR, Role.COMPLIANCE))]
Finance = Annotated[Caller, Depends(require_roles(Role.HQ_OPERATOR, Role.COMPLIANCE))]
PageSize = Annotated[int, Query(ge=1, le=200)]


def as_json(message: Message) -> dict[str, Any]:
    return MessageToDict(message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


def parse(data: dict[str, Any], message: Message, field: str) -> Any:
    """A JSON body in the proto's JSON shape; a wrong field or type is a 422 naming it."""
    try:
        return ParseDict(data, message)
    except ParseError as error:
        raise ProblemError(
            422,
            f"{field} does not match lingxi.points.v1.{message.DESCRIPTOR.name}",
            errors=[FieldError(field=field, location="body", message=str(error)[:300])],
        ) from error


def _points(upstream: Any) -> points_service_pb2_grpc.PointsServiceStub:
    return points_service_pb2_grpc.PointsServiceStub(upstream.channel("points"))


def _rewards(upstream: Any) -> reward_service_pb2_grpc.RewardServiceStub:
    return reward_service_pb2_grpc.RewardServiceStub(upstream.channel("points"))


def _page(size: int, token: str) -> paging_pb2.PageRequest:
    return paging_pb2.PageRequest(page_size=size, page_token=token)


def _own_id(caller: Caller) -> str:
    assert caller.customer_id  # a customer caller always carries one (identity.Caller checks)
    return caller.customer_id


# --- the app: the customer's own points ---------------------------------------------------------


@router.get("/me/balance", summary="My points: available, pending, reserved and upcoming expiries")
async def my_balance(caller: Customer, upstream: UpstreamDep) -> dict[str, Any]:
    reply = await _points(upstream).GetBalance(
        points_service_pb2.GetBalanceRequest(customer_id=_own_id(caller))
    )
    return {"balance": as_json(reply.balance)}


@router.get("/me/member", summary="My membership: tier, balances, next expiry")
async def my_member(caller: Customer, upstream: UpstreamDep) -> dict[str, Any]:
    reply = await _points(upstream).GetMember(
        points_service_pb2.GetMemberRequest(customer_id=_own_id(caller))
    )
    return {"member": as_json(reply.member)}


@router.get("/me/history", summary="My postings, newest first (every balance explained line by line)")
async def my_history(
    caller: Customer, upstream: UpstreamDep, page_size: PageSize = 50, page_token: str = ""
) -> dict[str, Any]:
    reply = await _points(upstream).ListHistory(
        points_service_pb2.ListHistoryRequest(customer_id=_own_id(caller), page=_page(page_size, page_token))
    )
    return {"postings": [as_json(p) for p in reply.postings], "next_page_token": reply.page.next_page_token}


@router.post("/me/check-in", summary="Daily check-in; a second check-in the same day returns the first")
async def my_check_in(caller: Customer, upstream: UpstreamDep) -> dict[str, Any]:
    reply = await _points(upstream).CheckIn(points_service_pb2.CheckInRequest(customer_id=_own_id(caller)))
    return as_json(reply)


@router.get("/me/check-in", summary="Today's check-in state, streak and this month's calendar")
async def my_check_in_status(caller: Customer, upstream: UpstreamDep) -> dict[str, Any]:
    reply = await _points(upstream).GetCheckInStatus(
        points_service_pb2.GetCheckInStatusRequest(customer_id=_own_id(caller))
    )
    return as_json(reply)


@router.get("/rewards", summary="The rewards catalog (with my price and allowance for a customer)")
async def catalog(
    caller: CurrentCaller, upstream: UpstreamDep, redeemable_only: bool = False
) -> dict[str, Any]:
    reply = await _rewards(upstream).ListRewards(
        reward_service_pb2.ListRewardsRequest(redeemable_only=redeemable_only)
    )
    return {"rewards": [as_json(r) for r in reply.rewards]}


class RedeemIn(BaseModel):
    reward_id: str = Field(min_length=1, max_length=64)
    quantity: int = Field(default=1, ge=1, le=100)
    request_id: str = Field(
        default_factory=lambda: str(uuid.uuid4()),
        min_length=1,
        max_length=128,
        description="Your order id: sending the same one again returns the first reservation",
    )


@router.post("/me/redemptions", status_code=201, summary="Redeem: reserve the reward and my points")
async def redeem(body: RedeemIn, caller: Customer, upstream: UpstreamDep) -> dict[str, Any]:
    reply = await _rewards(upstream).ReserveRedemption(
        reward_service_pb2.ReserveRedemptionRequest(
            request_id=body.request_id,
            customer_id=_own_id(caller),
            reward_id=body.reward_id,
            quantity=body.quantity,
        )
    )
    return {"redemption": as_json(reply.redemption), "replayed": reply.replayed}


@router.get("/me/redemptions", summary="My redemptions, newest first")
async def my_redemptions(
    caller: Customer, upstream: UpstreamDep, page_size: PageSize = 50, page_token: str = ""
) -> dict[str, Any]:
    reply = await _rewards(upstream).ListRedemptions(
        reward_service_pb2.ListRedemptionsRequest(
            customer_id=_own_id(caller), page=_page(page_size, page_token)
        )
    )
    return {
        "redemptions": [as_json(r) for r in reply.redemptions],
        "next_page_token": reply.page.next_page_token,
    }


class CancelIn(BaseModel):
    reason: str = Field(default="", max_length=200)


@router.post(
    "/me/redemptions/{redemption_id}/cancel", summary="Cancel my redemption: stock and points return"
)
async def cancel_my_redemption(
    redemption_id: str, caller: Customer, upstream: UpstreamDep, body: CancelIn | None = None
) -> dict[str, Any]:
    reply = await _rewards(upstream).CancelRedemption(
        reward_service_pb2.CancelRedemptionRequest(
            redemption_id=redemption_id, reason=(body.reason if body else "")
        )
    )
    return {"redemption": as_json(reply.redemption)}


# --- staff: members within their scope ----------------------------------------------------------


@router.get("/members/{customer_id}/balance", summary="A member's balance, within the caller's data scope")
async def member_balance(customer_id: str, caller: CurrentCaller, upstream: UpstreamDep) -> dict[str, Any]:
    reply = await _points(upstream).GetBalance(points_service_pb2.GetBalanceRequest(customer_id=customer_id))
    return {"balance": as_json(reply.balance)}


@router.get("/members/{customer_id}/history", summary="A member's postings, within the caller's data scope")
async def member_history(
    customer_id: str,
    caller: CurrentCaller,
    upstream: UpstreamDep,
    page_size: PageSize = 50,
    page_token: str = "",
) -> dict[str, Any]:
    reply = await _points(upstream).ListHistory(
        points_service_pb2.ListHistoryRequest(customer_id=customer_id, page=_page(page_size, page_token))
    )
    return {"postings": [as_json(p) for p in reply.postings], "next_page_token": reply.page.next_page_token}


# --- operators ----------------------------------------------------------------------------------


class AdjustmentIn(BaseModel):
    customer_id: str = Field(min_length=1, max_length=64)
    points: int = Field(description="Signed: positive credits, negative debits (never below zero)")
    reason: str = Field(min_length=4, max_length=500)
    business_key: str = Field(
        default_factory=lambda: f"adjustment-request:{uuid.uuid4()}", min_length=1, max_length=200
    )


@router.post(
    "/adjustments", status_code=201, summary="Request a manual adjustment (needs another's approval)"
)
async def request_adjustment(body: AdjustmentIn, caller: Operator, upstream: UpstreamDep) -> dict[str, Any]:
    reply = await _points(upstream).RequestAdjustment(
        points_service_pb2.RequestAdjustmentRequest(
            customer_id=body.customer_id,
            points=body.points,
            reason=body.reason,
            business_key=body.business_key,
        )
    )
    return {"adjustment": as_json(reply.adjustment)}


class DecisionIn(BaseModel):
    approve: bool
    comment: str = Field(default="", max_length=500)


@router.post("/adjustments/{adjustment_id}/decision", summary="Approve (post) or reject an adjustment")
async def decide_adjustment(
    adjustment_id: str, body: DecisionIn, caller: Approver, upstream: UpstreamDep
) -> dict[str, Any]:
    reply = await _points(upstream).DecideAdjustment(
        points_service_pb2.DecideAdjustmentRequest(
            adjustment_id=adjustment_id, approve=body.approve, comment=body.comment
        )
    )
    return {
        "adjustment": as_json(reply.adjustment),
        "posting": as_json(reply.posting) if reply.posting else None,
    }


@router.get("/adjustments", summary="The adjustment approval queue")
async def list_adjustments(
    caller: Approver,
    upstream: UpstreamDep,
    customer_id: str = "",
    status: Annotated[list[str] | None, Query(description="PENDING_APPROVAL, POSTED, REJECTED")] = None,
    page_size: PageSize = 50,
    page_token: str = "",
) -> dict[str, Any]:
    try:
        statuses = [points_pb2.AdjustmentStatus.Value(f"ADJUSTMENT_STATUS_{s}") for s in status or []]
    except ValueError as error:
        raise ProblemError(
            422, "unknown status", errors=[FieldError(field="status", location="query", message=str(error))]
        ) from error
    reply = await _points(upstream).ListAdjustments(
        points_service_pb2.ListAdjustmentsRequest(
            customer_id=customer_id, statuses=statuses, page=_page(page_size, page_token)
        )
    )
    return {
        "adjustments": [as_json(a) for a in reply.adjustments],
        "next_page_token": reply.page.next_page_token,
    }


@router.get("/rules", summary="Earning rules")
async def list_rules(
    caller: CurrentCaller, upstream: UpstreamDep, active_only: bool = False
) -> dict[str, Any]:
    reply = await _points(upstream).ListEarningRules(
        points_service_pb2.ListEarningRulesRequest(active_only=active_only)
    )
    return {"rules": [as_json(r) for r in reply.rules]}


@router.put("/rules/{rule_code}", summary="Create or change an earning rule (never one rewarding trading)")
async def upsert_rule(
    rule_code: str, caller: Operator, upstream: UpstreamDep, rule: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    message = parse({**rule, "rule_code": rule_code}, points_pb2.EarningRule(), "rule")
    reply = await _points(upstream).UpsertEarningRule(
        points_service_pb2.UpsertEarningRuleRequest(rule=message)
    )
    return {"rule": as_json(reply.rule)}


@router.get("/tiers", summary="The tier ladder with qualifications and benefits")
async def list_tiers(caller: CurrentCaller, upstream: UpstreamDep) -> dict[str, Any]:
    reply = await _points(upstream).ListTiers(points_service_pb2.ListTiersRequest())
    return {"tiers": [as_json(t) for t in reply.tiers]}


@router.put("/tiers/{tier_code}", summary="Create or change a tier")
async def upsert_tier(
    tier_code: str, caller: Operator, upstream: UpstreamDep, tier: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    message = parse({**tier, "tier_code": tier_code}, points_pb2.Tier(), "tier")
    reply = await _points(upstream).UpsertTier(points_service_pb2.UpsertTierRequest(tier=message))
    return {"tier": as_json(reply.tier)}


@router.put("/rewards/{reward_id}", summary="Create or edit a reward (initial stock = stock_total)")
async def upsert_reward(
    reward_id: str, caller: Operator, upstream: UpstreamDep, reward: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    message = parse({**reward, "reward_id": reward_id}, reward_service_pb2.Reward(), "reward")
    reply = await _rewards(upstream).UpsertReward(reward_service_pb2.UpsertRewardRequest(reward=message))
    return {"reward": as_json(reply.reward)}


class StockIn(BaseModel):
    delta: int = Field(description="Added stock; negative removes")
    reason: str = Field(min_length=1, max_length=200)
    request_id: str = Field(default_factory=lambda: str(uuid.uuid4()), min_length=1, max_length=128)


@router.post("/rewards/{reward_id}/stock", summary="Add or remove reward stock (idempotent by request_id)")
async def adjust_stock(
    reward_id: str, body: StockIn, caller: Operator, upstream: UpstreamDep
) -> dict[str, Any]:
    reply = await _rewards(upstream).AdjustRewardStock(
        reward_service_pb2.AdjustRewardStockRequest(
            reward_id=reward_id, delta=body.delta, reason=body.reason, request_id=body.request_id
        )
    )
    return {"reward": as_json(reply.reward)}


@router.get("/liability", summary="Outstanding points, flows and upcoming expiries (finance)")
async def liability(caller: Finance, upstream: UpstreamDep, as_of: dt.date | None = None) -> dict[str, Any]:
    request = points_service_pb2.GetLiabilityReportRequest()
    if as_of is not None:
        request.as_of.CopyFrom(date_pb2.Date(year=as_of.year, month=as_of.month, day=as_of.day))
    reply = await _points(upstream).GetLiabilityReport(request)
    return {"report": as_json(reply.report)}
