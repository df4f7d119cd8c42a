"""The product shelf through the gateway: operators create and edit, everyone browses.

Product bodies use the protobuf JSON form of `lingxi.product.v1.Product` (field names as in the
contract, enums by name, decimals as strings), so the REST shape cannot drift from the gRPC one;
the product service validates meaning and names the offending field (→ 400 problem). Enum query
parameters take the short lower-case names used by tags and expressions (`type=fund`,
`category=index`, `status=on_sale`, `window=1y`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, status
from google.protobuf.json_format import MessageToDict, ParseDict, ParseError
from google.protobuf.message import Message
from pydantic import BaseModel, Field

from lingxi.common.v1 import date_pb2, enums_pb2, paging_pb2
from lingxi.product.v1 import analytics_pb2, product_pb2, product_service_pb2, product_service_pb2_grpc
from lingxi_common.identity import Caller, Role
from lingxi_gateway.auth.dependencies import require_roles
from lingxi_gateway.problems import FieldError, ProblemError
from lingxi_gateway.upstream import UpstreamDep

router = APIRouter(prefix="/api/v1", tags=["products"])
PS = product_service_pb2
Operator = Annotated[Caller, Depends(require_roles(Role.HQ_OPERATOR))]


def to_json(message: Message) -> dict[str, Any]:
    return MessageToDict(message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


def _bad(field: str, message: str, location: str = "query") -> ProblemError:
    return ProblemError(
        400, f"{field}: {message}", errors=[FieldError(field=field, location=location, message=message)]
    )


def enum_value(enum_type: Any, prefix: str, name: str, field: str) -> int:
    try:
        return int(enum_type.Value(f"{prefix}{name.upper()}"))
    except ValueError as error:
        choices = ", ".join(
            n.removeprefix(prefix).lower()
            for n in enum_type.keys()  # noqa: SIM118 — protobuf enum wrapper
            if not n.endswith("UNSPECIFIED")
        )
        raise _bad(field, f"unknown value {name!r}; one of {choices}") from error


def parse(payload: dict[str, Any], message: Message, field: str) -> Message:
    try:
        return ParseDict(payload, message)
    except ParseError as error:
        raise _bad(field, str(error), "body") from error


def page(size: int, token: str) -> paging_pb2.PageRequest:
    return paging_pb2.PageRequest(page_size=size, page_token=token)


def _stub(upstream: Any) -> product_service_pb2_grpc.ProductServiceStub:
    return product_service_pb2_grpc.ProductServiceStub(upstream.channel("product"))


def _date(value: dt.date | None) -> date_pb2.Date | None:
    return date_pb2.Date(year=value.year, month=value.month, day=value.day) if value else None


PageSize = Annotated[int, Query(ge=0, le=1000)]


@router.get("/products", summary="Browse the shelf by type, category, status, rating and text")
async def list_products(
    upstream: UpstreamDep,
    type: Annotated[list[str] | None, Query(description="fund, wealth, advisory")] = None,
    category: Annotated[
        list[str] | None, Query(description="stock, bond, hybrid, index, etf, money_market, qdii …")
    ] = None,
    product_status: Annotated[
        list[str] | None, Query(alias="status", description="upcoming, on_sale, closed …")
    ] = None,
    max_risk: Annotated[str | None, Query(pattern=r"^R[1-5]$")] = None,
    q: Annotated[str, Query(max_length=64)] = "",
    page_size: PageSize = 0,
    page_token: str = "",
) -> dict[str, Any]:
    request = PS.ListProductsRequest(
        product_types=[enum_value(product_pb2.ProductType, "PRODUCT_TYPE_", t, "type") for t in type or []],
        fund_categories=[
            enum_value(product_pb2.FundCategory, "FUND_CATEGORY_", c, "category") for c in category or []
        ],
        statuses=[
            enum_value(product_pb2.ProductStatus, "PRODUCT_STATUS_", s, "status")
            for s in product_status or []
        ],
        max_risk_rating=enums_pb2.ProductRiskRating.Value(f"PRODUCT_RISK_RATING_{max_risk}")
        if max_risk
        else 0,
        query=q,
        page=page(page_size, page_token),
    )
    return to_json(await _stub(upstream).ListProducts(request))


@router.post("/products", summary="Create a product (HQ operators)", status_code=status.HTTP_201_CREATED)
async def create_product(body: dict[str, Any], _caller: Operator, upstream: UpstreamDep) -> dict[str, Any]:
    product = parse(body, product_pb2.Product(), "product")
    assert isinstance(product, product_pb2.Product)
    return to_json(await _stub(upstream).CreateProduct(PS.CreateProductRequest(product=product)))


class ProductEdit(BaseModel):
    product: dict[str, Any] = Field(description="Product JSON with the fields to change")
    update_mask: list[str] = Field(default_factory=list, description="fields to change; empty = all editable")
    expected_version: int = Field(default=0, ge=0)


@router.patch("/products/{product_id}", summary="Edit a product (HQ operators)")
async def update_product(
    product_id: str, body: ProductEdit, _caller: Operator, upstream: UpstreamDep
) -> dict[str, Any]:
    product = parse(body.product, product_pb2.Product(), "product")
    assert isinstance(product, product_pb2.Product)
    product.product_id = product_id
    request = PS.UpdateProductRequest(product=product, expected_version=body.expected_version)
    request.update_mask.paths.extend(body.update_mask)
    return to_json(await _stub(upstream).UpdateProduct(request))


class Selection(BaseModel):
    expression: str = Field(min_length=1, max_length=4000, examples=['category == "index" && risk <= 3'])
    page_size: int = Field(default=0, ge=0, le=1000)
    page_token: str = ""


@router.post("/products:select", summary="Select products with a CEL expression over tags and attributes")
async def select_products(body: Selection, upstream: UpstreamDep) -> dict[str, Any]:
    request = PS.SelectProductsRequest(expression=body.expression, page=page(body.page_size, body.page_token))
    return to_json(await _stub(upstream).SelectProducts(request))


@router.get("/products/rankings/{category}", summary="Fund ranking of a category under the active model")
async def rankings(
    category: str,
    upstream: UpstreamDep,
    top_only: bool = False,
    page_size: PageSize = 0,
    page_token: str = "",
) -> dict[str, Any]:
    request = PS.ListFundRankingsRequest(
        category=enum_value(product_pb2.FundCategory, "FUND_CATEGORY_", category, "category"),
        top_quantile_only=top_only,
        page=page(page_size, page_token),
    )
    return to_json(await _stub(upstream).ListFundRankings(request))


@router.get("/products/evaluation-model", summary="The active fund evaluation model")
async def evaluation_model(upstream: UpstreamDep, version: int = 0) -> dict[str, Any]:
    return to_json(await _stub(upstream).GetEvaluationModel(PS.GetEvaluationModelRequest(version=version)))


class SeriesImport(BaseModel):
    kind: str = Field(
        pattern=r"^(nav|index_close|index_constituents)$",
        description="nav, index_close, or index_constituents (index_code, effective_date, security_code,"
        " weight)",
    )
    source_uri: str = Field(
        min_length=1, max_length=1000, description="a file path on the product service host"
    )
    format: str = Field(default="", pattern=r"^(|csv|parquet)$", description="empty = from the file name")
    dry_run: bool = False


@router.post(
    "/products/series-imports",
    summary="Queue an import of NAV, index closes or index constituents from CSV/Parquet (HQ operators)",
    description="Answers at once with the job (state QUEUED); poll GET /products/series-imports/{job_id}.",
)
async def start_import(body: SeriesImport, _caller: Operator, upstream: UpstreamDep) -> dict[str, Any]:
    request = PS.StartSeriesImportRequest(
        kind=analytics_pb2.SeriesKind.Value(f"SERIES_KIND_{body.kind.upper()}"),
        format=PS.SeriesImportFormat.Value(f"SERIES_IMPORT_FORMAT_{body.format.upper()}")
        if body.format
        else 0,
        source_uri=body.source_uri,
        dry_run=body.dry_run,
    )
    return to_json(await _stub(upstream).StartSeriesImport(request))


@router.get("/products/series-imports/{job_id}", summary="A series import's state, progress and totals")
async def get_import(job_id: str, upstream: UpstreamDep) -> dict[str, Any]:
    return to_json(await _stub(upstream).GetSeriesImport(PS.GetSeriesImportRequest(job_id=job_id)))


@router.get("/products/series-imports/{job_id}/rejections", summary="Rows an import rejected, with reasons")
async def import_rejections(
    job_id: str, upstream: UpstreamDep, page_size: PageSize = 0, page_token: str = ""
) -> dict[str, Any]:
    request = PS.ListSeriesImportRejectionsRequest(job_id=job_id, page=page(page_size, page_token))
    return to_json(await _stub(upstream).ListSeriesImportRejections(request))


@router.get("/products/{product_id}", summary="A product with its 1-year metrics, evaluation and tags")
async def get_product(product_id: str, upstream: UpstreamDep) -> dict[str, Any]:
    return to_json(await _stub(upstream).GetProduct(PS.GetProductRequest(product_id=product_id)))


@router.get("/products/{product_id}/metrics", summary="Performance metrics per window")
async def product_metrics(
    product_id: str,
    upstream: UpstreamDep,
    window: Annotated[list[str] | None, Query(description="1m 3m 6m 1y 3y ytd since_inception")] = None,
) -> dict[str, Any]:
    request = PS.GetProductMetricsRequest(
        product_id=product_id,
        windows=[enum_value(analytics_pb2.MetricWindow, "METRIC_WINDOW_", w, "window") for w in window or []],
    )
    return to_json(await _stub(upstream).GetProductMetrics(request))


@router.get("/products/{product_id}/nav", summary="A product's NAV series (charts), with gaps flagged")
async def product_nav(
    product_id: str, upstream: UpstreamDep, start: dt.date | None = None, end: dt.date | None = None
) -> dict[str, Any]:
    request = PS.GetSeriesRequest(kind=analytics_pb2.SERIES_KIND_NAV, series_code=product_id)
    if start:
        request.range.start.CopyFrom(_date(start))
    if end:
        request.range.end.CopyFrom(_date(end))
    return to_json(await _stub(upstream).GetSeries(request))


@router.get("/products/{product_id}/tags", summary="A product's tags (computed and manual)")
async def product_tags(product_id: str, upstream: UpstreamDep) -> dict[str, Any]:
    return to_json(await _stub(upstream).ListProductTags(PS.ListProductTagsRequest(product_id=product_id)))


class TagValue(BaseModel):
    value: str = Field(min_length=1, max_length=200)


@router.put("/products/{product_id}/tags/{code}", summary="Set a manual tag (HQ operators)")
async def set_tag(
    product_id: str, code: str, body: TagValue, _caller: Operator, upstream: UpstreamDep
) -> dict[str, Any]:
    request = PS.SetProductTagRequest(product_id=product_id, code=code, value=body.value)
    return to_json(await _stub(upstream).SetProductTag(request))


@router.delete(
    "/products/{product_id}/tags/{code}", summary="Remove a manual tag (HQ operators)", status_code=204
)
async def remove_tag(product_id: str, code: str, _caller: Operator, upstream: UpstreamDep) -> None:
    await _stub(upstream).RemoveProductTag(PS.RemoveProductTagRequest(product_id=product_id, code=code))


@router.get("/stocks/{security_code}/related-products", summary="Products related to a stock, best first")
async def related_products(
    security_code: str,
    upstream: UpstreamDep,
    sector_code: str = "",
    top_only: bool = False,
    on_sale_only: bool = True,
    limit: Annotated[int, Query(ge=0, le=100)] = 20,
) -> dict[str, Any]:
    request = PS.ListRelatedProductsRequest(
        security_code=security_code,
        sector_code=sector_code,
        top_quantile_only=top_only,
        on_sale_only=on_sale_only,
        limit=limit,
    )
    return to_json(await _stub(upstream).ListRelatedProducts(request))


@router.get("/indices/{index_code}/constituents", summary="An index's constituent list in force on a day")
async def index_constituents(
    index_code: str, upstream: UpstreamDep, as_of: dt.date | None = None
) -> dict[str, Any]:
    request = PS.ListIndexConstituentsRequest(index_code=index_code)
    if as_of:
        request.as_of.CopyFrom(_date(as_of))
    return to_json(await _stub(upstream).ListIndexConstituents(request))


@router.get("/content", summary="News, research and advisor views linked to stocks or sectors")
async def content(
    upstream: UpstreamDep,
    security_code: Annotated[list[str] | None, Query()] = None,
    sector_code: Annotated[list[str] | None, Query()] = None,
    approved_only: bool = True,
    page_size: PageSize = 0,
    page_token: str = "",
) -> dict[str, Any]:
    request = PS.ListContentItemsRequest(
        security_codes=security_code or [],
        sector_codes=sector_code or [],
        approved_only=approved_only,
        page=page(page_size, page_token),
    )
    return to_json(await _stub(upstream).ListContentItems(request))
