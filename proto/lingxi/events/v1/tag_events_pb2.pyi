import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from lingxi.common.v1 import customer_pb2 as _customer_pb2
from lingxi.common.v1 import date_pb2 as _date_pb2
from lingxi.common.v1 import decimal_pb2 as _decimal_pb2
from lingxi.common.v1 import enums_pb2 as _enums_pb2
from lingxi.common.v1 import event_meta_pb2 as _event_meta_pb2
from lingxi.common.v1 import options_pb2 as _options_pb2
from lingxi.tag.v1 import customer_pb2 as _customer_pb2_1
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChangeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANGE_KIND_UNSPECIFIED: _ClassVar[ChangeKind]
    CHANGE_KIND_CREATED: _ClassVar[ChangeKind]
    CHANGE_KIND_UPDATED: _ClassVar[ChangeKind]

class TagChangeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAG_CHANGE_KIND_UNSPECIFIED: _ClassVar[TagChangeKind]
    TAG_CHANGE_KIND_ENTERED: _ClassVar[TagChangeKind]
    TAG_CHANGE_KIND_LEFT: _ClassVar[TagChangeKind]
    TAG_CHANGE_KIND_VALUE_CHANGED: _ClassVar[TagChangeKind]

class TagDefinitionChange(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAG_DEFINITION_CHANGE_UNSPECIFIED: _ClassVar[TagDefinitionChange]
    TAG_DEFINITION_CHANGE_CREATED: _ClassVar[TagDefinitionChange]
    TAG_DEFINITION_CHANGE_ACTIVATED: _ClassVar[TagDefinitionChange]
    TAG_DEFINITION_CHANGE_RETIRED: _ClassVar[TagDefinitionChange]
CHANGE_KIND_UNSPECIFIED: ChangeKind
CHANGE_KIND_CREATED: ChangeKind
CHANGE_KIND_UPDATED: ChangeKind
TAG_CHANGE_KIND_UNSPECIFIED: TagChangeKind
TAG_CHANGE_KIND_ENTERED: TagChangeKind
TAG_CHANGE_KIND_LEFT: TagChangeKind
TAG_CHANGE_KIND_VALUE_CHANGED: TagChangeKind
TAG_DEFINITION_CHANGE_UNSPECIFIED: TagDefinitionChange
TAG_DEFINITION_CHANGE_CREATED: TagDefinitionChange
TAG_DEFINITION_CHANGE_ACTIVATED: TagDefinitionChange
TAG_DEFINITION_CHANGE_RETIRED: TagDefinitionChange

class CustomerChanged(_message.Message):
    __slots__ = ("meta", "customer_id", "branch_id", "advisor_id", "kind", "changed_fields", "version", "risk_level", "risk_assessment_expires_on", "professional_investor", "status")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    BRANCH_ID_FIELD_NUMBER: _ClassVar[int]
    ADVISOR_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    RISK_ASSESSMENT_EXPIRES_ON_FIELD_NUMBER: _ClassVar[int]
    PROFESSIONAL_INVESTOR_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer_id: str
    branch_id: str
    advisor_id: str
    kind: ChangeKind
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    version: int
    risk_level: _enums_pb2.RiskLevel
    risk_assessment_expires_on: _date_pb2.Date
    professional_investor: bool
    status: _customer_pb2_1.CustomerStatus
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer_id: _Optional[str] = ..., branch_id: _Optional[str] = ..., advisor_id: _Optional[str] = ..., kind: _Optional[_Union[ChangeKind, str]] = ..., changed_fields: _Optional[_Iterable[str]] = ..., version: _Optional[int] = ..., risk_level: _Optional[_Union[_enums_pb2.RiskLevel, str]] = ..., risk_assessment_expires_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., professional_investor: _Optional[bool] = ..., status: _Optional[_Union[_customer_pb2_1.CustomerStatus, str]] = ...) -> None: ...

class CustomerTagChanged(_message.Message):
    __slots__ = ("meta", "customer", "tag_code", "change", "old_value", "new_value", "definition_version", "sequence", "from_recompute")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    TAG_CODE_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    OLD_VALUE_FIELD_NUMBER: _ClassVar[int]
    NEW_VALUE_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_VERSION_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    FROM_RECOMPUTE_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer: _customer_pb2.CustomerRef
    tag_code: str
    change: TagChangeKind
    old_value: str
    new_value: str
    definition_version: int
    sequence: int
    from_recompute: bool
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., tag_code: _Optional[str] = ..., change: _Optional[_Union[TagChangeKind, str]] = ..., old_value: _Optional[str] = ..., new_value: _Optional[str] = ..., definition_version: _Optional[int] = ..., sequence: _Optional[int] = ..., from_recompute: _Optional[bool] = ...) -> None: ...

