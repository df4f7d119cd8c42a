"""The contact ledger for operators: everything sent to a customer, everything a campaign sent.

Scope is enforced by the channel service (a branch manager sees only the branch's customers, an
advisor only their own); variables come back masked unless the role may read personal data.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from google.protobuf.json_format import MessageToDict

from lingxi.channel.v1 import channel_service_pb2, channel_service_pb2_grpc
from lingxi.common.v1 import paging_pb2
from lingxi_common.identity import Caller, Role
from lingxi_gateway.auth.dependencies import require_roles
from lingxi_gateway.upstream import UpstreamDep

router = APIRouter(prefix="/api/v1/messages", tags=["contact ledger"])
Operator = Annotated[
    Caller,
    Depends(
        require_roles(
            Role.HQ_OPERATOR, Role.COMPLIANCE, Role.BRANCH_MANAGER, Role.ADVISOR, Role.CALL_CENTER, Role.SRE
        )
    ),
]


def _json(message: Any) -> dict[str, Any]:
    return MessageToDict(message, preserving_proto_field_name=True)


@router.get("", summary="Ledger query by customer, campaign, strategy or task (newest first)")
async def list_messages(
    _caller: Operator,
    upstream: UpstreamDep,
    customer_id: Annotated[str, Query(max_length=64)] = "",
    campaign_id: Annotated[str, Query(max_length=128)] = "",
    strategy_id: Annotated[str, Query(max_length=128)] = "",
    task_id: Annotated[str, Query(max_length=128)] = "",
    page_size: Annotated[int, Query(ge=1, le=1000)] = 100,
    page_token: str = "",
) -> dict[str, Any]:
    if not (customer_id or campaign_id or strategy_id or task_id) and _caller.role is not Role.COMPLIANCE:
        raise HTTPException(status_code=400, detail="name a customer_id, campaign_id, strategy_id or task_id")
    stub = channel_service_pb2_grpc.ChannelServiceStub(upstream.channel("channel"))
    result = await stub.ListMessages(
        channel_service_pb2.ListMessagesRequest(
            customer_id=customer_id,
            campaign_id=campaign_id,
            strategy_id=strategy_id,
            task_id=task_id,
            page=paging_pb2.PageRequest(page_size=page_size, page_token=page_token),
        )
    )
    return {"messages": [_json(m) for m in result.messages], "next_page_token": result.page.next_page_token}


@router.get("/{message_id}", summary="One ledger record with its status history and policy decisions")
async def get_message(message_id: str, _caller: Operator, upstream: UpstreamDep) -> dict[str, Any]:
    stub = channel_service_pb2_grpc.ChannelServiceStub(upstream.channel("channel"))
    result = await stub.GetMessage(channel_service_pb2.GetMessageRequest(message_id=message_id))
    return {"message": _json(result.message)}
