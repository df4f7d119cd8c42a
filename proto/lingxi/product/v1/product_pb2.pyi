import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProductType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PRODUCT_TYPE_UNSPECIFIED: _ClassVar[ProductType]
    PRODUCT_TYPE_FUND: _ClassVar[ProductType]
    PRODUCT_TYPE_WEALTH: _ClassVar[ProductType]
    PRODUCT_TYPE_ADVISORY: _ClassVar[ProductType]

class FundCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FUND_CATEGORY_UNSPECIFIED: _ClassVar[FundCategory]
    FUND_CATEGORY_STOCK: _ClassVar[FundCategory]
    FUND_CATEGORY_BOND: _ClassVar[FundCategory]
    FUND_CATEGORY_HYBRID: _ClassVar[FundCategory]
    FUND_CATEGORY_INDEX: _ClassVar[FundCategory]
    FUND_CATEGORY_ETF: _ClassVar[FundCategory]
    FUND_CATEGORY_MONEY_MARKET: _ClassVar[FundCategory]
    FUND_CATEGORY_QDII: _ClassVar[FundCategory]
    FUND_CATEGORY_FOF: _ClassVar[FundCategory]
    FUND_CATEGORY_OTHER: _ClassVar[FundCategory]

class AdvisoryKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ADVISORY_KIND_UNSPECIFIED: _ClassVar[AdvisoryKind]
    ADVISORY_KIND_STOCK_POOL: _ClassVar[AdvisoryKind]
    ADVISORY_KIND_PORTFOLIO: _ClassVar[AdvisoryKind]
    ADVISORY_KIND_SUBSCRIPTION: _ClassVar[AdvisoryKind]

class ProductStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PRODUCT_STATUS_UNSPECIFIED: _ClassVar[ProductStatus]
    PRODUCT_STATUS_UPCOMING: _ClassVar[ProductStatus]
    PRODUCT_STATUS_ON_SALE: _ClassVar[ProductStatus]
    PRODUCT_STATUS_CLOSED: _ClassVar[ProductStatus]
    PRODUCT_STATUS_MATURED: _ClassVar[ProductStatus]
    PRODUCT_STATUS_DELISTED: _ClassVar[ProductStatus]

