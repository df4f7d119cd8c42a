"""Customer master data through the gateway: create/update (HQ operators) and read (within scope).

The gateway validates shape (422 names the field), the tag service validates meaning and data
scope (its INVALID_ARGUMENT / PERMISSION_DENIED become 400 / 403 problems), and PII comes back
masked unless the caller's role needs it — the service decides, the gateway only relays.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, Field

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import date_pb2, enums_pb2, paging_pb2
from lingxi.tag.v1 import customer_pb2, tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.identity import Caller, Role
from lingxi_gateway.auth.dependencies import require_roles
from lingxi_gateway.upstream import UpstreamDep

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])

RiskLevel = Annotated[str, Field(pattern=r"^C[1-5]$", description="C1 (lowest) … C5 (highest)")]
ChannelName = Annotated[
    str, Field(pattern=r"^(APP_PUSH|INBOX|WECHAT_OA|WECHAT_MINI|WECOM|SMS|CALL|ADVISOR_TASK|WEBHOOK)$")
]


class ConsentIn(BaseModel):
    channel: ChannelName
    granted: bool
    source: str = Field(default="operator", max_length=64)


class CustomerIn(BaseModel):
    """A customer as HQ operations or a warehouse job writes it; omitted fields are cleared."""

    customer_id: str = Field(min_length=1, max_length=64)
    branch_id: str = Field(min_length=1, max_length=64)
    advisor_id: str | None = Field(
        default=None, max_length=64, description="empty = HQ centralized operations"
    )
    risk_level: RiskLevel | None = None
    risk_assessment_expires_on: dt.date | None = None
    professional_investor: bool = False
    opened_on: dt.date | None = None
    age_band: str | None = Field(default=None, max_length=16)
    city: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=20, description="stored encrypted")
    id_number: str | None = Field(default=None, max_length=32, description="stored encrypted")
    display_name: str | None = Field(default=None, max_length=64, description="stored encrypted")
    consents: list[ConsentIn] = Field(default_factory=list)
    expected_version: int = Field(default=0, ge=0, description="optimistic concurrency; 0 = do not check")


def _date(value: dt.date | None) -> date_pb2.Date | None:
    return date_pb2.Date(year=value.year, month=value.month, day=value.day) if value else None


def to_proto(body: CustomerIn) -> customer_pb2.Customer:
    return customer_pb2.Customer(
        customer_id=body.customer_id,
        branch_id=body.branch_id,
        advisor_id=body.advisor_id or "",
        risk_level=enums_pb2.RiskLevel.Value(f"RISK_LEVEL_{body.risk_level}") if body.risk_level else 0,
        risk_assessment_expires_on=_date(body.risk_assessment_expires_on),
        professional_investor=body.professional_investor,
        opened_on=_date(body.opened_on),
        age_band=body.age_band or "",
        city=body.city or "",
        phone=body.phone or "",
        id_number=body.id_number or "",
        display_name=body.display_name or "",
        consents=[
            common_customer_pb2.ChannelConsent(
                channel=enums_pb2.Channel.Value(f"CHANNEL_{consent.channel}"),
                status=common_customer_pb2.CONSENT_STATUS_GRANTED
                if consent.granted
                else common_customer_pb2.CONSENT_STATUS_WITHDRAWN,
                source=consent.source,
            )
            for consent in body.consents
        ],
    )


def to_json(customer: customer_pb2.Customer) -> dict[str, Any]:
    return MessageToDict(
        customer, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


Writer = Annotated[Caller, Depends(require_roles(Role.HQ_OPERATOR))]


@router.post("", summary="Create or replace a customer (HQ operators)", status_code=status.HTTP_200_OK)
async def upsert_customer(
    body: CustomerIn, _caller: Writer, upstream: UpstreamDep, response: Response
) -> dict[str, Any]:
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.UpsertCustomer(
        tag_service_pb2.UpsertCustomerRequest(customer=to_proto(body), expected_version=body.expected_version)
    )
    if result.created:
        response.status_code = status.HTTP_201_CREATED
    return {"created": result.created, "customer": to_json(result.customer)}


def _json(message: Any) -> Any:
    return MessageToDict(message, preserving_proto_field_name=True)


@router.get(
    "/{customer_id}", summary="Customer 360 (profile, tags, holdings, timeline) within the caller's scope"
)
async def get_customer(
    customer_id: str, upstream: UpstreamDep, view: Literal["basic", "full"] = "full"
) -> dict[str, Any]:
    """``view=full`` (default) adds accounts, holdings summary, current tags, identities (masked) and
    the 20 most recent timeline entries; ``view=basic`` is the profile alone."""
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.GetCustomer(
        tag_service_pb2.GetCustomerRequest(
            customer_id=customer_id,
            view=tag_service_pb2.CUSTOMER_VIEW_FULL
            if view == "full"
            else tag_service_pb2.CUSTOMER_VIEW_BASIC,
        )
    )
    body: dict[str, Any] = {"customer": to_json(result.customer)}
    if view == "full":
        body.update(
            accounts=[_json(account) for account in result.accounts],
            holdings_summary=_json(result.holdings_summary),
            tags=[_json(tag) for tag in result.tags],
            recent_timeline=[_json(entry) for entry in result.recent_timeline],
            identities=[_json(link) for link in result.identities],
            external_assets=_json(result.external_assets),
        )
    return body


@router.get("/{customer_id}/timeline", summary="The customer's timeline, newest first (paged)")
async def get_timeline(
    customer_id: str,
    upstream: UpstreamDep,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: str = "",
) -> dict[str, Any]:
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.ListTimeline(
        tag_service_pb2.ListTimelineRequest(
            customer_id=customer_id, page=paging_pb2.PageRequest(page_size=page_size, page_token=page_token)
        )
    )
    return {
        "entries": [_json(entry) for entry in result.entries],
        "next_page_token": result.page.next_page_token,
    }


TouchKindName = Literal[
    "BRANCH_VISIT", "ADVISOR_CALL", "CALL_CENTER_CALL", "AI_OUTBOUND_CALL", "MEETING", "WECOM_CHAT"
]
TouchResultName = Literal["CONNECTED", "INTENT", "NO_ANSWER", "REFUSED", "CONVERTED", "WRONG_NUMBER"]


class OfflineTouchIn(BaseModel):
    touch_id: str = Field(min_length=1, max_length=128, description="caller-chosen; repeats are idempotent")
    kind: TouchKindName
    result: TouchResultName | None = None
    occurred_at: dt.datetime
    duration_seconds: int | None = Field(default=None, ge=0, le=86_400)
    staff_id: str | None = Field(default=None, max_length=64)
    task_id: str | None = Field(default=None, max_length=128)
    product_ids: list[str] = Field(default_factory=list, max_length=50)
    notes: str | None = Field(default=None, max_length=4000, description="stored encrypted")


@router.post("/{customer_id}/touches", summary="Record an offline touch (visit, call, meeting, WeCom chat)")
async def record_touch(customer_id: str, body: OfflineTouchIn, upstream: UpstreamDep) -> dict[str, Any]:
    if body.occurred_at.tzinfo is None:
        body.occurred_at = body.occurred_at.replace(tzinfo=dt.UTC)
    touch = customer_pb2.OfflineTouch(
        touch_id=body.touch_id,
        customer_id=customer_id,
        kind=customer_pb2.TouchKind.Value(f"TOUCH_KIND_{body.kind}"),
        result=customer_pb2.TouchResult.Value(f"TOUCH_RESULT_{body.result}") if body.result else 0,
        staff_id=body.staff_id or "",
        task_id=body.task_id or "",
        product_ids=body.product_ids,
        notes=body.notes or "",
    )
    touch.occurred_at.FromDatetime(body.occurred_at)
    if body.duration_seconds is not None:
        touch.duration.seconds = body.duration_seconds
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.RecordOfflineTouch(tag_service_pb2.RecordOfflineTouchRequest(touch=touch))
    return {"event_id": result.event_id, "duplicate": result.duplicate}
