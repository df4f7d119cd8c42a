from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import event_meta_pb2 as _event_meta_pb2
from lingxi.common.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProductFacts(_message.Message):
    __slots__ = ("product_id", "product_code", "name", "product_type", "fund_category", "risk_rating")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FUND_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    RISK_RATING_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    product_code: str
    name: str
    product_type: str
    fund_category: str
    risk_rating: _enums_pb2.ProductRiskRating
    def __init__(self, product_id: _Optional[str] = ..., product_code: _Optional[str] = ..., name: _Optional[str] = ..., product_type: _Optional[str] = ..., fund_category: _Optional[str] = ..., risk_rating: _Optional[_Union[_enums_pb2.ProductRiskRating, str]] = ...) -> None: ...

class ProductLaunched(_message.Message):
    __slots__ = ("meta", "product", "subscription_window", "min_investment")
    META_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_WINDOW_FIELD_NUMBER: _ClassVar[int]
    MIN_INVESTMENT_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    product: ProductFacts
    subscription_window: _date_pb2.DateRange
    min_investment: _decimal_pb2.Money
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., product: _Optional[_Union[ProductFacts, _Mapping]] = ..., subscription_window: _Optional[_Union[_date_pb2.DateRange, _Mapping]] = ..., min_investment: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ...) -> None: ...

class ProductChanged(_message.Message):
    __slots__ = ("meta", "product", "changed_fields", "previous_status", "status", "version")
    META_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    product: ProductFacts
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    previous_status: str
    status: str
    version: int
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., product: _Optional[_Union[ProductFacts, _Mapping]] = ..., changed_fields: _Optional[_Iterable[str]] = ..., previous_status: _Optional[str] = ..., status: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class SubscriptionOpened(_message.Message):
    __slots__ = ("meta", "product", "subscription_window")
    META_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_WINDOW_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    product: ProductFacts
    subscription_window: _date_pb2.DateRange
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., product: _Optional[_Union[ProductFacts, _Mapping]] = ..., subscription_window: _Optional[_Union[_date_pb2.DateRange, _Mapping]] = ...) -> None: ...

class SubscriptionClosing(_message.Message):
    __slots__ = ("meta", "product", "closes_on", "days_left")
    META_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    CLOSES_ON_FIELD_NUMBER: _ClassVar[int]
    DAYS_LEFT_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    product: ProductFacts
    closes_on: _date_pb2.Date
    days_left: int
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., product: _Optional[_Union[ProductFacts, _Mapping]] = ..., closes_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., days_left: _Optional[int] = ...) -> None: ...

class NavUpdated(_message.Message):
    __slots__ = ("meta", "product", "trade_date", "nav", "accumulated_nav", "daily_return", "points_added")
    META_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    TRADE_DATE_FIELD_NUMBER: _ClassVar[int]
    NAV_FIELD_NUMBER: _ClassVar[int]
    ACCUMULATED_NAV_FIELD_NUMBER: _ClassVar[int]
    DAILY_RETURN_FIELD_NUMBER: _ClassVar[int]
    POINTS_ADDED_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    product: ProductFacts
    trade_date: _date_pb2.Date
    nav: _decimal_pb2.Decimal
    accumulated_nav: _decimal_pb2.Decimal
    daily_return: _decimal_pb2.Decimal
    points_added: int
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., product: _Optional[_Union[ProductFacts, _Mapping]] = ..., trade_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., nav: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., accumulated_nav: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., daily_return: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., points_added: _Optional[int] = ...) -> None: ...

class MaturityApproaching(_message.Message):
    __slots__ = ("meta", "product", "matures_on", "days_left")
    META_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    MATURES_ON_FIELD_NUMBER: _ClassVar[int]
    DAYS_LEFT_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    product: ProductFacts
    matures_on: _date_pb2.Date
    days_left: int
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., product: _Optional[_Union[ProductFacts, _Mapping]] = ..., matures_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., days_left: _Optional[int] = ...) -> None: ...

class PayoutArrived(_message.Message):
    __slots__ = ("meta", "product", "paid_on", "amount_per_unit")
    META_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    PAID_ON_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_PER_UNIT_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    product: ProductFacts
    paid_on: _date_pb2.Date
    amount_per_unit: _decimal_pb2.Decimal
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., product: _Optional[_Union[ProductFacts, _Mapping]] = ..., paid_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., amount_per_unit: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ...) -> None: ...

class ProductTagChanged(_message.Message):
    __slots__ = ("meta", "product", "tag_code", "old_value", "new_value")
    META_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    TAG_CODE_FIELD_NUMBER: _ClassVar[int]
    OLD_VALUE_FIELD_NUMBER: _ClassVar[int]
    NEW_VALUE_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    product: ProductFacts
    tag_code: str
    old_value: str
    new_value: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., product: _Optional[_Union[ProductFacts, _Mapping]] = ..., tag_code: _Optional[str] = ..., old_value: _Optional[str] = ..., new_value: _Optional[str] = ...) -> None: ...

class EvaluationUpdated(_message.Message):
    __slots__ = ("meta", "model_version", "as_of", "funds_ranked", "entered_top_product_ids", "left_top_product_ids")
    META_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    FUNDS_RANKED_FIELD_NUMBER: _ClassVar[int]
    ENTERED_TOP_PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    LEFT_TOP_PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    model_version: int
    as_of: _date_pb2.Date
    funds_ranked: int
    entered_top_product_ids: _containers.RepeatedScalarFieldContainer[str]
    left_top_product_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., model_version: _Optional[int] = ..., as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., funds_ranked: _Optional[int] = ..., entered_top_product_ids: _Optional[_Iterable[str]] = ..., left_top_product_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class RecomputeMetricsCommand(_message.Message):
    __slots__ = ("meta", "product_ids", "reason")
    META_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    reason: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., product_ids: _Optional[_Iterable[str]] = ..., reason: _Optional[str] = ...) -> None: ...
