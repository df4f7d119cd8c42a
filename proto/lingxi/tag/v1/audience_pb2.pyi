import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AudienceBreakdown(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AUDIENCE_BREAKDOWN_UNSPECIFIED: _ClassVar[AudienceBreakdown]
    AUDIENCE_BREAKDOWN_BRANCH: _ClassVar[AudienceBreakdown]
    AUDIENCE_BREAKDOWN_ASSET_TIER: _ClassVar[AudienceBreakdown]
    AUDIENCE_BREAKDOWN_RISK_LEVEL: _ClassVar[AudienceBreakdown]
    AUDIENCE_BREAKDOWN_LIFECYCLE_STAGE: _ClassVar[AudienceBreakdown]
    AUDIENCE_BREAKDOWN_ADVISOR_COVERAGE: _ClassVar[AudienceBreakdown]
AUDIENCE_BREAKDOWN_UNSPECIFIED: AudienceBreakdown
AUDIENCE_BREAKDOWN_BRANCH: AudienceBreakdown
AUDIENCE_BREAKDOWN_ASSET_TIER: AudienceBreakdown
AUDIENCE_BREAKDOWN_RISK_LEVEL: AudienceBreakdown
AUDIENCE_BREAKDOWN_LIFECYCLE_STAGE: AudienceBreakdown
AUDIENCE_BREAKDOWN_ADVISOR_COVERAGE: AudienceBreakdown

class BreakdownBucket(_message.Message):
    __slots__ = ("key", "display_name", "count")
    KEY_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    key: str
    display_name: str
    count: int
    def __init__(self, key: _Optional[str] = ..., display_name: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class Breakdown(_message.Message):
    __slots__ = ("dimension", "buckets")
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    BUCKETS_FIELD_NUMBER: _ClassVar[int]
    dimension: AudienceBreakdown
    buckets: _containers.RepeatedCompositeFieldContainer[BreakdownBucket]
    def __init__(self, dimension: _Optional[_Union[AudienceBreakdown, str]] = ..., buckets: _Optional[_Iterable[_Union[BreakdownBucket, _Mapping]]] = ...) -> None: ...

class AudienceSnapshot(_message.Message):
    __slots__ = ("snapshot_id", "name", "expression", "count", "created_at", "created_by", "scope", "index_watermark", "purpose", "retain_until")
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    INDEX_WATERMARK_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    RETAIN_UNTIL_FIELD_NUMBER: _ClassVar[int]
    snapshot_id: str
    name: str
    expression: str
    count: int
    created_at: _timestamp_pb2.Timestamp
    created_by: _customer_pb2.Actor
    scope: _customer_pb2.CustomerRef
    index_watermark: int
    purpose: str
    retain_until: _timestamp_pb2.Timestamp
    def __init__(self, snapshot_id: _Optional[str] = ..., name: _Optional[str] = ..., expression: _Optional[str] = ..., count: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., scope: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., index_watermark: _Optional[int] = ..., purpose: _Optional[str] = ..., retain_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