class Horizon(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HORIZON_UNSPECIFIED: _ClassVar[Horizon]
    HORIZON_SHORT: _ClassVar[Horizon]
    HORIZON_MEDIUM: _ClassVar[Horizon]
    HORIZON_LONG: _ClassVar[Horizon]

class InvestmentPhase(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INVESTMENT_PHASE_UNSPECIFIED: _ClassVar[InvestmentPhase]
    INVESTMENT_PHASE_PRE: _ClassVar[InvestmentPhase]
    INVESTMENT_PHASE_IN: _ClassVar[InvestmentPhase]
    INVESTMENT_PHASE_POST: _ClassVar[InvestmentPhase]

class ContentKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONTENT_KIND_UNSPECIFIED: _ClassVar[ContentKind]
    CONTENT_KIND_NEWS: _ClassVar[ContentKind]
    CONTENT_KIND_RESEARCH: _ClassVar[ContentKind]
    CONTENT_KIND_ADVISOR_VIEW: _ClassVar[ContentKind]
    CONTENT_KIND_LIVE_STREAM: _ClassVar[ContentKind]
PRODUCT_TYPE_UNSPECIFIED: ProductType
PRODUCT_TYPE_FUND: ProductType
PRODUCT_TYPE_WEALTH: ProductType
PRODUCT_TYPE_ADVISORY: ProductType
FUND_CATEGORY_UNSPECIFIED: FundCategory
FUND_CATEGORY_STOCK: FundCategory
FUND_CATEGORY_BOND: FundCategory
FUND_CATEGORY_HYBRID: FundCategory
FUND_CATEGORY_INDEX: FundCategory
FUND_CATEGORY_ETF: FundCategory
FUND_CATEGORY_MONEY_MARKET: FundCategory
FUND_CATEGORY_QDII: FundCategory
FUND_CATEGORY_FOF: FundCategory
FUND_CATEGORY_OTHER: FundCategory
ADVISORY_KIND_UNSPECIFIED: AdvisoryKind
ADVISORY_KIND_STOCK_POOL: AdvisoryKind
ADVISORY_KIND_PORTFOLIO: AdvisoryKind
ADVISORY_KIND_SUBSCRIPTION: AdvisoryKind
PRODUCT_STATUS_UNSPECIFIED: ProductStatus
PRODUCT_STATUS_UPCOMING: ProductStatus
PRODUCT_STATUS_ON_SALE: ProductStatus
PRODUCT_STATUS_CLOSED: ProductStatus
PRODUCT_STATUS_MATURED: ProductStatus
PRODUCT_STATUS_DELISTED: ProductStatus
HORIZON_UNSPECIFIED: Horizon
HORIZON_SHORT: Horizon
HORIZON_MEDIUM: Horizon
HORIZON_LONG: Horizon
INVESTMENT_PHASE_UNSPECIFIED: InvestmentPhase
INVESTMENT_PHASE_PRE: InvestmentPhase
INVESTMENT_PHASE_IN: InvestmentPhase
INVESTMENT_PHASE_POST: InvestmentPhase
CONTENT_KIND_UNSPECIFIED: ContentKind
CONTENT_KIND_NEWS: ContentKind
CONTENT_KIND_RESEARCH: ContentKind
CONTENT_KIND_ADVISOR_VIEW: ContentKind
CONTENT_KIND_LIVE_STREAM: ContentKind

class FeeSchedule(_message.Message):
    __slots__ = ("subscription_rate", "redemption_rate", "management_rate", "custody_rate", "sales_service_rate", "service_price", "service_period_months")
    SUBSCRIPTION_RATE_FIELD_NUMBER: _ClassVar[int]
    REDEMPTION_RATE_FIELD_NUMBER: _ClassVar[int]
    MANAGEMENT_RATE_FIELD_NUMBER: _ClassVar[int]
    CUSTODY_RATE_FIELD_NUMBER: _ClassVar[int]
    SALES_SERVICE_RATE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_PRICE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_PERIOD_MONTHS_FIELD_NUMBER: _ClassVar[int]
    subscription_rate: _decimal_pb2.Decimal
    redemption_rate: _decimal_pb2.Decimal
    management_rate: _decimal_pb2.Decimal
    custody_rate: _decimal_pb2.Decimal
    sales_service_rate: _decimal_pb2.Decimal
    service_price: _decimal_pb2.Money
    service_period_months: int
    def __init__(self, subscription_rate: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., redemption_rate: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., management_rate: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., custody_rate: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., sales_service_rate: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., service_price: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., service_period_months: _Optional[int] = ...) -> None: ...

class KeyDates(_message.Message):
    __slots__ = ("subscription_window", "established_on", "matures_on", "next_payout_on", "next_open_on")
    SUBSCRIPTION_WINDOW_FIELD_NUMBER: _ClassVar[int]
    ESTABLISHED_ON_FIELD_NUMBER: _ClassVar[int]
    MATURES_ON_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAYOUT_ON_FIELD_NUMBER: _ClassVar[int]
    NEXT_OPEN_ON_FIELD_NUMBER: _ClassVar[int]
    subscription_window: _date_pb2.DateRange
    established_on: _date_pb2.Date
    matures_on: _date_pb2.Date
    next_payout_on: _date_pb2.Date
    next_open_on: _date_pb2.Date
    def __init__(self, subscription_window: _Optional[_Union[_date_pb2.DateRange, _Mapping]] = ..., established_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., matures_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., next_payout_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., next_open_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class TopHolding(_message.Message):
    __slots__ = ("security_code", "security_name", "weight", "report_date")
    SECURITY_CODE_FIELD_NUMBER: _ClassVar[int]
    SECURITY_NAME_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    REPORT_DATE_FIELD_NUMBER: _ClassVar[int]
    security_code: str
    security_name: str
    weight: _decimal_pb2.Decimal
    report_date: _date_pb2.Date
    def __init__(self, security_code: _Optional[str] = ..., security_name: _Optional[str] = ..., weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., report_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class SectorExposure(_message.Message):
    __slots__ = ("sector_code", "sector_name", "weight")
    SECTOR_CODE_FIELD_NUMBER: _ClassVar[int]
    SECTOR_NAME_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    sector_code: str
    sector_name: str
    weight: _decimal_pb2.Decimal
    def __init__(self, sector_code: _Optional[str] = ..., sector_name: _Optional[str] = ..., weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ...) -> None: ...

class Product(_message.Message):
    __slots__ = ("product_id", "product_code", "name", "product_type", "fund_category", "advisory_kind", "risk_rating", "min_investment", "fees", "key_dates", "status", "issuer", "benchmark_code", "top_holdings", "sector_exposures", "horizon", "phases", "highlight", "description", "tracking_index_code", "created_at", "updated_at", "updated_by", "version", "latest_nav", "latest_nav_date")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FUND_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    ADVISORY_KIND_FIELD_NUMBER: _ClassVar[int]
    RISK_RATING_FIELD_NUMBER: _ClassVar[int]
    MIN_INVESTMENT_FIELD_NUMBER: _ClassVar[int]
    FEES_FIELD_NUMBER: _ClassVar[int]
    KEY_DATES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ISSUER_FIELD_NUMBER: _ClassVar[int]
    BENCHMARK_CODE_FIELD_NUMBER: _ClassVar[int]
    TOP_HOLDINGS_FIELD_NUMBER: _ClassVar[int]
    SECTOR_EXPOSURES_FIELD_NUMBER: _ClassVar[int]
    HORIZON_FIELD_NUMBER: _ClassVar[int]
    PHASES_FIELD_NUMBER: _ClassVar[int]
    HIGHLIGHT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TRACKING_INDEX_CODE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LATEST_NAV_FIELD_NUMBER: _ClassVar[int]
    LATEST_NAV_DATE_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    product_code: str
    name: str
    product_type: ProductType
    fund_category: FundCategory
    advisory_kind: AdvisoryKind
    risk_rating: _enums_pb2.ProductRiskRating
    min_investment: _decimal_pb2.Money
    fees: FeeSchedule
    key_dates: KeyDates
    status: ProductStatus
    issuer: str
    benchmark_code: str
    top_holdings: _containers.RepeatedCompositeFieldContainer[TopHolding]
    sector_exposures: _containers.RepeatedCompositeFieldContainer[SectorExposure]
    horizon: Horizon
    phases: _containers.RepeatedScalarFieldContainer[InvestmentPhase]
    highlight: str
    description: str
    tracking_index_code: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    updated_by: _customer_pb2.Actor
    version: int
    latest_nav: _decimal_pb2.Decimal
    latest_nav_date: _date_pb2.Date
    def __init__(self, product_id: _Optional[str] = ..., product_code: _Optional[str] = ..., name: _Optional[str] = ..., product_type: _Optional[_Union[ProductType, str]] = ..., fund_category: _Optional[_Union[FundCategory, str]] = ..., advisory_kind: _Optional[_Union[AdvisoryKind, str]] = ..., risk_rating: _Optional[_Union[_enums_pb2.ProductRiskRating, str]] = ..., min_investment: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., fees: _Optional[_Union[FeeSchedule, _Mapping]] = ..., key_dates: _Optional[_Union[KeyDates, _Mapping]] = ..., status: _Optional[_Union[ProductStatus, str]] = ..., issuer: _Optional[str] = ..., benchmark_code: _Optional[str] = ..., top_holdings: _Optional[_Iterable[_Union[TopHolding, _Mapping]]] = ..., sector_exposures: _Optional[_Iterable[_Union[SectorExposure, _Mapping]]] = ..., horizon: _Optional[_Union[Horizon, str]] = ..., phases: _Optional[_Iterable[_Union[InvestmentPhase, str]]] = ..., highlight: _Optional[str] = ..., description: _Optional[str] = ..., tracking_index_code: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., version: _Optional[int] = ..., latest_nav: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., latest_nav_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class IndexConstituent(_message.Message):
    __slots__ = ("index_code", "security_code", "security_name", "weight", "sector_code", "effective_date")
    INDEX_CODE_FIELD_NUMBER: _ClassVar[int]
    SECURITY_CODE_FIELD_NUMBER: _ClassVar[int]
    SECURITY_NAME_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    SECTOR_CODE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    index_code: str
    security_code: str
    security_name: str
    weight: _decimal_pb2.Decimal
    sector_code: str
    effective_date: _date_pb2.Date
    def __init__(self, index_code: _Optional[str] = ..., security_code: _Optional[str] = ..., security_name: _Optional[str] = ..., weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., sector_code: _Optional[str] = ..., effective_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class ContentItem(_message.Message):
    __slots__ = ("content_id", "kind", "title", "summary", "url", "published_at", "security_codes", "sector_codes", "source", "compliance_approved", "starts_at")
    CONTENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    SECURITY_CODES_FIELD_NUMBER: _ClassVar[int]
    SECTOR_CODES_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    COMPLIANCE_APPROVED_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    content_id: str
    kind: ContentKind
    title: str
    summary: str
    url: str
    published_at: _timestamp_pb2.Timestamp
    security_codes: _containers.RepeatedScalarFieldContainer[str]
    sector_codes: _containers.RepeatedScalarFieldContainer[str]
    source: str
    compliance_approved: bool
    starts_at: _timestamp_pb2.Timestamp
    def __init__(self, content_id: _Optional[str] = ..., kind: _Optional[_Union[ContentKind, str]] = ..., title: _Optional[str] = ..., summary: _Optional[str] = ..., url: _Optional[str] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., security_codes: _Optional[_Iterable[str]] = ..., sector_codes: _Optional[_Iterable[str]] = ..., source: _Optional[str] = ..., compliance_approved: _Optional[bool] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
