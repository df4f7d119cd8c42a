import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.channel.v1 import channel_pb2 as _channel_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ContactPreferences(_message.Message):
    __slots__ = ("customer_id", "consents", "personalization_opt_out", "do_not_disturb", "do_not_disturb_until", "updated_at", "sent_today", "sent_this_week")
    class SentTodayEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class SentThisWeekEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    PERSONALIZATION_OPT_OUT_FIELD_NUMBER: _ClassVar[int]
    DO_NOT_DISTURB_FIELD_NUMBER: _ClassVar[int]
    DO_NOT_DISTURB_UNTIL_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    SENT_TODAY_FIELD_NUMBER: _ClassVar[int]
    SENT_THIS_WEEK_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    consents: _containers.RepeatedCompositeFieldContainer[_customer_pb2.ChannelConsent]
    personalization_opt_out: bool
    do_not_disturb: bool
    do_not_disturb_until: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    sent_today: _containers.ScalarMap[str, int]
    sent_this_week: _containers.ScalarMap[str, int]
    def __init__(self, customer_id: _Optional[str] = ..., consents: _Optional[_Iterable[_Union[_customer_pb2.ChannelConsent, _Mapping]]] = ..., personalization_opt_out: _Optional[bool] = ..., do_not_disturb: _Optional[bool] = ..., do_not_disturb_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sent_today: _Optional[_Mapping[str, int]] = ..., sent_this_week: _Optional[_Mapping[str, int]] = ...) -> None: ...

class GetContactPreferencesRequest(_message.Message):
    __slots__ = ("customer_id",)
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class GetContactPreferencesResponse(_message.Message):
    __slots__ = ("preferences",)
    PREFERENCES_FIELD_NUMBER: _ClassVar[int]
    preferences: ContactPreferences
    def __init__(self, preferences: _Optional[_Union[ContactPreferences, _Mapping]] = ...) -> None: ...

class SetConsentRequest(_message.Message):
    __slots__ = ("customer_id", "channel", "status", "source", "evidence_ref", "occurred_at")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_REF_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    channel: _enums_pb2.Channel
    status: _customer_pb2.ConsentStatus
    source: str
    evidence_ref: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., status: _Optional[_Union[_customer_pb2.ConsentStatus, str]] = ..., source: _Optional[str] = ..., evidence_ref: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SetConsentResponse(_message.Message):
    __slots__ = ("preferences",)
    PREFERENCES_FIELD_NUMBER: _ClassVar[int]
    preferences: ContactPreferences
    def __init__(self, preferences: _Optional[_Union[ContactPreferences, _Mapping]] = ...) -> None: ...

class SetPersonalizationOptOutRequest(_message.Message):
    __slots__ = ("customer_id", "opt_out", "source")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    OPT_OUT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    opt_out: bool
    source: str
    def __init__(self, customer_id: _Optional[str] = ..., opt_out: _Optional[bool] = ..., source: _Optional[str] = ...) -> None: ...

class SetPersonalizationOptOutResponse(_message.Message):
    __slots__ = ("preferences",)
    PREFERENCES_FIELD_NUMBER: _ClassVar[int]
    preferences: ContactPreferences
    def __init__(self, preferences: _Optional[_Union[ContactPreferences, _Mapping]] = ...) -> None: ...

