import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from lingxi.points.v1 import points_pb2 as _points_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EarnOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EARN_OUTCOME_UNSPECIFIED: _ClassVar[EarnOutcome]
    EARN_OUTCOME_AWARDED: _ClassVar[EarnOutcome]
    EARN_OUTCOME_PARTIALLY_CAPPED: _ClassVar[EarnOutcome]
    EARN_OUTCOME_CAPPED: _ClassVar[EarnOutcome]
    EARN_OUTCOME_NOT_ELIGIBLE: _ClassVar[EarnOutcome]
    EARN_OUTCOME_RULE_INACTIVE: _ClassVar[EarnOutcome]
    EARN_OUTCOME_REPLAYED: _ClassVar[EarnOutcome]
EARN_OUTCOME_UNSPECIFIED: EarnOutcome
EARN_OUTCOME_AWARDED: EarnOutcome
EARN_OUTCOME_PARTIALLY_CAPPED: EarnOutcome
EARN_OUTCOME_CAPPED: EarnOutcome
EARN_OUTCOME_NOT_ELIGIBLE: EarnOutcome
EARN_OUTCOME_RULE_INACTIVE: EarnOutcome
EARN_OUTCOME_REPLAYED: EarnOutcome

class GetMemberRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class GetMemberResponse(_message.Message):
    __slots__ = ("member",)
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    member: _points_pb2.Member
    def __init__(self, member: _Optional[_Union[_points_pb2.Member, _Mapping]] = ...) -> None: ...

class EnrollMemberRequest(_message.Message):
    __slots__ = ("customer_id", "tier_code")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_CODE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    tier_code: str
    def __init__(self, customer_id: _Optional[str] = ..., tier_code: _Optional[str] = ...) -> None: ...

