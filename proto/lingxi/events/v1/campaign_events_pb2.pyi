import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import event_meta_pb2 as _event_meta_pb2
from lingxi.common.v1 import options_pb2 as _options_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CampaignStatusChanged(_message.Message):
    __slots__ = ("meta", "campaign_id", "name", "previous_status", "status", "campaign_version", "actor", "reason")
    META_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_VERSION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    campaign_id: str
    name: str
    previous_status: str
    status: str
    campaign_version: int
    actor: _customer_pb2.Actor
    reason: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., campaign_id: _Optional[str] = ..., name: _Optional[str] = ..., previous_status: _Optional[str] = ..., status: _Optional[str] = ..., campaign_version: _Optional[int] = ..., actor: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class CampaignApprovalRequested(_message.Message):
    __slots__ = ("meta", "campaign_id", "approval_id", "campaign_version", "submitted_by")
    META_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_VERSION_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    campaign_id: str
    approval_id: str
    campaign_version: int
    submitted_by: _customer_pb2.Actor
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., campaign_id: _Optional[str] = ..., approval_id: _Optional[str] = ..., campaign_version: _Optional[int] = ..., submitted_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ...) -> None: ...

class CampaignAudienceFrozen(_message.Message):
    __slots__ = ("meta", "campaign_id", "snapshot_id", "treatment_size", "control_size", "excluded", "salt")
    META_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    TREATMENT_SIZE_FIELD_NUMBER: _ClassVar[int]
    CONTROL_SIZE_FIELD_NUMBER: _ClassVar[int]
    EXCLUDED_FIELD_NUMBER: _ClassVar[int]
    SALT_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    campaign_id: str
    snapshot_id: str
    treatment_size: int
    control_size: int
    excluded: int
    salt: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., campaign_id: _Optional[str] = ..., snapshot_id: _Optional[str] = ..., treatment_size: _Optional[int] = ..., control_size: _Optional[int] = ..., excluded: _Optional[int] = ..., salt: _Optional[str] = ...) -> None: ...

class ConversionAttributed(_message.Message):
    __slots__ = ("meta", "conversion_id", "campaign_id", "customer", "group", "goal", "product_id", "revenue", "hq_revenue", "branch_revenue", "attributed_message_id", "attributed_channel", "converted_at", "source_event_id")
    META_FIELD_NUMBER: _ClassVar[int]
    CONVERSION_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    GOAL_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    HQ_REVENUE_FIELD_NUMBER: _ClassVar[int]
    BRANCH_REVENUE_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTED_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTED_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_AT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    conversion_id: str
    campaign_id: str
    customer: _customer_pb2.CustomerRef
    group: str
    goal: str
    product_id: str
    revenue: _decimal_pb2.Money
    hq_revenue: _decimal_pb2.Money
    branch_revenue: _decimal_pb2.Money
    attributed_message_id: str
    attributed_channel: _enums_pb2.Channel
    converted_at: _timestamp_pb2.Timestamp
    source_event_id: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., conversion_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., group: _Optional[str] = ..., goal: _Optional[str] = ..., product_id: _Optional[str] = ..., revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., hq_revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., branch_revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., attributed_message_id: _Optional[str] = ..., attributed_channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., converted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., source_event_id: _Optional[str] = ...) -> None: ...

class JourneyStepEntered(_message.Message):
    __slots__ = ("meta", "campaign_id", "step_id", "customer", "step_kind")
    META_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    STEP_KIND_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    campaign_id: str
    step_id: str
    customer: _customer_pb2.CustomerRef
    step_kind: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., campaign_id: _Optional[str] = ..., step_id: _Optional[str] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., step_kind: _Optional[str] = ...) -> None: ...
