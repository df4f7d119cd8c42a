import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import event_meta_pb2 as _event_meta_pb2
from lingxi.common.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StrategyChanged(_message.Message):
    __slots__ = ("meta", "strategy_id", "code", "version", "previous_status", "status", "actor")
    META_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    strategy_id: str
    code: str
    version: int
    previous_status: str
    status: str
    actor: _customer_pb2.Actor
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., strategy_id: _Optional[str] = ..., code: _Optional[str] = ..., version: _Optional[int] = ..., previous_status: _Optional[str] = ..., status: _Optional[str] = ..., actor: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ...) -> None: ...

class StrategyMatched(_message.Message):
    __slots__ = ("meta", "match_id", "strategy_id", "strategy_version", "customer", "disposition", "product_ids", "task_ids")
    META_FIELD_NUMBER: _ClassVar[int]
    MATCH_ID_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_VERSION_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    DISPOSITION_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    TASK_IDS_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    match_id: str
    strategy_id: str
    strategy_version: int
    customer: _customer_pb2.CustomerRef
    disposition: str
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    task_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., match_id: _Optional[str] = ..., strategy_id: _Optional[str] = ..., strategy_version: _Optional[int] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., disposition: _Optional[str] = ..., product_ids: _Optional[_Iterable[str]] = ..., task_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class TaskCreated(_message.Message):
    __slots__ = ("meta", "task_id", "customer", "origin", "assignee_kind", "assignee_id", "branch_id", "priority", "title", "due_at")
    META_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_KIND_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    task_id: str
    customer: _customer_pb2.CustomerRef
    origin: _customer_pb2.Origin
    assignee_kind: str
    assignee_id: str
    branch_id: str
    priority: str
    title: str
    due_at: _timestamp_pb2.Timestamp
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., task_id: _Optional[str] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ..., assignee_kind: _Optional[str] = ..., assignee_id: _Optional[str] = ..., branch_id: _Optional[str] = ..., priority: _Optional[str] = ..., title: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TaskStatusChanged(_message.Message):
    __slots__ = ("meta", "task_id", "customer", "previous_status", "status", "assignee_id", "reason", "origin")
    META_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    task_id: str
    customer: _customer_pb2.CustomerRef
    previous_status: str
    status: str
    assignee_id: str
    reason: str
    origin: _customer_pb2.Origin
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., task_id: _Optional[str] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., previous_status: _Optional[str] = ..., status: _Optional[str] = ..., assignee_id: _Optional[str] = ..., reason: _Optional[str] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ...) -> None: ...

class TaskCompleted(_message.Message):
    __slots__ = ("meta", "task_id", "customer", "origin", "outcome", "product_id", "converted_amount", "completed_by", "completed_at")
    META_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_BY_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    task_id: str
    customer: _customer_pb2.CustomerRef
    origin: _customer_pb2.Origin
    outcome: str
    product_id: str
    converted_amount: _decimal_pb2.Money
    completed_by: str
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., task_id: _Optional[str] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ..., outcome: _Optional[str] = ..., product_id: _Optional[str] = ..., converted_amount: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., completed_by: _Optional[str] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RunStrategyCommand(_message.Message):
    __slots__ = ("meta", "strategy_id", "run_key", "dry_run")
    META_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_KEY_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    strategy_id: str
    run_key: str
    dry_run: bool
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., strategy_id: _Optional[str] = ..., run_key: _Optional[str] = ..., dry_run: _Optional[bool] = ...) -> None: ...
