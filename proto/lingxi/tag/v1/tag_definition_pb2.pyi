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

class TagStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAG_STATUS_UNSPECIFIED: _ClassVar[TagStatus]
    TAG_STATUS_DRAFT: _ClassVar[TagStatus]
    TAG_STATUS_ACTIVE: _ClassVar[TagStatus]
    TAG_STATUS_RETIRED: _ClassVar[TagStatus]

class TagValueType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAG_VALUE_TYPE_UNSPECIFIED: _ClassVar[TagValueType]
    TAG_VALUE_TYPE_BOOL: _ClassVar[TagValueType]
    TAG_VALUE_TYPE_ENUM: _ClassVar[TagValueType]
    TAG_VALUE_TYPE_INTEGER: _ClassVar[TagValueType]
    TAG_VALUE_TYPE_DECIMAL: _ClassVar[TagValueType]

class RefreshMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFRESH_MODE_UNSPECIFIED: _ClassVar[RefreshMode]
    REFRESH_MODE_REALTIME: _ClassVar[RefreshMode]
    REFRESH_MODE_DAILY: _ClassVar[RefreshMode]

class RecomputeState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECOMPUTE_STATE_UNSPECIFIED: _ClassVar[RecomputeState]
    RECOMPUTE_STATE_QUEUED: _ClassVar[RecomputeState]
    RECOMPUTE_STATE_RUNNING: _ClassVar[RecomputeState]
    RECOMPUTE_STATE_SUCCEEDED: _ClassVar[RecomputeState]
    RECOMPUTE_STATE_FAILED: _ClassVar[RecomputeState]
    RECOMPUTE_STATE_CANCELLED: _ClassVar[RecomputeState]
TAG_STATUS_UNSPECIFIED: TagStatus
TAG_STATUS_DRAFT: TagStatus
TAG_STATUS_ACTIVE: TagStatus
TAG_STATUS_RETIRED: TagStatus
TAG_VALUE_TYPE_UNSPECIFIED: TagValueType
TAG_VALUE_TYPE_BOOL: TagValueType
TAG_VALUE_TYPE_ENUM: TagValueType
TAG_VALUE_TYPE_INTEGER: TagValueType
TAG_VALUE_TYPE_DECIMAL: TagValueType
REFRESH_MODE_UNSPECIFIED: RefreshMode
REFRESH_MODE_REALTIME: RefreshMode
REFRESH_MODE_DAILY: RefreshMode
RECOMPUTE_STATE_UNSPECIFIED: RecomputeState
RECOMPUTE_STATE_QUEUED: RecomputeState
RECOMPUTE_STATE_RUNNING: RecomputeState
RECOMPUTE_STATE_SUCCEEDED: RecomputeState
RECOMPUTE_STATE_FAILED: RecomputeState
RECOMPUTE_STATE_CANCELLED: RecomputeState

class TagValueOption(_message.Message):
    __slots__ = ("code", "display_name", "ordinal")
    CODE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ORDINAL_FIELD_NUMBER: _ClassVar[int]
    code: str
    display_name: str
    ordinal: int
    def __init__(self, code: _Optional[str] = ..., display_name: _Optional[str] = ..., ordinal: _Optional[int] = ...) -> None: ...

class TagDefinition(_message.Message):
    __slots__ = ("code", "version", "display_name", "description", "category_code", "owner", "status", "value_type", "options", "rule", "refresh_mode", "inputs", "builtin", "created_at", "created_by", "activated_at", "retired_at", "customer_count")
    CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_CODE_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VALUE_TYPE_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    REFRESH_MODE_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    BUILTIN_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    ACTIVATED_AT_FIELD_NUMBER: _ClassVar[int]
    RETIRED_AT_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_COUNT_FIELD_NUMBER: _ClassVar[int]
    code: str
    version: int
    display_name: str
    description: str
    category_code: str
    owner: str
    status: TagStatus
    value_type: TagValueType
    options: _containers.RepeatedCompositeFieldContainer[TagValueOption]
    rule: str
    refresh_mode: RefreshMode
    inputs: _containers.RepeatedScalarFieldContainer[str]
    builtin: bool
    created_at: _timestamp_pb2.Timestamp
    created_by: _customer_pb2.Actor
    activated_at: _timestamp_pb2.Timestamp
    retired_at: _timestamp_pb2.Timestamp
    customer_count: int
    def __init__(self, code: _Optional[str] = ..., version: _Optional[int] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., category_code: _Optional[str] = ..., owner: _Optional[str] = ..., status: _Optional[_Union[TagStatus, str]] = ..., value_type: _Optional[_Union[TagValueType, str]] = ..., options: _Optional[_Iterable[_Union[TagValueOption, _Mapping]]] = ..., rule: _Optional[str] = ..., refresh_mode: _Optional[_Union[RefreshMode, str]] = ..., inputs: _Optional[_Iterable[str]] = ..., builtin: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., activated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., retired_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., customer_count: _Optional[int] = ...) -> None: ...

class TagCategory(_message.Message):
    __slots__ = ("code", "display_name", "parent_code", "ordinal")
    CODE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_CODE_FIELD_NUMBER: _ClassVar[int]
    ORDINAL_FIELD_NUMBER: _ClassVar[int]
    code: str
    display_name: str
    parent_code: str
    ordinal: int
    def __init__(self, code: _Optional[str] = ..., display_name: _Optional[str] = ..., parent_code: _Optional[str] = ..., ordinal: _Optional[int] = ...) -> None: ...

class ExpressionError(_message.Message):
    __slots__ = ("line", "column", "offset", "message")
    LINE_FIELD_NUMBER: _ClassVar[int]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    line: int
    column: int
    offset: int
    message: str
    def __init__(self, line: _Optional[int] = ..., column: _Optional[int] = ..., offset: _Optional[int] = ..., message: _Optional[str] = ...) -> None: ...

class RecomputeJob(_message.Message):
    __slots__ = ("job_id", "state", "tag_codes", "business_date", "customers_total", "customers_done", "changes", "started_at", "finished_at", "error")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TAG_CODES_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_DATE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_DONE_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    state: RecomputeState
    tag_codes: _containers.RepeatedScalarFieldContainer[str]
    business_date: str
    customers_total: int
    customers_done: int
    changes: int
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    error: str
    def __init__(self, job_id: _Optional[str] = ..., state: _Optional[_Union[RecomputeState, str]] = ..., tag_codes: _Optional[_Iterable[str]] = ..., business_date: _Optional[str] = ..., customers_total: _Optional[int] = ..., customers_done: _Optional[int] = ..., changes: _Optional[int] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., error: _Optional[str] = ...) -> None: ...
