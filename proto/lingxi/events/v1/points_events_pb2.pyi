import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import event_meta_pb2 as _event_meta_pb2
from lingxi.common.v1 import options_pb2 as _options_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PointsEarned(_message.Message):
    __slots__ = ("meta", "customer_id", "posting_id", "business_key", "rule_code", "points", "pending", "available_after", "origin")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    POSTING_ID_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_KEY_FIELD_NUMBER: _ClassVar[int]
    RULE_CODE_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    PENDING_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_AFTER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer_id: str
    posting_id: str
    business_key: str
    rule_code: str
    points: int
    pending: bool
    available_after: int
    origin: _customer_pb2.Origin
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer_id: _Optional[str] = ..., posting_id: _Optional[str] = ..., business_key: _Optional[str] = ..., rule_code: _Optional[str] = ..., points: _Optional[int] = ..., pending: _Optional[bool] = ..., available_after: _Optional[int] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ...) -> None: ...

class PointsSpent(_message.Message):
    __slots__ = ("meta", "customer_id", "posting_id", "business_key", "points", "available_after", "redemption_id")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    POSTING_ID_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_KEY_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_AFTER_FIELD_NUMBER: _ClassVar[int]
    REDEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer_id: str
    posting_id: str
    business_key: str
    points: int
    available_after: int
    redemption_id: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer_id: _Optional[str] = ..., posting_id: _Optional[str] = ..., business_key: _Optional[str] = ..., points: _Optional[int] = ..., available_after: _Optional[int] = ..., redemption_id: _Optional[str] = ...) -> None: ...

class PointsExpired(_message.Message):
    __slots__ = ("meta", "customer_id", "posting_id", "points", "expired_on", "available_after")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    POSTING_ID_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_ON_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_AFTER_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer_id: str
    posting_id: str
    points: int
    expired_on: _date_pb2.Date
    available_after: int
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer_id: _Optional[str] = ..., posting_id: _Optional[str] = ..., points: _Optional[int] = ..., expired_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., available_after: _Optional[int] = ...) -> None: ...

class PointsExpiring(_message.Message):
    __slots__ = ("meta", "customer_id", "points", "expires_on", "days_left")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_ON_FIELD_NUMBER: _ClassVar[int]
    DAYS_LEFT_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer_id: str
    points: int
    expires_on: _date_pb2.Date
    days_left: int
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer_id: _Optional[str] = ..., points: _Optional[int] = ..., expires_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., days_left: _Optional[int] = ...) -> None: ...

class PointsReversed(_message.Message):
    __slots__ = ("meta", "customer_id", "reversal_posting_id", "reversed_posting_id", "points", "reason")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    REVERSAL_POSTING_ID_FIELD_NUMBER: _ClassVar[int]
    REVERSED_POSTING_ID_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer_id: str
    reversal_posting_id: str
    reversed_posting_id: str
    points: int
    reason: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer_id: _Optional[str] = ..., reversal_posting_id: _Optional[str] = ..., reversed_posting_id: _Optional[str] = ..., points: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class TierChanged(_message.Message):
    __slots__ = ("meta", "customer_id", "from_tier_code", "to_tier_code", "upgrade", "reason", "effective_at")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_TIER_CODE_FIELD_NUMBER: _ClassVar[int]
    TO_TIER_CODE_FIELD_NUMBER: _ClassVar[int]
    UPGRADE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer_id: str
    from_tier_code: str
    to_tier_code: str
    upgrade: bool
    reason: str
    effective_at: _timestamp_pb2.Timestamp
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer_id: _Optional[str] = ..., from_tier_code: _Optional[str] = ..., to_tier_code: _Optional[str] = ..., upgrade: _Optional[bool] = ..., reason: _Optional[str] = ..., effective_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RedemptionChanged(_message.Message):
    __slots__ = ("meta", "redemption_id", "customer_id", "reward_id", "previous_status", "status", "points", "quantity")
    META_FIELD_NUMBER: _ClassVar[int]
    REDEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    REWARD_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    redemption_id: str
    customer_id: str
    reward_id: str
    previous_status: str
    status: str
    points: int
    quantity: int
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., redemption_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., reward_id: _Optional[str] = ..., previous_status: _Optional[str] = ..., status: _Optional[str] = ..., points: _Optional[int] = ..., quantity: _Optional[int] = ...) -> None: ...

class MemberEnrolled(_message.Message):
    __slots__ = ("meta", "customer_id", "tier_code")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_CODE_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer_id: str
    tier_code: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer_id: _Optional[str] = ..., tier_code: _Optional[str] = ...) -> None: ...

class EarnPointsCommand(_message.Message):
    __slots__ = ("meta", "business_key", "customer_id", "rule_code", "amount", "origin", "occurred_at")
    META_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_KEY_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_CODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    business_key: str
    customer_id: str
    rule_code: str
    amount: _decimal_pb2.Money
    origin: _customer_pb2.Origin
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., business_key: _Optional[str] = ..., customer_id: _Optional[str] = ..., rule_code: _Optional[str] = ..., amount: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
