from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.product.v1 import analytics_pb2 as _analytics_pb2
from lingxi.product.v1 import product_pb2 as _product_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RecommendationScene(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RECOMMENDATION_SCENE_UNSPECIFIED: _ClassVar[RecommendationScene]
    RECOMMENDATION_SCENE_GENERAL: _ClassVar[RecommendationScene]
    RECOMMENDATION_SCENE_REINVEST: _ClassVar[RecommendationScene]
    RECOMMENDATION_SCENE_DIVERSIFY: _ClassVar[RecommendationScene]
    RECOMMENDATION_SCENE_GOAL: _ClassVar[RecommendationScene]
    RECOMMENDATION_SCENE_NEW_PRODUCT: _ClassVar[RecommendationScene]
    RECOMMENDATION_SCENE_ADVISORY: _ClassVar[RecommendationScene]
RECOMMENDATION_SCENE_UNSPECIFIED: RecommendationScene
RECOMMENDATION_SCENE_GENERAL: RecommendationScene
RECOMMENDATION_SCENE_REINVEST: RecommendationScene
RECOMMENDATION_SCENE_DIVERSIFY: RecommendationScene
RECOMMENDATION_SCENE_GOAL: RecommendationScene
RECOMMENDATION_SCENE_NEW_PRODUCT: RecommendationScene
RECOMMENDATION_SCENE_ADVISORY: RecommendationScene

class RecommendationContext(_message.Message):
    __slots__ = ("scene", "security_code", "source_product_id", "horizon", "product_types", "fund_categories", "exclude_product_ids", "include_held")
    SCENE_FIELD_NUMBER: _ClassVar[int]
    SECURITY_CODE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    HORIZON_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_TYPES_FIELD_NUMBER: _ClassVar[int]
    FUND_CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_HELD_FIELD_NUMBER: _ClassVar[int]
    scene: RecommendationScene
    security_code: str
    source_product_id: str
    horizon: _product_pb2.Horizon
    product_types: _containers.RepeatedScalarFieldContainer[_product_pb2.ProductType]
    fund_categories: _containers.RepeatedScalarFieldContainer[_product_pb2.FundCategory]
    exclude_product_ids: _containers.RepeatedScalarFieldContainer[str]
    include_held: bool
    def __init__(self, scene: _Optional[_Union[RecommendationScene, str]] = ..., security_code: _Optional[str] = ..., source_product_id: _Optional[str] = ..., horizon: _Optional[_Union[_product_pb2.Horizon, str]] = ..., product_types: _Optional[_Iterable[_Union[_product_pb2.ProductType, str]]] = ..., fund_categories: _Optional[_Iterable[_Union[_product_pb2.FundCategory, str]]] = ..., exclude_product_ids: _Optional[_Iterable[str]] = ..., include_held: _Optional[bool] = ...) -> None: ...

class Recommendation(_message.Message):
    __slots__ = ("product", "score", "reason", "reason_codes", "suitability_decision_id", "evaluation")
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REASON_CODES_FIELD_NUMBER: _ClassVar[int]
    SUITABILITY_DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_FIELD_NUMBER: _ClassVar[int]
    product: _product_pb2.Product
    score: _decimal_pb2.Decimal
    reason: str
    reason_codes: _containers.RepeatedScalarFieldContainer[str]
    suitability_decision_id: str
    evaluation: _analytics_pb2.FundEvaluation
    def __init__(self, product: _Optional[_Union[_product_pb2.Product, _Mapping]] = ..., score: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., reason: _Optional[str] = ..., reason_codes: _Optional[_Iterable[str]] = ..., suitability_decision_id: _Optional[str] = ..., evaluation: _Optional[_Union[_analytics_pb2.FundEvaluation, _Mapping]] = ...) -> None: ...

class RecommendRequest(_message.Message):
    __slots__ = ("customer_id", "context", "limit")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    context: RecommendationContext
    limit: int
    def __init__(self, customer_id: _Optional[str] = ..., context: _Optional[_Union[RecommendationContext, _Mapping]] = ..., limit: _Optional[int] = ...) -> None: ...

class RecommendResponse(_message.Message):
    __slots__ = ("recommendations", "model_version", "filtered_unsuitable")
    RECOMMENDATIONS_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    FILTERED_UNSUITABLE_FIELD_NUMBER: _ClassVar[int]
    recommendations: _containers.RepeatedCompositeFieldContainer[Recommendation]
    model_version: str
    filtered_unsuitable: int
    def __init__(self, recommendations: _Optional[_Iterable[_Union[Recommendation, _Mapping]]] = ..., model_version: _Optional[str] = ..., filtered_unsuitable: _Optional[int] = ...) -> None: ...

class BatchRecommendRequest(_message.Message):
    __slots__ = ("customer_ids", "context", "limit_per_customer")
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_PER_CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    context: RecommendationContext
    limit_per_customer: int
    def __init__(self, customer_ids: _Optional[_Iterable[str]] = ..., context: _Optional[_Union[RecommendationContext, _Mapping]] = ..., limit_per_customer: _Optional[int] = ...) -> None: ...

class CustomerRecommendations(_message.Message):
    __slots__ = ("customer_id", "recommendations")
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDATIONS_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    recommendations: _containers.RepeatedCompositeFieldContainer[Recommendation]
    def __init__(self, customer_id: _Optional[str] = ..., recommendations: _Optional[_Iterable[_Union[Recommendation, _Mapping]]] = ...) -> None: ...

class BatchRecommendResponse(_message.Message):
    __slots__ = ("results", "model_version")
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[CustomerRecommendations]
    model_version: str
    def __init__(self, results: _Optional[_Iterable[_Union[CustomerRecommendations, _Mapping]]] = ..., model_version: _Optional[str] = ...) -> None: ...
