import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from lingxi.product.v1 import analytics_pb2 as _analytics_pb2
from lingxi.product.v1 import product_pb2 as _product_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SeriesImportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERIES_IMPORT_FORMAT_UNSPECIFIED: _ClassVar[SeriesImportFormat]
    SERIES_IMPORT_FORMAT_CSV: _ClassVar[SeriesImportFormat]
    SERIES_IMPORT_FORMAT_PARQUET: _ClassVar[SeriesImportFormat]

class SeriesImportState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERIES_IMPORT_STATE_UNSPECIFIED: _ClassVar[SeriesImportState]
    SERIES_IMPORT_STATE_QUEUED: _ClassVar[SeriesImportState]
    SERIES_IMPORT_STATE_RUNNING: _ClassVar[SeriesImportState]
    SERIES_IMPORT_STATE_SUCCEEDED: _ClassVar[SeriesImportState]
    SERIES_IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS: _ClassVar[SeriesImportState]
    SERIES_IMPORT_STATE_FAILED: _ClassVar[SeriesImportState]

class RelationKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RELATION_KIND_UNSPECIFIED: _ClassVar[RelationKind]
    RELATION_KIND_HOLDS_STOCK: _ClassVar[RelationKind]
    RELATION_KIND_SAME_SECTOR: _ClassVar[RelationKind]
    RELATION_KIND_TRACKS_INDEX_WITH_STOCK: _ClassVar[RelationKind]
    RELATION_KIND_COVERS_STOCK: _ClassVar[RelationKind]
SERIES_IMPORT_FORMAT_UNSPECIFIED: SeriesImportFormat
SERIES_IMPORT_FORMAT_CSV: SeriesImportFormat
SERIES_IMPORT_FORMAT_PARQUET: SeriesImportFormat
SERIES_IMPORT_STATE_UNSPECIFIED: SeriesImportState
SERIES_IMPORT_STATE_QUEUED: SeriesImportState
SERIES_IMPORT_STATE_RUNNING: SeriesImportState
SERIES_IMPORT_STATE_SUCCEEDED: SeriesImportState
SERIES_IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS: SeriesImportState
SERIES_IMPORT_STATE_FAILED: SeriesImportState
RELATION_KIND_UNSPECIFIED: RelationKind
RELATION_KIND_HOLDS_STOCK: RelationKind
RELATION_KIND_SAME_SECTOR: RelationKind
RELATION_KIND_TRACKS_INDEX_WITH_STOCK: RelationKind
RELATION_KIND_COVERS_STOCK: RelationKind

