import datetime

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.campaign.v1 import campaign_pb2 as _campaign_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateCampaignRequest(_message.Message):
    __slots__ = ("campaign", "request_id")
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    request_id: str
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateCampaignResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ...) -> None: ...

class UpdateCampaignRequest(_message.Message):
    __slots__ = ("campaign", "update_mask", "expected_version")
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class UpdateCampaignResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ...) -> None: ...

class GetCampaignRequest(_message.Message):
    __slots__ = ("campaign_id",)
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    def __init__(self, campaign_id: _Optional[str] = ...) -> None: ...

class GetCampaignResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ...) -> None: ...

class ListCampaignsRequest(_message.Message):
    __slots__ = ("statuses", "theme", "scene", "owner_branch_id", "query", "active_since", "active_until", "page")
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    THEME_FIELD_NUMBER: _ClassVar[int]
    SCENE_FIELD_NUMBER: _ClassVar[int]
    OWNER_BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_SINCE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_UNTIL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    statuses: _containers.RepeatedScalarFieldContainer[_campaign_pb2.CampaignStatus]
    theme: _campaign_pb2.CampaignTheme
    scene: str
    owner_branch_id: str
    query: str
    active_since: _timestamp_pb2.Timestamp
    active_until: _timestamp_pb2.Timestamp
    page: _paging_pb2.PageRequest
    def __init__(self, statuses: _Optional[_Iterable[_Union[_campaign_pb2.CampaignStatus, str]]] = ..., theme: _Optional[_Union[_campaign_pb2.CampaignTheme, str]] = ..., scene: _Optional[str] = ..., owner_branch_id: _Optional[str] = ..., query: _Optional[str] = ..., active_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., active_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListCampaignsResponse(_message.Message):
    __slots__ = ("campaigns", "page")
    CAMPAIGNS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    campaigns: _containers.RepeatedCompositeFieldContainer[_campaign_pb2.Campaign]
    page: _paging_pb2.PageResponse
    def __init__(self, campaigns: _Optional[_Iterable[_Union[_campaign_pb2.Campaign, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class DeleteCampaignRequest(_message.Message):
    __slots__ = ("campaign_id",)
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    def __init__(self, campaign_id: _Optional[str] = ...) -> None: ...

class DeleteCampaignResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UpdateJourneyRequest(_message.Message):
    __slots__ = ("campaign_id", "journey", "expected_version")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    JOURNEY_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    journey: _campaign_pb2.Journey
    expected_version: int
    def __init__(self, campaign_id: _Optional[str] = ..., journey: _Optional[_Union[_campaign_pb2.Journey, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class UpdateJourneyResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ...) -> None: ...

class JourneyIssue(_message.Message):
    __slots__ = ("step_id", "message", "blocking")
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    BLOCKING_FIELD_NUMBER: _ClassVar[int]
    step_id: str
    message: str
    blocking: bool
    def __init__(self, step_id: _Optional[str] = ..., message: _Optional[str] = ..., blocking: _Optional[bool] = ...) -> None: ...

class ValidateJourneyRequest(_message.Message):
    __slots__ = ("journey",)
    JOURNEY_FIELD_NUMBER: _ClassVar[int]
    journey: _campaign_pb2.Journey
    def __init__(self, journey: _Optional[_Union[_campaign_pb2.Journey, _Mapping]] = ...) -> None: ...

class ValidateJourneyResponse(_message.Message):
    __slots__ = ("valid", "issues")
    VALID_FIELD_NUMBER: _ClassVar[int]
    ISSUES_FIELD_NUMBER: _ClassVar[int]
    valid: bool
    issues: _containers.RepeatedCompositeFieldContainer[JourneyIssue]
    def __init__(self, valid: _Optional[bool] = ..., issues: _Optional[_Iterable[_Union[JourneyIssue, _Mapping]]] = ...) -> None: ...

class SubmitForApprovalRequest(_message.Message):
    __slots__ = ("campaign_id", "comment")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    comment: str
    def __init__(self, campaign_id: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class SubmitForApprovalResponse(_message.Message):
    __slots__ = ("campaign", "approval")
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    approval: _campaign_pb2.Approval
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ..., approval: _Optional[_Union[_campaign_pb2.Approval, _Mapping]] = ...) -> None: ...

class ApproveCampaignRequest(_message.Message):
    __slots__ = ("campaign_id", "approval_id", "comment")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    approval_id: str
    comment: str
    def __init__(self, campaign_id: _Optional[str] = ..., approval_id: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class ApproveCampaignResponse(_message.Message):
    __slots__ = ("campaign", "approval")
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    approval: _campaign_pb2.Approval
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ..., approval: _Optional[_Union[_campaign_pb2.Approval, _Mapping]] = ...) -> None: ...

class RejectCampaignRequest(_message.Message):
    __slots__ = ("campaign_id", "approval_id", "comment")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    approval_id: str
    comment: str
    def __init__(self, campaign_id: _Optional[str] = ..., approval_id: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class RejectCampaignResponse(_message.Message):
    __slots__ = ("campaign", "approval")
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    approval: _campaign_pb2.Approval
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ..., approval: _Optional[_Union[_campaign_pb2.Approval, _Mapping]] = ...) -> None: ...

class ListApprovalsRequest(_message.Message):
    __slots__ = ("campaign_id", "decisions", "page")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    decisions: _containers.RepeatedScalarFieldContainer[_campaign_pb2.ApprovalDecision]
    page: _paging_pb2.PageRequest
    def __init__(self, campaign_id: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_campaign_pb2.ApprovalDecision, str]]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListApprovalsResponse(_message.Message):
    __slots__ = ("approvals", "page")
    APPROVALS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    approvals: _containers.RepeatedCompositeFieldContainer[_campaign_pb2.Approval]
    page: _paging_pb2.PageResponse
    def __init__(self, approvals: _Optional[_Iterable[_Union[_campaign_pb2.Approval, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class FreezeAudienceRequest(_message.Message):
    __slots__ = ("campaign_id",)
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    def __init__(self, campaign_id: _Optional[str] = ...) -> None: ...

class FreezeAudienceResponse(_message.Message):
    __slots__ = ("assignment",)
    ASSIGNMENT_FIELD_NUMBER: _ClassVar[int]
    assignment: _campaign_pb2.AudienceAssignment
    def __init__(self, assignment: _Optional[_Union[_campaign_pb2.AudienceAssignment, _Mapping]] = ...) -> None: ...

class GetCustomerAssignmentRequest(_message.Message):
    __slots__ = ("campaign_id", "customer_id")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    customer_id: str
    def __init__(self, campaign_id: _Optional[str] = ..., customer_id: _Optional[str] = ...) -> None: ...

class GetCustomerAssignmentResponse(_message.Message):
    __slots__ = ("group", "current_step_id", "journey_finished")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    CURRENT_STEP_ID_FIELD_NUMBER: _ClassVar[int]
    JOURNEY_FINISHED_FIELD_NUMBER: _ClassVar[int]
    group: _campaign_pb2.Group
    current_step_id: str
    journey_finished: bool
    def __init__(self, group: _Optional[_Union[_campaign_pb2.Group, str]] = ..., current_step_id: _Optional[str] = ..., journey_finished: _Optional[bool] = ...) -> None: ...

class LaunchCampaignRequest(_message.Message):
    __slots__ = ("campaign_id",)
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    def __init__(self, campaign_id: _Optional[str] = ...) -> None: ...

class LaunchCampaignResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ...) -> None: ...

class PauseCampaignRequest(_message.Message):
    __slots__ = ("campaign_id", "reason")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    reason: str
    def __init__(self, campaign_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class PauseCampaignResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ...) -> None: ...

class ResumeCampaignRequest(_message.Message):
    __slots__ = ("campaign_id",)
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    def __init__(self, campaign_id: _Optional[str] = ...) -> None: ...

class ResumeCampaignResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ...) -> None: ...

class CancelCampaignRequest(_message.Message):
    __slots__ = ("campaign_id", "reason")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    reason: str
    def __init__(self, campaign_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CancelCampaignResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ...) -> None: ...

class CreateFollowUpCampaignRequest(_message.Message):
    __slots__ = ("parent_campaign_id", "target", "name")
    PARENT_CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    parent_campaign_id: str
    target: _campaign_pb2.FollowUpTarget
    name: str
    def __init__(self, parent_campaign_id: _Optional[str] = ..., target: _Optional[_Union[_campaign_pb2.FollowUpTarget, str]] = ..., name: _Optional[str] = ...) -> None: ...

class CreateFollowUpCampaignResponse(_message.Message):
    __slots__ = ("campaign",)
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    campaign: _campaign_pb2.Campaign
    def __init__(self, campaign: _Optional[_Union[_campaign_pb2.Campaign, _Mapping]] = ...) -> None: ...

class GetCampaignReportRequest(_message.Message):
    __slots__ = ("campaign_id", "branch_id")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    branch_id: str
    def __init__(self, campaign_id: _Optional[str] = ..., branch_id: _Optional[str] = ...) -> None: ...

class GetCampaignReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: _campaign_pb2.CampaignReport
    def __init__(self, report: _Optional[_Union[_campaign_pb2.CampaignReport, _Mapping]] = ...) -> None: ...

class ListConversionsRequest(_message.Message):
    __slots__ = ("campaign_id", "group", "branch_id", "page")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    group: _campaign_pb2.Group
    branch_id: str
    page: _paging_pb2.PageRequest
    def __init__(self, campaign_id: _Optional[str] = ..., group: _Optional[_Union[_campaign_pb2.Group, str]] = ..., branch_id: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListConversionsResponse(_message.Message):
    __slots__ = ("conversions", "page")
    CONVERSIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    conversions: _containers.RepeatedCompositeFieldContainer[_campaign_pb2.Conversion]
    page: _paging_pb2.PageResponse
    def __init__(self, conversions: _Optional[_Iterable[_Union[_campaign_pb2.Conversion, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class RecordConversionRequest(_message.Message):
    __slots__ = ("customer", "goal", "product_id", "revenue", "occurred_at", "source_event_id", "campaign_id")
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    GOAL_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    customer: _customer_pb2.CustomerRef
    goal: _campaign_pb2.GoalKind
    product_id: str
    revenue: _decimal_pb2.Money
    occurred_at: _timestamp_pb2.Timestamp
    source_event_id: str
    campaign_id: str
    def __init__(self, customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., goal: _Optional[_Union[_campaign_pb2.GoalKind, str]] = ..., product_id: _Optional[str] = ..., revenue: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., source_event_id: _Optional[str] = ..., campaign_id: _Optional[str] = ...) -> None: ...

class RecordConversionResponse(_message.Message):
    __slots__ = ("conversions", "duplicate")
    CONVERSIONS_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    conversions: _containers.RepeatedCompositeFieldContainer[_campaign_pb2.Conversion]
    duplicate: bool
    def __init__(self, conversions: _Optional[_Iterable[_Union[_campaign_pb2.Conversion, _Mapping]]] = ..., duplicate: _Optional[bool] = ...) -> None: ...
