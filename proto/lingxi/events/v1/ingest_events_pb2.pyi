import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import event_meta_pb2 as _event_meta_pb2
from lingxi.common.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class IngestSourceKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INGEST_SOURCE_KIND_UNSPECIFIED: _ClassVar[IngestSourceKind]
    INGEST_SOURCE_KIND_SENSORS: _ClassVar[IngestSourceKind]
    INGEST_SOURCE_KIND_SEGMENT: _ClassVar[IngestSourceKind]
    INGEST_SOURCE_KIND_RUDDERSTACK: _ClassVar[IngestSourceKind]
    INGEST_SOURCE_KIND_API: _ClassVar[IngestSourceKind]

class BehaviorType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BEHAVIOR_TYPE_UNSPECIFIED: _ClassVar[BehaviorType]
    BEHAVIOR_TYPE_TRACK: _ClassVar[BehaviorType]
    BEHAVIOR_TYPE_PAGE: _ClassVar[BehaviorType]
    BEHAVIOR_TYPE_SCREEN: _ClassVar[BehaviorType]
    BEHAVIOR_TYPE_IDENTIFY: _ClassVar[BehaviorType]
    BEHAVIOR_TYPE_ALIAS: _ClassVar[BehaviorType]
    BEHAVIOR_TYPE_GROUP: _ClassVar[BehaviorType]
    BEHAVIOR_TYPE_ID_BIND: _ClassVar[BehaviorType]
    BEHAVIOR_TYPE_ID_UNBIND: _ClassVar[BehaviorType]
    BEHAVIOR_TYPE_ITEM: _ClassVar[BehaviorType]

class BusinessEventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BUSINESS_EVENT_KIND_UNSPECIFIED: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_APP_REGISTERED: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_ACCOUNT_OPENED: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_DEPOSIT: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_WITHDRAWAL: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_WECHAT_BOUND: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_PRODUCT_PURCHASED: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_PRODUCT_REDEEMED: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_SERVICE_SUBSCRIBED: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_RISK_ASSESSMENT_COMPLETED: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_SURVEY_COMPLETED: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_MARGIN_ACCOUNT_OPENED: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_IPO_ALLOTTED: _ClassVar[BusinessEventKind]
    BUSINESS_EVENT_KIND_CUSTOMER_TASK_COMPLETED: _ClassVar[BusinessEventKind]
INGEST_SOURCE_KIND_UNSPECIFIED: IngestSourceKind
INGEST_SOURCE_KIND_SENSORS: IngestSourceKind
INGEST_SOURCE_KIND_SEGMENT: IngestSourceKind
INGEST_SOURCE_KIND_RUDDERSTACK: IngestSourceKind
INGEST_SOURCE_KIND_API: IngestSourceKind
BEHAVIOR_TYPE_UNSPECIFIED: BehaviorType
BEHAVIOR_TYPE_TRACK: BehaviorType
BEHAVIOR_TYPE_PAGE: BehaviorType
BEHAVIOR_TYPE_SCREEN: BehaviorType
BEHAVIOR_TYPE_IDENTIFY: BehaviorType
BEHAVIOR_TYPE_ALIAS: BehaviorType
BEHAVIOR_TYPE_GROUP: BehaviorType
BEHAVIOR_TYPE_ID_BIND: BehaviorType
BEHAVIOR_TYPE_ID_UNBIND: BehaviorType
BEHAVIOR_TYPE_ITEM: BehaviorType
BUSINESS_EVENT_KIND_UNSPECIFIED: BusinessEventKind
BUSINESS_EVENT_KIND_APP_REGISTERED: BusinessEventKind
BUSINESS_EVENT_KIND_ACCOUNT_OPENED: BusinessEventKind
BUSINESS_EVENT_KIND_DEPOSIT: BusinessEventKind
BUSINESS_EVENT_KIND_WITHDRAWAL: BusinessEventKind
BUSINESS_EVENT_KIND_WECHAT_BOUND: BusinessEventKind
BUSINESS_EVENT_KIND_PRODUCT_PURCHASED: BusinessEventKind
BUSINESS_EVENT_KIND_PRODUCT_REDEEMED: BusinessEventKind
BUSINESS_EVENT_KIND_SERVICE_SUBSCRIBED: BusinessEventKind
BUSINESS_EVENT_KIND_RISK_ASSESSMENT_COMPLETED: BusinessEventKind
BUSINESS_EVENT_KIND_SURVEY_COMPLETED: BusinessEventKind
BUSINESS_EVENT_KIND_MARGIN_ACCOUNT_OPENED: BusinessEventKind
BUSINESS_EVENT_KIND_IPO_ALLOTTED: BusinessEventKind
BUSINESS_EVENT_KIND_CUSTOMER_TASK_COMPLETED: BusinessEventKind

