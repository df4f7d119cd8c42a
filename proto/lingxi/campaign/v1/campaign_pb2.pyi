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

class CampaignStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAMPAIGN_STATUS_UNSPECIFIED: _ClassVar[CampaignStatus]
    CAMPAIGN_STATUS_DRAFT: _ClassVar[CampaignStatus]
    CAMPAIGN_STATUS_PENDING_APPROVAL: _ClassVar[CampaignStatus]
    CAMPAIGN_STATUS_APPROVED: _ClassVar[CampaignStatus]
    CAMPAIGN_STATUS_REJECTED: _ClassVar[CampaignStatus]
    CAMPAIGN_STATUS_RUNNING: _ClassVar[CampaignStatus]
    CAMPAIGN_STATUS_PAUSED: _ClassVar[CampaignStatus]
    CAMPAIGN_STATUS_COMPLETED: _ClassVar[CampaignStatus]
    CAMPAIGN_STATUS_CANCELLED: _ClassVar[CampaignStatus]

class CampaignTheme(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAMPAIGN_THEME_UNSPECIFIED: _ClassVar[CampaignTheme]
    CAMPAIGN_THEME_MARKET_HOT_EVENT: _ClassVar[CampaignTheme]
    CAMPAIGN_THEME_HOLIDAY: _ClassVar[CampaignTheme]
    CAMPAIGN_THEME_SECTOR_MOVE: _ClassVar[CampaignTheme]
    CAMPAIGN_THEME_NEW_PRODUCT: _ClassVar[CampaignTheme]
    CAMPAIGN_THEME_ONBOARDING: _ClassVar[CampaignTheme]
    CAMPAIGN_THEME_WINBACK: _ClassVar[CampaignTheme]
    CAMPAIGN_THEME_EDUCATION: _ClassVar[CampaignTheme]
    CAMPAIGN_THEME_SERVICE_PROMOTION: _ClassVar[CampaignTheme]

class GoalKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GOAL_KIND_UNSPECIFIED: _ClassVar[GoalKind]
    GOAL_KIND_PRODUCT_PURCHASE: _ClassVar[GoalKind]
    GOAL_KIND_SERVICE_SUBSCRIPTION: _ClassVar[GoalKind]
    GOAL_KIND_DEPOSIT: _ClassVar[GoalKind]
    GOAL_KIND_ACCOUNT_OPENING: _ClassVar[GoalKind]
    GOAL_KIND_MARGIN_OPENING: _ClassVar[GoalKind]
    GOAL_KIND_BEHAVIOR_EVENT: _ClassVar[GoalKind]
    GOAL_KIND_LOGIN: _ClassVar[GoalKind]

class AttributionModel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ATTRIBUTION_MODEL_UNSPECIFIED: _ClassVar[AttributionModel]
    ATTRIBUTION_MODEL_LAST_TOUCH: _ClassVar[AttributionModel]
    ATTRIBUTION_MODEL_FIRST_TOUCH: _ClassVar[AttributionModel]
    ATTRIBUTION_MODEL_LINEAR: _ClassVar[AttributionModel]

class FollowUpTarget(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FOLLOW_UP_TARGET_UNSPECIFIED: _ClassVar[FollowUpTarget]
    FOLLOW_UP_TARGET_NON_CONVERTERS: _ClassVar[FollowUpTarget]
    FOLLOW_UP_TARGET_NOT_OPENED: _ClassVar[FollowUpTarget]
    FOLLOW_UP_TARGET_NOT_REACHED: _ClassVar[FollowUpTarget]

class StepKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STEP_KIND_UNSPECIFIED: _ClassVar[StepKind]
    STEP_KIND_SEND: _ClassVar[StepKind]
    STEP_KIND_TASK: _ClassVar[StepKind]
    STEP_KIND_WAIT: _ClassVar[StepKind]
    STEP_KIND_CONDITION: _ClassVar[StepKind]
    STEP_KIND_AWARD_POINTS: _ClassVar[StepKind]
    STEP_KIND_EXIT: _ClassVar[StepKind]

class TaskAssignee(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_ASSIGNEE_UNSPECIFIED: _ClassVar[TaskAssignee]
    TASK_ASSIGNEE_ADVISOR: _ClassVar[TaskAssignee]
    TASK_ASSIGNEE_BRANCH_QUEUE: _ClassVar[TaskAssignee]
    TASK_ASSIGNEE_CALL_CENTER: _ClassVar[TaskAssignee]
    TASK_ASSIGNEE_AI_OUTBOUND: _ClassVar[TaskAssignee]
    TASK_ASSIGNEE_HQ_OPERATIONS: _ClassVar[TaskAssignee]

class ConditionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONDITION_KIND_UNSPECIFIED: _ClassVar[ConditionKind]
    CONDITION_KIND_OPENED: _ClassVar[ConditionKind]
    CONDITION_KIND_CLICKED: _ClassVar[ConditionKind]
    CONDITION_KIND_RESPONDED: _ClassVar[ConditionKind]
    CONDITION_KIND_CONVERTED: _ClassVar[ConditionKind]
    CONDITION_KIND_HAS_ADVISOR: _ClassVar[ConditionKind]
    CONDITION_KIND_EXPRESSION: _ClassVar[ConditionKind]
    CONDITION_KIND_CALL_INTENT: _ClassVar[ConditionKind]

class Group(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GROUP_UNSPECIFIED: _ClassVar[Group]
    GROUP_TREATMENT: _ClassVar[Group]
    GROUP_CONTROL: _ClassVar[Group]
    GROUP_NOT_IN_AUDIENCE: _ClassVar[Group]

class ApprovalDecision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    APPROVAL_DECISION_UNSPECIFIED: _ClassVar[ApprovalDecision]
    APPROVAL_DECISION_PENDING: _ClassVar[ApprovalDecision]
    APPROVAL_DECISION_APPROVED: _ClassVar[ApprovalDecision]
    APPROVAL_DECISION_REJECTED: _ClassVar[ApprovalDecision]
    APPROVAL_DECISION_WITHDRAWN: _ClassVar[ApprovalDecision]
CAMPAIGN_STATUS_UNSPECIFIED: CampaignStatus
CAMPAIGN_STATUS_DRAFT: CampaignStatus
CAMPAIGN_STATUS_PENDING_APPROVAL: CampaignStatus
CAMPAIGN_STATUS_APPROVED: CampaignStatus
CAMPAIGN_STATUS_REJECTED: CampaignStatus
CAMPAIGN_STATUS_RUNNING: CampaignStatus
CAMPAIGN_STATUS_PAUSED: CampaignStatus
CAMPAIGN_STATUS_COMPLETED: CampaignStatus
CAMPAIGN_STATUS_CANCELLED: CampaignStatus
CAMPAIGN_THEME_UNSPECIFIED: CampaignTheme
CAMPAIGN_THEME_MARKET_HOT_EVENT: CampaignTheme
CAMPAIGN_THEME_HOLIDAY: CampaignTheme
CAMPAIGN_THEME_SECTOR_MOVE: CampaignTheme
CAMPAIGN_THEME_NEW_PRODUCT: CampaignTheme
CAMPAIGN_THEME_ONBOARDING: CampaignTheme
CAMPAIGN_THEME_WINBACK: CampaignTheme
CAMPAIGN_THEME_EDUCATION: CampaignTheme
CAMPAIGN_THEME_SERVICE_PROMOTION: CampaignTheme
GOAL_KIND_UNSPECIFIED: GoalKind
GOAL_KIND_PRODUCT_PURCHASE: GoalKind
GOAL_KIND_SERVICE_SUBSCRIPTION: GoalKind
GOAL_KIND_DEPOSIT: GoalKind
GOAL_KIND_ACCOUNT_OPENING: GoalKind
GOAL_KIND_MARGIN_OPENING: GoalKind
GOAL_KIND_BEHAVIOR_EVENT: GoalKind
GOAL_KIND_LOGIN: GoalKind
ATTRIBUTION_MODEL_UNSPECIFIED: AttributionModel
ATTRIBUTION_MODEL_LAST_TOUCH: AttributionModel
ATTRIBUTION_MODEL_FIRST_TOUCH: AttributionModel
ATTRIBUTION_MODEL_LINEAR: AttributionModel
FOLLOW_UP_TARGET_UNSPECIFIED: FollowUpTarget
FOLLOW_UP_TARGET_NON_CONVERTERS: FollowUpTarget
FOLLOW_UP_TARGET_NOT_OPENED: FollowUpTarget
FOLLOW_UP_TARGET_NOT_REACHED: FollowUpTarget
STEP_KIND_UNSPECIFIED: StepKind
STEP_KIND_SEND: StepKind
STEP_KIND_TASK: StepKind
STEP_KIND_WAIT: StepKind
STEP_KIND_CONDITION: StepKind
STEP_KIND_AWARD_POINTS: StepKind
STEP_KIND_EXIT: StepKind
TASK_ASSIGNEE_UNSPECIFIED: TaskAssignee
TASK_ASSIGNEE_ADVISOR: TaskAssignee
TASK_ASSIGNEE_BRANCH_QUEUE: TaskAssignee
TASK_ASSIGNEE_CALL_CENTER: TaskAssignee
TASK_ASSIGNEE_AI_OUTBOUND: TaskAssignee
TASK_ASSIGNEE_HQ_OPERATIONS: TaskAssignee
CONDITION_KIND_UNSPECIFIED: ConditionKind
CONDITION_KIND_OPENED: ConditionKind
CONDITION_KIND_CLICKED: ConditionKind
CONDITION_KIND_RESPONDED: ConditionKind
CONDITION_KIND_CONVERTED: ConditionKind
CONDITION_KIND_HAS_ADVISOR: ConditionKind
CONDITION_KIND_EXPRESSION: ConditionKind
CONDITION_KIND_CALL_INTENT: ConditionKind
GROUP_UNSPECIFIED: Group
GROUP_TREATMENT: Group
GROUP_CONTROL: Group
GROUP_NOT_IN_AUDIENCE: Group
APPROVAL_DECISION_UNSPECIFIED: ApprovalDecision
APPROVAL_DECISION_PENDING: ApprovalDecision
APPROVAL_DECISION_APPROVED: ApprovalDecision
APPROVAL_DECISION_REJECTED: ApprovalDecision
APPROVAL_DECISION_WITHDRAWN: ApprovalDecision

class ConversionGoal(_message.Message):
    __slots__ = ("kind", "product_ids", "event_name", "attribution_window", "model", "min_amount")
    KIND_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    EVENT_NAME_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTION_WINDOW_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    MIN_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    kind: GoalKind
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    event_name: str
    attribution_window: _duration_pb2.Duration
    model: AttributionModel
    min_amount: _decimal_pb2.Money
    def __init__(self, kind: _Optional[_Union[GoalKind, str]] = ..., product_ids: _Optional[_Iterable[str]] = ..., event_name: _Optional[str] = ..., attribution_window: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., model: _Optional[_Union[AttributionModel, str]] = ..., min_amount: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ...) -> None: ...

class AudienceSpec(_message.Message):
    __slots__ = ("expression", "parent_campaign_id", "follow_up_target", "require_suitability")
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    PARENT_CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_TARGET_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_SUITABILITY_FIELD_NUMBER: _ClassVar[int]
    expression: str
    parent_campaign_id: str
    follow_up_target: FollowUpTarget
    require_suitability: bool
    def __init__(self, expression: _Optional[str] = ..., parent_campaign_id: _Optional[str] = ..., follow_up_target: _Optional[_Union[FollowUpTarget, str]] = ..., require_suitability: _Optional[bool] = ...) -> None: ...

class ControlGroupSpec(_message.Message):
    __slots__ = ("ratio", "salt", "stratify_by_branch")
    RATIO_FIELD_NUMBER: _ClassVar[int]
    SALT_FIELD_NUMBER: _ClassVar[int]
    STRATIFY_BY_BRANCH_FIELD_NUMBER: _ClassVar[int]
    ratio: _decimal_pb2.Decimal
    salt: str
    stratify_by_branch: bool
    def __init__(self, ratio: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., salt: _Optional[str] = ..., stratify_by_branch: _Optional[bool] = ...) -> None: ...

class RevenueSplit(_message.Message):
    __slots__ = ("hq_share", "branch_share")
    HQ_SHARE_FIELD_NUMBER: _ClassVar[int]
    BRANCH_SHARE_FIELD_NUMBER: _ClassVar[int]
    hq_share: _decimal_pb2.Decimal
    branch_share: _decimal_pb2.Decimal
    def __init__(self, hq_share: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., branch_share: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ...) -> None: ...

class SendStep(_message.Message):
    __slots__ = ("channels", "template_code", "template_version", "message_class", "variables", "product_id")
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
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedScalarFieldContainer[_enums_pb2.Channel]
    template_code: str
    template_version: int
    message_class: _enums_pb2.MessageClass
    variables: _containers.ScalarMap[str, str]
    product_id: str
    def __init__(self, channels: _Optional[_Iterable[_Union[_enums_pb2.Channel, str]]] = ..., template_code: _Optional[str] = ..., template_version: _Optional[int] = ..., message_class: _Optional[_Union[_enums_pb2.MessageClass, str]] = ..., variables: _Optional[_Mapping[str, str]] = ..., product_id: _Optional[str] = ...) -> None: ...

class TaskStep(_message.Message):
    __slots__ = ("assignee", "fallback_assignee", "title", "script", "due_in")
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    SCRIPT_FIELD_NUMBER: _ClassVar[int]
    DUE_IN_FIELD_NUMBER: _ClassVar[int]
    assignee: TaskAssignee
    fallback_assignee: TaskAssignee
    title: str
    script: str
    due_in: _duration_pb2.Duration
    def __init__(self, assignee: _Optional[_Union[TaskAssignee, str]] = ..., fallback_assignee: _Optional[_Union[TaskAssignee, str]] = ..., title: _Optional[str] = ..., script: _Optional[str] = ..., due_in: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class WaitStep(_message.Message):
    __slots__ = ("duration", "until_time_of_day")
    DURATION_FIELD_NUMBER: _ClassVar[int]
    UNTIL_TIME_OF_DAY_FIELD_NUMBER: _ClassVar[int]
    duration: _duration_pb2.Duration
    until_time_of_day: str
    def __init__(self, duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., until_time_of_day: _Optional[str] = ...) -> None: ...

class ConditionStep(_message.Message):
    __slots__ = ("kind", "expression", "if_true_step_id", "if_false_step_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    IF_TRUE_STEP_ID_FIELD_NUMBER: _ClassVar[int]
    IF_FALSE_STEP_ID_FIELD_NUMBER: _ClassVar[int]
    kind: ConditionKind
    expression: str
    if_true_step_id: str
    if_false_step_id: str
    def __init__(self, kind: _Optional[_Union[ConditionKind, str]] = ..., expression: _Optional[str] = ..., if_true_step_id: _Optional[str] = ..., if_false_step_id: _Optional[str] = ...) -> None: ...

class AwardPointsStep(_message.Message):
    __slots__ = ("rule_code",)
    RULE_CODE_FIELD_NUMBER: _ClassVar[int]
    rule_code: str
    def __init__(self, rule_code: _Optional[str] = ...) -> None: ...

class JourneyStep(_message.Message):
    __slots__ = ("step_id", "name", "kind", "send", "task", "wait", "condition", "award_points", "next_step_id")
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SEND_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    CONDITION_FIELD_NUMBER: _ClassVar[int]
    AWARD_POINTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_STEP_ID_FIELD_NUMBER: _ClassVar[int]
    step_id: str
    name: str
    kind: StepKind
    send: SendStep
    task: TaskStep
    wait: WaitStep
    condition: ConditionStep
    award_points: AwardPointsStep
    next_step_id: str
    def __init__(self, step_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[StepKind, str]] = ..., send: _Optional[_Union[SendStep, _Mapping]] = ..., task: _Optional[_Union[TaskStep, _Mapping]] = ..., wait: _Optional[_Union[WaitStep, _Mapping]] = ..., condition: _Optional[_Union[ConditionStep, _Mapping]] = ..., award_points: _Optional[_Union[AwardPointsStep, _Mapping]] = ..., next_step_id: _Optional[str] = ...) -> None: ...

class Journey(_message.Message):
    __slots__ = ("entry_step_id", "steps", "version")
    ENTRY_STEP_ID_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    entry_step_id: str
    steps: _containers.RepeatedCompositeFieldContainer[JourneyStep]
    version: int
    def __init__(self, entry_step_id: _Optional[str] = ..., steps: _Optional[_Iterable[_Union[JourneyStep, _Mapping]]] = ..., version: _Optional[int] = ...) -> None: ...

class Schedule(_message.Message):
    __slots__ = ("start_at", "end_at", "timezone")
    START_AT_FIELD_NUMBER: _ClassVar[int]
    END_AT_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    start_at: _timestamp_pb2.Timestamp
    end_at: _timestamp_pb2.Timestamp
    timezone: str
    def __init__(self, start_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., timezone: _Optional[str] = ...) -> None: ...

class Campaign(_message.Message):
    __slots__ = ("campaign_id", "name", "description", "theme", "scene", "status", "audience", "control_group", "product_ids", "journey", "goal", "schedule", "revenue_split", "owner", "owner_branch_id", "assignment", "created_at", "updated_at", "created_by", "launched_at", "ended_at", "version", "latest_approval")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    THEME_FIELD_NUMBER: _ClassVar[int]
    SCENE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    CONTROL_GROUP_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    JOURNEY_FIELD_NUMBER: _ClassVar[int]
    GOAL_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    REVENUE_SPLIT_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    OWNER_BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    LAUNCHED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LATEST_APPROVAL_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    name: str
    description: str
    theme: CampaignTheme
    scene: str
    status: CampaignStatus
    audience: AudienceSpec
    control_group: ControlGroupSpec
    product_ids: _containers.RepeatedScalarFieldContainer[str]
    journey: Journey
    goal: ConversionGoal
    schedule: Schedule
    revenue_split: RevenueSplit
    owner: str
    owner_branch_id: str
    assignment: AudienceAssignment
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    created_by: _customer_pb2.Actor
    launched_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    version: int
    latest_approval: Approval
    def __init__(self, campaign_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., theme: _Optional[_Union[CampaignTheme, str]] = ..., scene: _Optional[str] = ..., status: _Optional[_Union[CampaignStatus, str]] = ..., audience: _Optional[_Union[AudienceSpec, _Mapping]] = ..., control_group: _Optional[_Union[ControlGroupSpec, _Mapping]] = ..., product_ids: _Optional[_Iterable[str]] = ..., journey: _Optional[_Union[Journey, _Mapping]] = ..., goal: _Optional[_Union[ConversionGoal, _Mapping]] = ..., schedule: _Optional[_Union[Schedule, _Mapping]] = ..., revenue_split: _Optional[_Union[RevenueSplit, _Mapping]] = ..., owner: _Optional[str] = ..., owner_branch_id: _Optional[str] = ..., assignment: _Optional[_Union[AudienceAssignment, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., launched_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., latest_approval: _Optional[_Union[Approval, _Mapping]] = ...) -> None: ...

class AudienceAssignment(_message.Message):
    __slots__ = ("snapshot_id", "audience_size", "treatment_size", "control_size", "excluded", "frozen_at", "salt")
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_SIZE_FIELD_NUMBER: _ClassVar[int]
    TREATMENT_SIZE_FIELD_NUMBER: _ClassVar[int]
    CONTROL_SIZE_FIELD_NUMBER: _ClassVar[int]
    EXCLUDED_FIELD_NUMBER: _ClassVar[int]
    FROZEN_AT_FIELD_NUMBER: _ClassVar[int]
    SALT_FIELD_NUMBER: _ClassVar[int]
    snapshot_id: str
    audience_size: int
    treatment_size: int
    control_size: int
    excluded: int
    frozen_at: _timestamp_pb2.Timestamp
    salt: str
    def __init__(self, snapshot_id: _Optional[str] = ..., audience_size: _Optional[int] = ..., treatment_size: _Optional[int] = ..., control_size: _Optional[int] = ..., excluded: _Optional[int] = ..., frozen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., salt: _Optional[str] = ...) -> None: ...

class Approval(_message.Message):
    __slots__ = ("approval_id", "campaign_id", "campaign_version", "decision", "submitted_by", "submitted_at", "decided_by", "decided_at", "comment", "template_refs")
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_VERSION_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_REFS_FIELD_NUMBER: _ClassVar[int]
    approval_id: str
    campaign_id: str
    campaign_version: int
    decision: ApprovalDecision
    submitted_by: _customer_pb2.Actor
    submitted_at: _timestamp_pb2.Timestamp
    decided_by: _customer_pb2.Actor
    decided_at: _timestamp_pb2.Timestamp
    comment: str
    template_refs: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, approval_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., campaign_version: _Optional[int] = ..., decision: _Optional[_Union[ApprovalDecision, str]] = ..., submitted_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., comment: _Optional[str] = ..., template_refs: _Optional[_Iterable[str]] = ...) -> None: ...

class ChannelStats(_message.Message):
    __slots__ = ("channel", "requested", "suppressed", "sent", "delivered", "failed", "opened", "clicked", "replied", "unsubscribed", "customers_reached")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_FIELD_NUMBER: _ClassVar[int]
    SUPPRESSED_FIELD_NUMBER: _ClassVar[int]
    SENT_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    OPENED_FIELD_NUMBER: _ClassVar[int]
    CLICKED_FIELD_NUMBER: _ClassVar[int]
    REPLIED_FIELD_NUMBER: _ClassVar[int]
    UNSUBSCRIBED_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_REACHED_FIELD_NUMBER: _ClassVar[int]
    channel: _enums_pb2.Channel
    requested: int
    suppressed: int
    sent: int
    delivered: int
    failed: int
    opened: int
    clicked: int
    replied: int
    unsubscribed: int
    customers_reached: int
    def __init__(self, channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., requested: _Optional[int] = ..., suppressed: _Optional[int] = ..., sent: _Optional[int] = ..., delivered: _Optional[int] = ..., failed: _Optional[int] = ..., opened: _Optional[int] = ..., clicked: _Optional[int] = ..., replied: _Optional[int] = ..., unsubscribed: _Optional[int] = ..., customers_reached: _Optional[int] = ...) -> None: ...

class GroupOutcome(_message.Message):
    __slots__ = ("group", "size", "converters", "conversion_rate", "revenue")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    CONVERTERS_FIELD_NUMBER: _ClassVar[int]
    CONVERSION_RATE_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    group: Group
    size: int
    converters: int
    conversion_rate: _decimal_pb2.Decimal
    revenue: _decimal_pb2.Money
    def __init__(self, group: _Optional[_Union[Group, str]] = ..., size: _Optional[int] = ..., converters: _Optional[int] = ..., conversion_rate: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ...) -> None: ...

class StepStats(_message.Message):
    __slots__ = ("step_id", "entered", "completed", "waiting")
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    ENTERED_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    WAITING_FIELD_NUMBER: _ClassVar[int]
    step_id: str
    entered: int
    completed: int
    waiting: int
    def __init__(self, step_id: _Optional[str] = ..., entered: _Optional[int] = ..., completed: _Optional[int] = ..., waiting: _Optional[int] = ...) -> None: ...

class CampaignReport(_message.Message):
    __slots__ = ("campaign_id", "as_of", "channels", "treatment", "control", "uplift", "uplift_ci_low", "uplift_ci_high", "p_value", "attributed_revenue", "hq_revenue", "branch_revenue", "incremental_revenue", "customers_reached", "steps", "revenue_by_branch")
    class RevenueByBranchEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _decimal_pb2.Money
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ...) -> None: ...
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    TREATMENT_FIELD_NUMBER: _ClassVar[int]
    CONTROL_FIELD_NUMBER: _ClassVar[int]
    UPLIFT_FIELD_NUMBER: _ClassVar[int]
    UPLIFT_CI_LOW_FIELD_NUMBER: _ClassVar[int]
    UPLIFT_CI_HIGH_FIELD_NUMBER: _ClassVar[int]
    P_VALUE_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTED_REVENUE_FIELD_NUMBER: _ClassVar[int]
    HQ_REVENUE_FIELD_NUMBER: _ClassVar[int]
    BRANCH_REVENUE_FIELD_NUMBER: _ClassVar[int]
    INCREMENTAL_REVENUE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_REACHED_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    REVENUE_BY_BRANCH_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    as_of: _timestamp_pb2.Timestamp
    channels: _containers.RepeatedCompositeFieldContainer[ChannelStats]
    treatment: GroupOutcome
    control: GroupOutcome
    uplift: _decimal_pb2.Decimal
    uplift_ci_low: _decimal_pb2.Decimal
    uplift_ci_high: _decimal_pb2.Decimal
    p_value: _decimal_pb2.Decimal
    attributed_revenue: _decimal_pb2.Money
    hq_revenue: _decimal_pb2.Money
    branch_revenue: _decimal_pb2.Money
    incremental_revenue: _decimal_pb2.Money
    customers_reached: int
    steps: _containers.RepeatedCompositeFieldContainer[StepStats]
    revenue_by_branch: _containers.MessageMap[str, _decimal_pb2.Money]
    def __init__(self, campaign_id: _Optional[str] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., channels: _Optional[_Iterable[_Union[ChannelStats, _Mapping]]] = ..., treatment: _Optional[_Union[GroupOutcome, _Mapping]] = ..., control: _Optional[_Union[GroupOutcome, _Mapping]] = ..., uplift: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., uplift_ci_low: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., uplift_ci_high: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., p_value: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., attributed_revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., hq_revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., branch_revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., incremental_revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., customers_reached: _Optional[int] = ..., steps: _Optional[_Iterable[_Union[StepStats, _Mapping]]] = ..., revenue_by_branch: _Optional[_Mapping[str, _decimal_pb2.Money]] = ...) -> None: ...

class Conversion(_message.Message):
    __slots__ = ("conversion_id", "campaign_id", "customer", "group", "goal", "occurred_at", "revenue", "product_id", "attributed_message_id", "attributed_channel", "attributed_step_id", "credit", "hq_revenue", "branch_revenue", "source_event_id")
    CONVERSION_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    GOAL_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTED_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTED_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTED_STEP_ID_FIELD_NUMBER: _ClassVar[int]
    CREDIT_FIELD_NUMBER: _ClassVar[int]
    HQ_REVENUE_FIELD_NUMBER: _ClassVar[int]
    BRANCH_REVENUE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    conversion_id: str
    campaign_id: str
    customer: _customer_pb2.CustomerRef
    group: Group
    goal: GoalKind
    occurred_at: _timestamp_pb2.Timestamp
    revenue: _decimal_pb2.Money
    product_id: str
    attributed_message_id: str
    attributed_channel: _enums_pb2.Channel
    attributed_step_id: str
    credit: _decimal_pb2.Decimal
    hq_revenue: _decimal_pb2.Money
    branch_revenue: _decimal_pb2.Money
    source_event_id: str
    def __init__(self, conversion_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., group: _Optional[_Union[Group, str]] = ..., goal: _Optional[_Union[GoalKind, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., product_id: _Optional[str] = ..., attributed_message_id: _Optional[str] = ..., attributed_channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., attributed_step_id: _Optional[str] = ..., credit: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., hq_revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., branch_revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., source_event_id: _Optional[str] = ...) -> None: ...
