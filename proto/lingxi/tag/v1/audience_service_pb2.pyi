import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from lingxi.tag.v1 import audience_pb2 as _audience_pb2
from lingxi.tag.v1 import tag_definition_pb2 as _tag_definition_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ValidateAudienceExpressionRequest(_message.Message):
    __slots__ = ("expression",)
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    expression: str
    def __init__(self, expression: _Optional[str] = ...) -> None: ...

class ValidateAudienceExpressionResponse(_message.Message):
    __slots__ = ("valid", "errors", "tag_codes")
    VALID_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    TAG_CODES_FIELD_NUMBER: _ClassVar[int]
    valid: bool
    errors: _containers.RepeatedCompositeFieldContainer[_tag_definition_pb2.ExpressionError]
    tag_codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, valid: _Optional[bool] = ..., errors: _Optional[_Iterable[_Union[_tag_definition_pb2.ExpressionError, _Mapping]]] = ..., tag_codes: _Optional[_Iterable[str]] = ...) -> None: ...

class EstimateAudienceRequest(_message.Message):
    __slots__ = ("expression", "breakdowns")
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    BREAKDOWNS_FIELD_NUMBER: _ClassVar[int]
    expression: str
    breakdowns: _containers.RepeatedScalarFieldContainer[_audience_pb2.AudienceBreakdown]
    def __init__(self, expression: _Optional[str] = ..., breakdowns: _Optional[_Iterable[_Union[_audience_pb2.AudienceBreakdown, str]]] = ...) -> None: ...

class EstimateAudienceResponse(_message.Message):
    __slots__ = ("count", "breakdowns", "index_watermark", "elapsed_us", "scope_total")
    COUNT_FIELD_NUMBER: _ClassVar[int]
    BREAKDOWNS_FIELD_NUMBER: _ClassVar[int]
    INDEX_WATERMARK_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_US_FIELD_NUMBER: _ClassVar[int]
    SCOPE_TOTAL_FIELD_NUMBER: _ClassVar[int]
    count: int
    breakdowns: _containers.RepeatedCompositeFieldContainer[_audience_pb2.Breakdown]
    index_watermark: int
    elapsed_us: int
    scope_total: int
    def __init__(self, count: _Optional[int] = ..., breakdowns: _Optional[_Iterable[_Union[_audience_pb2.Breakdown, _Mapping]]] = ..., index_watermark: _Optional[int] = ..., elapsed_us: _Optional[int] = ..., scope_total: _Optional[int] = ...) -> None: ...

class ExportAudienceRequest(_message.Message):
    __slots__ = ("expression", "page")
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    expression: str
    page: _paging_pb2.PageRequest
    def __init__(self, expression: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ExportAudienceResponse(_message.Message):
    __slots__ = ("customer_ids", "page")
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    page: _paging_pb2.PageResponse
    def __init__(self, customer_ids: _Optional[_Iterable[str]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ExplicitMembers(_message.Message):
    __slots__ = ("customer_ids",)
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, customer_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateAudienceSnapshotRequest(_message.Message):
    __slots__ = ("name", "expression", "members", "purpose", "request_id", "retain_until")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RETAIN_UNTIL_FIELD_NUMBER: _ClassVar[int]
    name: str
    expression: str
    members: ExplicitMembers
    purpose: str
    request_id: str
    retain_until: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., expression: _Optional[str] = ..., members: _Optional[_Union[ExplicitMembers, _Mapping]] = ..., purpose: _Optional[str] = ..., request_id: _Optional[str] = ..., retain_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateAudienceSnapshotResponse(_message.Message):
    __slots__ = ("snapshot", "dropped")
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    DROPPED_FIELD_NUMBER: _ClassVar[int]
    snapshot: _audience_pb2.AudienceSnapshot
    dropped: int
    def __init__(self, snapshot: _Optional[_Union[_audience_pb2.AudienceSnapshot, _Mapping]] = ..., dropped: _Optional[int] = ...) -> None: ...

class GetAudienceSnapshotRequest(_message.Message):
    __slots__ = ("snapshot_id",)
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    snapshot_id: str
    def __init__(self, snapshot_id: _Optional[str] = ...) -> None: ...

class GetAudienceSnapshotResponse(_message.Message):
    __slots__ = ("snapshot",)
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    snapshot: _audience_pb2.AudienceSnapshot
    def __init__(self, snapshot: _Optional[_Union[_audience_pb2.AudienceSnapshot, _Mapping]] = ...) -> None: ...

class ListAudienceSnapshotsRequest(_message.Message):
    __slots__ = ("query", "page")
    QUERY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    query: str
    page: _paging_pb2.PageRequest
    def __init__(self, query: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListAudienceSnapshotsResponse(_message.Message):
    __slots__ = ("snapshots", "page")
    SNAPSHOTS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    snapshots: _containers.RepeatedCompositeFieldContainer[_audience_pb2.AudienceSnapshot]
    page: _paging_pb2.PageResponse
    def __init__(self, snapshots: _Optional[_Iterable[_Union[_audience_pb2.AudienceSnapshot, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ListSnapshotMembersRequest(_message.Message):
    __slots__ = ("snapshot_id", "page")
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    snapshot_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, snapshot_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListSnapshotMembersResponse(_message.Message):
    __slots__ = ("customer_ids", "page")
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    page: _paging_pb2.PageResponse
    def __init__(self, customer_ids: _Optional[_Iterable[str]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ExportSnapshotMembersRequest(_message.Message):
    __slots__ = ("snapshot_id", "page")
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    snapshot_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, snapshot_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ExportSnapshotMembersResponse(_message.Message):
    __slots__ = ("customer_ids", "count", "page")
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customer_ids: bytes
    count: int
    page: _paging_pb2.PageResponse
    def __init__(self, customer_ids: _Optional[bytes] = ..., count: _Optional[int] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class CheckSnapshotMembershipRequest(_message.Message):
    __slots__ = ("snapshot_id", "customer_ids")
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    snapshot_id: str
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, snapshot_id: _Optional[str] = ..., customer_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class CheckSnapshotMembershipResponse(_message.Message):
    __slots__ = ("member_customer_ids",)
    MEMBER_CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    member_customer_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, member_customer_ids: _Optional[_Iterable[str]] = ...) -> None: ...
