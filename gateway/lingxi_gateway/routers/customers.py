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


# --- many customers --------------------------------------------------------------------------------

CustomerId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]


@router.get("", summary="Customers of a branch or advisor, paged (within your scope; PII masked)")
async def list_customers(
    upstream: UpstreamDep,
    branch_id: Annotated[str, Query(max_length=64)] = "",
    advisor_id: Annotated[str, Query(max_length=64)] = "",
    without_advisor: bool = False,
    page_size: Annotated[int, Query(ge=1, le=1000)] = 100,
    page_token: str = "",
) -> dict[str, Any]:
    """A branch manager sees their branch, an advisor their own customers; asking for another
    branch or advisor is a 403. ``total`` comes from the audience index (-1 while it loads)."""
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.ListCustomers(
        tag_service_pb2.ListCustomersRequest(
            branch_id=branch_id,
            advisor_id=advisor_id,
            without_advisor=without_advisor,
            page=paging_pb2.PageRequest(page_size=page_size, page_token=page_token),
        )
    )
    return {
        "customers": [to_json(customer) for customer in result.customers],
        "next_page_token": result.page.next_page_token,
        "total": result.page.total_size,
    }


class BatchGetIn(BaseModel):
    customer_ids: list[CustomerId] = Field(min_length=1, max_length=1000)
    include_tags: bool = False
    tag_codes: list[str] = Field(default_factory=list, max_length=200)
    include_holdings: bool = False
    fields: list[str] = Field(
        default_factory=list, max_length=30, description="Customer fields to return; empty = all"
    )


@router.post("/batch-get", summary="Profiles (and optionally tags and holdings) of up to 1000 customers")
async def batch_get(body: BatchGetIn, upstream: UpstreamDep) -> dict[str, Any]:
    """Unknown or out-of-scope ids come back in ``missing_customer_ids`` rather than failing."""
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.BatchGetCustomers(
        tag_service_pb2.BatchGetCustomersRequest(
            customer_ids=body.customer_ids,
            include_tags=body.include_tags,
            tag_codes=body.tag_codes,
            include_holdings=body.include_holdings,
            read_mask={"paths": body.fields},
        )
    )
    # With `fields`, only those fields are filled: leave the others out rather than print defaults.
    shape = _json if body.fields else to_json
    return {
        "customers": [shape(customer) for customer in result.customers],
        "missing_customer_ids": list(result.missing_customer_ids),
        "details": [_json(details) for details in result.details],
    }


# --- bulk imports ------------------------------------------------------------------------------------

ImportKindName = Literal[
    "CUSTOMERS", "ACCOUNTS", "HOLDINGS", "TRADES", "FUND_POSITIONS", "WATCHLISTS", "EXTERNAL_ASSETS"
]


class ImportIn(BaseModel):
    kind: ImportKindName
    format: Literal["CSV", "PARQUET"]
    source_uri: str = Field(min_length=1, max_length=1000, description="a file in the import directory")
    business_date: dt.date | None = None
    dry_run: bool = False


