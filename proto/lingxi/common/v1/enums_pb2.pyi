from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class RiskLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RISK_LEVEL_UNSPECIFIED: _ClassVar[RiskLevel]
    RISK_LEVEL_C1: _ClassVar[RiskLevel]
    RISK_LEVEL_C2: _ClassVar[RiskLevel]
    RISK_LEVEL_C3: _ClassVar[RiskLevel]
    RISK_LEVEL_C4: _ClassVar[RiskLevel]
    RISK_LEVEL_C5: _ClassVar[RiskLevel]

class ProductRiskRating(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PRODUCT_RISK_RATING_UNSPECIFIED: _ClassVar[ProductRiskRating]
    PRODUCT_RISK_RATING_R1: _ClassVar[ProductRiskRating]
    PRODUCT_RISK_RATING_R2: _ClassVar[ProductRiskRating]
    PRODUCT_RISK_RATING_R3: _ClassVar[ProductRiskRating]
    PRODUCT_RISK_RATING_R4: _ClassVar[ProductRiskRating]
    PRODUCT_RISK_RATING_R5: _ClassVar[ProductRiskRating]

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_APP_PUSH: _ClassVar[Channel]
    CHANNEL_INBOX: _ClassVar[Channel]
    CHANNEL_WECHAT_OA: _ClassVar[Channel]
    CHANNEL_WECHAT_MINI: _ClassVar[Channel]
    CHANNEL_WECOM: _ClassVar[Channel]
    CHANNEL_SMS: _ClassVar[Channel]
    CHANNEL_CALL: _ClassVar[Channel]
    CHANNEL_ADVISOR_TASK: _ClassVar[Channel]
    CHANNEL_WEBHOOK: _ClassVar[Channel]

class MessageClass(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MESSAGE_CLASS_UNSPECIFIED: _ClassVar[MessageClass]
    MESSAGE_CLASS_MARKETING: _ClassVar[MessageClass]
    MESSAGE_CLASS_SERVICE: _ClassVar[MessageClass]
    MESSAGE_CLASS_MANDATORY_NOTICE: _ClassVar[MessageClass]
RISK_LEVEL_UNSPECIFIED: RiskLevel
RISK_LEVEL_C1: RiskLevel
RISK_LEVEL_C2: RiskLevel
RISK_LEVEL_C3: RiskLevel
RISK_LEVEL_C4: RiskLevel
RISK_LEVEL_C5: RiskLevel
PRODUCT_RISK_RATING_UNSPECIFIED: ProductRiskRating
PRODUCT_RISK_RATING_R1: ProductRiskRating
PRODUCT_RISK_RATING_R2: ProductRiskRating
PRODUCT_RISK_RATING_R3: ProductRiskRating
PRODUCT_RISK_RATING_R4: ProductRiskRating
PRODUCT_RISK_RATING_R5: ProductRiskRating
CHANNEL_UNSPECIFIED: Channel
CHANNEL_APP_PUSH: Channel
CHANNEL_INBOX: Channel
CHANNEL_WECHAT_OA: Channel
CHANNEL_WECHAT_MINI: Channel
CHANNEL_WECOM: Channel
CHANNEL_SMS: Channel
CHANNEL_CALL: Channel
CHANNEL_ADVISOR_TASK: Channel
CHANNEL_WEBHOOK: Channel
MESSAGE_CLASS_UNSPECIFIED: MessageClass
MESSAGE_CLASS_MARKETING: MessageClass
MESSAGE_CLASS_SERVICE: MessageClass
MESSAGE_CLASS_MANDATORY_NOTICE: MessageClass
