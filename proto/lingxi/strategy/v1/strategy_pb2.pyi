import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StrategyStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STRATEGY_STATUS_UNSPECIFIED: _ClassVar[StrategyStatus]
    STRATEGY_STATUS_DRAFT: _ClassVar[StrategyStatus]
    STRATEGY_STATUS_ACTIVE: _ClassVar[StrategyStatus]
    STRATEGY_STATUS_PAUSED: _ClassVar[StrategyStatus]
    STRATEGY_STATUS_RETIRED: _ClassVar[StrategyStatus]

class StrategyBusiness(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STRATEGY_BUSINESS_UNSPECIFIED: _ClassVar[StrategyBusiness]
    STRATEGY_BUSINESS_TRADING: _ClassVar[StrategyBusiness]
    STRATEGY_BUSINESS_NEWS: _ClassVar[StrategyBusiness]
    STRATEGY_BUSINESS_PRODUCT_SALES: _ClassVar[StrategyBusiness]
    STRATEGY_BUSINESS_MARGIN: _ClassVar[StrategyBusiness]
    STRATEGY_BUSINESS_ONBOARDING: _ClassVar[StrategyBusiness]
    STRATEGY_BUSINESS_RETENTION: _ClassVar[StrategyBusiness]
    STRATEGY_BUSINESS_ADVISORY: _ClassVar[StrategyBusiness]

class LifecycleStage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LIFECYCLE_STAGE_UNSPECIFIED: _ClassVar[LifecycleStage]
    LIFECYCLE_STAGE_INTRO: _ClassVar[LifecycleStage]
    LIFECYCLE_STAGE_GROWTH: _ClassVar[LifecycleStage]
    LIFECYCLE_STAGE_MATURE: _ClassVar[LifecycleStage]
    LIFECYCLE_STAGE_DECLINE: _ClassVar[LifecycleStage]
    LIFECYCLE_STAGE_CHURN: _ClassVar[LifecycleStage]

class TriggerKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRIGGER_KIND_UNSPECIFIED: _ClassVar[TriggerKind]
    TRIGGER_KIND_SCHEDULE: _ClassVar[TriggerKind]
    TRIGGER_KIND_EVENT: _ClassVar[TriggerKind]
    TRIGGER_KIND_TAG_ENTERED: _ClassVar[TriggerKind]

class AssigneeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSIGNEE_KIND_UNSPECIFIED: _ClassVar[AssigneeKind]
    ASSIGNEE_KIND_ADVISOR: _ClassVar[AssigneeKind]
    ASSIGNEE_KIND_BRANCH_QUEUE: _ClassVar[AssigneeKind]
    ASSIGNEE_KIND_CALL_CENTER: _ClassVar[AssigneeKind]
    ASSIGNEE_KIND_AI_OUTBOUND: _ClassVar[AssigneeKind]
    ASSIGNEE_KIND_HQ_OPERATIONS: _ClassVar[AssigneeKind]

class TaskPriority(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_PRIORITY_UNSPECIFIED: _ClassVar[TaskPriority]
    TASK_PRIORITY_LOW: _ClassVar[TaskPriority]
    TASK_PRIORITY_NORMAL: _ClassVar[TaskPriority]
    TASK_PRIORITY_HIGH: _ClassVar[TaskPriority]
    TASK_PRIORITY_URGENT: _ClassVar[TaskPriority]

class MatchDisposition(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MATCH_DISPOSITION_UNSPECIFIED: _ClassVar[MatchDisposition]
    MATCH_DISPOSITION_ACTED: _ClassVar[MatchDisposition]
    MATCH_DISPOSITION_SUPPRESSED_COOLDOWN: _ClassVar[MatchDisposition]
    MATCH_DISPOSITION_SUPPRESSED_UNSUITABLE: _ClassVar[MatchDisposition]
    MATCH_DISPOSITION_SUPPRESSED_DAILY_CAP: _ClassVar[MatchDisposition]
    MATCH_DISPOSITION_CONTROL: _ClassVar[MatchDisposition]

class RunState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RUN_STATE_UNSPECIFIED: _ClassVar[RunState]
    RUN_STATE_RUNNING: _ClassVar[RunState]
    RUN_STATE_SUCCEEDED: _ClassVar[RunState]
    RUN_STATE_FAILED: _ClassVar[RunState]
STRATEGY_STATUS_UNSPECIFIED: StrategyStatus
STRATEGY_STATUS_DRAFT: StrategyStatus
STRATEGY_STATUS_ACTIVE: StrategyStatus
STRATEGY_STATUS_PAUSED: StrategyStatus
STRATEGY_STATUS_RETIRED: StrategyStatus
STRATEGY_BUSINESS_UNSPECIFIED: StrategyBusiness
STRATEGY_BUSINESS_TRADING: StrategyBusiness
STRATEGY_BUSINESS_NEWS: StrategyBusiness
STRATEGY_BUSINESS_PRODUCT_SALES: StrategyBusiness
STRATEGY_BUSINESS_MARGIN: StrategyBusiness
STRATEGY_BUSINESS_ONBOARDING: StrategyBusiness
STRATEGY_BUSINESS_RETENTION: StrategyBusiness
STRATEGY_BUSINESS_ADVISORY: StrategyBusiness
LIFECYCLE_STAGE_UNSPECIFIED: LifecycleStage
LIFECYCLE_STAGE_INTRO: LifecycleStage
LIFECYCLE_STAGE_GROWTH: LifecycleStage
LIFECYCLE_STAGE_MATURE: LifecycleStage
LIFECYCLE_STAGE_DECLINE: LifecycleStage
LIFECYCLE_STAGE_CHURN: LifecycleStage
TRIGGER_KIND_UNSPECIFIED: TriggerKind
TRIGGER_KIND_SCHEDULE: TriggerKind
TRIGGER_KIND_EVENT: TriggerKind
TRIGGER_KIND_TAG_ENTERED: TriggerKind
ASSIGNEE_KIND_UNSPECIFIED: AssigneeKind
ASSIGNEE_KIND_ADVISOR: AssigneeKind
ASSIGNEE_KIND_BRANCH_QUEUE: AssigneeKind
ASSIGNEE_KIND_CALL_CENTER: AssigneeKind
ASSIGNEE_KIND_AI_OUTBOUND: AssigneeKind
ASSIGNEE_KIND_HQ_OPERATIONS: AssigneeKind
TASK_PRIORITY_UNSPECIFIED: TaskPriority
TASK_PRIORITY_LOW: TaskPriority
TASK_PRIORITY_NORMAL: TaskPriority
TASK_PRIORITY_HIGH: TaskPriority
TASK_PRIORITY_URGENT: TaskPriority
MATCH_DISPOSITION_UNSPECIFIED: MatchDisposition
MATCH_DISPOSITION_ACTED: MatchDisposition
MATCH_DISPOSITION_SUPPRESSED_COOLDOWN: MatchDisposition
MATCH_DISPOSITION_SUPPRESSED_UNSUITABLE: MatchDisposition
MATCH_DISPOSITION_SUPPRESSED_DAILY_CAP: MatchDisposition
MATCH_DISPOSITION_CONTROL: MatchDisposition
RUN_STATE_UNSPECIFIED: RunState
RUN_STATE_RUNNING: RunState
RUN_STATE_SUCCEEDED: RunState
RUN_STATE_FAILED: RunState

class Trigger(_message.Message):
    __slots__ = ("kind", "cron", "timezone", "event_subject", "event_filter", "tag_code", "tag_value")
    KIND_FIELD_NUMBER: _ClassVar[int]
    CRON_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    EVENT_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    EVENT_FILTER_FIELD_NUMBER: _ClassVar[int]
    TAG_CODE_FIELD_NUMBER: _ClassVar[int]
    TAG_VALUE_FIELD_NUMBER: _ClassVar[int]
    kind: TriggerKind
    cron: str
    timezone: str
    event_subject: str
    event_filter: str
    tag_code: str
    tag_value: str
    def __init__(self, kind: _Optional[_Union[TriggerKind, str]] = ..., cron: _Optional[str] = ..., timezone: _Optional[str] = ..., event_subject: _Optional[str] = ..., event_filter: _Optional[str] = ..., tag_code: _Optional[str] = ..., tag_value: _Optional[str] = ...) -> None: ...

class ServiceStep(_message.Message):
    __slots__ = ("title", "instruction", "required")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    INSTRUCTION_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    title: str
    instruction: str
    required: bool
    def __init__(self, title: _Optional[str] = ..., instruction: _Optional[str] = ..., required: _Optional[bool] = ...) -> None: ...

class MessageAction(_message.Message):
    __slots__ = ("channels", "template_code", "template_version", "message_class", "variables")
    class VariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_CLASS_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedScalarFieldContainer[_enums_pb2.Channel]
    template_code: str
    template_version: int
    message_class: _enums_pb2.MessageClass
    variables: _containers.ScalarMap[str, str]
    def __init__(self, channels: _Optional[_Iterable[_Union[_enums_pb2.Channel, str]]] = ..., template_code: _Optional[str] = ..., template_version: _Optional[int] = ..., message_class: _Optional[_Union[_enums_pb2.MessageClass, str]] = ..., variables: _Optional[_Mapping[str, str]] = ...) -> None: ...

class TaskAction(_message.Message):
    __slots__ = ("assignee", "fallback_assignee", "priority", "title", "script", "steps", "due_in", "expires_in")
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    SCRIPT_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    DUE_IN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    assignee: AssigneeKind
    fallback_assignee: AssigneeKind
    priority: TaskPriority
    title: str
    script: str
    steps: _containers.RepeatedCompositeFieldContainer[ServiceStep]
    due_in: _duration_pb2.Duration
    expires_in: _duration_pb2.Duration
    def __init__(self, assignee: _Optional[_Union[AssigneeKind, str]] = ..., fallback_assignee: _Optional[_Union[AssigneeKind, str]] = ..., priority: _Optional[_Union[TaskPriority, str]] = ..., title: _Optional[str] = ..., script: _Optional[str] = ..., steps: _Optional[_Iterable[_Union[ServiceStep, _Mapping]]] = ..., due_in: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., expires_in: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class StrategyAction(_message.Message):
    __slots__ = ("message", "task")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    message: MessageAction
    task: TaskAction
    def __init__(self, message: _Optional[_Union[MessageAction, _Mapping]] = ..., task: _Optional[_Union[TaskAction, _Mapping]] = ...) -> None: ...

class ProductSelector(_message.Message):
    __slots__ = ("product_ids", "expression", "recommendation_scene", "limit")
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDATION_SCENE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    expression: str
    recommendation_scene: str
    limit: int
    def __init__(self, product_ids: _Optional[_Iterable[str]] = ..., expression: _Optional[str] = ..., recommendation_scene: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class Strategy(_message.Message):
    __slots__ = ("strategy_id", "code", "name", "description", "business", "lifecycle_stages", "status", "version", "trigger", "audience_expression", "match_condition", "products", "actions", "cooldown", "max_matches_per_day", "source_case_id", "owner", "created_at", "updated_at", "updated_by", "require_suitability")
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_FIELD_NUMBER: _ClassVar[int]
    LIFECYCLE_STAGES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    MATCH_CONDITION_FIELD_NUMBER: _ClassVar[int]
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    COOLDOWN_FIELD_NUMBER: _ClassVar[int]
    MAX_MATCHES_PER_DAY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_CASE_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_SUITABILITY_FIELD_NUMBER: _ClassVar[int]
    strategy_id: str
    code: str
    name: str
    description: str
    business: StrategyBusiness
    lifecycle_stages: _containers.RepeatedScalarFieldContainer[LifecycleStage]
    status: StrategyStatus
    version: int
    trigger: Trigger
    audience_expression: str
    match_condition: str
    products: ProductSelector
    actions: _containers.RepeatedCompositeFieldContainer[StrategyAction]
    cooldown: _duration_pb2.Duration
    max_matches_per_day: int
    source_case_id: str
    owner: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    updated_by: _customer_pb2.Actor
    require_suitability: bool
    def __init__(self, strategy_id: _Optional[str] = ..., code: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., business: _Optional[_Union[StrategyBusiness, str]] = ..., lifecycle_stages: _Optional[_Iterable[_Union[LifecycleStage, str]]] = ..., status: _Optional[_Union[StrategyStatus, str]] = ..., version: _Optional[int] = ..., trigger: _Optional[_Union[Trigger, _Mapping]] = ..., audience_expression: _Optional[str] = ..., match_condition: _Optional[str] = ..., products: _Optional[_Union[ProductSelector, _Mapping]] = ..., actions: _Optional[_Iterable[_Union[StrategyAction, _Mapping]]] = ..., cooldown: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., max_matches_per_day: _Optional[int] = ..., source_case_id: _Optional[str] = ..., owner: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., require_suitability: _Optional[bool] = ...) -> None: ...

class Match(_message.Message):
    __slots__ = ("match_id", "strategy_id", "strategy_version", "customer", "matched_at", "trigger_ref", "disposition", "task_ids", "send_keys", "product_ids")
    MATCH_ID_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_VERSION_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    MATCHED_AT_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_REF_FIELD_NUMBER: _ClassVar[int]
    DISPOSITION_FIELD_NUMBER: _ClassVar[int]
    TASK_IDS_FIELD_NUMBER: _ClassVar[int]
    SEND_KEYS_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    match_id: str
    strategy_id: str
    strategy_version: int
    customer: _customer_pb2.CustomerRef
    matched_at: _timestamp_pb2.Timestamp
    trigger_ref: str
    disposition: MatchDisposition
    task_ids: _containers.RepeatedScalarFieldContainer[str]
    send_keys: _containers.RepeatedScalarFieldContainer[str]
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, match_id: _Optional[str] = ..., strategy_id: _Optional[str] = ..., strategy_version: _Optional[int] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., matched_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., trigger_ref: _Optional[str] = ..., disposition: _Optional[_Union[MatchDisposition, str]] = ..., task_ids: _Optional[_Iterable[str]] = ..., send_keys: _Optional[_Iterable[str]] = ..., product_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class StrategyPerformance(_message.Message):
    __slots__ = ("strategy_id", "matches", "suppressed", "tasks_created", "tasks_completed", "tasks_expired", "messages_requested", "conversions", "conversion_rate", "outcomes", "attributed_revenue")
    class OutcomesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    SUPPRESSED_FIELD_NUMBER: _ClassVar[int]
    TASKS_CREATED_FIELD_NUMBER: _ClassVar[int]
    TASKS_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TASKS_EXPIRED_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    CONVERSIONS_FIELD_NUMBER: _ClassVar[int]
    CONVERSION_RATE_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTED_REVENUE_FIELD_NUMBER: _ClassVar[int]
    strategy_id: str
    matches: int
    suppressed: int
    tasks_created: int
    tasks_completed: int
    tasks_expired: int
    messages_requested: int
    conversions: int
    conversion_rate: _decimal_pb2.Decimal
    outcomes: _containers.ScalarMap[str, int]
    attributed_revenue: _decimal_pb2.Money
    def __init__(self, strategy_id: _Optional[str] = ..., matches: _Optional[int] = ..., suppressed: _Optional[int] = ..., tasks_created: _Optional[int] = ..., tasks_completed: _Optional[int] = ..., tasks_expired: _Optional[int] = ..., messages_requested: _Optional[int] = ..., conversions: _Optional[int] = ..., conversion_rate: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., outcomes: _Optional[_Mapping[str, int]] = ..., attributed_revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ...) -> None: ...

class StrategyRun(_message.Message):
    __slots__ = ("run_id", "strategy_id", "state", "dry_run", "candidates", "matched", "acted", "suppressed", "started_at", "finished_at", "error")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    MATCHED_FIELD_NUMBER: _ClassVar[int]
    ACTED_FIELD_NUMBER: _ClassVar[int]
    SUPPRESSED_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    strategy_id: str
    state: RunState
    dry_run: bool
    candidates: int
    matched: int
    acted: int
    suppressed: int
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    error: str
    def __init__(self, run_id: _Optional[str] = ..., strategy_id: _Optional[str] = ..., state: _Optional[_Union[RunState, str]] = ..., dry_run: _Optional[bool] = ..., candidates: _Optional[int] = ..., matched: _Optional[int] = ..., acted: _Optional[int] = ..., suppressed: _Optional[int] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., error: _Optional[str] = ...) -> None: ...
