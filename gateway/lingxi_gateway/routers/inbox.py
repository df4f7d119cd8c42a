"""The app's in-app inbox (站内信): the customer's own messages, read and deleted with their token.

Only a customer token reaches these routes; the channel service takes the customer id from the
caller identity the gateway forwards, never from the URL, so one customer can never name another.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, Field

from lingxi.channel.v1 import inbox_service_pb2, inbox_service_pb2_grpc
from lingxi.common.v1 import paging_pb2
from lingxi_common.identity import Caller, Role
from lingxi_gateway.auth.dependencies import require_roles
from lingxi_gateway.upstream import UpstreamDep

router = APIRouter(prefix="/api/v1/me/inbox", tags=["inbox"])
Customer = Annotated[Caller, Depends(require_roles(Role.CUSTOMER))]


def _stub(upstream: Any) -> inbox_service_pb2_grpc.InboxServiceStub:
    return inbox_service_pb2_grpc.InboxServiceStub(upstream.channel("channel"))


@router.get("", summary="My inbox, newest first, with the unread count")
async def list_inbox(
    _caller: Customer,
    upstream: UpstreamDep,
    unread_only: bool = False,
    category: Annotated[str, Query(max_length=32)] = "",
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    result = await _stub(upstream).ListInboxMessages(
        inbox_service_pb2.ListInboxMessagesRequest(
            unread_only=unread_only, category=category, page=paging_pb2.PageRequest(page_size=page_size)
        )
    )
    return {
        "messages": [MessageToDict(m, preserving_proto_field_name=True) for m in result.messages],
        "unread_count": result.unread_count,
    }


@router.get("/unread-count", summary="Unread messages (app badge)")
async def unread_count(_caller: Customer, upstream: UpstreamDep) -> dict[str, int]:
    result = await _stub(upstream).GetUnreadCount(inbox_service_pb2.GetUnreadCountRequest())
    return {"unread_count": result.unread_count}


class MessageIds(BaseModel):
    message_ids: list[str] = Field(default_factory=list, max_length=500)
    all: bool = Field(default=False, description="mark every message read (read only)")


@router.post("/read", summary="Mark messages (or all) read")
async def mark_read(body: MessageIds, _caller: Customer, upstream: UpstreamDep) -> dict[str, int]:
    result = await _stub(upstream).MarkInboxRead(
        inbox_service_pb2.MarkInboxReadRequest(message_ids=body.message_ids, all=body.all)
    )
    return {"marked": result.marked, "unread_count": result.unread_count}


@router.post("/delete", summary="Remove messages from my inbox (the record is kept)")
async def delete(body: MessageIds, _caller: Customer, upstream: UpstreamDep) -> dict[str, int]:
    result = await _stub(upstream).DeleteInboxMessages(
        inbox_service_pb2.DeleteInboxMessagesRequest(message_ids=body.message_ids)
    )
    return {"deleted": result.deleted}