class CreateProductRequest(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: _product_pb2.Product
    def __init__(self, product: _Optional[_Union[_product_pb2.Product, _Mapping]] = ...) -> None: ...

class CreateProductResponse(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: _product_pb2.Product
    def __init__(self, product: _Optional[_Union[_product_pb2.Product, _Mapping]] = ...) -> None: ...

class UpdateProductRequest(_message.Message):
    __slots__ = ("product", "update_mask", "expected_version")
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    product: _product_pb2.Product
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, product: _Optional[_Union[_product_pb2.Product, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class UpdateProductResponse(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: _product_pb2.Product
    def __init__(self, product: _Optional[_Union[_product_pb2.Product, _Mapping]] = ...) -> None: ...

class GetProductRequest(_message.Message):
    __slots__ = ("product_id", "product_code")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_CODE_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    product_code: str
    def __init__(self, product_id: _Optional[str] = ..., product_code: _Optional[str] = ...) -> None: ...

class GetProductResponse(_message.Message):
    __slots__ = ("product", "metrics_1y", "evaluation", "tags")
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    METRICS_1Y_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    product: _product_pb2.Product
    metrics_1y: _analytics_pb2.ProductMetrics
    evaluation: _analytics_pb2.FundEvaluation
    tags: _containers.RepeatedCompositeFieldContainer[_analytics_pb2.ProductTag]
    def __init__(self, product: _Optional[_Union[_product_pb2.Product, _Mapping]] = ..., metrics_1y: _Optional[_Union[_analytics_pb2.ProductMetrics, _Mapping]] = ..., evaluation: _Optional[_Union[_analytics_pb2.FundEvaluation, _Mapping]] = ..., tags: _Optional[_Iterable[_Union[_analytics_pb2.ProductTag, _Mapping]]] = ...) -> None: ...

class BatchGetProductsRequest(_message.Message):
    __slots__ = ("product_ids",)
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, product_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchGetProductsResponse(_message.Message):
    __slots__ = ("products", "missing_product_ids")
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    MISSING_PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    products: _containers.RepeatedCompositeFieldContainer[_product_pb2.Product]
    missing_product_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, products: _Optional[_Iterable[_Union[_product_pb2.Product, _Mapping]]] = ..., missing_product_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ListProductsRequest(_message.Message):
    __slots__ = ("product_types", "fund_categories", "statuses", "max_risk_rating", "query", "page")
    PRODUCT_TYPES_FIELD_NUMBER: _ClassVar[int]
    FUND_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    MAX_RISK_RATING_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    product_types: _containers.RepeatedScalarFieldContainer[_product_pb2.ProductType]
    fund_categories: _containers.RepeatedScalarFieldContainer[_product_pb2.FundCategory]
    statuses: _containers.RepeatedScalarFieldContainer[_product_pb2.ProductStatus]
    max_risk_rating: _enums_pb2.ProductRiskRating
    query: str
    page: _paging_pb2.PageRequest
    def __init__(self, product_types: _Optional[_Iterable[_Union[_product_pb2.ProductType, str]]] = ..., fund_categories: _Optional[_Iterable[_Union[_product_pb2.FundCategory, str]]] = ..., statuses: _Optional[_Iterable[_Union[_product_pb2.ProductStatus, str]]] = ..., max_risk_rating: _Optional[_Union[_enums_pb2.ProductRiskRating, str]] = ..., query: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListProductsResponse(_message.Message):
    __slots__ = ("products", "page")
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    products: _containers.RepeatedCompositeFieldContainer[_product_pb2.Product]
    page: _paging_pb2.PageResponse
    def __init__(self, products: _Optional[_Iterable[_Union[_product_pb2.Product, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class SelectProductsRequest(_message.Message):
    __slots__ = ("expression", "page")
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    expression: str
    page: _paging_pb2.PageRequest
    def __init__(self, expression: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class SelectProductsResponse(_message.Message):
    __slots__ = ("products", "page")
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    products: _containers.RepeatedCompositeFieldContainer[_product_pb2.Product]
    page: _paging_pb2.PageResponse
    def __init__(self, products: _Optional[_Iterable[_Union[_product_pb2.Product, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class UpsertContentItemRequest(_message.Message):
    __slots__ = ("item",)
    ITEM_FIELD_NUMBER: _ClassVar[int]
    item: _product_pb2.ContentItem
    def __init__(self, item: _Optional[_Union[_product_pb2.ContentItem, _Mapping]] = ...) -> None: ...

class UpsertContentItemResponse(_message.Message):
    __slots__ = ("item",)
    ITEM_FIELD_NUMBER: _ClassVar[int]
    item: _product_pb2.ContentItem
    def __init__(self, item: _Optional[_Union[_product_pb2.ContentItem, _Mapping]] = ...) -> None: ...

class ListContentItemsRequest(_message.Message):
    __slots__ = ("security_codes", "sector_codes", "kinds", "approved_only", "page")
    SECURITY_CODES_FIELD_NUMBER: _ClassVar[int]
    SECTOR_CODES_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    APPROVED_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    security_codes: _containers.RepeatedScalarFieldContainer[str]
    sector_codes: _containers.RepeatedScalarFieldContainer[str]
    kinds: _containers.RepeatedScalarFieldContainer[_product_pb2.ContentKind]
    approved_only: bool
    page: _paging_pb2.PageRequest
    def __init__(self, security_codes: _Optional[_Iterable[str]] = ..., sector_codes: _Optional[_Iterable[str]] = ..., kinds: _Optional[_Iterable[_Union[_product_pb2.ContentKind, str]]] = ..., approved_only: _Optional[bool] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListContentItemsResponse(_message.Message):
    __slots__ = ("items", "page")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[_product_pb2.ContentItem]
    page: _paging_pb2.PageResponse
    def __init__(self, items: _Optional[_Iterable[_Union[_product_pb2.ContentItem, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class UpsertSeriesPointsRequest(_message.Message):
    __slots__ = ("kind", "series_code", "points")
    KIND_FIELD_NUMBER: _ClassVar[int]
    SERIES_CODE_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    kind: _analytics_pb2.SeriesKind
    series_code: str
    points: _containers.RepeatedCompositeFieldContainer[_analytics_pb2.SeriesPoint]
    def __init__(self, kind: _Optional[_Union[_analytics_pb2.SeriesKind, str]] = ..., series_code: _Optional[str] = ..., points: _Optional[_Iterable[_Union[_analytics_pb2.SeriesPoint, _Mapping]]] = ...) -> None: ...

class UpsertSeriesPointsResponse(_message.Message):
    __slots__ = ("upserted", "rejections")
    UPSERTED_FIELD_NUMBER: _ClassVar[int]
    REJECTIONS_FIELD_NUMBER: _ClassVar[int]
    upserted: int
    rejections: _containers.RepeatedCompositeFieldContainer[SeriesRejection]
    def __init__(self, upserted: _Optional[int] = ..., rejections: _Optional[_Iterable[_Union[SeriesRejection, _Mapping]]] = ...) -> None: ...

class SeriesImportJob(_message.Message):
    __slots__ = ("job_id", "kind", "format", "source_uri", "state", "content_sha256", "rows_total", "rows_done", "rows_rejected", "series_with_gaps", "error", "created_at", "started_at", "finished_at", "dry_run")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_URI_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    ROWS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    ROWS_DONE_FIELD_NUMBER: _ClassVar[int]
    ROWS_REJECTED_FIELD_NUMBER: _ClassVar[int]
    SERIES_WITH_GAPS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    kind: _analytics_pb2.SeriesKind
    format: SeriesImportFormat
    source_uri: str
    state: SeriesImportState
    content_sha256: str
    rows_total: int
    rows_done: int
    rows_rejected: int
    series_with_gaps: int
    error: str
    created_at: _timestamp_pb2.Timestamp
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    dry_run: bool
    def __init__(self, job_id: _Optional[str] = ..., kind: _Optional[_Union[_analytics_pb2.SeriesKind, str]] = ..., format: _Optional[_Union[SeriesImportFormat, str]] = ..., source_uri: _Optional[str] = ..., state: _Optional[_Union[SeriesImportState, str]] = ..., content_sha256: _Optional[str] = ..., rows_total: _Optional[int] = ..., rows_done: _Optional[int] = ..., rows_rejected: _Optional[int] = ..., series_with_gaps: _Optional[int] = ..., error: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class StartSeriesImportRequest(_message.Message):
    __slots__ = ("kind", "format", "source_uri", "dry_run")
    KIND_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_URI_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    kind: _analytics_pb2.SeriesKind
    format: SeriesImportFormat
    source_uri: str
    dry_run: bool
    def __init__(self, kind: _Optional[_Union[_analytics_pb2.SeriesKind, str]] = ..., format: _Optional[_Union[SeriesImportFormat, str]] = ..., source_uri: _Optional[str] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class StartSeriesImportResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: SeriesImportJob
    def __init__(self, job: _Optional[_Union[SeriesImportJob, _Mapping]] = ...) -> None: ...

class GetSeriesImportRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetSeriesImportResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: SeriesImportJob
    def __init__(self, job: _Optional[_Union[SeriesImportJob, _Mapping]] = ...) -> None: ...

class SeriesRejection(_message.Message):
    __slots__ = ("row_number", "point_index", "series_code", "reason_code", "reason")
    ROW_NUMBER_FIELD_NUMBER: _ClassVar[int]
    POINT_INDEX_FIELD_NUMBER: _ClassVar[int]
    SERIES_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    row_number: int
    point_index: int
    series_code: str
    reason_code: str
    reason: str
    def __init__(self, row_number: _Optional[int] = ..., point_index: _Optional[int] = ..., series_code: _Optional[str] = ..., reason_code: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ListSeriesImportRejectionsRequest(_message.Message):
    __slots__ = ("job_id", "page")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, job_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListSeriesImportRejectionsResponse(_message.Message):
    __slots__ = ("rejections", "page")
    REJECTIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    rejections: _containers.RepeatedCompositeFieldContainer[SeriesRejection]
    page: _paging_pb2.PageResponse
    def __init__(self, rejections: _Optional[_Iterable[_Union[SeriesRejection, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class GetSeriesRequest(_message.Message):
    __slots__ = ("kind", "series_code", "range")
    KIND_FIELD_NUMBER: _ClassVar[int]
    SERIES_CODE_FIELD_NUMBER: _ClassVar[int]
    RANGE_FIELD_NUMBER: _ClassVar[int]
    kind: _analytics_pb2.SeriesKind
    series_code: str
    range: _date_pb2.DateRange
    def __init__(self, kind: _Optional[_Union[_analytics_pb2.SeriesKind, str]] = ..., series_code: _Optional[str] = ..., range: _Optional[_Union[_date_pb2.DateRange, _Mapping]] = ...) -> None: ...

class GetSeriesResponse(_message.Message):
    __slots__ = ("points", "gaps")
    POINTS_FIELD_NUMBER: _ClassVar[int]
    GAPS_FIELD_NUMBER: _ClassVar[int]
    points: _containers.RepeatedCompositeFieldContainer[_analytics_pb2.SeriesPoint]
    gaps: _containers.RepeatedCompositeFieldContainer[_date_pb2.Date]
    def __init__(self, points: _Optional[_Iterable[_Union[_analytics_pb2.SeriesPoint, _Mapping]]] = ..., gaps: _Optional[_Iterable[_Union[_date_pb2.Date, _Mapping]]] = ...) -> None: ...

class UpsertBenchmarkRequest(_message.Message):
    __slots__ = ("benchmark",)
    BENCHMARK_FIELD_NUMBER: _ClassVar[int]
    benchmark: _analytics_pb2.Benchmark
    def __init__(self, benchmark: _Optional[_Union[_analytics_pb2.Benchmark, _Mapping]] = ...) -> None: ...

class UpsertBenchmarkResponse(_message.Message):
    __slots__ = ("benchmark",)
    BENCHMARK_FIELD_NUMBER: _ClassVar[int]
    benchmark: _analytics_pb2.Benchmark
    def __init__(self, benchmark: _Optional[_Union[_analytics_pb2.Benchmark, _Mapping]] = ...) -> None: ...

class ListBenchmarksRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListBenchmarksResponse(_message.Message):
    __slots__ = ("benchmarks",)
    BENCHMARKS_FIELD_NUMBER: _ClassVar[int]
    benchmarks: _containers.RepeatedCompositeFieldContainer[_analytics_pb2.Benchmark]
    def __init__(self, benchmarks: _Optional[_Iterable[_Union[_analytics_pb2.Benchmark, _Mapping]]] = ...) -> None: ...

class GetProductMetricsRequest(_message.Message):
    __slots__ = ("product_id", "windows")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    WINDOWS_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    windows: _containers.RepeatedScalarFieldContainer[_analytics_pb2.MetricWindow]
    def __init__(self, product_id: _Optional[str] = ..., windows: _Optional[_Iterable[_Union[_analytics_pb2.MetricWindow, str]]] = ...) -> None: ...

class GetProductMetricsResponse(_message.Message):
    __slots__ = ("metrics",)
    METRICS_FIELD_NUMBER: _ClassVar[int]
    metrics: _containers.RepeatedCompositeFieldContainer[_analytics_pb2.ProductMetrics]
    def __init__(self, metrics: _Optional[_Iterable[_Union[_analytics_pb2.ProductMetrics, _Mapping]]] = ...) -> None: ...

class ListProductMetricsRequest(_message.Message):
    __slots__ = ("window", "product_ids", "fund_category", "page")
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    FUND_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    window: _analytics_pb2.MetricWindow
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    fund_category: _product_pb2.FundCategory
    page: _paging_pb2.PageRequest
    def __init__(self, window: _Optional[_Union[_analytics_pb2.MetricWindow, str]] = ..., product_ids: _Optional[_Iterable[str]] = ..., fund_category: _Optional[_Union[_product_pb2.FundCategory, str]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListProductMetricsResponse(_message.Message):
    __slots__ = ("metrics", "page")
    METRICS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    metrics: _containers.RepeatedCompositeFieldContainer[_analytics_pb2.ProductMetrics]
    page: _paging_pb2.PageResponse
    def __init__(self, metrics: _Optional[_Iterable[_Union[_analytics_pb2.ProductMetrics, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class RecomputeMetricsRequest(_message.Message):
    __slots__ = ("product_ids",)
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, product_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class RecomputeMetricsResponse(_message.Message):
    __slots__ = ("products", "elapsed_ms")
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_MS_FIELD_NUMBER: _ClassVar[int]
    products: int
    elapsed_ms: int
    def __init__(self, products: _Optional[int] = ..., elapsed_ms: _Optional[int] = ...) -> None: ...

class GetEvaluationModelRequest(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: int
    def __init__(self, version: _Optional[int] = ...) -> None: ...

class GetEvaluationModelResponse(_message.Message):
    __slots__ = ("model",)
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: _analytics_pb2.EvaluationModel
    def __init__(self, model: _Optional[_Union[_analytics_pb2.EvaluationModel, _Mapping]] = ...) -> None: ...

class UpdateEvaluationModelRequest(_message.Message):
    __slots__ = ("model", "activate")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    ACTIVATE_FIELD_NUMBER: _ClassVar[int]
    model: _analytics_pb2.EvaluationModel
    activate: bool
    def __init__(self, model: _Optional[_Union[_analytics_pb2.EvaluationModel, _Mapping]] = ..., activate: _Optional[bool] = ...) -> None: ...

class UpdateEvaluationModelResponse(_message.Message):
    __slots__ = ("model",)
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: _analytics_pb2.EvaluationModel
    def __init__(self, model: _Optional[_Union[_analytics_pb2.EvaluationModel, _Mapping]] = ...) -> None: ...

class GetFundEvaluationRequest(_message.Message):
    __slots__ = ("product_id",)
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    def __init__(self, product_id: _Optional[str] = ...) -> None: ...

class GetFundEvaluationResponse(_message.Message):
    __slots__ = ("evaluation",)
    EVALUATION_FIELD_NUMBER: _ClassVar[int]
    evaluation: _analytics_pb2.FundEvaluation
    def __init__(self, evaluation: _Optional[_Union[_analytics_pb2.FundEvaluation, _Mapping]] = ...) -> None: ...

class ListFundRankingsRequest(_message.Message):
    __slots__ = ("category", "top_quantile_only", "page")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TOP_QUANTILE_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    category: _product_pb2.FundCategory
    top_quantile_only: bool
    page: _paging_pb2.PageRequest
    def __init__(self, category: _Optional[_Union[_product_pb2.FundCategory, str]] = ..., top_quantile_only: _Optional[bool] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListFundRankingsResponse(_message.Message):
    __slots__ = ("evaluations", "page")
    EVALUATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    evaluations: _containers.RepeatedCompositeFieldContainer[_analytics_pb2.FundEvaluation]
    page: _paging_pb2.PageResponse
    def __init__(self, evaluations: _Optional[_Iterable[_Union[_analytics_pb2.FundEvaluation, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ListProductTagsRequest(_message.Message):
    __slots__ = ("product_id",)
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    def __init__(self, product_id: _Optional[str] = ...) -> None: ...

class ListProductTagsResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[_analytics_pb2.ProductTag]
    def __init__(self, tags: _Optional[_Iterable[_Union[_analytics_pb2.ProductTag, _Mapping]]] = ...) -> None: ...

class SetProductTagRequest(_message.Message):
    __slots__ = ("product_id", "code", "value")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    code: str
    value: str
    def __init__(self, product_id: _Optional[str] = ..., code: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class SetProductTagResponse(_message.Message):
    __slots__ = ("tag",)
    TAG_FIELD_NUMBER: _ClassVar[int]
    tag: _analytics_pb2.ProductTag
    def __init__(self, tag: _Optional[_Union[_analytics_pb2.ProductTag, _Mapping]] = ...) -> None: ...

class RemoveProductTagRequest(_message.Message):
    __slots__ = ("product_id", "code")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    code: str
    def __init__(self, product_id: _Optional[str] = ..., code: _Optional[str] = ...) -> None: ...

class RemoveProductTagResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RelatedProduct(_message.Message):
    __slots__ = ("product", "relation", "weight", "evaluation")
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    RELATION_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_FIELD_NUMBER: _ClassVar[int]
    product: _product_pb2.Product
    relation: RelationKind
    weight: _decimal_pb2.Decimal
    evaluation: _analytics_pb2.FundEvaluation
    def __init__(self, product: _Optional[_Union[_product_pb2.Product, _Mapping]] = ..., relation: _Optional[_Union[RelationKind, str]] = ..., weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., evaluation: _Optional[_Union[_analytics_pb2.FundEvaluation, _Mapping]] = ...) -> None: ...

class ListRelatedProductsRequest(_message.Message):
    __slots__ = ("security_code", "relations", "product_types", "top_quantile_only", "on_sale_only", "limit", "sector_code")
    SECURITY_CODE_FIELD_NUMBER: _ClassVar[int]
    RELATIONS_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_TYPES_FIELD_NUMBER: _ClassVar[int]
    TOP_QUANTILE_ONLY_FIELD_NUMBER: _ClassVar[int]
    ON_SALE_ONLY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    SECTOR_CODE_FIELD_NUMBER: _ClassVar[int]
    security_code: str
    relations: _containers.RepeatedScalarFieldContainer[RelationKind]
    product_types: _containers.RepeatedScalarFieldContainer[_product_pb2.ProductType]
    top_quantile_only: bool
    on_sale_only: bool
    limit: int
    sector_code: str
    def __init__(self, security_code: _Optional[str] = ..., relations: _Optional[_Iterable[_Union[RelationKind, str]]] = ..., product_types: _Optional[_Iterable[_Union[_product_pb2.ProductType, str]]] = ..., top_quantile_only: _Optional[bool] = ..., on_sale_only: _Optional[bool] = ..., limit: _Optional[int] = ..., sector_code: _Optional[str] = ...) -> None: ...

class ListRelatedProductsResponse(_message.Message):
    __slots__ = ("products",)
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    products: _containers.RepeatedCompositeFieldContainer[RelatedProduct]
    def __init__(self, products: _Optional[_Iterable[_Union[RelatedProduct, _Mapping]]] = ...) -> None: ...

class ListIndexConstituentsRequest(_message.Message):
    __slots__ = ("index_code", "as_of")
    INDEX_CODE_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    index_code: str
    as_of: _date_pb2.Date
    def __init__(self, index_code: _Optional[str] = ..., as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class ListIndexConstituentsResponse(_message.Message):
    __slots__ = ("constituents", "effective_date")
    CONSTITUENTS_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    constituents: _containers.RepeatedCompositeFieldContainer[_product_pb2.IndexConstituent]
    effective_date: _date_pb2.Date
    def __init__(self, constituents: _Optional[_Iterable[_Union[_product_pb2.IndexConstituent, _Mapping]]] = ..., effective_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...