class AccountChanged(_message.Message):
    __slots__ = ("meta", "customer", "account_id", "kind", "changed_fields", "maintenance_ratio", "previous_maintenance_ratio", "contract_expires_on", "total_assets", "cash_balance", "as_of", "account_type")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    MAINTENANCE_RATIO_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_MAINTENANCE_RATIO_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_EXPIRES_ON_FIELD_NUMBER: _ClassVar[int]
    TOTAL_ASSETS_FIELD_NUMBER: _ClassVar[int]
    CASH_BALANCE_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_TYPE_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer: _customer_pb2.CustomerRef
    account_id: str
    kind: ChangeKind
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    maintenance_ratio: _decimal_pb2.Decimal
    previous_maintenance_ratio: _decimal_pb2.Decimal
    contract_expires_on: _date_pb2.Date
    total_assets: _decimal_pb2.Money
    cash_balance: _decimal_pb2.Money
    as_of: _timestamp_pb2.Timestamp
    account_type: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer: _Optional[_Union[_customer_pb2.CustomerRef, _Mapping]] = ..., account_id: _Optional[str] = ..., kind: _Optional[_Union[ChangeKind, str]] = ..., changed_fields: _Optional[_Iterable[str]] = ..., maintenance_ratio: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., previous_maintenance_ratio: _Optional[_Union[_decimal_pb2.Decimal, _Mapping]] = ..., contract_expires_on: _Optional[_Union[_date_pb2.Date, _Mapping]] = ..., total_assets: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., cash_balance: _Optional[_Union[_decimal_pb2.Money, _Mapping]] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., account_type: _Optional[str] = ...) -> None: ...

class IdentityLinked(_message.Message):
    __slots__ = ("meta", "customer_id", "identity_type", "identity_hash", "source_id", "events_attributed")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_HASH_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    EVENTS_ATTRIBUTED_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer_id: str
    identity_type: str
    identity_hash: str
    source_id: str
    events_attributed: int
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer_id: _Optional[str] = ..., identity_type: _Optional[str] = ..., identity_hash: _Optional[str] = ..., source_id: _Optional[str] = ..., events_attributed: _Optional[int] = ...) -> None: ...

class TagDefinitionChanged(_message.Message):
    __slots__ = ("meta", "tag_code", "version", "change", "actor")
    META_FIELD_NUMBER: _ClassVar[int]
    TAG_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    tag_code: str
    version: int
    change: TagDefinitionChange
    actor: _customer_pb2.Actor
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., tag_code: _Optional[str] = ..., version: _Optional[int] = ..., change: _Optional[_Union[TagDefinitionChange, str]] = ..., actor: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ...) -> None: ...

class AudienceSnapshotCreated(_message.Message):
    __slots__ = ("meta", "snapshot_id", "name", "count", "purpose", "created_by")
    META_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    snapshot_id: str
    name: str
    count: int
    purpose: str
    created_by: _customer_pb2.Actor
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., snapshot_id: _Optional[str] = ..., name: _Optional[str] = ..., count: _Optional[int] = ..., purpose: _Optional[str] = ..., created_by: _Optional[_Union[_customer_pb2.Actor, _Mapping]] = ...) -> None: ...

class RecomputeCompleted(_message.Message):
    __slots__ = ("meta", "job_id", "business_date", "tag_codes", "customers", "changes", "succeeded")
    META_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_DATE_FIELD_NUMBER: _ClassVar[int]
    TAG_CODES_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    SUCCEEDED_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    job_id: str
    business_date: str
    tag_codes: _containers.RepeatedScalarFieldContainer[str]
    customers: int
    changes: int
    succeeded: bool
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., job_id: _Optional[str] = ..., business_date: _Optional[str] = ..., tag_codes: _Optional[_Iterable[str]] = ..., customers: _Optional[int] = ..., changes: _Optional[int] = ..., succeeded: _Optional[bool] = ...) -> None: ...

class RecomputeTagsCommand(_message.Message):
    __slots__ = ("meta", "customer_ids", "tag_codes", "reason")
    META_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_IDS_FIELD_NUMBER: _ClassVar[int]
    TAG_CODES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    meta: _event_meta_pb2.EventMeta
    customer_ids: _containers.RepeatedScalarFieldContainer[str]
    tag_codes: _containers.RepeatedScalarFieldContainer[str]
    reason: str
    def __init__(self, meta: _Optional[_Union[_event_meta_pb2.EventMeta, _Mapping]] = ..., customer_ids: _Optional[_Iterable[str]] = ..., tag_codes: _Optional[_Iterable[str]] = ..., reason: _Optional[str] = ...) -> None: ...
