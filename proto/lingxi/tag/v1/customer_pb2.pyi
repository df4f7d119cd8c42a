import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CustomerType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CUSTOMER_TYPE_UNSPECIFIED: _ClassVar[CustomerType]
    CUSTOMER_TYPE_INDIVIDUAL: _ClassVar[CustomerType]
    CUSTOMER_TYPE_INSTITUTION: _ClassVar[CustomerType]

class CustomerStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CUSTOMER_STATUS_UNSPECIFIED: _ClassVar[CustomerStatus]
    CUSTOMER_STATUS_ACTIVE: _ClassVar[CustomerStatus]
    CUSTOMER_STATUS_FROZEN: _ClassVar[CustomerStatus]
    CUSTOMER_STATUS_CLOSED: _ClassVar[CustomerStatus]

class AccountType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACCOUNT_TYPE_UNSPECIFIED: _ClassVar[AccountType]
    ACCOUNT_TYPE_CASH: _ClassVar[AccountType]
    ACCOUNT_TYPE_MARGIN: _ClassVar[AccountType]
    ACCOUNT_TYPE_FUND: _ClassVar[AccountType]

class AccountStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACCOUNT_STATUS_UNSPECIFIED: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_NORMAL: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_FROZEN: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_DORMANT: _ClassVar[AccountStatus]
    ACCOUNT_STATUS_CLOSED: _ClassVar[AccountStatus]

class SecurityType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SECURITY_TYPE_UNSPECIFIED: _ClassVar[SecurityType]
    SECURITY_TYPE_STOCK: _ClassVar[SecurityType]
    SECURITY_TYPE_ETF: _ClassVar[SecurityType]
    SECURITY_TYPE_FUND: _ClassVar[SecurityType]
    SECURITY_TYPE_BOND: _ClassVar[SecurityType]
    SECURITY_TYPE_WEALTH_PRODUCT: _ClassVar[SecurityType]
    SECURITY_TYPE_OTHER: _ClassVar[SecurityType]

