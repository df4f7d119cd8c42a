import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TemplateVersionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TEMPLATE_VERSION_STATUS_UNSPECIFIED: _ClassVar[TemplateVersionStatus]
    TEMPLATE_VERSION_STATUS_DRAFT: _ClassVar[TemplateVersionStatus]
    TEMPLATE_VERSION_STATUS_PENDING_APPROVAL: _ClassVar[TemplateVersionStatus]
    TEMPLATE_VERSION_STATUS_APPROVED: _ClassVar[TemplateVersionStatus]
    TEMPLATE_VERSION_STATUS_REJECTED: _ClassVar[TemplateVersionStatus]
    TEMPLATE_VERSION_STATUS_RETIRED: _ClassVar[TemplateVersionStatus]

class VariableType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VARIABLE_TYPE_UNSPECIFIED: _ClassVar[VariableType]
    VARIABLE_TYPE_STRING: _ClassVar[VariableType]
    VARIABLE_TYPE_INTEGER: _ClassVar[VariableType]
    VARIABLE_TYPE_DECIMAL: _ClassVar[VariableType]
    VARIABLE_TYPE_MONEY: _ClassVar[VariableType]
    VARIABLE_TYPE_PERCENT: _ClassVar[VariableType]
    VARIABLE_TYPE_DATE: _ClassVar[VariableType]
    VARIABLE_TYPE_DATETIME: _ClassVar[VariableType]
    VARIABLE_TYPE_URL: _ClassVar[VariableType]
TEMPLATE_VERSION_STATUS_UNSPECIFIED: TemplateVersionStatus
TEMPLATE_VERSION_STATUS_DRAFT: TemplateVersionStatus
TEMPLATE_VERSION_STATUS_PENDING_APPROVAL: TemplateVersionStatus
TEMPLATE_VERSION_STATUS_APPROVED: TemplateVersionStatus
TEMPLATE_VERSION_STATUS_REJECTED: TemplateVersionStatus
TEMPLATE_VERSION_STATUS_RETIRED: TemplateVersionStatus
VARIABLE_TYPE_UNSPECIFIED: VariableType
VARIABLE_TYPE_STRING: VariableType
VARIABLE_TYPE_INTEGER: VariableType
VARIABLE_TYPE_DECIMAL: VariableType
VARIABLE_TYPE_MONEY: VariableType
VARIABLE_TYPE_PERCENT: VariableType
VARIABLE_TYPE_DATE: VariableType
VARIABLE_TYPE_DATETIME: VariableType
VARIABLE_TYPE_URL: VariableType

class TemplateVariable(_message.Message):
    __slots__ = ("name", "type", "required", "description", "example", "pii", "max_length")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EXAMPLE_FIELD_NUMBER: _ClassVar[int]
    PII_FIELD_NUMBER: _ClassVar[int]
    MAX_LENGTH_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: VariableType
    required: bool
    description: str
    example: str
    pii: bool
    max_length: int
    def __init__(self, name: _Optional[str] = ..., type: _Optional[_Union[VariableType, str]] = ..., required: _Optional[bool] = ..., description: _Optional[str] = ..., example: _Optional[str] = ..., pii: _Optional[bool] = ..., max_length: _Optional[int] = ...) -> None: ...

class WechatField(_message.Message):
    __slots__ = ("key", "value", "color")
    KEY_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    COLOR_FIELD_NUMBER: _ClassVar[int]
    key: str
    value: str
    color: str
    def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ..., color: _Optional[str] = ...) -> None: ...

class TemplateContent(_message.Message):
    __slots__ = ("title", "body", "url", "sms_signature", "opt_out_wording", "provider_template_id", "wechat_fields", "extras", "fallback_templates")
    class ExtrasEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    SMS_SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    OPT_OUT_WORDING_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    WECHAT_FIELDS_FIELD_NUMBER: _ClassVar[int]
    EXTRAS_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    title: str
    body: str
    url: str
    sms_signature: str
    opt_out_wording: str
    provider_template_id: str
    wechat_fields: _containers.RepeatedCompositeFieldContainer[WechatField]
    extras: _containers.ScalarMap[str, str]
    fallback_templates: _containers.RepeatedCompositeFieldContainer[FallbackTemplate]
    def __init__(self, title: _Optional[str] = ..., body: _Optional[str] = ..., url: _Optional[str] = ..., sms_signature: _Optional[str] = ..., opt_out_wording: _Optional[str] = ..., provider_template_id: _Optional[str] = ..., wechat_fields: _Optional[_Iterable[_Union[WechatField, _Mapping]]] = ..., extras: _Optional[_Mapping[str, str]] = ..., fallback_templates: _Optional[_Iterable[_Union[FallbackTemplate, _Mapping]]] = ...) -> None: ...

