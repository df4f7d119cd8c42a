"""Tag definitions through the gateway: list, read, create, validate, preview, activate, retire.

Writes need the hq_operator role (checked here for a fast 403 and again in the tag service); an
invalid rule is a 400 whose detail names line, column and reason.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, Field

from lingxi.tag.v1 import tag_definition_pb2 as defs_pb2
from lingxi.tag.v1 import tag_definition_service_pb2 as svc_pb2
from lingxi.tag.v1 import tag_definition_service_pb2_grpc as svc_grpc
from lingxi_common.identity import Caller, Role
from lingxi_gateway.auth.dependencies import require_roles
from lingxi_gateway.upstream import UpstreamDep

router = APIRouter(prefix="/api/v1/tags", tags=["tags"])
Operator = Annotated[Caller, Depends(require_roles(Role.HQ_OPERATOR))]
ValueType = Literal["BOOL", "ENUM", "INTEGER", "DECIMAL"]
Refresh = Literal["REALTIME", "DAILY"]


class OptionIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    display_name: str = Field(default="", max_length=64)


class TagDefinitionIn(BaseModel):
    code: str = Field(min_length=2, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    display_name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=2000)
    category_code: str = Field(min_length=1, max_length=64)
    owner: str = Field(default="", max_length=100)
    value_type: ValueType = "BOOL"
    options: list[OptionIn] = Field(default_factory=list, max_length=100)
    rule: str = Field(min_length=1, max_length=10_000, description="CEL over customer, holdings, attr, agg")
    refresh_mode: Refresh = "REALTIME"


class RuleIn(BaseModel):
    rule: str = Field(min_length=1, max_length=10_000)
    value_type: ValueType = "BOOL"


def _stub(upstream: Any) -> svc_grpc.TagDefinitionServiceStub:
    return svc_grpc.TagDefinitionServiceStub(upstream.channel("tag"))


def _json(message: Any) -> Any:
    return MessageToDict(message, preserving_proto_field_name=True)


@router.get("", summary="Draft and active tag definitions")
async def list_tags(upstream: UpstreamDep, category: str = "", query: str = "") -> dict[str, Any]:
    result = await _stub(upstream).ListTagDefinitions(
        svc_pb2.ListTagDefinitionsRequest(category_code=category, query=query)
    )
    return {"definitions": [_json(d) for d in result.definitions]}


@router.get("/{code}", summary="A tag definition (the active version unless ?version=)")
async def get_tag(code: str, upstream: UpstreamDep, version: int = 0) -> dict[str, Any]:
    result = await _stub(upstream).GetTagDefinition(
        svc_pb2.GetTagDefinitionRequest(code=code, version=version)
    )
    return {"definition": _json(result.definition)}


@router.post("", summary="Create a tag as a draft (HQ operators)", status_code=201)
async def create_tag(body: TagDefinitionIn, _caller: Operator, upstream: UpstreamDep) -> dict[str, Any]:
    definition = defs_pb2.TagDefinition(
        code=body.code,
        display_name=body.display_name,
        description=body.description,
        category_code=body.category_code,
        owner=body.owner,
        value_type=defs_pb2.TagValueType.Value(f"TAG_VALUE_TYPE_{body.value_type}"),
        options=[defs_pb2.TagValueOption(code=o.code, display_name=o.display_name) for o in body.options],
        rule=body.rule,
        refresh_mode=defs_pb2.RefreshMode.Value(f"REFRESH_MODE_{body.refresh_mode}"),
    )
    result = await _stub(upstream).CreateTagDefinition(
        svc_pb2.CreateTagDefinitionRequest(definition=definition)
    )
    return {"definition": _json(result.definition)}


@router.post("/validate", summary="Compile a rule without saving (errors with line and column)")
async def validate_rule(body: RuleIn, upstream: UpstreamDep) -> dict[str, Any]:
    result = await _stub(upstream).ValidateTagRule(
        svc_pb2.ValidateTagRuleRequest(
            rule=body.rule, value_type=defs_pb2.TagValueType.Value(f"TAG_VALUE_TYPE_{body.value_type}")
        )
    )
    return MessageToDict(result, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


@router.post("/{code}/preview", summary="Count and sample of customers a draft would tag")
async def preview_tag(
    code: str, upstream: UpstreamDep, version: int = 0, sample_size: int = 10
) -> dict[str, Any]:
    result = await _stub(upstream).PreviewTagDefinition(
        svc_pb2.PreviewTagDefinitionRequest(code=code, version=version, sample_size=sample_size)
    )
    return MessageToDict(result, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


@router.post("/{code}/activate", summary="Activate a draft version (HQ operators)")
async def activate_tag(
    code: str, _caller: Operator, upstream: UpstreamDep, version: int = 0
) -> dict[str, Any]:
    result = await _stub(upstream).ActivateTagDefinition(
        svc_pb2.ActivateTagDefinitionRequest(code=code, version=version)
    )
    return {"definition": _json(result.definition), "recompute": _json(result.recompute)}


@router.post("/{code}/retire", summary="Stop evaluating a tag (HQ operators)")
async def retire_tag(code: str, _caller: Operator, upstream: UpstreamDep) -> dict[str, Any]:
    result = await _stub(upstream).RetireTagDefinition(svc_pb2.RetireTagDefinitionRequest(code=code))
    return {"definition": _json(result.definition)}
