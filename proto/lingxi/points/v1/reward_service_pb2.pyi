import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RewardKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REWARD_KIND_UNSPECIFIED: _ClassVar[RewardKind]
    REWARD_KIND_COUPON: _ClassVar[RewardKind]
    REWARD_KIND_ADVISORY_TRIAL: _ClassVar[RewardKind]
    REWARD_KIND_FEE_DISCOUNT: _ClassVar[RewardKind]
    REWARD_KIND_GIFT: _ClassVar[RewardKind]

class RewardStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REWARD_STATUS_UNSPECIFIED: _ClassVar[RewardStatus]
    REWARD_STATUS_ACTIVE: _ClassVar[RewardStatus]
    REWARD_STATUS_INACTIVE: _ClassVar[RewardStatus]

class RedemptionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REDEMPTION_STATUS_UNSPECIFIED: _ClassVar[RedemptionStatus]
    REDEMPTION_STATUS_RESERVED: _ClassVar[RedemptionStatus]
    REDEMPTION_STATUS_FULFILLED: _ClassVar[RedemptionStatus]
    REDEMPTION_STATUS_CONFIRMED: _ClassVar[RedemptionStatus]
    REDEMPTION_STATUS_CANCELLED: _ClassVar[RedemptionStatus]
    REDEMPTION_STATUS_EXPIRED: _ClassVar[RedemptionStatus]
REWARD_KIND_UNSPECIFIED: RewardKind
REWARD_KIND_COUPON: RewardKind
REWARD_KIND_ADVISORY_TRIAL: RewardKind
REWARD_KIND_FEE_DISCOUNT: RewardKind
REWARD_KIND_GIFT: RewardKind
REWARD_STATUS_UNSPECIFIED: RewardStatus
REWARD_STATUS_ACTIVE: RewardStatus
REWARD_STATUS_INACTIVE: RewardStatus
REDEMPTION_STATUS_UNSPECIFIED: RedemptionStatus
REDEMPTION_STATUS_RESERVED: RedemptionStatus
REDEMPTION_STATUS_FULFILLED: RedemptionStatus
REDEMPTION_STATUS_CONFIRMED: RedemptionStatus
REDEMPTION_STATUS_CANCELLED: RedemptionStatus
REDEMPTION_STATUS_EXPIRED: RedemptionStatus

class TierPrice(_message.Message):
    __slots__ = ("tier_code", "points_price")
    TIER_CODE_FIELD_NUMBER: _ClassVar[int]
    POINTS_PRICE_FIELD_NUMBER: _ClassVar[int]
    tier_code: str
    points_price: int
    def __init__(self, tier_code: _Optional[str] = ..., points_price: _Optional[int] = ...) -> None: ...

class Reward(_message.Message):
    __slots__ = ("reward_id", "name", "kind", "description", "image_url", "points_price", "tier_prices", "stock_total", "stock_available", "per_member_limit", "min_tier_code", "valid", "status", "reservation_ttl", "my_points_price", "my_remaining_allowance")
    REWARD_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    IMAGE_URL_FIELD_NUMBER: _ClassVar[int]
    POINTS_PRICE_FIELD_NUMBER: _ClassVar[int]
    TIER_PRICES_FIELD_NUMBER: _ClassVar[int]
    STOCK_TOTAL_FIELD_NUMBER: _ClassVar[int]
    STOCK_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    PER_MEMBER_LIMIT_FIELD_NUMBER: _ClassVar[int]
    MIN_TIER_CODE_FIELD_NUMBER: _ClassVar[int]
    VALID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_TTL_FIELD_NUMBER: _ClassVar[int]
    MY_POINTS_PRICE_FIELD_NUMBER: _ClassVar[int]
    MY_REMAINING_ALLOWANCE_FIELD_NUMBER: _ClassVar[int]
    reward_id: str
    name: str
    kind: RewardKind
    description: str
    image_url: str
    points_price: int
    tier_prices: _containers.RepeatedCompositeFieldContainer[TierPrice]
    stock_total: int
    stock_available: int
    per_member_limit: int
    min_tier_code: str
    valid: _date_pb2.DateRange
    status: RewardStatus
    reservation_ttl: _duration_pb2.Duration
    my_points_price: int
    my_remaining_allowance: int
    def __init__(self, reward_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[RewardKind, str]] = ..., description: _Optional[str] = ..., image_url: _Optional[str] = ..., points_price: _Optional[int] = ..., tier_prices: _Optional[_Iterable[_Union[TierPrice, _Mapping]]] = ..., stock_total: _Optional[int] = ..., stock_available: _Optional[int] = ..., per_member_limit: _Optional[int] = ..., min_tier_code: _Optional[str] = ..., valid: _Optional[_Union[_date_pb2.DateRange, _Mapping]] = ..., status: _Optional[_Union[RewardStatus, str]] = ..., reservation_ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., my_points_price: _Optional[int] = ..., my_remaining_allowance: _Optional[int] = ...) -> None: ...

