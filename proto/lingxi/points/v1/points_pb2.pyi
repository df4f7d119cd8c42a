import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MemberStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MEMBER_STATUS_UNSPECIFIED: _ClassVar[MemberStatus]
    MEMBER_STATUS_ACTIVE: _ClassVar[MemberStatus]
    MEMBER_STATUS_FROZEN: _ClassVar[MemberStatus]
    MEMBER_STATUS_CLOSED: _ClassVar[MemberStatus]

class TierKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TIER_KIND_UNSPECIFIED: _ClassVar[TierKind]
    TIER_KIND_REGISTERED: _ClassVar[TierKind]
    TIER_KIND_PAID: _ClassVar[TierKind]
    TIER_KIND_CORE: _ClassVar[TierKind]

class BenefitKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BENEFIT_KIND_UNSPECIFIED: _ClassVar[BenefitKind]
    BENEFIT_KIND_MEMBER_PRICE: _ClassVar[BenefitKind]
    BENEFIT_KIND_PRIORITY_SERVICE: _ClassVar[BenefitKind]
    BENEFIT_KIND_POINTS_MULTIPLIER: _ClassVar[BenefitKind]
    BENEFIT_KIND_DISCOUNT: _ClassVar[BenefitKind]

class LedgerAccountKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEDGER_ACCOUNT_KIND_UNSPECIFIED: _ClassVar[LedgerAccountKind]
    LEDGER_ACCOUNT_KIND_MEMBER_AVAILABLE: _ClassVar[LedgerAccountKind]
    LEDGER_ACCOUNT_KIND_MEMBER_PENDING: _ClassVar[LedgerAccountKind]
    LEDGER_ACCOUNT_KIND_MEMBER_RESERVED: _ClassVar[LedgerAccountKind]
    LEDGER_ACCOUNT_KIND_ISSUANCE: _ClassVar[LedgerAccountKind]
    LEDGER_ACCOUNT_KIND_REDEMPTION: _ClassVar[LedgerAccountKind]
    LEDGER_ACCOUNT_KIND_EXPIRY: _ClassVar[LedgerAccountKind]
    LEDGER_ACCOUNT_KIND_ADJUSTMENT: _ClassVar[LedgerAccountKind]

class PostingKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POSTING_KIND_UNSPECIFIED: _ClassVar[PostingKind]
    POSTING_KIND_EARN: _ClassVar[PostingKind]
    POSTING_KIND_RELEASE_PENDING: _ClassVar[PostingKind]
    POSTING_KIND_SPEND: _ClassVar[PostingKind]
    POSTING_KIND_RESERVE: _ClassVar[PostingKind]
    POSTING_KIND_UNRESERVE: _ClassVar[PostingKind]
    POSTING_KIND_CONSUME: _ClassVar[PostingKind]
    POSTING_KIND_EXPIRE: _ClassVar[PostingKind]
    POSTING_KIND_REVERSAL: _ClassVar[PostingKind]
    POSTING_KIND_ADJUSTMENT: _ClassVar[PostingKind]

