import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Priority(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PRIORITY_UNSPECIFIED: _ClassVar[Priority]
    PRIORITY_NORMAL: _ClassVar[Priority]
    PRIORITY_HIGH: _ClassVar[Priority]
    PRIORITY_BULK: _ClassVar[Priority]

class MessageStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MESSAGE_STATUS_UNSPECIFIED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_ACCEPTED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_HELD: _ClassVar[MessageStatus]
    MESSAGE_STATUS_REJECTED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_SENT: _ClassVar[MessageStatus]
    MESSAGE_STATUS_DELIVERED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_FAILED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_OPENED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_CLICKED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_REPLIED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_UNSUBSCRIBED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_EXPIRED: _ClassVar[MessageStatus]
    MESSAGE_STATUS_CANCELLED: _ClassVar[MessageStatus]

class CallResult(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALL_RESULT_UNSPECIFIED: _ClassVar[CallResult]
    CALL_RESULT_CONNECTED: _ClassVar[CallResult]
    CALL_RESULT_INTENT: _ClassVar[CallResult]
    CALL_RESULT_NO_ANSWER: _ClassVar[CallResult]
    CALL_RESULT_REFUSED: _ClassVar[CallResult]
    CALL_RESULT_BUSY: _ClassVar[CallResult]
    CALL_RESULT_INVALID_NUMBER: _ClassVar[CallResult]

class PolicyCheck(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POLICY_CHECK_UNSPECIFIED: _ClassVar[PolicyCheck]
    POLICY_CHECK_CONSENT: _ClassVar[PolicyCheck]
    POLICY_CHECK_DO_NOT_DISTURB: _ClassVar[PolicyCheck]
    POLICY_CHECK_PERSONALIZATION: _ClassVar[PolicyCheck]
    POLICY_CHECK_QUIET_HOURS: _ClassVar[PolicyCheck]
    POLICY_CHECK_FREQUENCY_CAP: _ClassVar[PolicyCheck]
    POLICY_CHECK_GLOBAL_MARKETING_CAP: _ClassVar[PolicyCheck]
    POLICY_CHECK_TEMPLATE_APPROVAL: _ClassVar[PolicyCheck]
    POLICY_CHECK_VARIABLES: _ClassVar[PolicyCheck]
    POLICY_CHECK_ADDRESS: _ClassVar[PolicyCheck]
    POLICY_CHECK_RATE_LIMIT: _ClassVar[PolicyCheck]
    POLICY_CHECK_PROVIDER_AVAILABILITY: _ClassVar[PolicyCheck]
    POLICY_CHECK_IDEMPOTENCY: _ClassVar[PolicyCheck]

class PolicyOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POLICY_OUTCOME_UNSPECIFIED: _ClassVar[PolicyOutcome]
    POLICY_OUTCOME_PASS: _ClassVar[PolicyOutcome]
    POLICY_OUTCOME_DENY: _ClassVar[PolicyOutcome]
    POLICY_OUTCOME_HOLD: _ClassVar[PolicyOutcome]
    POLICY_OUTCOME_BYPASS: _ClassVar[PolicyOutcome]
    POLICY_OUTCOME_FALLBACK: _ClassVar[PolicyOutcome]

class SendDisposition(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEND_DISPOSITION_UNSPECIFIED: _ClassVar[SendDisposition]
    SEND_DISPOSITION_ACCEPTED: _ClassVar[SendDisposition]
    SEND_DISPOSITION_DUPLICATE: _ClassVar[SendDisposition]
    SEND_DISPOSITION_REJECTED: _ClassVar[SendDisposition]
    SEND_DISPOSITION_KEY_CONFLICT: _ClassVar[SendDisposition]

class CircuitState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CIRCUIT_STATE_UNSPECIFIED: _ClassVar[CircuitState]
    CIRCUIT_STATE_CLOSED: _ClassVar[CircuitState]
    CIRCUIT_STATE_OPEN: _ClassVar[CircuitState]
    CIRCUIT_STATE_HALF_OPEN: _ClassVar[CircuitState]
PRIORITY_UNSPECIFIED: Priority
PRIORITY_NORMAL: Priority
PRIORITY_HIGH: Priority
PRIORITY_BULK: Priority
MESSAGE_STATUS_UNSPECIFIED: MessageStatus
MESSAGE_STATUS_ACCEPTED: MessageStatus
MESSAGE_STATUS_HELD: MessageStatus
MESSAGE_STATUS_REJECTED: MessageStatus
MESSAGE_STATUS_SENT: MessageStatus
MESSAGE_STATUS_DELIVERED: MessageStatus
MESSAGE_STATUS_FAILED: MessageStatus
MESSAGE_STATUS_OPENED: MessageStatus
MESSAGE_STATUS_CLICKED: MessageStatus
MESSAGE_STATUS_REPLIED: MessageStatus
MESSAGE_STATUS_UNSUBSCRIBED: MessageStatus
MESSAGE_STATUS_EXPIRED: MessageStatus
MESSAGE_STATUS_CANCELLED: MessageStatus
CALL_RESULT_UNSPECIFIED: CallResult
CALL_RESULT_CONNECTED: CallResult
CALL_RESULT_INTENT: CallResult
CALL_RESULT_NO_ANSWER: CallResult
CALL_RESULT_REFUSED: CallResult
CALL_RESULT_BUSY: CallResult
CALL_RESULT_INVALID_NUMBER: CallResult
POLICY_CHECK_UNSPECIFIED: PolicyCheck
POLICY_CHECK_CONSENT: PolicyCheck
POLICY_CHECK_DO_NOT_DISTURB: PolicyCheck
POLICY_CHECK_PERSONALIZATION: PolicyCheck
POLICY_CHECK_QUIET_HOURS: PolicyCheck
POLICY_CHECK_FREQUENCY_CAP: PolicyCheck
POLICY_CHECK_GLOBAL_MARKETING_CAP: PolicyCheck
POLICY_CHECK_TEMPLATE_APPROVAL: PolicyCheck
POLICY_CHECK_VARIABLES: PolicyCheck
POLICY_CHECK_ADDRESS: PolicyCheck
POLICY_CHECK_RATE_LIMIT: PolicyCheck
POLICY_CHECK_PROVIDER_AVAILABILITY: PolicyCheck
POLICY_CHECK_IDEMPOTENCY: PolicyCheck
POLICY_OUTCOME_UNSPECIFIED: PolicyOutcome
POLICY_OUTCOME_PASS: PolicyOutcome
POLICY_OUTCOME_DENY: PolicyOutcome
POLICY_OUTCOME_HOLD: PolicyOutcome
POLICY_OUTCOME_BYPASS: PolicyOutcome
POLICY_OUTCOME_FALLBACK: PolicyOutcome
SEND_DISPOSITION_UNSPECIFIED: SendDisposition
SEND_DISPOSITION_ACCEPTED: SendDisposition
SEND_DISPOSITION_DUPLICATE: SendDisposition
SEND_DISPOSITION_REJECTED: SendDisposition
SEND_DISPOSITION_KEY_CONFLICT: SendDisposition
CIRCUIT_STATE_UNSPECIFIED: CircuitState
CIRCUIT_STATE_CLOSED: CircuitState
CIRCUIT_STATE_OPEN: CircuitState
CIRCUIT_STATE_HALF_OPEN: CircuitState

class OutboundMessage(_message.Message):
    __slots__ = ("idempotency_key", "customer_id", "webhook_subscription_id", "raw_address", "channel", "fallback_channels", "template_code", "template_version", "variables", "message_class", "origin", "priority", "not_before", "expires_at", "sender_advisor_id", "labels")
    class VariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    RAW_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_CHANNELS_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_CLASS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    NOT_BEFORE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    SENDER_ADVISOR_ID_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    customer_id: str
    webhook_subscription_id: str
    raw_address: str
    channel: _enums_pb2.Channel
    fallback_channels: _containers.RepeatedScalarFieldContainer[_enums_pb2.Channel]
    template_code: str
    template_version: int
    variables: _containers.ScalarMap[str, str]
    message_class: _enums_pb2.MessageClass
    origin: _customer_pb2.Origin
    priority: Priority
    not_before: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    sender_advisor_id: str
    labels: _containers.ScalarMap[str, str]
    def __init__(self, idempotency_key: _Optional[str] = ..., customer_id: _Optional[str] = ..., webhook_subscription_id: _Optional[str] = ..., raw_address: _Optional[str] = ..., channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., fallback_channels: _Optional[_Iterable[_Union[_enums_pb2.Channel, str]]] = ..., template_code: _Optional[str] = ..., template_version: _Optional[int] = ..., variables: _Optional[_Mapping[str, str]] = ..., message_class: _Optional[_Union[_enums_pb2.MessageClass, str]] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ..., priority: _Optional[_Union[Priority, str]] = ..., not_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sender_advisor_id: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ...) -> None: ...

class PolicyDecision(_message.Message):
    __slots__ = ("check", "outcome", "channel", "reason", "decided_at")
    CHECK_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    check: PolicyCheck
    outcome: PolicyOutcome
    channel: _enums_pb2.Channel
    reason: str
    decided_at: _timestamp_pb2.Timestamp
    def __init__(self, check: _Optional[_Union[PolicyCheck, str]] = ..., outcome: _Optional[_Union[PolicyOutcome, str]] = ..., channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., reason: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StatusChange(_message.Message):
    __slots__ = ("status", "occurred_at", "channel", "provider_code", "detail")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CODE_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    status: MessageStatus
    occurred_at: _timestamp_pb2.Timestamp
    channel: _enums_pb2.Channel
    provider_code: str
    detail: str
    def __init__(self, status: _Optional[_Union[MessageStatus, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., provider_code: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class Message(_message.Message):
    __slots__ = ("message_id", "request", "customer", "channel_used", "template_version", "status", "history", "decisions", "provider", "provider_message_id", "content_sha256", "rendered_preview", "attempts", "call_result", "reason_code", "created_at", "updated_at", "scheduled_for")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_USED_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    RENDERED_PREVIEW_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    CALL_RESULT_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    request: OutboundMessage
    customer: _customer_pb2.CustomerRef
    channel_used: _enums_pb2.Channel
    template_version: int
    status: MessageStatus
    history: _containers.RepeatedCompositeFieldContainer[StatusChange]
    decisions: _containers.RepeatedCompositeFieldContainer[PolicyDecision]
    provider: str
    provider_message_id: str
    content_sha256: str
    rendered_preview: str
    attempts: int
    call_result: CallResult
    reason_code: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    scheduled_for: _timestamp_pb2.Timestamp
    def __init__(self, message_id: _Optional[str] = ..., request: _Optional[_Union[OutboundMessage, _Mapping]] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., channel_used: _Optional[_Union[_enums_pb2.Channel, str]] = ..., template_version: _Optional[int] = ..., status: _Optional[_Union[MessageStatus, str]] = ..., history: _Optional[_Iterable[_Union[StatusChange, _Mapping]]] = ..., decisions: _Optional[_Iterable[_Union[PolicyDecision, _Mapping]]] = ..., provider: _Optional[str] = ..., provider_message_id: _Optional[str] = ..., content_sha256: _Optional[str] = ..., rendered_preview: _Optional[str] = ..., attempts: _Optional[int] = ..., call_result: _Optional[_Union[CallResult, str]] = ..., reason_code: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SendResult(_message.Message):
    __slots__ = ("idempotency_key", "message_id", "disposition", "status", "channel", "reason_code", "reason", "decisions", "scheduled_for")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    DISPOSITION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    message_id: str
    disposition: SendDisposition
    status: MessageStatus
    channel: _enums_pb2.Channel
    reason_code: str
    reason: str
    decisions: _containers.RepeatedCompositeFieldContainer[PolicyDecision]
    scheduled_for: _timestamp_pb2.Timestamp
    def __init__(self, idempotency_key: _Optional[str] = ..., message_id: _Optional[str] = ..., disposition: _Optional[_Union[SendDisposition, str]] = ..., status: _Optional[_Union[MessageStatus, str]] = ..., channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., reason_code: _Optional[str] = ..., reason: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[PolicyDecision, _Mapping]]] = ..., scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProviderReceipt(_message.Message):
    __slots__ = ("provider", "provider_message_id", "status", "occurred_at", "provider_code", "call_result", "reply_text", "from_address", "raw", "receipt_id")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CODE_FIELD_NUMBER: _ClassVar[int]
    CALL_RESULT_FIELD_NUMBER: _ClassVar[int]
    REPLY_TEXT_FIELD_NUMBER: _ClassVar[int]
    FROM_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    RAW_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_ID_FIELD_NUMBER: _ClassVar[int]
    provider: str
    provider_message_id: str
    status: MessageStatus
    occurred_at: _timestamp_pb2.Timestamp
    provider_code: str
    call_result: CallResult
    reply_text: str
    from_address: str
    raw: _struct_pb2.Struct
    receipt_id: str
    def __init__(self, provider: _Optional[str] = ..., provider_message_id: _Optional[str] = ..., status: _Optional[_Union[MessageStatus, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., provider_code: _Optional[str] = ..., call_result: _Optional[_Union[CallResult, str]] = ..., reply_text: _Optional[str] = ..., from_address: _Optional[str] = ..., raw: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., receipt_id: _Optional[str] = ...) -> None: ...

class ChannelAccount(_message.Message):
    __slots__ = ("account_id", "channel", "provider", "display_name", "credentials_ref", "endpoint", "sms_signature", "rate_per_second", "burst", "failover_order", "enabled", "updated_at")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_REF_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    SMS_SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    RATE_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    BURST_FIELD_NUMBER: _ClassVar[int]
    FAILOVER_ORDER_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    channel: _enums_pb2.Channel
    provider: str
    display_name: str
    credentials_ref: str
    endpoint: str
    sms_signature: str
    rate_per_second: int
    burst: int
    failover_order: int
    enabled: bool
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, account_id: _Optional[str] = ..., channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., provider: _Optional[str] = ..., display_name: _Optional[str] = ..., credentials_ref: _Optional[str] = ..., endpoint: _Optional[str] = ..., sms_signature: _Optional[str] = ..., rate_per_second: _Optional[int] = ..., burst: _Optional[int] = ..., failover_order: _Optional[int] = ..., enabled: _Optional[bool] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProviderHealth(_message.Message):
    __slots__ = ("account_id", "provider", "circuit", "error_rate", "p99_latency_ms", "opened_at")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    CIRCUIT_FIELD_NUMBER: _ClassVar[int]
    ERROR_RATE_FIELD_NUMBER: _ClassVar[int]
    P99_LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    provider: str
    circuit: CircuitState
    error_rate: _decimal_pb2.Decimal
    p99_latency_ms: int
    opened_at: _timestamp_pb2.Timestamp
    def __init__(self, account_id: _Optional[str] = ..., provider: _Optional[str] = ..., circuit: _Optional[_Union[CircuitState, str]] = ..., error_rate: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., p99_latency_ms: _Optional[int] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
