"""Identity links over gRPC: link, unlink and resolve device / anonymous / WeChat ids.

The SDK path stitches identities from $SignUp / alias / identify events (``behavior``); this is
the same link for systems that know it directly (the app backend after a login, the WeChat
adapter with an openid). Linking uses the very same resolver, so events that arrived before the
link are attributed to the customer — and counted in their aggregates — exactly once. Identity
values are PII: stored encrypted and found by keyed hash, never returned unmasked.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import customer_pb2
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.outbox import emit
from lingxi_common.pii import PiiCipher, mask_openid
from lingxi_tag.aggregates import AggregateRule, StoredEvent, add_to_aggregates
from lingxi_tag.identity import Link, apply_link, identity_hash
from lingxi_tag.models import customers, identities, outbox

WRITERS = frozenset({Role.HQ_OPERATOR, Role.SERVICE})
# Ids only unique within one ingestion source need it named; WeChat / WeCom ids are global.
SOURCE_SCOPED = frozenset(
    {
        customer_pb2.IDENTITY_TYPE_DEVICE,
        customer_pb2.IDENTITY_TYPE_ANONYMOUS,
        customer_pb2.IDENTITY_TYPE_LOGIN,
    }
)
_SOURCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
MAX_VALUE = 256


@dataclass(frozen=True)
class Linked:
    link: customer_pb2.IdentityLink
    attributed: list[StoredEvent]


def _check(identity_type: int, value: str, source_id: str, prefix: str) -> None:
    if identity_type not in customer_pb2.IdentityType.values() or not identity_type:
        raise InvalidArgument(
            f"{prefix}identity_type",
            "DEVICE, ANONYMOUS, LOGIN, WECHAT_OPENID, WECHAT_UNIONID or WECOM_EXTERNAL_ID",
        )
    if not value.strip() or len(value) > MAX_VALUE:
        raise InvalidArgument(f"{prefix}value", f"required, at most {MAX_VALUE} characters")
    if source_id and not _SOURCE.match(source_id):
        raise InvalidArgument(f"{prefix}source_id", "1-64 letters, digits, '_', '.', ':', '-'")
    if identity_type in SOURCE_SCOPED and not source_id:
        raise InvalidArgument(f"{prefix}source_id", "required for device, anonymous and login ids")


def _meta() -> event_meta_pb2.EventMeta:
    meta = event_meta_pb2.EventMeta(event_id=str(uuid.uuid4()), producer="tag")
    meta.occurred_at.GetCurrentTime()
    return meta


async def link_identity(
    session: AsyncSession,
    cipher: PiiCipher,
    caller: Caller,
    link: customer_pb2.IdentityLink,
    rules: list[AggregateRule],
) -> Linked:
    if caller.role not in WRITERS:
        raise PermissionDenied(f"role {caller.role.value} may not link identities")
    _check(link.identity_type, link.value, link.source_id, "link.")
    owner = (
        await session.execute(
            sa.select(customers.c.customer_id).where(customers.c.customer_id == link.customer_id)
        )
    ).first()
    if owner is None:
        raise NotFound("customer", link.customer_id)
    value = link.value.strip()
    event_id = str(uuid.uuid4())
    earlier = await apply_link(
        session,
        cipher,
        Link(
            source_id=link.source_id,
            value=value,
            value_index=cipher.blind_index(value, context="identity"),
            customer_id=link.customer_id,
            identity_type=link.identity_type,
            event_id="",
            causation_id=event_id,
        ),
    )
    await add_to_aggregates(session, rules, earlier)
    meta = _meta()
    meta.event_id = event_id
    await emit(
        session,
        outbox,
        tag_events_pb2.IdentityLinked(
            meta=meta,
            customer_id=link.customer_id,
            identity_type=customer_pb2.IdentityType.Name(link.identity_type),
            identity_hash=identity_hash(link.source_id, value),
            source_id=link.source_id,
            events_attributed=len(earlier),
        ),
    )
    stored = customer_pb2.IdentityLink(
        identity_type=link.identity_type,
        value=mask_openid(value),
        customer_id=link.customer_id,
        source_id=link.source_id,
    )
    stored.linked_at.GetCurrentTime()
    return Linked(stored, earlier)


async def _find(session: AsyncSession, cipher: PiiCipher, source_id: str, value: str) -> Any:
    return (
        await session.execute(
            sa.select(identities).where(
                identities.c.source_id == source_id,
                identities.c.value_index == cipher.blind_index(value.strip(), context="identity"),
            )
        )
    ).first()


async def unlink_identity(
    session: AsyncSession, cipher: PiiCipher, caller: Caller, identity_type: int, value: str, source_id: str
) -> None:
    """Later events under the identity stay anonymous; what was attributed before stays attributed."""
    if caller.role not in WRITERS:
        raise PermissionDenied(f"role {caller.role.value} may not unlink identities")
    _check(identity_type, value, source_id, "")
    row = await _find(session, cipher, source_id, value)
    if row is None:
        raise NotFound("identity", f"{customer_pb2.IdentityType.Name(identity_type)} in source {source_id!r}")
    await session.execute(
        identities.delete().where(
            identities.c.source_id == row.source_id, identities.c.value_index == row.value_index
        )
    )


async def resolve_identity(
    session: AsyncSession, cipher: PiiCipher, caller: Caller, identity_type: int, value: str, source_id: str
) -> str:
    """The customer of an identity, or "" when unlinked — or linked to someone outside the scope."""
    if caller.role in (Role.PARTNER, Role.SRE, Role.CUSTOMER):
        raise PermissionDenied(f"role {caller.role.value} may not resolve identities")
    _check(identity_type, value, source_id, "")
    row = await _find(session, cipher, source_id, value)
    if row is None:
        return ""
    owner = (
        await session.execute(
            sa.select(customers.c.branch_id, customers.c.advisor_id).where(
                customers.c.customer_id == row.customer_id
            )
        )
    ).first()
    if owner is None or not caller.can_see_customer(
        customer_id=row.customer_id, branch_id=owner.branch_id, advisor_id=owner.advisor_id
    ):
        return ""
    return str(row.customer_id)