class FallbackTemplate(_message.Message):
    __slots__ = ("channel", "template_code", "template_version")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    channel: _enums_pb2.Channel
    template_code: str
    template_version: int
    def __init__(self, channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., template_code: _Optional[str] = ..., template_version: _Optional[int] = ...) -> None: ...

class TemplateVersion(_message.Message):
    __slots__ = ("template_code", "version", "status", "content", "variables", "content_sha256", "created_at", "created_by", "reviewed_by", "reviewed_at", "review_comment")
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEW_COMMENT_FIELD_NUMBER: _ClassVar[int]
    template_code: str
    version: int
    status: TemplateVersionStatus
    content: TemplateContent
    variables: _containers.RepeatedCompositeFieldContainer[TemplateVariable]
    content_sha256: str
    created_at: _timestamp_pb2.Timestamp
    created_by: _customer_pb2.Actor
    reviewed_by: _customer_pb2.Actor
    reviewed_at: _timestamp_pb2.Timestamp
    review_comment: str
    def __init__(self, template_code: _Optional[str] = ..., version: _Optional[int] = ..., status: _Optional[_Union[TemplateVersionStatus, str]] = ..., content: _Optional[_Union[TemplateContent, _Mapping]] = ..., variables: _Optional[_Iterable[_Union[TemplateVariable, _Mapping]]] = ..., content_sha256: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., reviewed_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ..., reviewed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., review_comment: _Optional[str] = ...) -> None: ...

class Template(_message.Message):
    __slots__ = ("template_code", "name", "channel", "message_class", "description", "owner", "current_version", "created_at")
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_CLASS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    CURRENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    template_code: str
    name: str
    channel: _enums_pb2.Channel
    message_class: _enums_pb2.MessageClass
    description: str
    owner: str
    current_version: int
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, template_code: _Optional[str] = ..., name: _Optional[str] = ..., channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., message_class: _Optional[_Union[_enums_pb2.MessageClass, str]] = ..., description: _Optional[str] = ..., owner: _Optional[str] = ..., current_version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateTemplateRequest(_message.Message):
    __slots__ = ("template", "content", "variables")
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    template: Template
    content: TemplateContent
    variables: _containers.RepeatedCompositeFieldContainer[TemplateVariable]
    def __init__(self, template: _Optional[_Union[Template, _Mapping]] = ..., content: _Optional[_Union[TemplateContent, _Mapping]] = ..., variables: _Optional[_Iterable[_Union[TemplateVariable, _Mapping]]] = ...) -> None: ...

class CreateTemplateResponse(_message.Message):
    __slots__ = ("template", "version")
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    template: Template
    version: TemplateVersion
    def __init__(self, template: _Optional[_Union[Template, _Mapping]] = ..., version: _Optional[_Union[TemplateVersion, _Mapping]] = ...) -> None: ...