def _job_json(job: tag_service_pb2.ImportJob) -> dict[str, Any]:
    return MessageToDict(job, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


@router.post("/imports", summary="Start a bulk import of a warehouse extract (HQ operators)", status_code=202)
async def start_import(body: ImportIn, _caller: Writer, upstream: UpstreamDep) -> dict[str, Any]:
    """Returns at once with the job; the same file again returns the job that imported it."""
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.StartImport(
        tag_service_pb2.StartImportRequest(
            kind=tag_service_pb2.ImportKind.Value(f"IMPORT_KIND_{body.kind}"),
            format=tag_service_pb2.ImportFormat.Value(f"IMPORT_FORMAT_{body.format}"),
            source_uri=body.source_uri,
            business_date=_date(body.business_date),
            dry_run=body.dry_run,
        )
    )
    return {"job": _job_json(result.job)}


@router.get("/imports/{job_id}", summary="Progress and totals of an import")
async def get_import(job_id: str, upstream: UpstreamDep) -> dict[str, Any]:
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.GetImport(tag_service_pb2.GetImportRequest(job_id=job_id))
    return {"job": _job_json(result.job)}


@router.get("/imports/{job_id}/rejections", summary="Rows an import rejected, with the reason (PII masked)")
async def import_rejections(
    job_id: str,
    upstream: UpstreamDep,
    page_size: Annotated[int, Query(ge=1, le=1000)] = 100,
    page_token: str = "",
) -> dict[str, Any]:
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.ListImportRejections(
        tag_service_pb2.ListImportRejectionsRequest(
            job_id=job_id, page=paging_pb2.PageRequest(page_size=page_size, page_token=page_token)
        )
    )
    return {
        "rejections": [_json(rejection) for rejection in result.rejections],
        "next_page_token": result.page.next_page_token,
        "total": result.page.total_size,
    }


# --- identities (values are PII: they travel in bodies, never in URLs) -------------------------------

IdentityTypeName = Literal[
    "DEVICE", "ANONYMOUS", "LOGIN", "WECHAT_OPENID", "WECHAT_UNIONID", "WECOM_EXTERNAL_ID"
]


class IdentityIn(BaseModel):
    identity_type: IdentityTypeName
    value: str = Field(min_length=1, max_length=256)
    source_id: str = Field(
        default="", max_length=64, description="required for device, anonymous and login ids"
    )


def _identity_type(name: str) -> int:
    return customer_pb2.IdentityType.Value(f"IDENTITY_TYPE_{name}")


@router.post("/identities/resolve", summary="The customer an identity belongs to (empty when unlinked)")
async def resolve_identity(body: IdentityIn, upstream: UpstreamDep) -> dict[str, Any]:
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.ResolveIdentity(
        tag_service_pb2.ResolveIdentityRequest(
            identity_type=_identity_type(body.identity_type), value=body.value, source_id=body.source_id
        )
    )
    return {"customer_id": result.customer_id}


@router.post("/identities/unlink", summary="Remove an identity link (HQ operators)")
async def unlink_identity(body: IdentityIn, _caller: Writer, upstream: UpstreamDep) -> dict[str, Any]:
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    await stub.UnlinkIdentity(
        tag_service_pb2.UnlinkIdentityRequest(
            identity_type=_identity_type(body.identity_type), value=body.value, source_id=body.source_id
        )
    )
    return {"unlinked": True}


@router.post("/{customer_id}/identities", summary="Link an identity to the customer (HQ operators)")
async def link_identity(
    customer_id: str, body: IdentityIn, _caller: Writer, upstream: UpstreamDep
) -> dict[str, Any]:
    """Events already received under the identity are attributed to the customer."""
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.LinkIdentity(
        tag_service_pb2.LinkIdentityRequest(
            link=customer_pb2.IdentityLink(
                identity_type=_identity_type(body.identity_type),
                value=body.value,
                customer_id=customer_id,
                source_id=body.source_id,
            )
        )
    )
    return {"link": _json(result.link), "events_attributed": result.events_attributed}


# --- trades, watchlist, external assets -------------------------------------------------------------

DecimalText = Annotated[str, Field(pattern=r"^-?\d+(\.\d+)?$", max_length=40)]


class TradeIn(BaseModel):
    trade_id: str = Field(min_length=1, max_length=128)
    account_id: str = Field(min_length=1, max_length=64)
    security_code: str = Field(min_length=1, max_length=32)
    side: Literal["BUY", "SELL", "SUBSCRIBE", "REDEEM"]
    quantity: DecimalText
    price: DecimalText
    amount: DecimalText | None = None
    fee: DecimalText | None = None
    traded_at: dt.datetime
    order_channel: str = Field(default="", max_length=32)


class TradesIn(BaseModel):
    trades: list[TradeIn] = Field(min_length=1, max_length=10_000)


@router.post("/{customer_id}/trades", summary="Record executed trades (idempotent by trade_id; HQ operators)")
async def record_trades(
    customer_id: str, body: TradesIn, _caller: Writer, upstream: UpstreamDep
) -> dict[str, Any]:
    trades = []
    for trade in body.trades:
        moment = trade.traded_at if trade.traded_at.tzinfo else trade.traded_at.replace(tzinfo=dt.UTC)
        message = customer_pb2.Trade(
            trade_id=trade.trade_id,
            account_id=trade.account_id,
            customer_id=customer_id,
            security_code=trade.security_code,
            side=customer_pb2.TradeSide.Value(f"TRADE_SIDE_{trade.side}"),
            order_channel=trade.order_channel,
        )
        message.quantity.value = trade.quantity
        message.price.amount = trade.price
        message.amount.amount = trade.amount or ""
        message.fee.amount = trade.fee or ""
        message.traded_at.FromDatetime(moment)
        trades.append(message)
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.RecordTrades(tag_service_pb2.RecordTradesRequest(trades=trades))
    return {"recorded": result.recorded, "duplicates": result.duplicates}


class WatchlistIn(BaseModel):
    add: list[str] = Field(default_factory=list, max_length=500)
    remove: list[str] = Field(default_factory=list, max_length=500)


@router.patch("/{customer_id}/watchlist", summary="Add and remove watchlist entries (the customer or HQ)")
async def update_watchlist(customer_id: str, body: WatchlistIn, upstream: UpstreamDep) -> dict[str, Any]:
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.UpdateWatchlist(
        tag_service_pb2.UpdateWatchlistRequest(
            customer_id=customer_id, add_security_codes=body.add, remove_security_codes=body.remove
        )
    )
    return {"watchlist": [_json(entry) for entry in result.watchlist]}


class ExternalAssetsIn(BaseModel):
    external_market_value: DecimalText
    as_of: dt.date | None = None
    source: str = Field(default="", max_length=64, examples=["vendor:wind", "survey"])


@router.put("/{customer_id}/external-assets", summary="Set the external market value estimate (HQ operators)")
async def set_external_assets(
    customer_id: str, body: ExternalAssetsIn, _caller: Writer, upstream: UpstreamDep
) -> dict[str, Any]:
    assets = customer_pb2.ExternalAssets(source=body.source, as_of=_date(body.as_of))
    assets.external_market_value.amount = body.external_market_value
    stub = tag_service_pb2_grpc.TagServiceStub(upstream.channel("tag"))
    result = await stub.SetExternalAssets(
        tag_service_pb2.SetExternalAssetsRequest(customer_id=customer_id, external_assets=assets)
    )
    return {"external_assets": _json(result.external_assets)}


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
            watchlist=[_json(entry) for entry in result.watchlist],
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
