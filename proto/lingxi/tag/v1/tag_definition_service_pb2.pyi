from google.protobuf import field_mask_pb2 as _field_mask_pb2
from lingxi.common.v1 import paging_pb2 as _paging_pb2
from lingxi.tag.v1 import customer_pb2 as _customer_pb2
from lingxi.tag.v1 import tag_definition_pb2 as _tag_definition_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateTagDefinitionRequest(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: _tag_definition_pb2.TagDefinition
    def __init__(self, definition: _Optional[_Union[_tag_definition_pb2.TagDefinition, _Mapping]] = ...) -> None: ...

class CreateTagDefinitionResponse(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: _tag_definition_pb2.TagDefinition
    def __init__(self, definition: _Optional[_Union[_tag_definition_pb2.TagDefinition, _Mapping]] = ...) -> None: ...

class UpdateTagDefinitionRequest(_message.Message):
    __slots__ = ("definition", "update_mask", "expected_version")
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    definition: _tag_definition_pb2.TagDefinition
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    def __init__(self, definition: _Optional[_Union[_tag_definition_pb2.TagDefinition, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class UpdateTagDefinitionResponse(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: _tag_definition_pb2.TagDefinition
    def __init__(self, definition: _Optional[_Union[_tag_definition_pb2.TagDefinition, _Mapping]] = ...) -> None: ...

class GetTagDefinitionRequest(_message.Message):
    __slots__ = ("code", "version")
    CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    code: str
    version: int
    def __init__(self, code: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetTagDefinitionResponse(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: _tag_definition_pb2.TagDefinition
    def __init__(self, definition: _Optional[_Union[_tag_definition_pb2.TagDefinition, _Mapping]] = ...) -> None: ...

class ListTagDefinitionsRequest(_message.Message):
    __slots__ = ("category_code", "statuses", "owner", "query", "page")
    CATEGORY_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    category_code: str
    statuses: _containers.RepeatedScalarFieldContainer[_tag_definition_pb2.TagStatus]
    owner: str
    query: str
    page: _paging_pb2.PageRequest
    def __init__(self, category_code: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[_tag_definition_pb2.TagStatus, str]]] = ..., owner: _Optional[str] = ..., query: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListTagDefinitionsResponse(_message.Message):
    __slots__ = ("definitions", "page")
    DEFINITIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    definitions: _containers.RepeatedCompositeFieldContainer[_tag_definition_pb2.TagDefinition]
    page: _paging_pb2.PageResponse
    def __init__(self, definitions: _Optional[_Iterable[_Union[_tag_definition_pb2.TagDefinition, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ListTagDefinitionVersionsRequest(_message.Message):
    __slots__ = ("code", "page")
    CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    code: str
    page: _paging_pb2.PageRequest
    def __init__(self, code: _Optional[str] = ..., page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListTagDefinitionVersionsResponse(_message.Message):
    __slots__ = ("definitions", "page")
    DEFINITIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    definitions: _containers.RepeatedCompositeFieldContainer[_tag_definition_pb2.TagDefinition]
    page: _paging_pb2.PageResponse
    def __init__(self, definitions: _Optional[_Iterable[_Union[_tag_definition_pb2.TagDefinition, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class ValidateTagRuleRequest(_message.Message):
    __slots__ = ("rule", "value_type", "option_codes")
    RULE_FIELD_NUMBER: _ClassVar[int]
    VALUE_TYPE_FIELD_NUMBER: _ClassVar[int]
    OPTION_CODES_FIELD_NUMBER: _ClassVar[int]
    rule: str
    value_type: _tag_definition_pb2.TagValueType
    option_codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, rule: _Optional[str] = ..., value_type: _Optional[_Union[_tag_definition_pb2.TagValueType, str]] = ..., option_codes: _Optional[_Iterable[str]] = ...) -> None: ...

class ValidateTagRuleResponse(_message.Message):
    __slots__ = ("valid", "errors", "inputs", "realtime_capable")
    VALID_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    REALTIME_CAPABLE_FIELD_NUMBER: _ClassVar[int]
    valid: bool
    errors: _containers.RepeatedCompositeFieldContainer[_tag_definition_pb2.ExpressionError]
    inputs: _containers.RepeatedScalarFieldContainer[str]
    realtime_capable: bool
    def __init__(self, valid: _Optional[bool] = ..., errors: _Optional[_Iterable[_Union[_tag_definition_pb2.ExpressionError, _Mapping]]] = ..., inputs: _Optional[_Iterable[str]] = ..., realtime_capable: _Optional[bool] = ...) -> None: ...

class PreviewTagDefinitionRequest(_message.Message):
    __slots__ = ("code", "version", "sample_size")
    CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_SIZE_FIELD_NUMBER: _ClassVar[int]
    code: str
    version: int
    sample_size: int
    def __init__(self, code: _Optional[str] = ..., version: _Optional[int] = ..., sample_size: _Optional[int] = ...) -> None: ...

class TagValueCount(_message.Message):
    __slots__ = ("value", "count")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    value: str
    count: int
    def __init__(self, value: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class PreviewTagDefinitionResponse(_message.Message):
    __slots__ = ("count", "evaluated", "distribution", "sample_customer_ids", "errors", "example_error", "elapsed_ms")
    COUNT_FIELD_NUMBER: _ClassVar[int]
    EVALUATED_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    EXAMPLE_ERROR_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_MS_FIELD_NUMBER: _ClassVar[int]
    count: int
    evaluated: int
    distribution: _containers.RepeatedCompositeFieldContainer[TagValueCount]
    sample_customer_ids: _containers.RepeatedScalarFieldContainer[str]
    errors: int
    example_error: str
    elapsed_ms: int
    def __init__(self, count: _Optional[int] = ..., evaluated: _Optional[int] = ..., distribution: _Optional[_Iterable[_Union[TagValueCount, _Mapping]]] = ..., sample_customer_ids: _Optional[_Iterable[str]] = ..., errors: _Optional[int] = ..., example_error: _Optional[str] = ..., elapsed_ms: _Optional[int] = ...) -> None: ...

class ActivateTagDefinitionRequest(_message.Message):
    __slots__ = ("code", "version")
    CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    code: str
    version: int
    def __init__(self, code: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class ActivateTagDefinitionResponse(_message.Message):
    __slots__ = ("definition", "recompute")
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    RECOMPUTE_FIELD_NUMBER: _ClassVar[int]
    definition: _tag_definition_pb2.TagDefinition
    recompute: _tag_definition_pb2.RecomputeJob
    def __init__(self, definition: _Optional[_Union[_tag_definition_pb2.TagDefinition, _Mapping]] = ..., recompute: _Optional[_Union[_tag_definition_pb2.RecomputeJob, _Mapping]] = ...) -> None: ...

class DeleteTagDefinitionRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class DeleteTagDefinitionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RetireTagDefinitionRequest(_message.Message):
    __slots__ = ("code", "reason")
    CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    code: str
    reason: str
    def __init__(self, code: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RetireTagDefinitionResponse(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: _tag_definition_pb2.TagDefinition
    def __init__(self, definition: _Optional[_Union[_tag_definition_pb2.TagDefinition, _Mapping]] = ...) -> None: ...

class ListTagCategoriesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListTagCategoriesResponse(_message.Message):
    __slots__ = ("categories",)
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedCompositeFieldContainer[_tag_definition_pb2.TagCategory]
    def __init__(self, categories: _Optional[_Iterable[_Union[_tag_definition_pb2.TagCategory, _Mapping]]] = ...) -> None: ...

class UpsertTagCategoryRequest(_message.Message):
    __slots__ = ("category",)
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    category: _tag_definition_pb2.TagCategory
    def __init__(self, category: _Optional[_Union[_tag_definition_pb2.TagCategory, _Mapping]] = ...) -> None: ...

class UpsertTagCategoryResponse(_message.Message):
    __slots__ = ("category",)
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    category: _tag_definition_pb2.TagCategory
    def __init__(self, category: _Optional[_Union[_tag_definition_pb2.TagCategory, _Mapping]] = ...) -> None: ...

class CreateAggregateDefinitionRequest(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: _customer_pb2.AggregateDefinition
    def __init__(self, definition: _Optional[_Union[_customer_pb2.AggregateDefinition, _Mapping]] = ...) -> None: ...

class CreateAggregateDefinitionResponse(_message.Message):
    __slots__ = ("definition",)
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    definition: _customer_pb2.AggregateDefinition
    def __init__(self, definition: _Optional[_Union[_customer_pb2.AggregateDefinition, _Mapping]] = ...) -> None: ...

class ListAggregateDefinitionsRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _paging_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_paging_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListAggregateDefinitionsResponse(_message.Message):
    __slots__ = ("definitions", "page")
    DEFINITIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    definitions: _containers.RepeatedCompositeFieldContainer[_customer_pb2.AggregateDefinition]
    page: _paging_pb2.PageResponse
    def __init__(self, definitions: _Optional[_Iterable[_Union[_customer_pb2.AggregateDefinition, _Mapping]]] = ..., page: _Optional[_Union[_paging_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class StartRecomputeRequest(_message.Message):
    __slots__ = ("tag_codes", "business_date")
    TAG_CODES_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_DATE_FIELD_NUMBER: _ClassVar[int]
    tag_codes: _containers.RepeatedScalarFieldContainer[str]
    business_date: str
    def __init__(self, tag_codes: _Optional[_Iterable[str]] = ..., business_date: _Optional[str] = ...) -> None: ...

class StartRecomputeResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _tag_definition_pb2.RecomputeJob
    def __init__(self, job: _Optional[_Union[_tag_definition_pb2.RecomputeJob, _Mapping]] = ...) -> None: ...

class GetRecomputeRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetRecomputeResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _tag_definition_pb2.RecomputeJob
    def __init__(self, job: _Optional[_Union[_tag_definition_pb2.RecomputeJob, _Mapping]] = ...) -> None: ...