class Redemption(_message.Message):
    __slots__ = ("redemption_id", "customer_id", "reward_id", "quantity", "points", "status", "fulfilment_ref", "reserved_at", "reservation_expires_at", "fulfilled_at", "confirmed_at", "cancelled_at", "cancel_reason", "request_id")
    REDEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    REWARD_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FULFILMENT_REF_FIELD_NUMBER: _ClassVar[int]
    RESERVED_AT_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    FULFILLED_AT_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_AT_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    redemption_id: str
    customer_id: str
    reward_id: str
    quantity: int
    points: int
    status: RedemptionStatus
    fulfilment_ref: str
    reserved_at: _timestamp_pb2.Timestamp
    reservation_expires_at: _timestamp_pb2.Timestamp
    fulfilled_at: _timestamp_pb2.Timestamp
    confirmed_at: _timestamp_pb2.Timestamp
    cancelled_at: _timestamp_pb2.Timestamp
    cancel_reason: str
    request_id: str
    def __init__(self, redemption_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., reward_id: _Optional[str] = ..., quantity: _Optional[int] = ..., points: _Optional[int] = ..., status: _Optional[_Union[RedemptionStatus, str]] = ..., fulfilment_ref: _Optional[str] = ..., reserved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reservation_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., fulfilled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., confirmed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancelled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancel_reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class ListRewardsRequest(_message.Message):
    __slots__ = ("kinds", "redeemable_only", "page")
    KINDS_FIELD_NUMBER: _ClassVar[int]
    REDEEMABLE_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    kinds: _containers.RepeatedScalarFieldContainer[RewardKind]
    redeemable_only: bool
    page: _paging_pb2.PageRequest
    def __init__(self, kinds: _Optional[_Iterable[_Union[RewardKind, str]]] = ..., redeemable_only: _Optional[bool] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListRewardsResponse(_message.Message):
    __slots__ = ("rewards", "page")
    REWARDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    rewards: _containers.RepeatedCompositeFieldContainer[Reward]
    page: _paging_pb2.PageResponse
    def __init__(self, rewards: _Optional[_Iterable[_Union[Reward, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class GetRewardRequest(_message.Message):
    __slots__ = ("reward_id",)
    REWARD_ID_FIELD_NUMBER: _ClassVar[int]
    reward_id: str
    def __init__(self, reward_id: _Optional[str] = ...) -> None: ...

class GetRewardResponse(_message.Message):
    __slots__ = ("reward",)
    REWARD_FIELD_NUMBER: _ClassVar[int]
    reward: Reward
    def __init__(self, reward: _Optional[_Union[Reward, _Mapping]] = ...) -> None: ...

class UpsertRewardRequest(_message.Message):
    __slots__ = ("reward", "update_mask")
    REWARD_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    reward: Reward
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, reward: _Optional[_Union[Reward, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpsertRewardResponse(_message.Message):
    __slots__ = ("reward",)
    REWARD_FIELD_NUMBER: _ClassVar[int]
    reward: Reward
    def __init__(self, reward: _Optional[_Union[Reward, _Mapping]] = ...) -> None: ...

class AdjustRewardStockRequest(_message.Message):
    __slots__ = ("reward_id", "delta", "reason", "request_id")
    REWARD_ID_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    reward_id: str
    delta: int
    reason: str
    request_id: str
    def __init__(self, reward_id: _Optional[str] = ..., delta: _Optional[int] = ..., reason: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class AdjustRewardStockResponse(_message.Message):
    __slots__ = ("reward",)
    REWARD_FIELD_NUMBER: _ClassVar[int]
    reward: Reward
    def __init__(self, reward: _Optional[_Union[Reward, _Mapping]] = ...) -> None: ...

class ReserveRedemptionRequest(_message.Message):
    __slots__ = ("request_id", "customer_id", "reward_id", "quantity")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    REWARD_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    customer_id: str
    reward_id: str
    quantity: int
    def __init__(self, request_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., reward_id: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class ReserveRedemptionResponse(_message.Message):
    __slots__ = ("redemption", "replayed")
    REDEMPTION_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    redemption: Redemption
    replayed: bool
    def __init__(self, redemption: _Optional[_Union[Redemption, _Mapping]] = ..., replayed: _Optional[bool] = ...) -> None: ...

class FulfilRedemptionRequest(_message.Message):
    __slots__ = ("redemption_id", "fulfilment_ref")
    REDEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    FULFILMENT_REF_FIELD_NUMBER: _ClassVar[int]
    redemption_id: str
    fulfilment_ref: str
    def __init__(self, redemption_id: _Optional[str] = ..., fulfilment_ref: _Optional[str] = ...) -> None: ...

class FulfilRedemptionResponse(_message.Message):
    __slots__ = ("redemption",)
    REDEMPTION_FIELD_NUMBER: _ClassVar[int]
    redemption: Redemption
    def __init__(self, redemption: _Optional[_Union[Redemption, _Mapping]] = ...) -> None: ...

class ConfirmRedemptionRequest(_message.Message):
    __slots__ = ("redemption_id",)
    REDEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    redemption_id: str
    def __init__(self, redemption_id: _Optional[str] = ...) -> None: ...

class ConfirmRedemptionResponse(_message.Message):
    __slots__ = ("redemption",)
    REDEMPTION_FIELD_NUMBER: _ClassVar[int]
    redemption: Redemption
    def __init__(self, redemption: _Optional[_Union[Redemption, _Mapping]] = ...) -> None: ...

class CancelRedemptionRequest(_message.Message):
    __slots__ = ("redemption_id", "reason")
    REDEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    redemption_id: str
    reason: str
    def __init__(self, redemption_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CancelRedemptionResponse(_message.Message):
    __slots__ = ("redemption",)
    REDEMPTION_FIELD_NUMBER: _ClassVar[int]
    redemption: Redemption
    def __init__(self, redemption: _Optional[_Union[Redemption, _Mapping]] = ...) -> None: ...

class GetRedemptionRequest(_message.Message):
    __slots__ = ("redemption_id",)
    REDEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    redemption_id: str
    def __init__(self, redemption_id: _Optional[str] = ...) -> None: ...

class GetRedemptionResponse(_message.Message):
    __slots__ = ("redemption",)
    REDEMPTION_FIELD_NUMBER: _ClassVar[int]
    redemption: Redemption
    def __init__(self, redemption: _Optional[_Union[Redemption, _Mapping]] = ...) -> None: ...

class ListRedemptionsRequest(_message.Message):
    __slots__ = ("customer_id", "statuses", "reward_id", "page")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    REWARD_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    statuses: _containers.RepeatedScalarFieldContainer[RedemptionStatus]
    reward_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, customer_id: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[RedemptionStatus, str]]] = ..., reward_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListRedemptionsResponse(_message.Message):
    __slots__ = ("redemptions", "page")
    REDEMPTIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    redemptions: _containers.RepeatedCompositeFieldContainer[Redemption]
    page: _paging_pb2.PageResponse
    def __init__(self, redemptions: _Optional[_Iterable[_Union[Redemption, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...