class GetTemplateRequest(_message.Message):
    __slots__ = ("template_code", "version")
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    template_code: str
    version: int
    def __init__(self, template_code: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetTemplateResponse(_message.Message):
    __slots__ = ("template", "version")
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    template: Template
    version: TemplateVersion
    def __init__(self, template: _Optional[_Union[Template, _Mapping]] = ..., version: _Optional[_Union[TemplateVersion, _Mapping]] = ...) -> None: ...

class ListTemplatesRequest(_message.Message):
    __slots__ = ("channel", "message_class", "has_version_status", "query", "page")
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_CLASS_FIELD_NUMBER: _ClassVar[int]
    HAS_VERSION_STATUS_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    channel: _enums_pb2.Channel
    message_class: _enums_pb2.MessageClass
    has_version_status: TemplateVersionStatus
    query: str
    page: _paging_pb2.PageRequest
    def __init__(self, channel: _Optional[_Union[_enums_pb2.Channel, str]] = ..., message_class: _Optional[_Union[_enums_pb2.MessageClass, str]] = ..., has_version_status: _Optional[_Union[TemplateVersionStatus, str]] = ..., query: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListTemplatesResponse(_message.Message):
    __slots__ = ("templates", "page")
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    templates: _containers.RepeatedCompositeFieldContainer[Template]
    page: _paging_pb2.PageResponse
    def __init__(self, templates: _Optional[_Iterable[_Union[Template, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class CreateTemplateVersionRequest(_message.Message):
    __slots__ = ("template_code", "content", "variables")
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    template_code: str
    content: TemplateContent
    variables: _containers.RepeatedCompositeFieldContainer[TemplateVariable]
    def __init__(self, template_code: _Optional[str] = ..., content: _Optional[_Union[TemplateContent, _Mapping]] = ..., variables: _Optional[_Iterable[_Union[TemplateVariable, _Mapping]]] = ...) -> None: ...

class CreateTemplateVersionResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: TemplateVersion
    def __init__(self, version: _Optional[_Union[TemplateVersion, _Mapping]] = ...) -> None: ...

class ListTemplateVersionsRequest(_message.Message):
    __slots__ = ("template_code", "page")
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    template_code: str
    page: _paging_pb2.PageRequest
    def __init__(self, template_code: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListTemplateVersionsResponse(_message.Message):
    __slots__ = ("versions", "page")
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[TemplateVersion]
    page: _paging_pb2.PageResponse
    def __init__(self, versions: _Optional[_Iterable[_Union[TemplateVersion, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class SubmitTemplateVersionRequest(_message.Message):
    __slots__ = ("template_code", "version")
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    template_code: str
    version: int
    def __init__(self, template_code: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class SubmitTemplateVersionResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: TemplateVersion
    def __init__(self, version: _Optional[_Union[TemplateVersion, _Mapping]] = ...) -> None: ...

class ApproveTemplateVersionRequest(_message.Message):
    __slots__ = ("template_code", "version", "content_sha256", "comment")
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SHA256_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    template_code: str
    version: int
    content_sha256: str
    comment: str
    def __init__(self, template_code: _Optional[str] = ..., version: _Optional[int] = ..., content_sha256: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class ApproveTemplateVersionResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: TemplateVersion
    def __init__(self, version: _Optional[_Union[TemplateVersion, _Mapping]] = ...) -> None: ...

class RejectTemplateVersionRequest(_message.Message):
    __slots__ = ("template_code", "version", "comment")
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    template_code: str
    version: int
    comment: str
    def __init__(self, template_code: _Optional[str] = ..., version: _Optional[int] = ..., comment: _Optional[str] = ...) -> None: ...

class RejectTemplateVersionResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: TemplateVersion
    def __init__(self, version: _Optional[_Union[TemplateVersion, _Mapping]] = ...) -> None: ...

class RetireTemplateVersionRequest(_message.Message):
    __slots__ = ("template_code", "version", "reason")
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    template_code: str
    version: int
    reason: str
    def __init__(self, template_code: _Optional[str] = ..., version: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class RetireTemplateVersionResponse(_message.Message):
    __slots__ = ("version",)
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: TemplateVersion
    def __init__(self, version: _Optional[_Union[TemplateVersion, _Mapping]] = ...) -> None: ...

class PreviewTemplateRequest(_message.Message):
    __slots__ = ("template_code", "version", "variables")
    class VariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TEMPLATE_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    template_code: str
    version: int
    variables: _containers.ScalarMap[str, str]
    def __init__(self, template_code: _Optional[str] = ..., version: _Optional[int] = ..., variables: _Optional[_Mapping[str, str]] = ...) -> None: ...

class VariableError(_message.Message):
    __slots__ = ("name", "code", "message")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    name: str
    code: str
    message: str
    def __init__(self, name: _Optional[str] = ..., code: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class PreviewTemplateResponse(_message.Message):
    __slots__ = ("rendered", "errors", "sms_segments")
    RENDERED_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    SMS_SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    rendered: TemplateContent
    errors: _containers.RepeatedCompositeFieldContainer[VariableError]
    sms_segments: int
    def __init__(self, rendered: _Optional[_Union[TemplateContent, _Mapping]] = ..., errors: _Optional[_Iterable[_Union[VariableError, _Mapping]]] = ..., sms_segments: _Optional[int] = ...) -> None: ...
