import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from lingxi.tag.v1 import customer_pb2 as _customer_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CustomerView(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CUSTOMER_VIEW_UNSPECIFIED: _ClassVar[CustomerView]
    CUSTOMER_VIEW_BASIC: _ClassVar[CustomerView]
    CUSTOMER_VIEW_FULL: _ClassVar[CustomerView]

class ImportKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMPORT_KIND_UNSPECIFIED: _ClassVar[ImportKind]
    IMPORT_KIND_CUSTOMERS: _ClassVar[ImportKind]
    IMPORT_KIND_ACCOUNTS: _ClassVar[ImportKind]
    IMPORT_KIND_HOLDINGS: _ClassVar[ImportKind]
    IMPORT_KIND_TRADES: _ClassVar[ImportKind]
    IMPORT_KIND_FUND_POSITIONS: _ClassVar[ImportKind]
    IMPORT_KIND_WATCHLISTS: _ClassVar[ImportKind]
    IMPORT_KIND_EXTERNAL_ASSETS: _ClassVar[ImportKind]

class ImportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMPORT_FORMAT_UNSPECIFIED: _ClassVar[ImportFormat]
    IMPORT_FORMAT_CSV: _ClassVar[ImportFormat]
    IMPORT_FORMAT_PARQUET: _ClassVar[ImportFormat]

class ImportState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMPORT_STATE_UNSPECIFIED: _ClassVar[ImportState]
    IMPORT_STATE_QUEUED: _ClassVar[ImportState]
    IMPORT_STATE_RUNNING: _ClassVar[ImportState]
    IMPORT_STATE_SUCCEEDED: _ClassVar[ImportState]
    IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS: _ClassVar[ImportState]
    IMPORT_STATE_FAILED: _ClassVar[ImportState]
CUSTOMER_VIEW_UNSPECIFIED: CustomerView
CUSTOMER_VIEW_BASIC: CustomerView
CUSTOMER_VIEW_FULL: CustomerView
IMPORT_KIND_UNSPECIFIED: ImportKind
IMPORT_KIND_CUSTOMERS: ImportKind
IMPORT_KIND_ACCOUNTS: ImportKind
IMPORT_KIND_HOLDINGS: ImportKind
IMPORT_KIND_TRADES: ImportKind
IMPORT_KIND_FUND_POSITIONS: ImportKind
IMPORT_KIND_WATCHLISTS: ImportKind
IMPORT_KIND_EXTERNAL_ASSETS: ImportKind
IMPORT_FORMAT_UNSPECIFIED: ImportFormat
IMPORT_FORMAT_CSV: ImportFormat
IMPORT_FORMAT_PARQUET: ImportFormat
IMPORT_STATE_UNSPECIFIED: ImportState
IMPORT_STATE_QUEUED: ImportState
IMPORT_STATE_RUNNING: ImportState
IMPORT_STATE_SUCCEEDED: ImportState
IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS: ImportState
IMPORT_STATE_FAILED: ImportState

class UpsertCustomerRequest(_message.Message):
    __slots__ = ("customer", "update_mask", "expected_version")
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    customer: _customer_pb2.Customer
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, customer: _Optional[_Union[_customer_pb2.Customer, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class UpsertCustomerResponse(_message.Message):
    __slots__ = ("customer", "created")
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    customer: _customer_pb2.Customer
    created: bool
    def __init__(self, customer: _Optional[_Union[_customer_pb2.Customer, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class GetCustomerRequest(_message.Message):
    __slots__ = ("customer_id", "view")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    view: CustomerView
    def __init__(self, customer_id: _Optional[str] = ..., view: _Optional[_Union[CustomerView, str]] = ...) -> None: ...

class GetCustomerResponse(_message.Message):
    __slots__ = ("customer", "accounts", "holdings_summary", "tags", "recent_timeline", "identities", "external_assets", "watchlist")
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    HOLDINGS_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    RECENT_TIMELINE_FIELD_NUMBER: _ClassVar[int]
    IDENTITIES_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ASSETS_FIELD_NUMBER: _ClassVar[int]
    WATCHLIST_FIELD_NUMBER: _ClassVar[int]
    customer: _customer_pb2.Customer
    accounts: _containers.RepeatedCompositeFieldContainer[_customer_pb2.FundAccount]
    holdings_summary: _customer_pb2.HoldingsSummary
    tags: _containers.RepeatedCompositeFieldContainer[_customer_pb2.CustomerTag]
    recent_timeline: _containers.RepeatedCompositeFieldContainer[_customer_pb2.TimelineEntry]
    identities: _containers.RepeatedCompositeFieldContainer[_customer_pb2.IdentityLink]
    external_assets: _customer_pb2.ExternalAssets
    watchlist: _containers.RepeatedCompositeFieldContainer[_customer_pb2.WatchlistEntry]
    def __init__(self, customer: _Optional[_Union[_customer_pb2.Customer, _Mapping]] = ..., accounts: _Optional[_Iterable[_Union[_customer_pb2.FundAccount, _Mapping]]] = ..., holdings_summary: _Optional[_Union[_customer_pb2.HoldingsSummary, _Mapping]] = ..., tags: _Optional[_Iterable[_Union[_customer_pb2.CustomerTag, _Mapping]]] = ..., recent_timeline: _Optional[_Iterable[_Union[_customer_pb2.TimelineEntry, _Mapping]]] = ..., identities: _Optional[_Iterable[_Union[_customer_pb2.IdentityLink, _Mapping]]] = ..., external_assets: _Optional[_Union[_customer_pb2.ExternalAssets, _Mapping]] = ..., watchlist: _Optional[_Iterable[_Union[_customer_pb2.WatchlistEntry, _Mapping]]] = ...) -> None: ...

class BatchGetCustomersRequest(_message.Message):
    __slots__ = ("customer_ids", "include_tags", "tag_codes", "include_holdings", "read_mask")
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_TAGS_FIELD_NUMBER: _ClassVar[int]
    TAG_CODES_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_HOLDINGS_FIELD_NUMBER: _ClassVar[int]
    READ_MASK_FIELD_NUMBER: _ClassVar[int]
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    include_tags: bool
    tag_codes: _containers.RepeatedScalarFieldContainer[str]
    include_holdings: bool
    read_mask: _field_mask_pb2.FieldMask
    def __init__(self, customer_ids: _Optional[_Iterable[str]] = ..., include_tags: _Optional[bool] = ..., tag_codes: _Optional[_Iterable[str]] = ..., include_holdings: _Optional[bool] = ..., read_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class CustomerDetails(_message.Message):
    __slots__ = ("customer_id", "tags", "holdings_summary")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    HOLDINGS_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    tags: _containers.RepeatedCompositeFieldContainer[_customer_pb2.CustomerTag]
    holdings_summary: _customer_pb2.HoldingsSummary
    def __init__(self, customer_id: _Optional[str] = ..., tags: _Optional[_Iterable[_Union[_customer_pb2.CustomerTag, _Mapping]]] = ..., holdings_summary: _Optional[_Union[_customer_pb2.HoldingsSummary, _Mapping]] = ...) -> None: ...

class BatchGetCustomersResponse(_message.Message):
    __slots__ = ("customers", "missing_customer_ids", "details")
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    MISSING_CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    customers: _containers.RepeatedCompositeFieldContainer[_customer_pb2.Customer]
    missing_customer_ids: _containers.RepeatedScalarFieldContainer[str]
    details: _containers.RepeatedCompositeFieldContainer[CustomerDetails]
    def __init__(self, customers: _Optional[_Iterable[_Union[_customer_pb2.Customer, _Mapping]]] = ..., missing_customer_ids: _Optional[_Iterable[str]] = ..., details: _Optional[_Iterable[_Union[CustomerDetails, _Mapping]]] = ...) -> None: ...

class ListCustomersRequest(_message.Message):
    __slots__ = ("branch_id", "advisor_id", "without_advisor", "page")
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    ADVISOR_ID_FIELD_NUMBER: _ClassVar[int]
    WITHOUT_ADVISOR_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    branch_id: str
    advisor_id: str
    without_advisor: bool
    page: _paging_pb2.PageRequest
    def __init__(self, branch_id: _Optional[str] = ..., advisor_id: _Optional[str] = ..., without_advisor: _Optional[bool] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListCustomersResponse(_message.Message):
    __slots__ = ("customers", "page")
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customers: _containers.RepeatedCompositeFieldContainer[_customer_pb2.Customer]
    page: _paging_pb2.PageResponse
    def __init__(self, customers: _Optional[_Iterable[_Union[_customer_pb2.Customer, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class UpsertAccountRequest(_message.Message):
    __slots__ = ("account",)
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    account: _customer_pb2.FundAccount
    def __init__(self, account: _Optional[_Union[_customer_pb2.FundAccount, _Mapping]] = ...) -> None: ...

class UpsertAccountResponse(_message.Message):
    __slots__ = ("account", "created")
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    account: _customer_pb2.FundAccount
    created: bool
    def __init__(self, account: _Optional[_Union[_customer_pb2.FundAccount, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class UpsertHoldingsRequest(_message.Message):
    __slots__ = ("account_id", "holdings", "replace", "as_of")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDINGS_FIELD_NUMBER: _ClassVar[int]
    REPLACE_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    holdings: _containers.RepeatedCompositeFieldContainer[_customer_pb2.Holding]
    replace: bool
    as_of: _timestamp_pb2.Timestamp
    def __init__(self, account_id: _Optional[str] = ..., holdings: _Optional[_Iterable[_Union[_customer_pb2.Holding, _Mapping]]] = ..., replace: _Optional[bool] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UpsertHoldingsResponse(_message.Message):
    __slots__ = ("upserted", "closed", "stale")
    UPSERTED_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    STALE_FIELD_NUMBER: _ClassVar[int]
    upserted: int
    closed: int
    stale: bool
    def __init__(self, upserted: _Optional[int] = ..., closed: _Optional[int] = ..., stale: _Optional[bool] = ...) -> None: ...

class RecordTradesRequest(_message.Message):
    __slots__ = ("trades",)
    TRADES_FIELD_NUMBER: _ClassVar[int]
    trades: _containers.RepeatedCompositeFieldContainer[_customer_pb2.Trade]
    def __init__(self, trades: _Optional[_Iterable[_Union[_customer_pb2.Trade, _Mapping]]] = ...) -> None: ...

class RecordTradesResponse(_message.Message):
    __slots__ = ("recorded", "duplicates")
    RECORDED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    recorded: int
    duplicates: int
    def __init__(self, recorded: _Optional[int] = ..., duplicates: _Optional[int] = ...) -> None: ...

class UpdateWatchlistRequest(_message.Message):
    __slots__ = ("customer_id", "add_security_codes", "remove_security_codes")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    ADD_SECURITY_CODES_FIELD_NUMBER: _ClassVar[int]
    REMOVE_SECURITY_CODES_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    add_security_codes: _containers.RepeatedScalarFieldContainer[str]
    remove_security_codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, customer_id: _Optional[str] = ..., add_security_codes: _Optional[_Iterable[str]] = ..., remove_security_codes: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateWatchlistResponse(_message.Message):
    __slots__ = ("watchlist",)
    WATCHLIST_FIELD_NUMBER: _ClassVar[int]
    watchlist: _containers.RepeatedCompositeFieldContainer[_customer_pb2.WatchlistEntry]
    def __init__(self, watchlist: _Optional[_Iterable[_Union[_customer_pb2.WatchlistEntry, _Mapping]]] = ...) -> None: ...

class SetExternalAssetsRequest(_message.Message):
    __slots__ = ("customer_id", "external_assets")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ASSETS_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    external_assets: _customer_pb2.ExternalAssets
    def __init__(self, customer_id: _Optional[str] = ..., external_assets: _Optional[_Union[_customer_pb2.ExternalAssets, _Mapping]] = ...) -> None: ...

class SetExternalAssetsResponse(_message.Message):
    __slots__ = ("external_assets",)
    EXTERNAL_ASSETS_FIELD_NUMBER: _ClassVar[int]
    external_assets: _customer_pb2.ExternalAssets
    def __init__(self, external_assets: _Optional[_Union[_customer_pb2.ExternalAssets, _Mapping]] = ...) -> None: ...

class ImportJob(_message.Message):
    __slots__ = ("job_id", "kind", "format", "source_uri", "state", "content_sha256", "rows_total", "rows_done", "rows_rejected", "started_at", "finished_at", "error", "business_date", "rows_changed", "dry_run")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_URI_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    ROWS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    ROWS_DONE_FIELD_NUMBER: _ClassVar[int]
    ROWS_REJECTED_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_DATE_FIELD_NUMBER: _ClassVar[int]
    ROWS_CHANGED_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    kind: ImportKind
    format: ImportFormat
    source_uri: str
    state: ImportState
    content_sha256: str
    rows_total: int
    rows_done: int
    rows_rejected: int
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    error: str
    business_date: _date_pb2.Date
    rows_changed: int
    dry_run: bool
    def __init__(self, job_id: _Optional[str] = ..., kind: _Optional[_Union[ImportKind, str]] = ..., format: _Optional[_Union[ImportFormat, str]] = ..., source_uri: _Optional[str] = ..., state: _Optional[_Union[ImportState, str]] = ..., content_sha256: _Optional[str] = ..., rows_total: _Optional[int] = ..., rows_done: _Optional[int] = ..., rows_rejected: _Optional[int] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., error: _Optional[str] = ..., business_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., rows_changed: _Optional[int] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class StartImportRequest(_message.Message):
    __slots__ = ("kind", "format", "source_uri", "business_date", "dry_run")
    KIND_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_URI_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_DATE_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    kind: ImportKind
    format: ImportFormat
    source_uri: str
    business_date: _date_pb2.Date
    dry_run: bool
    def __init__(self, kind: _Optional[_Union[ImportKind, str]] = ..., format: _Optional[_Union[ImportFormat, str]] = ..., source_uri: _Optional[str] = ..., business_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class StartImportResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: ImportJob
    def __init__(self, job: _Optional[_Union[ImportJob, _Mapping]] = ...) -> None: ...

class GetImportRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetImportResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: ImportJob
    def __init__(self, job: _Optional[_Union[ImportJob, _Mapping]] = ...) -> None: ...

class ImportRejection(_message.Message):
    __slots__ = ("row_number", "column", "reason", "raw")
    ROW_NUMBER_FIELD_NUMBER: _ClassVar[int]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RAW_FIELD_NUMBER: _ClassVar[int]
    row_number: int
    column: str
    reason: str
    raw: str
    def __init__(self, row_number: _Optional[int] = ..., column: _Optional[str] = ..., reason: _Optional[str] = ..., raw: _Optional[str] = ...) -> None: ...

class ListImportRejectionsRequest(_message.Message):
    __slots__ = ("job_id", "page")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, job_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListImportRejectionsResponse(_message.Message):
    __slots__ = ("rejections", "page")
    REJECTIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    rejections: _containers.RepeatedCompositeFieldContainer[ImportRejection]
    page: _paging_pb2.PageResponse
    def __init__(self, rejections: _Optional[_Iterable[_Union[ImportRejection, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class LinkIdentityRequest(_message.Message):
    __slots__ = ("link",)
    LINK_FIELD_NUMBER: _ClassVar[int]
    link: _customer_pb2.IdentityLink
    def __init__(self, link: _Optional[_Union[_customer_pb2.IdentityLink, _Mapping]] = ...) -> None: ...

class LinkIdentityResponse(_message.Message):
    __slots__ = ("link", "events_attributed")
    LINK_FIELD_NUMBER: _ClassVar[int]
    EVENTS_ATTRIBUTED_FIELD_NUMBER: _ClassVar[int]
    link: _customer_pb2.IdentityLink
    events_attributed: int
    def __init__(self, link: _Optional[_Union[_customer_pb2.IdentityLink, _Mapping]] = ..., events_attributed: _Optional[int] = ...) -> None: ...

class UnlinkIdentityRequest(_message.Message):
    __slots__ = ("identity_type", "value", "source_id")
    IDENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    identity_type: _customer_pb2.IdentityType
    value: str
    source_id: str
    def __init__(self, identity_type: _Optional[_Union[_customer_pb2.IdentityType, str]] = ..., value: _Optional[str] = ..., source_id: _Optional[str] = ...) -> None: ...

class UnlinkIdentityResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResolveIdentityRequest(_message.Message):
    __slots__ = ("identity_type", "value", "source_id")
    IDENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    identity_type: _customer_pb2.IdentityType
    value: str
    source_id: str
    def __init__(self, identity_type: _Optional[_Union[_customer_pb2.IdentityType, str]] = ..., value: _Optional[str] = ..., source_id: _Optional[str] = ...) -> None: ...

class ResolveIdentityResponse(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class RecordOfflineTouchRequest(_message.Message):
    __slots__ = ("touch",)
    TOUCH_FIELD_NUMBER: _ClassVar[int]
    touch: _customer_pb2.OfflineTouch
    def __init__(self, touch: _Optional[_Union[_customer_pb2.OfflineTouch, _Mapping]] = ...) -> None: ...

class RecordOfflineTouchResponse(_message.Message):
    __slots__ = ("event_id", "duplicate")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    duplicate: bool
    def __init__(self, event_id: _Optional[str] = ..., duplicate: _Optional[bool] = ...) -> None: ...

class ListTimelineRequest(_message.Message):
    __slots__ = ("customer_id", "kinds", "since", "until", "page")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    kinds: _containers.RepeatedScalarFieldContainer[_customer_pb2.TimelineKind]
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    page: _paging_pb2.PageRequest
    def __init__(self, customer_id: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[_customer_pb2.TimelineKind, str]]] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListTimelineResponse(_message.Message):
    __slots__ = ("entries", "page")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[_customer_pb2.TimelineEntry]
    page: _paging_pb2.PageResponse
    def __init__(self, entries: _Optional[_Iterable[_Union[_customer_pb2.TimelineEntry, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ListCustomerTagsRequest(_message.Message):
    __slots__ = ("customer_id", "category_code")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_CODE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    category_code: str
    def __init__(self, customer_id: _Optional[str] = ..., category_code: _Optional[str] = ...) -> None: ...

class ListCustomerTagsResponse(_message.Message):
    __slots__ = ("tags",)
    TAGS_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedCompositeFieldContainer[_customer_pb2.CustomerTag]
    def __init__(self, tags: _Optional[_Iterable[_Union[_customer_pb2.CustomerTag, _Mapping]]] = ...) -> None: ...

class ListAggregateValuesRequest(_message.Message):
    __slots__ = ("customer_id", "codes")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CODES_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, customer_id: _Optional[str] = ..., codes: _Optional[_Iterable[str]] = ...) -> None: ...

class ListAggregateValuesResponse(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedCompositeFieldContainer[_customer_pb2.AggregateValue]
    def __init__(self, values: _Optional[_Iterable[_Union[_customer_pb2.AggregateValue, _Mapping]]] = ...) -> None: ...
