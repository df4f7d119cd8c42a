import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.product.v1 import product_pb2 as _product_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SeriesKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERIES_KIND_UNSPECIFIED: _ClassVar[SeriesKind]
    SERIES_KIND_NAV: _ClassVar[SeriesKind]
    SERIES_KIND_INDEX_CLOSE: _ClassVar[SeriesKind]
    SERIES_KIND_INDEX_CONSTITUENTS: _ClassVar[SeriesKind]

class MetricWindow(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    METRIC_WINDOW_UNSPECIFIED: _ClassVar[MetricWindow]
    METRIC_WINDOW_1M: _ClassVar[MetricWindow]
    METRIC_WINDOW_3M: _ClassVar[MetricWindow]
    METRIC_WINDOW_6M: _ClassVar[MetricWindow]
    METRIC_WINDOW_1Y: _ClassVar[MetricWindow]
    METRIC_WINDOW_3Y: _ClassVar[MetricWindow]
    METRIC_WINDOW_SINCE_INCEPTION: _ClassVar[MetricWindow]
    METRIC_WINDOW_YTD: _ClassVar[MetricWindow]

class TagSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAG_SOURCE_UNSPECIFIED: _ClassVar[TagSource]
    TAG_SOURCE_COMPUTED: _ClassVar[TagSource]
    TAG_SOURCE_MANUAL: _ClassVar[TagSource]
SERIES_KIND_UNSPECIFIED: SeriesKind
SERIES_KIND_NAV: SeriesKind
SERIES_KIND_INDEX_CLOSE: SeriesKind
SERIES_KIND_INDEX_CONSTITUENTS: SeriesKind
METRIC_WINDOW_UNSPECIFIED: MetricWindow
METRIC_WINDOW_1M: MetricWindow
METRIC_WINDOW_3M: MetricWindow
METRIC_WINDOW_6M: MetricWindow
METRIC_WINDOW_1Y: MetricWindow
METRIC_WINDOW_3Y: MetricWindow
METRIC_WINDOW_SINCE_INCEPTION: MetricWindow
METRIC_WINDOW_YTD: MetricWindow
TAG_SOURCE_UNSPECIFIED: TagSource
TAG_SOURCE_COMPUTED: TagSource
TAG_SOURCE_MANUAL: TagSource

class SeriesPoint(_message.Message):
    __slots__ = ("trade_date", "value", "accumulated_value")
    TRADE_DATE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    ACCUMULATED_VALUE_FIELD_NUMBER: _ClassVar[int]
    trade_date: _date_pb2.Date
    value: _decimal_pb2.Decimal
    accumulated_value: _decimal_pb2.Decimal
    def __init__(self, trade_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., value: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., accumulated_value: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ...) -> None: ...

class Benchmark(_message.Message):
    __slots__ = ("code", "name", "default_for_category")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_FOR_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    default_for_category: _product_pb2.FundCategory
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., default_for_category: _Optional[_Union[_product_pb2.FundCategory, str]] = ...) -> None: ...