class SetDoNotDisturbRequest(_message.Message):
    __slots__ = ("customer_id", "do_not_disturb", "until", "reason")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    DO_NOT_DISTURB_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    do_not_disturb: bool
    until: _timestamp_pb2.Timestamp
    reason: str
    def __init__(self, customer_id: _Optional[str] = ..., do_not_disturb: _Optional[bool] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class SetDoNotDisturbResponse(_message.Message):
    __slots__ = ("preferences",)
    PREFERENCES_FIELD_NUMBER: _ClassVar[int]
    preferences: ContactPreferences
    def __init__(self, preferences: _Optional[_Union[ContactPreferences, _Mapping]] = ...) -> None: ...

class ConsentChange(_message.Message):
    __slots__ = ("customer_id", "channel", "previous_status", "status", "source", "evidence_ref", "occurred_at", "changed_by")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_REF_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    channel: _enums_pb2.Channel
    previous_status: _customer_pb2.ConsentStatus
    status: _customer_pb2.ConsentStatus
    source: str
    evidence_ref: str
    occurred_at: _timestamp_pb2.Timestamp
    changed_by: _customer_pb2.Actor
    def __init__(self, customer_id: _Optional[str] = ..., channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., previous_status: _Optional[_Union[_customer_pb2.ConsentStatus, str]] = ..., status: _Optional[_Union[_customer_pb2.ConsentStatus, str]] = ..., source: _Optional[str] = ..., evidence_ref: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., changed_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ...) -> None: ...

class ListConsentChangesRequest(_message.Message):
    __slots__ = ("customer_id", "since", "until", "page")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    page: _paging_pb2.PageRequest
    def __init__(self, customer_id: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListConsentChangesResponse(_message.Message):
    __slots__ = ("changes", "page")
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[ConsentChange]
    page: _paging_pb2.PageResponse
    def __init__(self, changes: _Optional[_Iterable[_Union[ConsentChange, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class QuietHours(_message.Message):
    __slots__ = ("channel", "start", "end")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    channel: _enums_pb2.Channel
    start: str
    end: str
    def __init__(self, channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., start: _Optional[str] = ..., end: _Optional[str] = ...) -> None: ...

class FrequencyCap(_message.Message):
    __slots__ = ("channel", "message_class", "per_day", "per_week")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_CLASS_FIELD_NUMBER: _ClassVar[int]
    PER_DAY_FIELD_NUMBER: _ClassVar[int]
    PER_WEEK_FIELD_NUMBER: _ClassVar[int]
    channel: _enums_pb2.Channel
    message_class: _enums_pb2.MessageClass
    per_day: int
    per_week: int
    def __init__(self, channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., message_class: _Optional[_Union[_enums_pb2.MessageClass, str]] = ..., per_day: _Optional[int] = ..., per_week: _Optional[int] = ...) -> None: ...

class ContactPolicy(_message.Message):
    __slots__ = ("version", "timezone", "quiet_hours", "caps", "global_marketing_per_day", "global_marketing_per_week", "updated_at", "updated_by", "comment")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    QUIET_HOURS_FIELD_NUMBER: _ClassVar[int]
    CAPS_FIELD_NUMBER: _ClassVar[int]
    GLOBAL_MARKETING_PER_DAY_FIELD_NUMBER: _ClassVar[int]
    GLOBAL_MARKETING_PER_WEEK_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    version: int
    timezone: str
    quiet_hours: _containers.RepeatedCompositeFieldContainer[QuietHours]
    caps: _containers.RepeatedCompositeFieldContainer[FrequencyCap]
    global_marketing_per_day: int
    global_marketing_per_week: int
    updated_at: _timestamp_pb2.Timestamp
    updated_by: _customer_pb2.Actor
    comment: str
    def __init__(self, version: _Optional[int] = ..., timezone: _Optional[str] = ..., quiet_hours: _Optional[_Iterable[_Union[QuietHours, _Mapping]]] = ..., caps: _Optional[_Iterable[_Union[FrequencyCap, _Mapping]]] = ..., global_marketing_per_day: _Optional[int] = ..., global_marketing_per_week: _Optional[int] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., comment: _Optional[str] = ...) -> None: ...

class GetContactPolicyRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetContactPolicyResponse(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: ContactPolicy
    def __init__(self, policy: _Optional[_Union[ContactPolicy, _Mapping]] = ...) -> None: ...

class UpdateContactPolicyRequest(_message.Message):
    __slots__ = ("policy", "expected_version", "comment")
    POLICY_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    policy: ContactPolicy
    expected_version: int
    comment: str
    def __init__(self, policy: _Optional[_Union[ContactPolicy, _Mapping]] = ..., expected_version: _Optional[int] = ..., comment: _Optional[str] = ...) -> None: ...

class UpdateContactPolicyResponse(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: ContactPolicy
    def __init__(self, policy: _Optional[_Union[ContactPolicy, _Mapping]] = ...) -> None: ...

class ListContactPolicyVersionsRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListContactPolicyVersionsResponse(_message.Message):
    __slots__ = ("policies", "page")
    POLICIES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    policies: _containers.RepeatedCompositeFieldContainer[ContactPolicy]
    page: _paging_pb2.PageResponse
    def __init__(self, policies: _Optional[_Iterable[_Union[ContactPolicy, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class EvaluatePolicyRequest(_message.Message):
    __slots__ = ("customer_id", "channels", "message_class", "at")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_CLASS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    channels: _containers.RepeatedScalarFieldContainer[_enums_pb2.Channel]
    message_class: _enums_pb2.MessageClass
    at: _timestamp_pb2.Timestamp
    def __init__(self, customer_id: _Optional[str] = ..., channels: _Optional[_Iterable[_Union[_enums_pb2.Channel, str]]] = ..., message_class: _Optional[_Union[_enums_pb2.MessageClass, str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ChannelVerdict(_message.Message):
    __slots__ = ("channel", "outcome", "decisions")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    channel: _enums_pb2.Channel
    outcome: _channel_pb2.PolicyOutcome
    decisions: _containers.RepeatedCompositeFieldContainer[_channel_pb2.PolicyDecision]
    def __init__(self, channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., outcome: _Optional[_Union[_channel_pb2.PolicyOutcome, str]] = ..., decisions: _Optional[_Iterable[_Union[_channel_pb2.PolicyDecision, _Mapping]]] = ...) -> None: ...

class EvaluatePolicyResponse(_message.Message):
    __slots__ = ("verdicts",)
    VERDICTS_FIELD_NUMBER: _ClassVar[int]
    verdicts: _containers.RepeatedCompositeFieldContainer[ChannelVerdict]
    def __init__(self, verdicts: _Optional[_Iterable[_Union[ChannelVerdict, _Mapping]]] = ...) -> None: ...
