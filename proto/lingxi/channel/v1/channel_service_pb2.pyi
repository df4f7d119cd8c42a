import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.channel.v1 import channel_pb2 as _channel_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SendRequest(_message.Message):
    __slots__ = ("message", "dry_run")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    message: _channel_pb2.OutboundMessage
    dry_run: bool
    def __init__(self, message: _Optional[_Union[_channel_pb2.OutboundMessage, _Mapping]] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class SendResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: _channel_pb2.SendResult
    def __init__(self, result: _Optional[_Union[_channel_pb2.SendResult, _Mapping]] = ...) -> None: ...

class SendBatchRequest(_message.Message):
    __slots__ = ("messages",)
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[_channel_pb2.OutboundMessage]
    def __init__(self, messages: _Optional[_Iterable[_Union[_channel_pb2.OutboundMessage, _Mapping]]] = ...) -> None: ...

class SendBatchResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[_channel_pb2.SendResult]
    def __init__(self, results: _Optional[_Iterable[_Union[_channel_pb2.SendResult, _Mapping]]] = ...) -> None: ...

class GetMessageRequest(_message.Message):
    __slots__ = ("message_id", "idempotency_key")
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    message_id: str
    idempotency_key: str
    def __init__(self, message_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class GetMessageResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: _channel_pb2.Message
    def __init__(self, message: _Optional[_Union[_channel_pb2.Message, _Mapping]] = ...) -> None: ...

class ListMessagesRequest(_message.Message):
    __slots__ = ("customer_id", "campaign_id", "strategy_id", "task_id", "channels", "statuses", "message_classes", "since", "until", "page")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_CLASSES_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    campaign_id: str
    strategy_id: str
    task_id: str
    channels: _containers.RepeatedScalarFieldContainer[_enums_pb2.Channel]
    statuses: _containers.RepeatedScalarFieldContainer[_channel_pb2.MessageStatus]
    message_classes: _containers.RepeatedScalarFieldContainer[_enums_pb2.MessageClass]
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    page: _paging_pb2.PageRequest
    def __init__(self, customer_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., strategy_id: _Optional[str] = ..., task_id: _Optional[str] = ..., channels: _Optional[_Iterable[_Union[_enums_pb2.Channel, str]]] = ..., statuses: _Optional[_Iterable[_Union[_channel_pb2.MessageStatus, str]]] = ..., message_classes: _Optional[_Iterable[_Union[_enums_pb2.MessageClass, str]]] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListMessagesResponse(_message.Message):
    __slots__ = ("messages", "page")
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[_channel_pb2.Message]
    page: _paging_pb2.PageResponse
    def __init__(self, messages: _Optional[_Iterable[_Union[_channel_pb2.Message, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class CancelMessagesRequest(_message.Message):
    __slots__ = ("message_ids", "campaign_id", "strategy_id", "reason")
    MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    message_ids: _containers.RepeatedScalarFieldContainer[str]
    campaign_id: str
    strategy_id: str
    reason: str
    def __init__(self, message_ids: _Optional[_Iterable[str]] = ..., campaign_id: _Optional[str] = ..., strategy_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CancelMessagesResponse(_message.Message):
    __slots__ = ("cancelled",)
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    cancelled: int
    def __init__(self, cancelled: _Optional[int] = ...) -> None: ...

class RecordReceiptsRequest(_message.Message):
    __slots__ = ("receipts",)
    RECEIPTS_FIELD_NUMBER: _ClassVar[int]
    receipts: _containers.RepeatedCompositeFieldContainer[_channel_pb2.ProviderReceipt]
    def __init__(self, receipts: _Optional[_Iterable[_Union[_channel_pb2.ProviderReceipt, _Mapping]]] = ...) -> None: ...

class RecordReceiptsResponse(_message.Message):
    __slots__ = ("applied", "duplicates", "unmatched")
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    UNMATCHED_FIELD_NUMBER: _ClassVar[int]
    applied: int
    duplicates: int
    unmatched: int
    def __init__(self, applied: _Optional[int] = ..., duplicates: _Optional[int] = ..., unmatched: _Optional[int] = ...) -> None: ...

class RetryFailedMessagesRequest(_message.Message):
    __slots__ = ("message_ids", "account_id", "since", "until")
    MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    message_ids: _containers.RepeatedScalarFieldContainer[str]
    account_id: str
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    def __init__(self, message_ids: _Optional[_Iterable[str]] = ..., account_id: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RetryFailedMessagesResponse(_message.Message):
    __slots__ = ("requeued",)
    REQUEUED_FIELD_NUMBER: _ClassVar[int]
    requeued: int
    def __init__(self, requeued: _Optional[int] = ...) -> None: ...

class UpsertChannelAccountRequest(_message.Message):
    __slots__ = ("account",)
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    account: _channel_pb2.ChannelAccount
    def __init__(self, account: _Optional[_Union[_channel_pb2.ChannelAccount, _Mapping]] = ...) -> None: ...

class UpsertChannelAccountResponse(_message.Message):
    __slots__ = ("account",)
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    account: _channel_pb2.ChannelAccount
    def __init__(self, account: _Optional[_Union[_channel_pb2.ChannelAccount, _Mapping]] = ...) -> None: ...

class ListChannelAccountsRequest(_message.Message):
    __slots__ = ("channel",)
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: _enums_pb2.Channel
    def __init__(self, channel: _Optional[_Union[_enums_pb2.Channel, str]] = ...) -> None: ...

class ListChannelAccountsResponse(_message.Message):
    __slots__ = ("accounts",)
    ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    accounts: _containers.RepeatedCompositeFieldContainer[_channel_pb2.ChannelAccount]
    def __init__(self, accounts: _Optional[_Iterable[_Union[_channel_pb2.ChannelAccount, _Mapping]]] = ...) -> None: ...

class ListProviderHealthRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListProviderHealthResponse(_message.Message):
    __slots__ = ("providers",)
    PROVIDERS_FIELD_NUMBER: _ClassVar[int]
    providers: _containers.RepeatedCompositeFieldContainer[_channel_pb2.ProviderHealth]
    def __init__(self, providers: _Optional[_Iterable[_Union[_channel_pb2.ProviderHealth, _Mapping]]] = ...) -> None: ...