class TradeSide(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRADE_SIDE_UNSPECIFIED: _ClassVar[TradeSide]
    TRADE_SIDE_BUY: _ClassVar[TradeSide]
    TRADE_SIDE_SELL: _ClassVar[TradeSide]
    TRADE_SIDE_SUBSCRIBE: _ClassVar[TradeSide]
    TRADE_SIDE_REDEEM: _ClassVar[TradeSide]

class IdentityType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IDENTITY_TYPE_UNSPECIFIED: _ClassVar[IdentityType]
    IDENTITY_TYPE_DEVICE: _ClassVar[IdentityType]
    IDENTITY_TYPE_ANONYMOUS: _ClassVar[IdentityType]
    IDENTITY_TYPE_LOGIN: _ClassVar[IdentityType]
    IDENTITY_TYPE_WECHAT_OPENID: _ClassVar[IdentityType]
    IDENTITY_TYPE_WECHAT_UNIONID: _ClassVar[IdentityType]
    IDENTITY_TYPE_WECOM_EXTERNAL_ID: _ClassVar[IdentityType]

class TimelineKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TIMELINE_KIND_UNSPECIFIED: _ClassVar[TimelineKind]
    TIMELINE_KIND_ONLINE_EVENT: _ClassVar[TimelineKind]
    TIMELINE_KIND_OFFLINE_TOUCH: _ClassVar[TimelineKind]
    TIMELINE_KIND_TRADE: _ClassVar[TimelineKind]
    TIMELINE_KIND_MESSAGE: _ClassVar[TimelineKind]
    TIMELINE_KIND_TAG_CHANGE: _ClassVar[TimelineKind]
    TIMELINE_KIND_BUSINESS_EVENT: _ClassVar[TimelineKind]

class AggregateMeasure(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AGGREGATE_MEASURE_UNSPECIFIED: _ClassVar[AggregateMeasure]
    AGGREGATE_MEASURE_COUNT: _ClassVar[AggregateMeasure]
    AGGREGATE_MEASURE_SUM: _ClassVar[AggregateMeasure]
    AGGREGATE_MEASURE_DISTINCT_DAYS: _ClassVar[AggregateMeasure]
    AGGREGATE_MEASURE_LAST_SEEN: _ClassVar[AggregateMeasure]

class TouchKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TOUCH_KIND_UNSPECIFIED: _ClassVar[TouchKind]
    TOUCH_KIND_BRANCH_VISIT: _ClassVar[TouchKind]
    TOUCH_KIND_ADVISOR_CALL: _ClassVar[TouchKind]
    TOUCH_KIND_CALL_CENTER_CALL: _ClassVar[TouchKind]
    TOUCH_KIND_AI_OUTBOUND_CALL: _ClassVar[TouchKind]
    TOUCH_KIND_MEETING: _ClassVar[TouchKind]
    TOUCH_KIND_WECOM_CHAT: _ClassVar[TouchKind]

class TouchResult(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TOUCH_RESULT_UNSPECIFIED: _ClassVar[TouchResult]
    TOUCH_RESULT_CONNECTED: _ClassVar[TouchResult]
    TOUCH_RESULT_INTENT: _ClassVar[TouchResult]
    TOUCH_RESULT_NO_ANSWER: _ClassVar[TouchResult]
    TOUCH_RESULT_REFUSED: _ClassVar[TouchResult]
    TOUCH_RESULT_CONVERTED: _ClassVar[TouchResult]
    TOUCH_RESULT_WRONG_NUMBER: _ClassVar[TouchResult]
CUSTOMER_TYPE_UNSPECIFIED: CustomerType
CUSTOMER_TYPE_INDIVIDUAL: CustomerType
CUSTOMER_TYPE_INSTITUTION: CustomerType
CUSTOMER_STATUS_UNSPECIFIED: CustomerStatus
CUSTOMER_STATUS_ACTIVE: CustomerStatus
CUSTOMER_STATUS_FROZEN: CustomerStatus
CUSTOMER_STATUS_CLOSED: CustomerStatus
ACCOUNT_TYPE_UNSPECIFIED: AccountType
ACCOUNT_TYPE_CASH: AccountType
ACCOUNT_TYPE_MARGIN: AccountType
ACCOUNT_TYPE_FUND: AccountType
ACCOUNT_STATUS_UNSPECIFIED: AccountStatus
ACCOUNT_STATUS_NORMAL: AccountStatus
ACCOUNT_STATUS_FROZEN: AccountStatus
ACCOUNT_STATUS_DORMANT: AccountStatus
ACCOUNT_STATUS_CLOSED: AccountStatus
SECURITY_TYPE_UNSPECIFIED: SecurityType
SECURITY_TYPE_STOCK: SecurityType
SECURITY_TYPE_ETF: SecurityType
SECURITY_TYPE_FUND: SecurityType
SECURITY_TYPE_BOND: SecurityType
SECURITY_TYPE_WEALTH_PRODUCT: SecurityType
SECURITY_TYPE_OTHER: SecurityType
TRADE_SIDE_UNSPECIFIED: TradeSide
TRADE_SIDE_BUY: TradeSide
TRADE_SIDE_SELL: TradeSide
TRADE_SIDE_SUBSCRIBE: TradeSide
TRADE_SIDE_REDEEM: TradeSide
IDENTITY_TYPE_UNSPECIFIED: IdentityType
IDENTITY_TYPE_DEVICE: IdentityType
IDENTITY_TYPE_ANONYMOUS: IdentityType
IDENTITY_TYPE_LOGIN: IdentityType
IDENTITY_TYPE_WECHAT_OPENID: IdentityType
IDENTITY_TYPE_WECHAT_UNIONID: IdentityType
IDENTITY_TYPE_WECOM_EXTERNAL_ID: IdentityType
TIMELINE_KIND_UNSPECIFIED: TimelineKind
TIMELINE_KIND_ONLINE_EVENT: TimelineKind
TIMELINE_KIND_OFFLINE_TOUCH: TimelineKind
TIMELINE_KIND_TRADE: TimelineKind
TIMELINE_KIND_MESSAGE: TimelineKind
TIMELINE_KIND_TAG_CHANGE: TimelineKind
TIMELINE_KIND_BUSINESS_EVENT: TimelineKind
AGGREGATE_MEASURE_UNSPECIFIED: AggregateMeasure
AGGREGATE_MEASURE_COUNT: AggregateMeasure
AGGREGATE_MEASURE_SUM: AggregateMeasure
AGGREGATE_MEASURE_DISTINCT_DAYS: AggregateMeasure
AGGREGATE_MEASURE_LAST_SEEN: AggregateMeasure
TOUCH_KIND_UNSPECIFIED: TouchKind
TOUCH_KIND_BRANCH_VISIT: TouchKind
TOUCH_KIND_ADVISOR_CALL: TouchKind
TOUCH_KIND_CALL_CENTER_CALL: TouchKind
TOUCH_KIND_AI_OUTBOUND_CALL: TouchKind
TOUCH_KIND_MEETING: TouchKind
TOUCH_KIND_WECOM_CHAT: TouchKind
TOUCH_RESULT_UNSPECIFIED: TouchResult
TOUCH_RESULT_CONNECTED: TouchResult
TOUCH_RESULT_INTENT: TouchResult
TOUCH_RESULT_NO_ANSWER: TouchResult
TOUCH_RESULT_REFUSED: TouchResult
TOUCH_RESULT_CONVERTED: TouchResult
TOUCH_RESULT_WRONG_NUMBER: TouchResult

class Customer(_message.Message):
    __slots__ = ("customer_id", "branch_id", "advisor_id", "risk_level", "risk_assessment_expires_on", "professional_investor", "opened_on", "age_band", "city", "phone", "id_number", "wechat_openid", "consents", "updated_at", "display_name", "customer_type", "status", "created_at", "version", "attributes", "pii_masked", "wechat_unionid")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    ADVISOR_ID_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    RISK_ASSESSMENT_EXPIRES_ON_FIELD_NUMBER: _ClassVar[int]
    PROFESSIONAL_INVESTOR_FIELD_NUMBER: _ClassVar[int]
    OPENED_ON_FIELD_NUMBER: _ClassVar[int]
    AGE_BAND_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    WECHAT_OPENID_FIELD_NUMBER: _ClassVar[int]
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    PII_MASKED_FIELD_NUMBER: _ClassVar[int]
    WECHAT_UNIONID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    branch_id: str
    advisor_id: str
    risk_level: _enums_pb2.RiskLevel
    risk_assessment_expires_on: _date_pb2.Date
    professional_investor: bool
    opened_on: _date_pb2.Date
    age_band: str
    city: str
    phone: str
    id_number: str
    wechat_openid: str
    consents: _containers.RepeatedCompositeFieldContainer[_customer_pb2.ChannelConsent]
    updated_at: _timestamp_pb2.Timestamp
    display_name: str
    customer_type: CustomerType
    status: CustomerStatus
    created_at: _timestamp_pb2.Timestamp
    version: int
    attributes: _containers.ScalarMap[str, str]
    pii_masked: bool
    wechat_unionid: str
    def __init__(self, customer_id: _Optional[str] = ..., branch_id: _Optional[str] = ..., advisor_id: _Optional[str] = ..., risk_level: _Optional[_Union[_enums_pb2.RiskLevel, str]] = ..., risk_assessment_expires_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., professional_investor: _Optional[bool] = ..., opened_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., age_band: _Optional[str] = ..., city: _Optional[str] = ..., phone: _Optional[str] = ..., id_number: _Optional[str] = ..., wechat_openid: _Optional[str] = ..., consents: _Optional[_Iterable[_Union[_customer_pb2.ChannelConsent, _Mapping]]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., display_name: _Optional[str] = ..., customer_type: _Optional[_Union[CustomerType, str]] = ..., status: _Optional[_Union[CustomerStatus, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., attributes: _Optional[_Mapping[str, str]] = ..., pii_masked: _Optional[bool] = ..., wechat_unionid: _Optional[str] = ...) -> None: ...

class FundAccount(_message.Message):
    __slots__ = ("account_id", "customer_id", "account_type", "status", "total_assets", "cash_balance", "stock_market_value", "fund_market_value", "liabilities", "maintenance_ratio", "contract_expires_on", "opened_on", "as_of")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_ASSETS_FIELD_NUMBER: _ClassVar[int]
    CASH_BALANCE_FIELD_NUMBER: _ClassVar[int]
    STOCK_MARKET_VALUE_FIELD_NUMBER: _ClassVar[int]
    FUND_MARKET_VALUE_FIELD_NUMBER: _ClassVar[int]
    LIABILITIES_FIELD_NUMBER: _ClassVar[int]
    MAINTENANCE_RATIO_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_EXPIRES_ON_FIELD_NUMBER: _ClassVar[int]
    OPENED_ON_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    customer_id: str
    account_type: AccountType
    status: AccountStatus
    total_assets: _decimal_pb2.Money
    cash_balance: _decimal_pb2.Money
    stock_market_value: _decimal_pb2.Money
    fund_market_value: _decimal_pb2.Money
    liabilities: _decimal_pb2.Money
    maintenance_ratio: _decimal_pb2.Decimal
    contract_expires_on: _date_pb2.Date
    opened_on: _date_pb2.Date
    as_of: _timestamp_pb2.Timestamp
    def __init__(self, account_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., account_type: _Optional[_Union[AccountType, str]] = ..., status: _Optional[_Union[AccountStatus, str]] = ..., total_assets: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., cash_balance: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., stock_market_value: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., fund_market_value: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., liabilities: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., maintenance_ratio: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., contract_expires_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., opened_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Holding(_message.Message):
    __slots__ = ("account_id", "customer_id", "security_code", "security_name", "security_type", "quantity", "cost", "market_value", "unrealized_pnl", "unrealized_pnl_ratio", "sector_code", "as_of")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SECURITY_CODE_FIELD_NUMBER: _ClassVar[int]
    SECURITY_NAME_FIELD_NUMBER: _ClassVar[int]
    SECURITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    COST_FIELD_NUMBER: _ClassVar[int]
    MARKET_VALUE_FIELD_NUMBER: _ClassVar[int]
    UNREALIZED_PNL_FIELD_NUMBER: _ClassVar[int]
    UNREALIZED_PNL_RATIO_FIELD_NUMBER: _ClassVar[int]
    SECTOR_CODE_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    customer_id: str
    security_code: str
    security_name: str
    security_type: SecurityType
    quantity: _decimal_pb2.Decimal
    cost: _decimal_pb2.Money
    market_value: _decimal_pb2.Money
    unrealized_pnl: _decimal_pb2.Money
    unrealized_pnl_ratio: _decimal_pb2.Decimal
    sector_code: str
    as_of: _timestamp_pb2.Timestamp
    def __init__(self, account_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., security_code: _Optional[str] = ..., security_name: _Optional[str] = ..., security_type: _Optional[_Union[SecurityType, str]] = ..., quantity: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., cost: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., market_value: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., unrealized_pnl: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., unrealized_pnl_ratio: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., sector_code: _Optional[str] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Trade(_message.Message):
    __slots__ = ("trade_id", "account_id", "customer_id", "security_code", "side", "quantity", "price", "amount", "fee", "traded_at", "order_channel")
    TRADE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SECURITY_CODE_FIELD_NUMBER: _ClassVar[int]
    SIDE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    TRADED_AT_FIELD_NUMBER: _ClassVar[int]
    ORDER_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    trade_id: str
    account_id: str
    customer_id: str
    security_code: str
    side: TradeSide
    quantity: _decimal_pb2.Decimal
    price: _decimal_pb2.Money
    amount: _decimal_pb2.Money
    fee: _decimal_pb2.Money
    traded_at: _timestamp_pb2.Timestamp
    order_channel: str
    def __init__(self, trade_id: _Optional[str] = ..., account_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., security_code: _Optional[str] = ..., side: _Optional[_Union[TradeSide, str]] = ..., quantity: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., price: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., amount: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., fee: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., traded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., order_channel: _Optional[str] = ...) -> None: ...

class WatchlistEntry(_message.Message):
    __slots__ = ("security_code", "added_at")
    SECURITY_CODE_FIELD_NUMBER: _ClassVar[int]
    ADDED_AT_FIELD_NUMBER: _ClassVar[int]
    security_code: str
    added_at: _timestamp_pb2.Timestamp
    def __init__(self, security_code: _Optional[str] = ..., added_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ExternalAssets(_message.Message):
    __slots__ = ("external_market_value", "as_of", "source")
    EXTERNAL_MARKET_VALUE_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    external_market_value: _decimal_pb2.Money
    as_of: _date_pb2.Date
    source: str
    def __init__(self, external_market_value: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., source: _Optional[str] = ...) -> None: ...

class IdentityLink(_message.Message):
    __slots__ = ("identity_type", "value", "customer_id", "source_id", "linked_at", "linked_by_event_id")
    IDENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    LINKED_AT_FIELD_NUMBER: _ClassVar[int]
    LINKED_BY_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    identity_type: IdentityType
    value: str
    customer_id: str
    source_id: str
    linked_at: _timestamp_pb2.Timestamp
    linked_by_event_id: str
    def __init__(self, identity_type: _Optional[_Union[IdentityType, str]] = ..., value: _Optional[str] = ..., customer_id: _Optional[str] = ..., source_id: _Optional[str] = ..., linked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., linked_by_event_id: _Optional[str] = ...) -> None: ...

class HoldingsSummary(_message.Message):
    __slots__ = ("total_market_value", "position_count", "top_position_weight", "unrealized_pnl", "top_holdings", "sectors")
    TOTAL_MARKET_VALUE_FIELD_NUMBER: _ClassVar[int]
    POSITION_COUNT_FIELD_NUMBER: _ClassVar[int]
    TOP_POSITION_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    UNREALIZED_PNL_FIELD_NUMBER: _ClassVar[int]
    TOP_HOLDINGS_FIELD_NUMBER: _ClassVar[int]
    SECTORS_FIELD_NUMBER: _ClassVar[int]
    total_market_value: _decimal_pb2.Money
    position_count: int
    top_position_weight: _decimal_pb2.Decimal
    unrealized_pnl: _decimal_pb2.Money
    top_holdings: _containers.RepeatedCompositeFieldContainer[Holding]
    sectors: _containers.RepeatedCompositeFieldContainer[SectorWeight]
    def __init__(self, total_market_value: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., position_count: _Optional[int] = ..., top_position_weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., unrealized_pnl: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., top_holdings: _Optional[_Iterable[_Union[Holding, _Mapping]]] = ..., sectors: _Optional[_Iterable[_Union[SectorWeight, _Mapping]]] = ...) -> None: ...

class SectorWeight(_message.Message):
    __slots__ = ("sector_code", "sector_name", "weight")
    SECTOR_CODE_FIELD_NUMBER: _ClassVar[int]
    SECTOR_NAME_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    sector_code: str
    sector_name: str
    weight: _decimal_pb2.Decimal
    def __init__(self, sector_code: _Optional[str] = ..., sector_name: _Optional[str] = ..., weight: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ...) -> None: ...

class CustomerTag(_message.Message):
    __slots__ = ("tag_code", "value", "since", "definition_version", "display_name", "category_code")
    TAG_CODE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_VERSION_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_CODE_FIELD_NUMBER: _ClassVar[int]
    tag_code: str
    value: str
    since: _timestamp_pb2.Timestamp
    definition_version: int
    display_name: str
    category_code: str
    def __init__(self, tag_code: _Optional[str] = ..., value: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., definition_version: _Optional[int] = ..., display_name: _Optional[str] = ..., category_code: _Optional[str] = ...) -> None: ...

class TimelineEntry(_message.Message):
    __slots__ = ("entry_id", "kind", "occurred_at", "name", "source", "summary", "properties", "staff_id")
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    STAFF_ID_FIELD_NUMBER: _ClassVar[int]
    entry_id: str
    kind: TimelineKind
    occurred_at: _timestamp_pb2.Timestamp
    name: str
    source: str
    summary: str
    properties: _struct_pb2.Struct
    staff_id: str
    def __init__(self, entry_id: _Optional[str] = ..., kind: _Optional[_Union[TimelineKind, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., name: _Optional[str] = ..., source: _Optional[str] = ..., summary: _Optional[str] = ..., properties: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., staff_id: _Optional[str] = ...) -> None: ...

class AggregateDefinition(_message.Message):
    __slots__ = ("code", "description", "event_name", "property_filter", "measure", "sum_property", "window", "created_at")
    CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EVENT_NAME_FIELD_NUMBER: _ClassVar[int]
    PROPERTY_FILTER_FIELD_NUMBER: _ClassVar[int]
    MEASURE_FIELD_NUMBER: _ClassVar[int]
    SUM_PROPERTY_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    code: str
    description: str
    event_name: str
    property_filter: str
    measure: AggregateMeasure
    sum_property: str
    window: _duration_pb2.Duration
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, code: _Optional[str] = ..., description: _Optional[str] = ..., event_name: _Optional[str] = ..., property_filter: _Optional[str] = ..., measure: _Optional[_Union[AggregateMeasure, str]] = ..., sum_property: _Optional[str] = ..., window: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AggregateValue(_message.Message):
    __slots__ = ("code", "value", "last_seen_at", "updated_at")
    CODE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    code: str
    value: _decimal_pb2.Decimal
    last_seen_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, code: _Optional[str] = ..., value: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., last_seen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OfflineTouch(_message.Message):
    __slots__ = ("touch_id", "customer_id", "kind", "result", "occurred_at", "duration", "staff_id", "branch_id", "task_id", "product_ids", "notes", "properties")
    TOUCH_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    STAFF_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    touch_id: str
    customer_id: str
    kind: TouchKind
    result: TouchResult
    occurred_at: _timestamp_pb2.Timestamp
    duration: _duration_pb2.Duration
    staff_id: str
    branch_id: str
    task_id: str
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    notes: str
    properties: _struct_pb2.Struct
    def __init__(self, touch_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., kind: _Optional[_Union[TouchKind, str]] = ..., result: _Optional[_Union[TouchResult, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., staff_id: _Optional[str] = ..., branch_id: _Optional[str] = ..., task_id: _Optional[str] = ..., product_ids: _Optional[_Iterable[str]] = ..., notes: _Optional[str] = ..., properties: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...