class EnrollMemberResponse(_message.Message):
    __slots__ = ("member", "created")
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    member: _points_pb2.Member
    created: bool
    def __init__(self, member: _Optional[_Union[_points_pb2.Member, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class SetPaidMembershipRequest(_message.Message):
    __slots__ = ("customer_id", "tier_code", "paid_through", "fee_paid", "payment_ref")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_CODE_FIELD_NUMBER: _ClassVar[int]
    PAID_THROUGH_FIELD_NUMBER: _ClassVar[int]
    FEE_PAID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_REF_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    tier_code: str
    paid_through: _date_pb2.Date
    fee_paid: _decimal_pb2.Money
    payment_ref: str
    def __init__(self, customer_id: _Optional[str] = ..., tier_code: _Optional[str] = ..., paid_through: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., fee_paid: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., payment_ref: _Optional[str] = ...) -> None: ...

class SetPaidMembershipResponse(_message.Message):
    __slots__ = ("member", "change", "replayed")
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    member: _points_pb2.Member
    change: _points_pb2.TierChange
    replayed: bool
    def __init__(self, member: _Optional[_Union[_points_pb2.Member, _Mapping]] = ..., change: _Optional[_Union[_points_pb2.TierChange, _Mapping]] = ..., replayed: _Optional[bool] = ...) -> None: ...

class GetBalanceRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class GetBalanceResponse(_message.Message):
    __slots__ = ("balance",)
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    balance: _points_pb2.Balance
    def __init__(self, balance: _Optional[_Union[_points_pb2.Balance, _Mapping]] = ...) -> None: ...

class ListHistoryRequest(_message.Message):
    __slots__ = ("customer_id", "kinds", "since", "until", "page")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    kinds: _containers.RepeatedScalarFieldContainer[_points_pb2.PostingKind]
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    page: _paging_pb2.PageRequest
    def __init__(self, customer_id: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[_points_pb2.PostingKind, str]]] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListHistoryResponse(_message.Message):
    __slots__ = ("postings", "page")
    POSTINGS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    postings: _containers.RepeatedCompositeFieldContainer[_points_pb2.Posting]
    page: _paging_pb2.PageResponse
    def __init__(self, postings: _Optional[_Iterable[_Union[_points_pb2.Posting, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class PostPointsRequest(_message.Message):
    __slots__ = ("business_key", "customer_id", "kind", "points", "description", "origin", "occurred_at", "pending_days")
    BUSINESS_KEY_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PENDING_DAYS_FIELD_NUMBER: _ClassVar[int]
    business_key: str
    customer_id: str
    kind: _points_pb2.PostingKind
    points: int
    description: str
    origin: _customer_pb2.Origin
    occurred_at: _timestamp_pb2.Timestamp
    pending_days: int
    def __init__(self, business_key: _Optional[str] = ..., customer_id: _Optional[str] = ..., kind: _Optional[_Union[_points_pb2.PostingKind, str]] = ..., points: _Optional[int] = ..., description: _Optional[str] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pending_days: _Optional[int] = ...) -> None: ...

class PostPointsResponse(_message.Message):
    __slots__ = ("posting", "replayed", "balance")
    POSTING_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    posting: _points_pb2.Posting
    replayed: bool
    balance: _points_pb2.Balance
    def __init__(self, posting: _Optional[_Union[_points_pb2.Posting, _Mapping]] = ..., replayed: _Optional[bool] = ..., balance: _Optional[_Union[_points_pb2.Balance, _Mapping]] = ...) -> None: ...

class EarnByRuleRequest(_message.Message):
    __slots__ = ("business_key", "customer_id", "rule_code", "amount", "facts", "occurred_at", "origin")
    BUSINESS_KEY_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_CODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    business_key: str
    customer_id: str
    rule_code: str
    amount: _decimal_pb2.Money
    facts: _struct_pb2.Struct
    occurred_at: _timestamp_pb2.Timestamp
    origin: _customer_pb2.Origin
    def __init__(self, business_key: _Optional[str] = ..., customer_id: _Optional[str] = ..., rule_code: _Optional[str] = ..., amount: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., facts: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ...) -> None: ...

class EarnByRuleResponse(_message.Message):
    __slots__ = ("outcome", "posting", "points_awarded", "multiplier", "reason")
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    POSTING_FIELD_NUMBER: _ClassVar[int]
    POINTS_AWARDED_FIELD_NUMBER: _ClassVar[int]
    MULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    outcome: EarnOutcome
    posting: _points_pb2.Posting
    points_awarded: int
    multiplier: _decimal_pb2.Decimal
    reason: str
    def __init__(self, outcome: _Optional[_Union[EarnOutcome, str]] = ..., posting: _Optional[_Union[_points_pb2.Posting, _Mapping]] = ..., points_awarded: _Optional[int] = ..., multiplier: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class ReversePostingRequest(_message.Message):
    __slots__ = ("posting_id", "original_business_key", "business_key", "reason")
    POSTING_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_BUSINESS_KEY_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_KEY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    posting_id: str
    original_business_key: str
    business_key: str
    reason: str
    def __init__(self, posting_id: _Optional[str] = ..., original_business_key: _Optional[str] = ..., business_key: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReversePostingResponse(_message.Message):
    __slots__ = ("reversal", "replayed")
    REVERSAL_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    reversal: _points_pb2.Posting
    replayed: bool
    def __init__(self, reversal: _Optional[_Union[_points_pb2.Posting, _Mapping]] = ..., replayed: _Optional[bool] = ...) -> None: ...

class CheckInRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class CheckInResponse(_message.Message):
    __slots__ = ("checked_in", "posting", "streak_days", "points_awarded", "bonus_points")
    CHECKED_IN_FIELD_NUMBER: _ClassVar[int]
    POSTING_FIELD_NUMBER: _ClassVar[int]
    STREAK_DAYS_FIELD_NUMBER: _ClassVar[int]
    POINTS_AWARDED_FIELD_NUMBER: _ClassVar[int]
    BONUS_POINTS_FIELD_NUMBER: _ClassVar[int]
    checked_in: bool
    posting: _points_pb2.Posting
    streak_days: int
    points_awarded: int
    bonus_points: int
    def __init__(self, checked_in: _Optional[bool] = ..., posting: _Optional[_Union[_points_pb2.Posting, _Mapping]] = ..., streak_days: _Optional[int] = ..., points_awarded: _Optional[int] = ..., bonus_points: _Optional[int] = ...) -> None: ...

class GetCheckInStatusRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class GetCheckInStatusResponse(_message.Message):
    __slots__ = ("checked_in_today", "streak_days", "checked_in_dates", "next_points")
    CHECKED_IN_TODAY_FIELD_NUMBER: _ClassVar[int]
    STREAK_DAYS_FIELD_NUMBER: _ClassVar[int]
    CHECKED_IN_DATES_FIELD_NUMBER: _ClassVar[int]
    NEXT_POINTS_FIELD_NUMBER: _ClassVar[int]
    checked_in_today: bool
    streak_days: int
    checked_in_dates: _containers.RepeatedCompositeFieldContainer[_date_pb2.Date]
    next_points: int
    def __init__(self, checked_in_today: _Optional[bool] = ..., streak_days: _Optional[int] = ..., checked_in_dates: _Optional[_Iterable[_Union[_date_pb2.Date, _Mapping]]] = ..., next_points: _Optional[int] = ...) -> None: ...

class ListTiersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListTiersResponse(_message.Message):
    __slots__ = ("tiers",)
    TIERS_FIELD_NUMBER: _ClassVar[int]
    tiers: _containers.RepeatedCompositeFieldContainer[_points_pb2.Tier]
    def __init__(self, tiers: _Optional[_Iterable[_Union[_points_pb2.Tier, _Mapping]]] = ...) -> None: ...

class UpsertTierRequest(_message.Message):
    __slots__ = ("tier",)
    TIER_FIELD_NUMBER: _ClassVar[int]
    tier: _points_pb2.Tier
    def __init__(self, tier: _Optional[_Union[_points_pb2.Tier, _Mapping]] = ...) -> None: ...

class UpsertTierResponse(_message.Message):
    __slots__ = ("tier",)
    TIER_FIELD_NUMBER: _ClassVar[int]
    tier: _points_pb2.Tier
    def __init__(self, tier: _Optional[_Union[_points_pb2.Tier, _Mapping]] = ...) -> None: ...

class ListTierChangesRequest(_message.Message):
    __slots__ = ("customer_id", "page")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, customer_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListTierChangesResponse(_message.Message):
    __slots__ = ("changes", "page")
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[_points_pb2.TierChange]
    page: _paging_pb2.PageResponse
    def __init__(self, changes: _Optional[_Iterable[_Union[_points_pb2.TierChange, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class EvaluateTierRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class EvaluateTierResponse(_message.Message):
    __slots__ = ("member", "change")
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    member: _points_pb2.Member
    change: _points_pb2.TierChange
    def __init__(self, member: _Optional[_Union[_points_pb2.Member, _Mapping]] = ..., change: _Optional[_Union[_points_pb2.TierChange, _Mapping]] = ...) -> None: ...

class ListEarningRulesRequest(_message.Message):
    __slots__ = ("active_only",)
    ACTIVE_ONLY_FIELD_NUMBER: _ClassVar[int]
    active_only: bool
    def __init__(self, active_only: _Optional[bool] = ...) -> None: ...

class ListEarningRulesResponse(_message.Message):
    __slots__ = ("rules",)
    RULES_FIELD_NUMBER: _ClassVar[int]
    rules: _containers.RepeatedCompositeFieldContainer[_points_pb2.EarningRule]
    def __init__(self, rules: _Optional[_Iterable[_Union[_points_pb2.EarningRule, _Mapping]]] = ...) -> None: ...

class UpsertEarningRuleRequest(_message.Message):
    __slots__ = ("rule",)
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: _points_pb2.EarningRule
    def __init__(self, rule: _Optional[_Union[_points_pb2.EarningRule, _Mapping]] = ...) -> None: ...

class UpsertEarningRuleResponse(_message.Message):
    __slots__ = ("rule",)
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: _points_pb2.EarningRule
    def __init__(self, rule: _Optional[_Union[_points_pb2.EarningRule, _Mapping]] = ...) -> None: ...

class RequestAdjustmentRequest(_message.Message):
    __slots__ = ("customer_id", "points", "reason", "business_key")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_KEY_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    points: int
    reason: str
    business_key: str
    def __init__(self, customer_id: _Optional[str] = ..., points: _Optional[int] = ..., reason: _Optional[str] = ..., business_key: _Optional[str] = ...) -> None: ...

class RequestAdjustmentResponse(_message.Message):
    __slots__ = ("adjustment",)
    ADJUSTMENT_FIELD_NUMBER: _ClassVar[int]
    adjustment: _points_pb2.Adjustment
    def __init__(self, adjustment: _Optional[_Union[_points_pb2.Adjustment, _Mapping]] = ...) -> None: ...

class DecideAdjustmentRequest(_message.Message):
    __slots__ = ("adjustment_id", "approve", "comment")
    ADJUSTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVE_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    adjustment_id: str
    approve: bool
    comment: str
    def __init__(self, adjustment_id: _Optional[str] = ..., approve: _Optional[bool] = ..., comment: _Optional[str] = ...) -> None: ...

class DecideAdjustmentResponse(_message.Message):
    __slots__ = ("adjustment", "posting")
    ADJUSTMENT_FIELD_NUMBER: _ClassVar[int]
    POSTING_FIELD_NUMBER: _ClassVar[int]
    adjustment: _points_pb2.Adjustment
    posting: _points_pb2.Posting
    def __init__(self, adjustment: _Optional[_Union[_points_pb2.Adjustment, _Mapping]] = ..., posting: _Optional[_Union[_points_pb2.Posting, _Mapping]] = ...) -> None: ...

class ListAdjustmentsRequest(_message.Message):
    __slots__ = ("customer_id", "statuses", "page")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    statuses: _containers.RepeatedScalarFieldContainer[_points_pb2.AdjustmentStatus]
    page: _paging_pb2.PageRequest
    def __init__(self, customer_id: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[_points_pb2.AdjustmentStatus, str]]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListAdjustmentsResponse(_message.Message):
    __slots__ = ("adjustments", "page")
    ADJUSTMENTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    adjustments: _containers.RepeatedCompositeFieldContainer[_points_pb2.Adjustment]
    page: _paging_pb2.PageResponse
    def __init__(self, adjustments: _Optional[_Iterable[_Union[_points_pb2.Adjustment, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class GetLiabilityReportRequest(_message.Message):
    __slots__ = ("as_of", "period")
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    as_of: _date_pb2.Date
    period: _date_pb2.DateRange
    def __init__(self, as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., period: _Optional[_Union[_date_pb2.DateRange, _Mapping]] = ...) -> None: ...

class GetLiabilityReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: _points_pb2.LiabilityReport
    def __init__(self, report: _Optional[_Union[_points_pb2.LiabilityReport, _Mapping]] = ...) -> None: ...

class RunExpiryRequest(_message.Message):
    __slots__ = ("as_of",)
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    as_of: _date_pb2.Date
    def __init__(self, as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class RunExpiryResponse(_message.Message):
    __slots__ = ("run_id", "members", "points_expired", "already_done")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    POINTS_EXPIRED_FIELD_NUMBER: _ClassVar[int]
    ALREADY_DONE_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    members: int
    points_expired: int
    already_done: bool
    def __init__(self, run_id: _Optional[str] = ..., members: _Optional[int] = ..., points_expired: _Optional[int] = ..., already_done: _Optional[bool] = ...) -> None: ...
