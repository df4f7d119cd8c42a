import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from lingxi.product.v1 import product_pb2 as _product_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SuitabilityReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUITABILITY_REASON_UNSPECIFIED: _ClassVar[SuitabilityReason]
    SUITABILITY_REASON_RISK_LEVEL_COVERS_RATING: _ClassVar[SuitabilityReason]
    SUITABILITY_REASON_PROFESSIONAL_INVESTOR: _ClassVar[SuitabilityReason]
    SUITABILITY_REASON_RATING_ABOVE_RISK_LEVEL: _ClassVar[SuitabilityReason]
    SUITABILITY_REASON_ASSESSMENT_EXPIRED: _ClassVar[SuitabilityReason]
    SUITABILITY_REASON_ASSESSMENT_MISSING: _ClassVar[SuitabilityReason]
    SUITABILITY_REASON_LOWEST_RISK_TOLERANCE: _ClassVar[SuitabilityReason]
    SUITABILITY_REASON_PRODUCT_NOT_ON_SALE: _ClassVar[SuitabilityReason]
    SUITABILITY_REASON_BELOW_MINIMUM_INVESTMENT: _ClassVar[SuitabilityReason]
    SUITABILITY_REASON_CUSTOMER_UNKNOWN: _ClassVar[SuitabilityReason]
    SUITABILITY_REASON_CUSTOMER_INACTIVE: _ClassVar[SuitabilityReason]

