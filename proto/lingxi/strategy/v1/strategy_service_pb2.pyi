import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from lingxi.strategy.v1 import strategy_pb2 as _strategy_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateStrategyRequest(_message.Message):
    __slots__ = ("strategy",)
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    strategy: _strategy_pb2.Strategy
    def __init__(self, strategy: _Optional[_Union[_strategy_pb2.Strategy, _Mapping]] = ...) -> None: ...

class CreateStrategyResponse(_message.Message):
    __slots__ = ("strategy",)
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    strategy: _strategy_pb2.Strategy
    def __init__(self, strategy: _Optional[_Union[_strategy_pb2.Strategy, _Mapping]] = ...) -> None: ...

class UpdateStrategyRequest(_message.Message):
    __slots__ = ("strategy", "update_mask", "expected_version")
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    strategy: _strategy_pb2.Strategy
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, strategy: _Optional[_Union[_strategy_pb2.Strategy, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class UpdateStrategyResponse(_message.Message):
    __slots__ = ("strategy",)
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    strategy: _strategy_pb2.Strategy
    def __init__(self, strategy: _Optional[_Union[_strategy_pb2.Strategy, _Mapping]] = ...) -> None: ...

class GetStrategyRequest(_message.Message):
    __slots__ = ("strategy_id",)
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    strategy_id: str
    def __init__(self, strategy_id: _Optional[str] = ...) -> None: ...

class GetStrategyResponse(_message.Message):
    __slots__ = ("strategy",)
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    strategy: _strategy_pb2.Strategy
    def __init__(self, strategy: _Optional[_Union[_strategy_pb2.Strategy, _Mapping]] = ...) -> None: ...

class ListStrategiesRequest(_message.Message):
    __slots__ = ("statuses", "business", "lifecycle_stage", "query", "page")
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_FIELD_NUMBER: _ClassVar[int]
    LIFECYCLE_STAGE_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    statuses: _containers.RepeatedScalarFieldContainer[_strategy_pb2.StrategyStatus]
    business: _strategy_pb2.StrategyBusiness
    lifecycle_stage: _strategy_pb2.LifecycleStage
    query: str
    page: _paging_pb2.PageRequest
    def __init__(self, statuses: _Optional[_Iterable[_Union[_strategy_pb2.StrategyStatus, str]]] = ..., business: _Optional[_Union[_strategy_pb2.StrategyBusiness, str]] = ..., lifecycle_stage: _Optional[_Union[_strategy_pb2.LifecycleStage, str]] = ..., query: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListStrategiesResponse(_message.Message):
    __slots__ = ("strategies", "page")
    STRATEGIES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    strategies: _containers.RepeatedCompositeFieldContainer[_strategy_pb2.Strategy]
    page: _paging_pb2.PageResponse
    def __init__(self, strategies: _Optional[_Iterable[_Union[_strategy_pb2.Strategy, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class DeleteStrategyRequest(_message.Message):
    __slots__ = ("strategy_id",)
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    strategy_id: str
    def __init__(self, strategy_id: _Optional[str] = ...) -> None: ...

class DeleteStrategyResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ActivateStrategyRequest(_message.Message):
    __slots__ = ("strategy_id",)
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    strategy_id: str
    def __init__(self, strategy_id: _Optional[str] = ...) -> None: ...

class ActivateStrategyResponse(_message.Message):
    __slots__ = ("strategy",)
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    strategy: _strategy_pb2.Strategy
    def __init__(self, strategy: _Optional[_Union[_strategy_pb2.Strategy, _Mapping]] = ...) -> None: ...

class PauseStrategyRequest(_message.Message):
    __slots__ = ("strategy_id", "reason")
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    strategy_id: str
    reason: str
    def __init__(self, strategy_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class PauseStrategyResponse(_message.Message):
    __slots__ = ("strategy",)
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    strategy: _strategy_pb2.Strategy
    def __init__(self, strategy: _Optional[_Union[_strategy_pb2.Strategy, _Mapping]] = ...) -> None: ...

class RetireStrategyRequest(_message.Message):
    __slots__ = ("strategy_id", "reason", "cancel_open_tasks")
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CANCEL_OPEN_TASKS_FIELD_NUMBER: _ClassVar[int]
    strategy_id: str
    reason: str
    cancel_open_tasks: bool
    def __init__(self, strategy_id: _Optional[str] = ..., reason: _Optional[str] = ..., cancel_open_tasks: _Optional[bool] = ...) -> None: ...

class RetireStrategyResponse(_message.Message):
    __slots__ = ("strategy", "tasks_cancelled")
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    TASKS_CANCELLED_FIELD_NUMBER: _ClassVar[int]
    strategy: _strategy_pb2.Strategy
    tasks_cancelled: int
    def __init__(self, strategy: _Optional[_Union[_strategy_pb2.Strategy, _Mapping]] = ..., tasks_cancelled: _Optional[int] = ...) -> None: ...

class RunStrategyRequest(_message.Message):
    __slots__ = ("strategy_id", "dry_run", "request_id")
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    strategy_id: str
    dry_run: bool
    request_id: str
    def __init__(self, strategy_id: _Optional[str] = ..., dry_run: _Optional[bool] = ..., request_id: _Optional[str] = ...) -> None: ...

class RunStrategyResponse(_message.Message):
    __slots__ = ("run",)
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: _strategy_pb2.StrategyRun
    def __init__(self, run: _Optional[_Union[_strategy_pb2.StrategyRun, _Mapping]] = ...) -> None: ...

class GetStrategyRunRequest(_message.Message):
    __slots__ = ("run_id",)
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    def __init__(self, run_id: _Optional[str] = ...) -> None: ...

class GetStrategyRunResponse(_message.Message):
    __slots__ = ("run",)
    RUN_FIELD_NUMBER: _ClassVar[int]
    run: _strategy_pb2.StrategyRun
    def __init__(self, run: _Optional[_Union[_strategy_pb2.StrategyRun, _Mapping]] = ...) -> None: ...

class ListMatchesRequest(_message.Message):
    __slots__ = ("strategy_id", "customer_id", "dispositions", "since", "until", "page")
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    DISPOSITIONS_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    strategy_id: str
    customer_id: str
    dispositions: _containers.RepeatedScalarFieldContainer[_strategy_pb2.MatchDisposition]
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    page: _paging_pb2.PageRequest
    def __init__(self, strategy_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., dispositions: _Optional[_Iterable[_Union[_strategy_pb2.MatchDisposition, str]]] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListMatchesResponse(_message.Message):
    __slots__ = ("matches", "page")
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    matches: _containers.RepeatedCompositeFieldContainer[_strategy_pb2.Match]
    page: _paging_pb2.PageResponse
    def __init__(self, matches: _Optional[_Iterable[_Union[_strategy_pb2.Match, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class GetStrategyPerformanceRequest(_message.Message):
    __slots__ = ("strategy_id", "since", "until", "branch_id")
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    strategy_id: str
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    branch_id: str
    def __init__(self, strategy_id: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., branch_id: _Optional[str] = ...) -> None: ...

class GetStrategyPerformanceResponse(_message.Message):
    __slots__ = ("performance",)
    PERFORMANCE_FIELD_NUMBER: _ClassVar[int]
    performance: _strategy_pb2.StrategyPerformance
    def __init__(self, performance: _Optional[_Union[_strategy_pb2.StrategyPerformance, _Mapping]] = ...) -> None: ...
