"""Watchlists (自选股): which securities a customer follows.

Changed by the customer (through the app, as themself) or by HQ/another service; read in customer
360 within the caller's scope. Adding what is already there and removing what is not are no-ops,
so an app retrying a call changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.tag.v1 import customer_pb2
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_tag.models import customers, watchlists

MAX_CHANGES = 500
MAX_ENTRIES = 1000
SECURITY_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


def check_codes(codes: Sequence[str], field: str) -> list[str]:
    for position, code in enumerate(codes):
        if not SECURITY_CODE.match(code):
            raise InvalidArgument(f"{field}[{position}]", "a security code, e.g. 600519.SH (1-32 characters)")
    return list(dict.fromkeys(codes))


async def update_watchlist(
    session: AsyncSession, caller: Caller, customer_id: str, add: Sequence[str], remove: Sequence[str]
) -> list[customer_pb2.WatchlistEntry]:
    own = caller.role is Role.CUSTOMER and caller.customer_id == customer_id
    if not own and caller.role not in (Role.HQ_OPERATOR, Role.SERVICE):
        raise PermissionDenied(f"role {caller.role.value} may not change this watchlist")
    if not add and not remove:
        raise InvalidArgument("add_security_codes", "nothing to add or remove")
    if len(add) + len(remove) > MAX_CHANGES:
        raise InvalidArgument("add_security_codes", f"at most {MAX_CHANGES} changes per call")
    adding = check_codes(add, "add_security_codes")
    removing = check_codes(remove, "remove_security_codes")
    for position, code in enumerate(remove):
        if code in adding:
            raise InvalidArgument(f"remove_security_codes[{position}]", "also listed in add_security_codes")
    exists = (
        await session.execute(
            sa.select(customers.c.customer_id).where(customers.c.customer_id == customer_id).with_for_update()
        )
    ).first()
    if exists is None:
        raise NotFound("customer", customer_id)
    if removing:
        await session.execute(
            watchlists.delete().where(
                watchlists.c.customer_id == customer_id, watchlists.c.security_code.in_(removing)
            )
        )
    if adding:
        current = set(
            (
                await session.execute(
                    sa.select(watchlists.c.security_code).where(watchlists.c.customer_id == customer_id)
                )
            ).scalars()
        )
        if len(current | set(adding)) > MAX_ENTRIES:
            raise InvalidArgument("add_security_codes", f"a watchlist holds at most {MAX_ENTRIES} securities")
        await session.execute(
            postgresql.insert(watchlists).on_conflict_do_nothing(),
            [{"customer_id": customer_id, "security_code": code} for code in adding],
        )
    return await watchlist_of(session, customer_id)


async def watchlist_of(session: AsyncSession, customer_id: str) -> list[customer_pb2.WatchlistEntry]:
    entries = []
    for row in (
        await session.execute(
            sa.select(watchlists)
            .where(watchlists.c.customer_id == customer_id)
            .order_by(watchlists.c.added_at, watchlists.c.security_code)
        )
    ).all():
        entry = customer_pb2.WatchlistEntry(security_code=row.security_code)
        entry.added_at.FromDatetime(row.added_at)
        entries.append(entry)
    return entries
