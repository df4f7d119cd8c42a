import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import options_pb2 as _options_pb2
from lingxi.strategy.v1 import strategy_pb2 as _strategy_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TaskStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_STATUS_UNSPECIFIED: _ClassVar[TaskStatus]
    TASK_STATUS_OPEN: _ClassVar[TaskStatus]
    TASK_STATUS_CLAIMED: _ClassVar[TaskStatus]
    TASK_STATUS_COMPLETED: _ClassVar[TaskStatus]
    TASK_STATUS_EXPIRED: _ClassVar[TaskStatus]
    TASK_STATUS_CANCELLED: _ClassVar[TaskStatus]

class OutcomeCode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OUTCOME_CODE_UNSPECIFIED: _ClassVar[OutcomeCode]
    OUTCOME_CODE_INTERESTED: _ClassVar[OutcomeCode]
    OUTCOME_CODE_NOT_INTERESTED: _ClassVar[OutcomeCode]
    OUTCOME_CODE_CONVERTED: _ClassVar[OutcomeCode]
    OUTCOME_CODE_NO_ANSWER: _ClassVar[OutcomeCode]
    OUTCOME_CODE_REFUSED: _ClassVar[OutcomeCode]
    OUTCOME_CODE_WRONG_CONTACT: _ClassVar[OutcomeCode]
    OUTCOME_CODE_FOLLOW_UP: _ClassVar[OutcomeCode]
    OUTCOME_CODE_INFORMED: _ClassVar[OutcomeCode]
TASK_STATUS_UNSPECIFIED: TaskStatus
TASK_STATUS_OPEN: TaskStatus
TASK_STATUS_CLAIMED: TaskStatus
TASK_STATUS_COMPLETED: TaskStatus
TASK_STATUS_EXPIRED: TaskStatus
TASK_STATUS_CANCELLED: TaskStatus
OUTCOME_CODE_UNSPECIFIED: OutcomeCode
OUTCOME_CODE_INTERESTED: OutcomeCode
OUTCOME_CODE_NOT_INTERESTED: OutcomeCode
OUTCOME_CODE_CONVERTED: OutcomeCode
OUTCOME_CODE_NO_ANSWER: OutcomeCode
OUTCOME_CODE_REFUSED: OutcomeCode
OUTCOME_CODE_WRONG_CONTACT: OutcomeCode
OUTCOME_CODE_FOLLOW_UP: OutcomeCode
OUTCOME_CODE_INFORMED: OutcomeCode

class TaskOutcome(_message.Message):
    __slots__ = ("code", "note", "product_id", "converted_amount", "follow_up_on", "completed_steps", "contact_method")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_ON_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_STEPS_FIELD_NUMBER: _ClassVar[int]
    CONTACT_METHOD_FIELD_NUMBER: _ClassVar[int]
    code: OutcomeCode
    note: str
    product_id: str
    converted_amount: _decimal_pb2.Money
    follow_up_on: _date_pb2.Date
    completed_steps: _containers.RepeatedScalarFieldContainer[str]
    contact_method: str
    def __init__(self, code: _Optional[_Union[OutcomeCode, str]] = ..., note: _Optional[str] = ..., product_id: _Optional[str] = ..., converted_amount: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., follow_up_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., completed_steps: _Optional[_Iterable[str]] = ..., contact_method: _Optional[str] = ...) -> None: ...

class Task(_message.Message):
    __slots__ = ("task_id", "customer", "origin", "status", "priority", "assignee_kind", "assignee_id", "branch_id", "title", "script", "steps", "context", "product_ids", "created_at", "due_at", "expires_at", "claimed_at", "completed_at", "outcome", "version")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_KIND_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    SCRIPT_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    customer: _customer_pb2.CustomerRef
    origin: _customer_pb2.Origin
    status: TaskStatus
    priority: _strategy_pb2.TaskPriority
    assignee_kind: _strategy_pb2.AssigneeKind
    assignee_id: str
    branch_id: str
    title: str
    script: str
    steps: _containers.RepeatedCompositeFieldContainer[_strategy_pb2.ServiceStep]
    context: _struct_pb2.Struct
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    created_at: _timestamp_pb2.Timestamp
    due_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    claimed_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    outcome: TaskOutcome
    version: int
    def __init__(self, task_id: _Optional[str] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ..., status: _Optional[_Union[TaskStatus, str]] = ..., priority: _Optional[_Union[_strategy_pb2.TaskPriority, str]] = ..., assignee_kind: _Optional[_Union[_strategy_pb2.AssigneeKind, str]] = ..., assignee_id: _Optional[str] = ..., branch_id: _Optional[str] = ..., title: _Optional[str] = ..., script: _Optional[str] = ..., steps: _Optional[_Iterable[_Union[_strategy_pb2.ServiceStep, _Mapping]]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., product_ids: _Optional[_Iterable[str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., claimed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., outcome: _Optional[_Union[TaskOutcome, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class AdvisorCapacity(_message.Message):
    __slots__ = ("advisor_id", "branch_id", "max_customers", "current_customers", "max_open_tasks", "open_tasks", "accepting_tasks", "utilization", "updated_at")
    ADVISOR_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    CURRENT_CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    MAX_OPEN_TASKS_FIELD_NUMBER: _ClassVar[int]
    OPEN_TASKS_FIELD_NUMBER: _ClassVar[int]
    ACCEPTING_TASKS_FIELD_NUMBER: _ClassVar[int]
    UTILIZATION_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    advisor_id: str
    branch_id: str
    max_customers: int
    current_customers: int
    max_open_tasks: int
    open_tasks: int
    accepting_tasks: bool
    utilization: _decimal_pb2.Decimal
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, advisor_id: _Optional[str] = ..., branch_id: _Optional[str] = ..., max_customers: _Optional[int] = ..., current_customers: _Optional[int] = ..., max_open_tasks: _Optional[int] = ..., open_tasks: _Optional[int] = ..., accepting_tasks: _Optional[bool] = ..., utilization: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
