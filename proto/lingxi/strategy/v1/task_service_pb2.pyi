import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from lingxi.strategy.v1 import strategy_pb2 as _strategy_pb2
from lingxi.strategy.v1 import task_pb2 as _task_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateTaskRequest(_message.Message):
    __slots__ = ("customer", "origin", "assignee_kind", "assignee_id", "fallback_assignee_kind", "priority", "title", "script", "steps", "context", "product_ids", "due_at", "expires_at", "request_id")
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_KIND_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_ASSIGNEE_KIND_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    SCRIPT_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    customer: _customer_pb2.CustomerRef
    origin: _customer_pb2.Origin
    assignee_kind: _strategy_pb2.AssigneeKind
    assignee_id: str
    fallback_assignee_kind: _strategy_pb2.AssigneeKind
    priority: _strategy_pb2.TaskPriority
    title: str
    script: str
    steps: _containers.RepeatedCompositeFieldContainer[_strategy_pb2.ServiceStep]
    context: _struct_pb2.Struct
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    due_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    request_id: str
    def __init__(self, customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ..., assignee_kind: _Optional[_Union[_strategy_pb2.AssigneeKind, str]] = ..., assignee_id: _Optional[str] = ..., fallback_assignee_kind: _Optional[_Union[_strategy_pb2.AssigneeKind, str]] = ..., priority: _Optional[_Union[_strategy_pb2.TaskPriority, str]] = ..., title: _Optional[str] = ..., script: _Optional[str] = ..., steps: _Optional[_Iterable[_Union[_strategy_pb2.ServiceStep, _Mapping]]] = ..., context: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., product_ids: _Optional[_Iterable[str]] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateTaskResponse(_message.Message):
    __slots__ = ("task", "duplicate")
    TASK_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    duplicate: bool
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ..., duplicate: _Optional[bool] = ...) -> None: ...

class GetTaskRequest(_message.Message):
    __slots__ = ("task_id",)
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    def __init__(self, task_id: _Optional[str] = ...) -> None: ...

class GetTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class ListMyTasksRequest(_message.Message):
    __slots__ = ("statuses", "include_queue", "due_before", "page")
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_QUEUE_FIELD_NUMBER: _ClassVar[int]
    DUE_BEFORE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    statuses: _containers.RepeatedScalarFieldContainer[_task_pb2.TaskStatus]
    include_queue: bool
    due_before: _timestamp_pb2.Timestamp
    page: _paging_pb2.PageRequest
    def __init__(self, statuses: _Optional[_Iterable[_Union[_task_pb2.TaskStatus, str]]] = ..., include_queue: _Optional[bool] = ..., due_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListMyTasksResponse(_message.Message):
    __slots__ = ("tasks", "page")
    TASKS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[_task_pb2.Task]
    page: _paging_pb2.PageResponse
    def __init__(self, tasks: _Optional[_Iterable[_Union[_task_pb2.Task, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ListTasksRequest(_message.Message):
    __slots__ = ("branch_id", "assignee_id", "customer_id", "strategy_id", "campaign_id", "statuses", "created_since", "created_until", "page")
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    CREATED_SINCE_FIELD_NUMBER: _ClassVar[int]
    CREATED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    branch_id: str
    assignee_id: str
    customer_id: str
    strategy_id: str
    campaign_id: str
    statuses: _containers.RepeatedScalarFieldContainer[_task_pb2.TaskStatus]
    created_since: _timestamp_pb2.Timestamp
    created_until: _timestamp_pb2.Timestamp
    page: _paging_pb2.PageRequest
    def __init__(self, branch_id: _Optional[str] = ..., assignee_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., strategy_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[_task_pb2.TaskStatus, str]]] = ..., created_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListTasksResponse(_message.Message):
    __slots__ = ("tasks", "page")
    TASKS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[_task_pb2.Task]
    page: _paging_pb2.PageResponse
    def __init__(self, tasks: _Optional[_Iterable[_Union[_task_pb2.Task, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ClaimTaskRequest(_message.Message):
    __slots__ = ("task_id", "expected_version")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    expected_version: int
    def __init__(self, task_id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ClaimTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class ReleaseTaskRequest(_message.Message):
    __slots__ = ("task_id", "reason")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    reason: str
    def __init__(self, task_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReleaseTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class CompleteTaskRequest(_message.Message):
    __slots__ = ("task_id", "outcome", "expected_version")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    outcome: _task_pb2.TaskOutcome
    expected_version: int
    def __init__(self, task_id: _Optional[str] = ..., outcome: _Optional[_Union[_task_pb2.TaskOutcome, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class CompleteTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class ReassignTaskRequest(_message.Message):
    __slots__ = ("task_id", "assignee_kind", "assignee_id", "reason")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_KIND_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    assignee_kind: _strategy_pb2.AssigneeKind
    assignee_id: str
    reason: str
    def __init__(self, task_id: _Optional[str] = ..., assignee_kind: _Optional[_Union[_strategy_pb2.AssigneeKind, str]] = ..., assignee_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReassignTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class CancelTaskRequest(_message.Message):
    __slots__ = ("task_id", "reason")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    reason: str
    def __init__(self, task_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CancelTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class GetTaskSummaryRequest(_message.Message):
    __slots__ = ("branch_id", "assignee_id")
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    branch_id: str
    assignee_id: str
    def __init__(self, branch_id: _Optional[str] = ..., assignee_id: _Optional[str] = ...) -> None: ...

class GetTaskSummaryResponse(_message.Message):
    __slots__ = ("by_status", "overdue", "urgent_open")
    class ByStatusEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    BY_STATUS_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    URGENT_OPEN_FIELD_NUMBER: _ClassVar[int]
    by_status: _containers.ScalarMap[str, int]
    overdue: int
    urgent_open: int
    def __init__(self, by_status: _Optional[_Mapping[str, int]] = ..., overdue: _Optional[int] = ..., urgent_open: _Optional[int] = ...) -> None: ...

class GetAdvisorCapacityRequest(_message.Message):
    __slots__ = ("advisor_id",)
    ADVISOR_ID_FIELD_NUMBER: _ClassVar[int]
    advisor_id: str
    def __init__(self, advisor_id: _Optional[str] = ...) -> None: ...

class GetAdvisorCapacityResponse(_message.Message):
    __slots__ = ("capacity",)
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    capacity: _task_pb2.AdvisorCapacity
    def __init__(self, capacity: _Optional[_Union[_task_pb2.AdvisorCapacity, _Mapping]] = ...) -> None: ...

class SetAdvisorCapacityRequest(_message.Message):
    __slots__ = ("advisor_id", "max_customers", "max_open_tasks", "accepting_tasks")
    ADVISOR_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    MAX_OPEN_TASKS_FIELD_NUMBER: _ClassVar[int]
    ACCEPTING_TASKS_FIELD_NUMBER: _ClassVar[int]
    advisor_id: str
    max_customers: int
    max_open_tasks: int
    accepting_tasks: bool
    def __init__(self, advisor_id: _Optional[str] = ..., max_customers: _Optional[int] = ..., max_open_tasks: _Optional[int] = ..., accepting_tasks: _Optional[bool] = ...) -> None: ...

class SetAdvisorCapacityResponse(_message.Message):
    __slots__ = ("capacity",)
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    capacity: _task_pb2.AdvisorCapacity
    def __init__(self, capacity: _Optional[_Union[_task_pb2.AdvisorCapacity, _Mapping]] = ...) -> None: ...

class ListAdvisorCapacitiesRequest(_message.Message):
    __slots__ = ("branch_id", "page")
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    branch_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, branch_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListAdvisorCapacitiesResponse(_message.Message):
    __slots__ = ("capacities", "page")
    CAPACITIES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    capacities: _containers.RepeatedCompositeFieldContainer[_task_pb2.AdvisorCapacity]
    page: _paging_pb2.PageResponse
    def __init__(self, capacities: _Optional[_Iterable[_Union[_task_pb2.AdvisorCapacity, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...