class ProductMetrics(_message.Message):
    __slots__ = ("product_id", "window", "as_of", "start_date", "cumulative_return", "annualized_return", "annualized_volatility", "max_drawdown", "drawdown_peak_on", "drawdown_trough_on", "drawdown_recovered_on", "sharpe", "sortino", "calmar", "win_rate", "excess_return", "benchmark_code", "observations", "gaps", "computed_at")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    CUMULATIVE_RETURN_FIELD_NUMBER: _ClassVar[int]
    ANNUALIZED_RETURN_FIELD_NUMBER: _ClassVar[int]
    ANNUALIZED_VOLATILITY_FIELD_NUMBER: _ClassVar[int]
    MAX_DRAWDOWN_FIELD_NUMBER: _ClassVar[int]
    DRAWDOWN_PEAK_ON_FIELD_NUMBER: _ClassVar[int]
    DRAWDOWN_TROUGH_ON_FIELD_NUMBER: _ClassVar[int]
    DRAWDOWN_RECOVERED_ON_FIELD_NUMBER: _ClassVar[int]
    SHARPE_FIELD_NUMBER: _ClassVar[int]
    SORTINO_FIELD_NUMBER: _ClassVar[int]
    CALMAR_FIELD_NUMBER: _ClassVar[int]
    WIN_RATE_FIELD_NUMBER: _ClassVar[int]
    EXCESS_RETURN_FIELD_NUMBER: _ClassVar[int]
    BENCHMARK_CODE_FIELD_NUMBER: _ClassVar[int]
    OBSERVATIONS_FIELD_NUMBER: _ClassVar[int]
    GAPS_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    window: MetricWindow
    as_of: _date_pb2.Date
    start_date: _date_pb2.Date
    cumulative_return: _decimal_pb2.Decimal
    annualized_return: _decimal_pb2.Decimal
    annualized_volatility: _decimal_pb2.Decimal
    max_drawdown: _decimal_pb2.Decimal
    drawdown_peak_on: _date_pb2.Date
    drawdown_trough_on: _date_pb2.Date
    drawdown_recovered_on: _date_pb2.Date
    sharpe: _decimal_pb2.Decimal
    sortino: _decimal_pb2.Decimal
    calmar: _decimal_pb2.Decimal
    win_rate: _decimal_pb2.Decimal
    excess_return: _decimal_pb2.Decimal
    benchmark_code: str
    observations: int
    gaps: int
    computed_at: _timestamp_pb2.Timestamp
    def __init__(self, product_id: _Optional[str] = ..., window: _Optional[_Union[MetricWindow, str]] = ..., as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., start_date: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., cumulative_return: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., annualized_return: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., annualized_volatility: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., max_drawdown: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., drawdown_peak_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., drawdown_trough_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., drawdown_recovered_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., sharpe: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., sortino: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., calmar: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., win_rate: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., excess_return: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., benchmark_code: _Optional[str] = ..., observations: _Optional[int] = ..., gaps: _Optional[int] = ..., computed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EvaluationModel(_message.Message):
    __slots__ = ("version", "return_weight", "risk_weight", "drawdown_weight", "consistency_weight", "cost_weight", "window", "top_quantile", "min_history_months", "description", "active", "created_at", "created_by")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    RETURN_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    RISK_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    DRAWDOWN_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    CONSISTENCY_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    COST_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    TOP_QUANTILE_FIELD_NUMBER: _ClassVar[int]
    MIN_HISTORY_MONTHS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    version: int
    return_weight: _decimal_pb2.Decimal
    risk_weight: _decimal_pb2.Decimal
    drawdown_weight: _decimal_pb2.Decimal
    consistency_weight: _decimal_pb2.Decimal
    cost_weight: _decimal_pb2.Decimal
    window: MetricWindow
    top_quantile: _decimal_pb2.Decimal
    min_history_months: int
    description: str
    active: bool
    created_at: _timestamp_pb2.Timestamp
    created_by: _customer_pb2.Actor
    def __init__(self, version: _Optional[int] = ..., return_weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., risk_weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., drawdown_weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., consistency_weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., cost_weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., window: _Optional[_Union[MetricWindow, str]] = ..., top_quantile: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., min_history_months: _Optional[int] = ..., description: _Optional[str] = ..., active: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ...) -> None: ...

class ScoreComponent(_message.Message):
    __slots__ = ("name", "score", "weight")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    name: str
    score: _decimal_pb2.Decimal
    weight: _decimal_pb2.Decimal
    def __init__(self, name: _Optional[str] = ..., score: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ...) -> None: ...

class FundEvaluation(_message.Message):
    __slots__ = ("product_id", "category", "model_version", "score", "rank", "category_size", "percentile", "top_quantile", "components", "as_of")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_SIZE_FIELD_NUMBER: _ClassVar[int]
    PERCENTILE_FIELD_NUMBER: _ClassVar[int]
    TOP_QUANTILE_FIELD_NUMBER: _ClassVar[int]
    COMPONENTS_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    category: _product_pb2.FundCategory
    model_version: int
    score: _decimal_pb2.Decimal
    rank: int
    category_size: int
    percentile: _decimal_pb2.Decimal
    top_quantile: bool
    components: _containers.RepeatedCompositeFieldContainer[ScoreComponent]
    as_of: _date_pb2.Date
    def __init__(self, product_id: _Optional[str] = ..., category: _Optional[_Union[_product_pb2.FundCategory, str]] = ..., model_version: _Optional[int] = ..., score: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., rank: _Optional[int] = ..., category_size: _Optional[int] = ..., percentile: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., top_quantile: _Optional[bool] = ..., components: _Optional[_Iterable[_Union[ScoreComponent, _Mapping]]] = ..., as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class ProductTag(_message.Message):
    __slots__ = ("code", "value", "source", "set_at", "set_by")
    CODE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SET_AT_FIELD_NUMBER: _ClassVar[int]
    SET_BY_FIELD_NUMBER: _ClassVar[int]
    code: str
    value: str
    source: TagSource
    set_at: _timestamp_pb2.Timestamp
    set_by: _customer_pb2.Actor
    def __init__(self, code: _Optional[str] = ..., value: _Optional[str] = ..., source: _Optional[_Union[TagSource, str]] = ..., set_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., set_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ...) -> None: ...