class BehaviorEvent(_message.Message):
    __slots__ = ("meta", "source_kind", "source_id", "message_id", "type", "event_name", "distinct_id", "anonymous_id", "user_id", "previous_id", "customer_id", "event_time", "received_at", "properties", "traits", "context", "library", "library_version", "raw_type")
    META_FIELD_NUMBER: _ClassVar[int]
    SOURCE_KIND_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    EVENT_NAME_FIELD_NUMBER: _ClassVar[int]
    DISTINCT_ID_FIELD_NUMBER: _ClassVar[int]
    ANONYMOUS_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    TRAITS_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    LIBRARY_FIELD_NUMBER: _ClassVar[int]
    LIBRARY_VERSION_FIELD_NUMBER: _ClassVar[int]
    RAW_TYPE_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    source_kind: IngestSourceKind
    source_id: str
    message_id: str
    type: BehaviorType
    event_name: str
    distinct_id: str
    anonymous_id: str
    user_id: str
    previous_id: str
    customer_id: str
    event_time: _timestamp_pb2.Timestamp
    received_at: _timestamp_pb2.Timestamp
    properties: _struct_pb2.Struct
    traits: _struct_pb2.Struct
    context: _struct_pb2.Struct
    library: str
    library_version: str
    raw_type: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., source_kind: _Optional[_Union[IngestSourceKind, str]] = ..., source_id: _Optional[str] = ..., message_id: _Optional[str] = ..., type: _Optional[_Union[BehaviorType, str]] = ..., event_name: _Optional[str] = ..., distinct_id: _Optional[str] = ..., anonymous_id: _Optional[str] = ..., user_id: _Optional[str] = ..., previous_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., properties: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., traits: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., library: _Optional[str] = ..., library_version: _Optional[str] = ..., raw_type: _Optional[str] = ...) -> None: ...

class BehaviorBatch(_message.Message):
    __slots__ = ("meta", "source_kind", "source_id", "events", "client_ip", "debug")
    META_FIELD_NUMBER: _ClassVar[int]
    SOURCE_KIND_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    DEBUG_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    source_kind: IngestSourceKind
    source_id: str
    events: _containers.RepeatedCompositeFieldContainer[BehaviorEvent]
    client_ip: str
    debug: bool
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., source_kind: _Optional[_Union[IngestSourceKind, str]] = ..., source_id: _Optional[str] = ..., events: _Optional[_Iterable[_Union[BehaviorEvent, _Mapping]]] = ..., client_ip: _Optional[str] = ..., debug: _Optional[bool] = ...) -> None: ...

class OfflineTouchRecorded(_message.Message):
    __slots__ = ("meta", "touch_id", "customer_id", "kind", "result", "occurred_at", "duration", "staff_id", "branch_id", "task_id", "product_ids", "properties", "channel")
    META_FIELD_NUMBER: _ClassVar[int]
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
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    touch_id: str
    customer_id: str
    kind: str
    result: str
    occurred_at: _timestamp_pb2.Timestamp
    duration: _duration_pb2.Duration
    staff_id: str
    branch_id: str
    task_id: str
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    properties: _struct_pb2.Struct
    channel: _enums_pb2.Channel
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., touch_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., kind: _Optional[str] = ..., result: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., staff_id: _Optional[str] = ..., branch_id: _Optional[str] = ..., task_id: _Optional[str] = ..., product_ids: _Optional[_Iterable[str]] = ..., properties: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., channel: _Optional[_Union[_enums_pb2.Channel, str]] = ...) -> None: ...

class BusinessEvent(_message.Message):
    __slots__ = ("meta", "kind", "customer_id", "business_key", "occurred_at", "amount", "product_id", "account_id", "source_system", "risk_level", "first_of_kind", "attributes")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    META_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_SYSTEM_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    FIRST_OF_KIND_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    kind: BusinessEventKind
    customer_id: str
    business_key: str
    occurred_at: _timestamp_pb2.Timestamp
    amount: _decimal_pb2.Money
    product_id: str
    account_id: str
    source_system: str
    risk_level: _enums_pb2.RiskLevel
    first_of_kind: bool
    attributes: _containers.ScalarMap[str, str]
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., kind: _Optional[_Union[BusinessEventKind, str]] = ..., customer_id: _Optional[str] = ..., business_key: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., amount: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., product_id: _Optional[str] = ..., account_id: _Optional[str] = ..., source_system: _Optional[str] = ..., risk_level: _Optional[_Union[_enums_pb2.RiskLevel, str]] = ..., first_of_kind: _Optional[bool] = ..., attributes: _Optional[_Mapping[str, str]] = ...) -> None: ...