class SuitabilityPurpose(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUITABILITY_PURPOSE_UNSPECIFIED: _ClassVar[SuitabilityPurpose]
    SUITABILITY_PURPOSE_RECOMMEND: _ClassVar[SuitabilityPurpose]
    SUITABILITY_PURPOSE_SELL: _ClassVar[SuitabilityPurpose]
SUITABILITY_REASON_UNSPECIFIED: SuitabilityReason
SUITABILITY_REASON_RISK_LEVEL_COVERS_RATING: SuitabilityReason
SUITABILITY_REASON_PROFESSIONAL_INVESTOR: SuitabilityReason
SUITABILITY_REASON_RATING_ABOVE_RISK_LEVEL: SuitabilityReason
SUITABILITY_REASON_ASSESSMENT_EXPIRED: SuitabilityReason
SUITABILITY_REASON_ASSESSMENT_MISSING: SuitabilityReason
SUITABILITY_REASON_LOWEST_RISK_TOLERANCE: SuitabilityReason
SUITABILITY_REASON_PRODUCT_NOT_ON_SALE: SuitabilityReason
SUITABILITY_REASON_BELOW_MINIMUM_INVESTMENT: SuitabilityReason
SUITABILITY_REASON_CUSTOMER_UNKNOWN: SuitabilityReason
SUITABILITY_REASON_CUSTOMER_INACTIVE: SuitabilityReason
SUITABILITY_PURPOSE_UNSPECIFIED: SuitabilityPurpose
SUITABILITY_PURPOSE_RECOMMEND: SuitabilityPurpose
SUITABILITY_PURPOSE_SELL: SuitabilityPurpose

class CustomerRiskSnapshot(_message.Message):
    __slots__ = ("customer_id", "risk_level", "risk_assessment_expires_on", "professional_investor", "customer_version", "active")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    RISK_ASSESSMENT_EXPIRES_ON_FIELD_NUMBER: _ClassVar[int]
    PROFESSIONAL_INVESTOR_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_VERSION_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    risk_level: _enums_pb2.RiskLevel
    risk_assessment_expires_on: _date_pb2.Date
    professional_investor: bool
    customer_version: int
    active: bool
    def __init__(self, customer_id: _Optional[str] = ..., risk_level: _Optional[_Union[_enums_pb2.RiskLevel, str]] = ..., risk_assessment_expires_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., professional_investor: _Optional[bool] = ..., customer_version: _Optional[int] = ..., active: _Optional[bool] = ...) -> None: ...

class ProductSnapshot(_message.Message):
    __slots__ = ("product_id", "risk_rating", "status", "min_investment", "product_version")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    RISK_RATING_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MIN_INVESTMENT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_VERSION_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    risk_rating: _enums_pb2.ProductRiskRating
    status: _product_pb2.ProductStatus
    min_investment: _decimal_pb2.Money
    product_version: int
    def __init__(self, product_id: _Optional[str] = ..., risk_rating: _Optional[_Union[_enums_pb2.ProductRiskRating, str]] = ..., status: _Optional[_Union[_product_pb2.ProductStatus, str]] = ..., min_investment: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., product_version: _Optional[int] = ...) -> None: ...

class SuitabilityDecision(_message.Message):
    __slots__ = ("decision_id", "allowed", "reasons", "explanation", "rule_version", "purpose", "customer", "product", "evaluated_on", "decided_at", "intended_amount", "requested_by")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    RULE_VERSION_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    EVALUATED_ON_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    INTENDED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    allowed: bool
    reasons: _containers.RepeatedScalarFieldContainer[SuitabilityReason]
    explanation: str
    rule_version: str
    purpose: SuitabilityPurpose
    customer: CustomerRiskSnapshot
    product: ProductSnapshot
    evaluated_on: _date_pb2.Date
    decided_at: _timestamp_pb2.Timestamp
    intended_amount: _decimal_pb2.Money
    requested_by: str
    def __init__(self, decision_id: _Optional[str] = ..., allowed: _Optional[bool] = ..., reasons: _Optional[_Iterable[_Union[SuitabilityReason, str]]] = ..., explanation: _Optional[str] = ..., rule_version: _Optional[str] = ..., purpose: _Optional[_Union[SuitabilityPurpose, str]] = ..., customer: _Optional[_Union[CustomerRiskSnapshot, _Mapping]] = ..., product: _Optional[_Union[ProductSnapshot, _Mapping]] = ..., evaluated_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., intended_amount: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., requested_by: _Optional[str] = ...) -> None: ...

class CheckRequest(_message.Message):
    __slots__ = ("customer_id", "product_id", "purpose", "intended_amount")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    INTENDED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    product_id: str
    purpose: SuitabilityPurpose
    intended_amount: _decimal_pb2.Money
    def __init__(self, customer_id: _Optional[str] = ..., product_id: _Optional[str] = ..., purpose: _Optional[_Union[SuitabilityPurpose, str]] = ..., intended_amount: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ...) -> None: ...

class CheckResponse(_message.Message):
    __slots__ = ("decision",)
    DECISION_FIELD_NUMBER: _ClassVar[int]
    decision: SuitabilityDecision
    def __init__(self, decision: _Optional[_Union[SuitabilityDecision, _Mapping]] = ...) -> None: ...

class CustomerIdList(_message.Message):
    __slots__ = ("customer_ids",)
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, customer_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class CheckBatchRequest(_message.Message):
    __slots__ = ("product_id", "snapshot_id", "customers", "purpose", "inline_limit")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    INLINE_LIMIT_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    snapshot_id: str
    customers: CustomerIdList
    purpose: SuitabilityPurpose
    inline_limit: int
    def __init__(self, product_id: _Optional[str] = ..., snapshot_id: _Optional[str] = ..., customers: _Optional[_Union[CustomerIdList, _Mapping]] = ..., purpose: _Optional[_Union[SuitabilityPurpose, str]] = ..., inline_limit: _Optional[int] = ...) -> None: ...

class ReasonCount(_message.Message):
    __slots__ = ("reason", "count")
    REASON_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    reason: SuitabilityReason
    count: int
    def __init__(self, reason: _Optional[_Union[SuitabilityReason, str]] = ..., count: _Optional[int] = ...) -> None: ...

class CheckBatchResponse(_message.Message):
    __slots__ = ("batch_id", "evaluated", "allowed", "denied", "denied_by_reason", "allowed_customer_ids", "rule_version", "elapsed_ms", "snapshot_id")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    EVALUATED_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    DENIED_FIELD_NUMBER: _ClassVar[int]
    DENIED_BY_REASON_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    RULE_VERSION_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_MS_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    evaluated: int
    allowed: int
    denied: int
    denied_by_reason: _containers.RepeatedCompositeFieldContainer[ReasonCount]
    allowed_customer_ids: _containers.RepeatedScalarFieldContainer[str]
    rule_version: str
    elapsed_ms: int
    snapshot_id: str
    def __init__(self, batch_id: _Optional[str] = ..., evaluated: _Optional[int] = ..., allowed: _Optional[int] = ..., denied: _Optional[int] = ..., denied_by_reason: _Optional[_Iterable[_Union[ReasonCount, _Mapping]]] = ..., allowed_customer_ids: _Optional[_Iterable[str]] = ..., rule_version: _Optional[str] = ..., elapsed_ms: _Optional[int] = ..., snapshot_id: _Optional[str] = ...) -> None: ...

class ListBatchCheckResultsRequest(_message.Message):
    __slots__ = ("batch_id", "denied", "page")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    DENIED_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    denied: bool
    page: _paging_pb2.PageRequest
    def __init__(self, batch_id: _Optional[str] = ..., denied: _Optional[bool] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class BatchCheckResult(_message.Message):
    __slots__ = ("customer_id", "allowed", "reasons")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    allowed: bool
    reasons: _containers.RepeatedScalarFieldContainer[SuitabilityReason]
    def __init__(self, customer_id: _Optional[str] = ..., allowed: _Optional[bool] = ..., reasons: _Optional[_Iterable[_Union[SuitabilityReason, str]]] = ...) -> None: ...

class ListBatchCheckResultsResponse(_message.Message):
    __slots__ = ("results", "page")
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[BatchCheckResult]
    page: _paging_pb2.PageResponse
    def __init__(self, results: _Optional[_Iterable[_Union[BatchCheckResult, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class GetDecisionRequest(_message.Message):
    __slots__ = ("decision_id",)
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    def __init__(self, decision_id: _Optional[str] = ...) -> None: ...

class GetDecisionResponse(_message.Message):
    __slots__ = ("decision",)
    DECISION_FIELD_NUMBER: _ClassVar[int]
    decision: SuitabilityDecision
    def __init__(self, decision: _Optional[_Union[SuitabilityDecision, _Mapping]] = ...) -> None: ...

class ListDecisionsRequest(_message.Message):
    __slots__ = ("customer_id", "product_id", "since", "until", "page")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    product_id: str
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    page: _paging_pb2.PageRequest
    def __init__(self, customer_id: _Optional[str] = ..., product_id: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListDecisionsResponse(_message.Message):
    __slots__ = ("decisions", "page")
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    decisions: _containers.RepeatedCompositeFieldContainer[SuitabilityDecision]
    page: _paging_pb2.PageResponse
    def __init__(self, decisions: _Optional[_Iterable[_Union[SuitabilityDecision, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ReplayDecisionRequest(_message.Message):
    __slots__ = ("decision_id",)
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    def __init__(self, decision_id: _Optional[str] = ...) -> None: ...

class ReplayDecisionResponse(_message.Message):
    __slots__ = ("original", "allowed", "reasons", "reproduced")
    ORIGINAL_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    REPRODUCED_FIELD_NUMBER: _ClassVar[int]
    original: SuitabilityDecision
    allowed: bool
    reasons: _containers.RepeatedScalarFieldContainer[SuitabilityReason]
    reproduced: bool
    def __init__(self, original: _Optional[_Union[SuitabilityDecision, _Mapping]] = ..., allowed: _Optional[bool] = ..., reasons: _Optional[_Iterable[_Union[SuitabilityReason, str]]] = ..., reproduced: _Optional[bool] = ...) -> None: ...

class ReplayBatchRequest(_message.Message):
    __slots__ = ("batch_id", "customer_id")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    customer_id: str
    def __init__(self, batch_id: _Optional[str] = ..., customer_id: _Optional[str] = ...) -> None: ...

class BatchCustomerReplay(_message.Message):
    __slots__ = ("customer", "customer_known", "allowed", "reasons", "replayed_allowed", "replayed_reasons", "reproduced", "explanation")
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_KNOWN_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_REASONS_FIELD_NUMBER: _ClassVar[int]
    REPRODUCED_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    customer: CustomerRiskSnapshot
    customer_known: bool
    allowed: bool
    reasons: _containers.RepeatedScalarFieldContainer[SuitabilityReason]
    replayed_allowed: bool
    replayed_reasons: _containers.RepeatedScalarFieldContainer[SuitabilityReason]
    reproduced: bool
    explanation: str
    def __init__(self, customer: _Optional[_Union[CustomerRiskSnapshot, _Mapping]] = ..., customer_known: _Optional[bool] = ..., allowed: _Optional[bool] = ..., reasons: _Optional[_Iterable[_Union[SuitabilityReason, str]]] = ..., replayed_allowed: _Optional[bool] = ..., replayed_reasons: _Optional[_Iterable[_Union[SuitabilityReason, str]]] = ..., reproduced: _Optional[bool] = ..., explanation: _Optional[str] = ...) -> None: ...

class ReplayBatchResponse(_message.Message):
    __slots__ = ("batch_id", "rule_version", "purpose", "product", "evaluated_on", "snapshot_id", "evaluated", "reproduced", "mismatched_customer_ids", "inputs_intact", "customer")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_VERSION_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    EVALUATED_ON_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    EVALUATED_FIELD_NUMBER: _ClassVar[int]
    REPRODUCED_FIELD_NUMBER: _ClassVar[int]
    MISMATCHED_CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_INTACT_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    rule_version: str
    purpose: SuitabilityPurpose
    product: ProductSnapshot
    evaluated_on: _date_pb2.Date
    snapshot_id: str
    evaluated: int
    reproduced: int
    mismatched_customer_ids: _containers.RepeatedScalarFieldContainer[str]
    inputs_intact: bool
    customer: BatchCustomerReplay
    def __init__(self, batch_id: _Optional[str] = ..., rule_version: _Optional[str] = ..., purpose: _Optional[_Union[SuitabilityPurpose, str]] = ..., product: _Optional[_Union[ProductSnapshot, _Mapping]] = ..., evaluated_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., snapshot_id: _Optional[str] = ..., evaluated: _Optional[int] = ..., reproduced: _Optional[int] = ..., mismatched_customer_ids: _Optional[_Iterable[str]] = ..., inputs_intact: _Optional[bool] = ..., customer: _Optional[_Union[BatchCustomerReplay, _Mapping]] = ...) -> None: ...
