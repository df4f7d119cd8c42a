import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ConsentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONSENT_STATUS_UNSPECIFIED: _ClassVar[ConsentStatus]
    CONSENT_STATUS_GRANTED: _ClassVar[ConsentStatus]
    CONSENT_STATUS_WITHDRAWN: _ClassVar[ConsentStatus]
CONSENT_STATUS_UNSPECIFIED: ConsentStatus
CONSENT_STATUS_GRANTED: ConsentStatus
CONSENT_STATUS_WITHDRAWN: ConsentStatus

class CustomerRef(_message.Message):
    __slots__ = ("customer_id", "branch_id", "advisor_id")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    ADVISOR_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    branch_id: str
    advisor_id: str
    def __init__(self, customer_id: _Optional[str] = ..., branch_id: _Optional[str] = ..., advisor_id: _Optional[str] = ...) -> None: ...

class ChannelConsent(_message.Message):
    __slots__ = ("channel", "status", "updated_at", "source")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    channel: _enums_pb2.Channel
    status: ConsentStatus
    updated_at: _timestamp_pb2.Timestamp
    source: str
    def __init__(self, channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., status: _Optional[_Union[ConsentStatus, str]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., source: _Optional[str] = ...) -> None: ...

class Actor(_message.Message):
    __slots__ = ("subject", "role", "display_name")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    subject: str
    role: str
    display_name: str
    def __init__(self, subject: _Optional[str] = ..., role: _Optional[str] = ..., display_name: _Optional[str] = ...) -> None: ...

class Origin(_message.Message):
    __slots__ = ("campaign_id", "journey_step_id", "strategy_id", "match_id", "task_id", "source")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    JOURNEY_STEP_ID_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    MATCH_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    journey_step_id: str
    strategy_id: str
    match_id: str
    task_id: str
    source: str
    def __init__(self, campaign_id: _Optional[str] = ..., journey_step_id: _Optional[str] = ..., strategy_id: _Optional[str] = ..., match_id: _Optional[str] = ..., task_id: _Optional[str] = ..., source: _Optional[str] = ...) -> None: ...
