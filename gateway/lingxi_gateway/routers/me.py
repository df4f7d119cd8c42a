"""``GET /api/v1/me``: who the gateway thinks the caller is, and what they may see.

Apps use it to decide what to show after login; tests and operators use it to check a token or
API key end to end without touching any service.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from lingxi_common.identity import Caller, Role
from lingxi_gateway.auth.dependencies import CurrentPrincipal

router = APIRouter(prefix="/api/v1", tags=["identity"])

ScopeKind = Literal["all", "branch", "advisor", "self", "none"]


class DataScope(BaseModel):
    """Which customers the caller's requests can reach."""

    kind: ScopeKind = Field(description="all customers, one branch's, one advisor's, only self, or none")
    branch_id: str | None = None
    advisor_id: str | None = None
    customer_id: str | None = None


class Me(BaseModel):
    subject: str
    role: Role
    auth_method: Literal["bearer", "api_key"]
    data_scope: DataScope
    may_read_pii: bool = Field(description="Whether unmasked phone/id numbers are returned (and audited)")
    scopes: list[str] = Field(default_factory=list, description="API key scopes (partners only)")
    key_id: str | None = Field(default=None, description="API key id (partners only)")
    token_expires_at: datetime | None = Field(default=None, description="Bearer token expiry")


def data_scope(caller: Caller) -> DataScope:
    if caller.sees_all_customers:
        return DataScope(kind="all")
    if caller.role is Role.BRANCH_MANAGER:
        return DataScope(kind="branch", branch_id=caller.branch_id)
    if caller.role is Role.ADVISOR:
        return DataScope(kind="advisor", advisor_id=caller.advisor_id, branch_id=caller.branch_id)
    if caller.role is Role.CUSTOMER:
        return DataScope(kind="self", customer_id=caller.customer_id)
    return DataScope(kind="none")


@router.get("/me", summary="The authenticated caller's identity and data scope")
async def me(principal: CurrentPrincipal) -> Me:
    caller = principal.caller
    return Me(
        subject=caller.subject,
        role=caller.role,
        auth_method=principal.method,
        data_scope=data_scope(caller),
        may_read_pii=caller.may_read_pii,
        scopes=sorted(principal.scopes),
        key_id=principal.key_id,
        token_expires_at=principal.expires_at,
    )
