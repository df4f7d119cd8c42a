import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.channel.v1 import channel_pb2 as _channel_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import event_meta_pb2 as _event_meta_pb2
from lingxi.common.v1 import options_pb2 as _options_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SendMessageCommand(_message.Message):
    __slots__ = ("meta", "message")
    META_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    message: _channel_pb2.OutboundMessage
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., message: _Optional[_Union[_channel_pb2.OutboundMessage, _Mapping]] = ...) -> None: ...

class SendBatchCommand(_message.Message):
    __slots__ = ("meta", "messages")
    META_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    messages: _containers.RepeatedCompositeFieldContainer[_channel_pb2.OutboundMessage]
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., messages: _Optional[_Iterable[_Union[_channel_pb2.OutboundMessage, _Mapping]]] = ...) -> None: ...

class RecordReceiptsCommand(_message.Message):
    __slots__ = ("meta", "receipts")
    META_FIELD_NUMBER: _ClassVar[int]
    RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    receipts: _containers.RepeatedCompositeFieldContainer[_channel_pb2.ProviderReceipt]
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., receipts: _Optional[_Iterable[_Union[_channel_pb2.ProviderReceipt, _Mapping]]] = ...) -> None: ...

class MessageStatusChanged(_message.Message):
    __slots__ = ("meta", "message_id", "idempotency_key", "customer", "channel", "status", "previous_status", "message_class", "origin", "template_code", "template_version", "reason_code", "call_result", "sequence", "status_at", "webhook_subscription_id")
    META_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_CLASS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    CALL_RESULT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    STATUS_AT_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    message_id: str
    idempotency_key: str
    customer: _customer_pb2.CustomerRef
    channel: _enums_pb2.Channel
    status: _channel_pb2.MessageStatus
    previous_status: _channel_pb2.MessageStatus
    message_class: _enums_pb2.MessageClass
    origin: _customer_pb2.Origin
    template_code: str
    template_version: int
    reason_code: str
    call_result: _channel_pb2.CallResult
    sequence: int
    status_at: _timestamp_pb2.Timestamp
    webhook_subscription_id: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., message_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., status: _Optional[_Union[_channel_pb2.MessageStatus, str]] = ..., previous_status: _Optional[_Union[_channel_pb2.MessageStatus, str]] = ..., message_class: _Optional[_Union[_enums_pb2.MessageClass, str]] = ..., origin: _Optional[_Union[_customer_pb2.Origin, _Mapping]] = ..., template_code: _Optional[str] = ..., template_version: _Optional[int] = ..., reason_code: _Optional[str] = ..., call_result: _Optional[_Union[_channel_pb2.CallResult, str]] = ..., sequence: _Optional[int] = ..., status_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., webhook_subscription_id: _Optional[str] = ...) -> None: ...

class ConsentChanged(_message.Message):
    __slots__ = ("meta", "customer_id", "channel", "previous_status", "status", "source", "personalization_opt_out", "do_not_disturb", "changed_at")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    PERSONALIZATION_OPT_OUT_FIELD_NUMBER: _ClassVar[int]
    DO_NOT_DISTURB_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer_id: str
    channel: _enums_pb2.Channel
    previous_status: _customer_pb2.ConsentStatus
    status: _customer_pb2.ConsentStatus
    source: str
    personalization_opt_out: bool
    do_not_disturb: bool
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer_id: _Optional[str] = ..., channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., previous_status: _Optional[_Union[_customer_pb2.ConsentStatus, str]] = ..., status: _Optional[_Union[_customer_pb2.ConsentStatus, str]] = ..., source: _Optional[str] = ..., personalization_opt_out: _Optional[bool] = ..., do_not_disturb: _Optional[bool] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class WebhookDeliveryDeadLettered(_message.Message):
    __slots__ = ("meta", "delivery_id", "subscription_id", "partner_id", "event_type", "attempts", "last_http_status", "last_error")
    META_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    LAST_HTTP_STATUS_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    delivery_id: str
    subscription_id: str
    partner_id: str
    event_type: str
    attempts: int
    last_http_status: int
    last_error: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., delivery_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., partner_id: _Optional[str] = ..., event_type: _Optional[str] = ..., attempts: _Optional[int] = ..., last_http_status: _Optional[int] = ..., last_error: _Optional[str] = ...) -> None: ...