class EarnTrigger(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EARN_TRIGGER_UNSPECIFIED: _ClassVar[EarnTrigger]
    EARN_TRIGGER_EVENT: _ClassVar[EarnTrigger]
    EARN_TRIGGER_API: _ClassVar[EarnTrigger]
    EARN_TRIGGER_CHECK_IN: _ClassVar[EarnTrigger]

class AdjustmentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ADJUSTMENT_STATUS_UNSPECIFIED: _ClassVar[AdjustmentStatus]
    ADJUSTMENT_STATUS_PENDING_APPROVAL: _ClassVar[AdjustmentStatus]
    ADJUSTMENT_STATUS_POSTED: _ClassVar[AdjustmentStatus]
    ADJUSTMENT_STATUS_REJECTED: _ClassVar[AdjustmentStatus]
MEMBER_STATUS_UNSPECIFIED: MemberStatus
MEMBER_STATUS_ACTIVE: MemberStatus
MEMBER_STATUS_FROZEN: MemberStatus
MEMBER_STATUS_CLOSED: MemberStatus
TIER_KIND_UNSPECIFIED: TierKind
TIER_KIND_REGISTERED: TierKind
TIER_KIND_PAID: TierKind
TIER_KIND_CORE: TierKind
BENEFIT_KIND_UNSPECIFIED: BenefitKind
BENEFIT_KIND_MEMBER_PRICE: BenefitKind
BENEFIT_KIND_PRIORITY_SERVICE: BenefitKind
BENEFIT_KIND_POINTS_MULTIPLIER: BenefitKind
BENEFIT_KIND_DISCOUNT: BenefitKind
LEDGER_ACCOUNT_KIND_UNSPECIFIED: LedgerAccountKind
LEDGER_ACCOUNT_KIND_MEMBER_AVAILABLE: LedgerAccountKind
LEDGER_ACCOUNT_KIND_MEMBER_PENDING: LedgerAccountKind
LEDGER_ACCOUNT_KIND_MEMBER_RESERVED: LedgerAccountKind
LEDGER_ACCOUNT_KIND_ISSUANCE: LedgerAccountKind
LEDGER_ACCOUNT_KIND_REDEMPTION: LedgerAccountKind
LEDGER_ACCOUNT_KIND_EXPIRY: LedgerAccountKind
LEDGER_ACCOUNT_KIND_ADJUSTMENT: LedgerAccountKind
POSTING_KIND_UNSPECIFIED: PostingKind
POSTING_KIND_EARN: PostingKind
POSTING_KIND_RELEASE_PENDING: PostingKind
POSTING_KIND_SPEND: PostingKind
POSTING_KIND_RESERVE: PostingKind
POSTING_KIND_UNRESERVE: PostingKind
POSTING_KIND_CONSUME: PostingKind
POSTING_KIND_EXPIRE: PostingKind
POSTING_KIND_REVERSAL: PostingKind
POSTING_KIND_ADJUSTMENT: PostingKind
EARN_TRIGGER_UNSPECIFIED: EarnTrigger
EARN_TRIGGER_EVENT: EarnTrigger
EARN_TRIGGER_API: EarnTrigger
EARN_TRIGGER_CHECK_IN: EarnTrigger
ADJUSTMENT_STATUS_UNSPECIFIED: AdjustmentStatus
ADJUSTMENT_STATUS_PENDING_APPROVAL: AdjustmentStatus
ADJUSTMENT_STATUS_POSTED: AdjustmentStatus
ADJUSTMENT_STATUS_REJECTED: AdjustmentStatus

class Member(_message.Message):
    __slots__ = ("customer_id", "tier_code", "available_points", "pending_points", "created_at", "reserved_points", "status", "tier_since", "tier_review_on", "earned_12m", "lifetime_earned", "paid_through", "next_expiry_points", "next_expiry_on")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_CODE_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_POINTS_FIELD_NUMBER: _ClassVar[int]
    PENDING_POINTS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    RESERVED_POINTS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TIER_SINCE_FIELD_NUMBER: _ClassVar[int]
    TIER_REVIEW_ON_FIELD_NUMBER: _ClassVar[int]
    EARNED_12M_FIELD_NUMBER: _ClassVar[int]
    LIFETIME_EARNED_FIELD_NUMBER: _ClassVar[int]
    PAID_THROUGH_FIELD_NUMBER: _ClassVar[int]
    NEXT_EXPIRY_POINTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_EXPIRY_ON_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    tier_code: str
    available_points: int
    pending_points: int
    created_at: _timestamp_pb2.Timestamp
    reserved_points: int
    status: MemberStatus
    tier_since: _timestamp_pb2.Timestamp
    tier_review_on: _date_pb2.Date
    earned_12m: int
    lifetime_earned: int
    paid_through: _date_pb2.Date
    next_expiry_points: int
    next_expiry_on: _date_pb2.Date
    def __init__(self, customer_id: _Optional[str] = ..., tier_code: _Optional[str] = ..., available_points: _Optional[int] = ..., pending_points: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reserved_points: _Optional[int] = ..., status: _Optional[_Union[MemberStatus, str]] = ..., tier_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tier_review_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., earned_12m: _Optional[int] = ..., lifetime_earned: _Optional[int] = ..., paid_through: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., next_expiry_points: _Optional[int] = ..., next_expiry_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class Benefit(_message.Message):
    __slots__ = ("kind", "value", "description")
    KIND_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    kind: BenefitKind
    value: _decimal_pb2.Decimal
    description: str
    def __init__(self, kind: _Optional[_Union[BenefitKind, str]] = ..., value: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., description: _Optional[str] = ...) -> None: ...

class TierQualification(_message.Message):
    __slots__ = ("min_points_12m", "min_assets", "requires_paid_membership")
    MIN_POINTS_12M_FIELD_NUMBER: _ClassVar[int]
    MIN_ASSETS_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_PAID_MEMBERSHIP_FIELD_NUMBER: _ClassVar[int]
    min_points_12m: int
    min_assets: _decimal_pb2.Money
    requires_paid_membership: bool
    def __init__(self, min_points_12m: _Optional[int] = ..., min_assets: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., requires_paid_membership: _Optional[bool] = ...) -> None: ...

class Tier(_message.Message):
    __slots__ = ("tier_code", "name", "rank", "kind", "qualification", "benefits", "annual_fee", "downgrade_grace_days")
    TIER_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    QUALIFICATION_FIELD_NUMBER: _ClassVar[int]
    BENEFITS_FIELD_NUMBER: _ClassVar[int]
    ANNUAL_FEE_FIELD_NUMBER: _ClassVar[int]
    DOWNGRADE_GRACE_DAYS_FIELD_NUMBER: _ClassVar[int]
    tier_code: str
    name: str
    rank: int
    kind: TierKind
    qualification: TierQualification
    benefits: _containers.RepeatedCompositeFieldContainer[Benefit]
    annual_fee: _decimal_pb2.Money
    downgrade_grace_days: int
    def __init__(self, tier_code: _Optional[str] = ..., name: _Optional[str] = ..., rank: _Optional[int] = ..., kind: _Optional[_Union[TierKind, str]] = ..., qualification: _Optional[_Union[TierQualification, _Mapping]] = ..., benefits: _Optional[_Iterable[_Union[Benefit, _Mapping]]] = ..., annual_fee: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., downgrade_grace_days: _Optional[int] = ...) -> None: ...

class TierChange(_message.Message):
    __slots__ = ("customer_id", "from_tier_code", "to_tier_code", "reason", "effective_at")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_TIER_CODE_FIELD_NUMBER: _ClassVar[int]
    TO_TIER_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    from_tier_code: str
    to_tier_code: str
    reason: str
    effective_at: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., from_tier_code: _Optional[str] = ..., to_tier_code: _Optional[str] = ..., reason: _Optional[str] = ..., effective_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LedgerEntry(_message.Message):
    __slots__ = ("account", "customer_id", "amount", "lot_id", "lot_expires_on")
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    LOT_ID_FIELD_NUMBER: _ClassVar[int]
    LOT_EXPIRES_ON_FIELD_NUMBER: _ClassVar[int]
    account: LedgerAccountKind
    customer_id: str
    amount: int
    lot_id: str
    lot_expires_on: _date_pb2.Date
    def __init__(self, account: _Optional[_Union[LedgerAccountKind, str]] = ..., customer_id: _Optional[str] = ..., amount: _Optional[int] = ..., lot_id: _Optional[str] = ..., lot_expires_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ...) -> None: ...

class Posting(_message.Message):
    __slots__ = ("posting_id", "business_key", "kind", "customer_id", "points", "entries", "rule_code", "description", "reverses_posting_id", "origin", "created_at", "occurred_at", "posted_by", "request_sha256")
    POSTING_ID_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_KEY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    RULE_CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REVERSES_POSTING_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    POSTED_BY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_SHA256_FIELD_NUMBER: _ClassVar[int]
    posting_id: str
    business_key: str
    kind: PostingKind
    customer_id: str
    points: int
    entries: _containers.RepeatedCompositeFieldContainer[LedgerEntry]
    rule_code: str
    description: str
    reverses_posting_id: str
    origin: _customer_pb2.Origin
    created_at: _timestamp_pb2.Timestamp
    occurred_at: _timestamp_pb2.Timestamp
    posted_by: _customer_pb2.Actor
    request_sha256: str
    def __init__(self, posting_id: _Optional[str] = ..., business_key: _Optional[str] = ..., kind: _Optional[_Union[PostingKind, str]] = ..., customer_id: _Optional[str] = ..., points: _Optional[int] = ..., entries: _Optional[_Iterable[_Union[LedgerEntry, _Mapping]]] = ..., rule_code: _Optional[str] = ..., description: _Optional[str] = ..., reverses_posting_id: _Optional[str] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., posted_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., request_sha256: _Optional[str] = ...) -> None: ...

class ExpiryBucket(_message.Message):
    __slots__ = ("expires_on", "points")
    EXPIRES_ON_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    expires_on: _date_pb2.Date
    points: int
    def __init__(self, expires_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., points: _Optional[int] = ...) -> None: ...

class Balance(_message.Message):
    __slots__ = ("customer_id", "available_points", "pending_points", "reserved_points", "expiring", "as_of")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_POINTS_FIELD_NUMBER: _ClassVar[int]
    PENDING_POINTS_FIELD_NUMBER: _ClassVar[int]
    RESERVED_POINTS_FIELD_NUMBER: _ClassVar[int]
    EXPIRING_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    available_points: int
    pending_points: int
    reserved_points: int
    expiring: _containers.RepeatedCompositeFieldContainer[ExpiryBucket]
    as_of: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., available_points: _Optional[int] = ..., pending_points: _Optional[int] = ..., reserved_points: _Optional[int] = ..., expiring: _Optional[_Iterable[_Union[ExpiryBucket, _Mapping]]] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EarningRule(_message.Message):
    __slots__ = ("rule_code", "name", "description", "trigger", "trigger_subject", "trigger_filter", "points", "per_amount_points", "per_amount_unit", "max_awards_per_day", "max_awards_total", "max_points_per_day", "tier_multiplier", "eligibility_expression", "pending_days", "expiry_policy", "active", "valid", "streak_bonuses")
    RULE_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FILTER_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    PER_AMOUNT_POINTS_FIELD_NUMBER: _ClassVar[int]
    PER_AMOUNT_UNIT_FIELD_NUMBER: _ClassVar[int]
    MAX_AWARDS_PER_DAY_FIELD_NUMBER: _ClassVar[int]
    MAX_AWARDS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    MAX_POINTS_PER_DAY_FIELD_NUMBER: _ClassVar[int]
    TIER_MULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    ELIGIBILITY_EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    PENDING_DAYS_FIELD_NUMBER: _ClassVar[int]
    EXPIRY_POLICY_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    VALID_FIELD_NUMBER: _ClassVar[int]
    STREAK_BONUSES_FIELD_NUMBER: _ClassVar[int]
    rule_code: str
    name: str
    description: str
    trigger: EarnTrigger
    trigger_subject: str
    trigger_filter: str
    points: int
    per_amount_points: int
    per_amount_unit: _decimal_pb2.Decimal
    max_awards_per_day: int
    max_awards_total: int
    max_points_per_day: int
    tier_multiplier: bool
    eligibility_expression: str
    pending_days: int
    expiry_policy: str
    active: bool
    valid: _date_pb2.DateRange
    streak_bonuses: _containers.RepeatedCompositeFieldContainer[StreakBonus]
    def __init__(self, rule_code: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., trigger: _Optional[_Union[EarnTrigger, str]] = ..., trigger_subject: _Optional[str] = ..., trigger_filter: _Optional[str] = ..., points: _Optional[int] = ..., per_amount_points: _Optional[int] = ..., per_amount_unit: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., max_awards_per_day: _Optional[int] = ..., max_awards_total: _Optional[int] = ..., max_points_per_day: _Optional[int] = ..., tier_multiplier: _Optional[bool] = ..., eligibility_expression: _Optional[str] = ..., pending_days: _Optional[int] = ..., expiry_policy: _Optional[str] = ..., active: _Optional[bool] = ..., valid: _Optional[_Union[_date_pb2.DateRange, _Mapping]] = ..., streak_bonuses: _Optional[_Iterable[_Union[StreakBonus, _Mapping]]] = ...) -> None: ...

class StreakBonus(_message.Message):
    __slots__ = ("streak_days", "bonus_points")
    STREAK_DAYS_FIELD_NUMBER: _ClassVar[int]
    BONUS_POINTS_FIELD_NUMBER: _ClassVar[int]
    streak_days: int
    bonus_points: int
    def __init__(self, streak_days: _Optional[int] = ..., bonus_points: _Optional[int] = ...) -> None: ...

class Adjustment(_message.Message):
    __slots__ = ("adjustment_id", "customer_id", "points", "reason", "status", "requested_by", "requested_at", "decided_by", "decided_at", "posting_id", "business_key")
    ADJUSTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    POSTING_ID_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_KEY_FIELD_NUMBER: _ClassVar[int]
    adjustment_id: str
    customer_id: str
    points: int
    reason: str
    status: AdjustmentStatus
    requested_by: _customer_pb2.Actor
    requested_at: _timestamp_pb2.Timestamp
    decided_by: _customer_pb2.Actor
    decided_at: _timestamp_pb2.Timestamp
    posting_id: str
    business_key: str
    def __init__(self, adjustment_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., points: _Optional[int] = ..., reason: _Optional[str] = ..., status: _Optional[_Union[AdjustmentStatus, str]] = ..., requested_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., posting_id: _Optional[str] = ..., business_key: _Optional[str] = ...) -> None: ...

class LiabilityReport(_message.Message):
    __slots__ = ("as_of", "available_points", "pending_points", "reserved_points", "members_with_balance", "earned", "spent", "expired", "reversed", "adjusted", "expiring", "point_value", "liability_amount", "ledger_imbalance", "period")
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_POINTS_FIELD_NUMBER: _ClassVar[int]
    PENDING_POINTS_FIELD_NUMBER: _ClassVar[int]
    RESERVED_POINTS_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_WITH_BALANCE_FIELD_NUMBER: _ClassVar[int]
    EARNED_FIELD_NUMBER: _ClassVar[int]
    SPENT_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_FIELD_NUMBER: _ClassVar[int]
    REVERSED_FIELD_NUMBER: _ClassVar[int]
    ADJUSTED_FIELD_NUMBER: _ClassVar[int]
    EXPIRING_FIELD_NUMBER: _ClassVar[int]
    POINT_VALUE_FIELD_NUMBER: _ClassVar[int]
    LIABILITY_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    LEDGER_IMBALANCE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    as_of: _date_pb2.Date
    available_points: int
    pending_points: int
    reserved_points: int
    members_with_balance: int
    earned: int
    spent: int
    expired: int
    reversed: int
    adjusted: int
    expiring: _containers.RepeatedCompositeFieldContainer[ExpiryBucket]
    point_value: _decimal_pb2.Decimal
    liability_amount: _decimal_pb2.Money
    ledger_imbalance: int
    period: _date_pb2.DateRange
    def __init__(self, as_of: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., available_points: _Optional[int] = ..., pending_points: _Optional[int] = ..., reserved_points: _Optional[int] = ..., members_with_balance: _Optional[int] = ..., earned: _Optional[int] = ..., spent: _Optional[int] = ..., expired: _Optional[int] = ..., reversed: _Optional[int] = ..., adjusted: _Optional[int] = ..., expiring: _Optional[_Iterable[_Union[ExpiryBucket, _Mapping]]] = ..., point_value: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., liability_amount: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., ledger_imbalance: _Optional[int] = ..., period: _Optional[_Union[_date_pb2.DateRange, _Mapping]] = ...) -> None: ...
