"""Customer master data through the gateway: create/update (HQ operators) and read (within scope).

The gateway validates shape (422 names the field), the tag service validates meaning and data
scope (its INVALID_ARGUMENT / PERMISSION_DENIED become 400 / 403 problems), and PII comes back
masked unless the caller's role needs it — the service decides, the gateway only relays.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response, status
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, Field

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import date_pb2, enums_pb2
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


@router.get("/{customer_id}", summary="A customer's profile, within the caller's data scope")
async def get_customer(customer_id: str, upstream: UpstreamDep) -> dict[str, Any]:
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.GetCustomer(tag_service_pb2.GetCustomerRequest(customer_id=customer_id))
    return {"customer": to_json(result.customer)}
