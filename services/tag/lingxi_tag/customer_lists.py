"""Many customers at once: BatchGetCustomers (profiles, optionally tags and holdings) and the paged,
scope-restricted ListCustomers.

Both answer only within the caller's data scope. A batch never fails for one unknown or hidden
id — such ids come back in ``missing_customer_ids`` (the caller cannot tell which, so the scope
does not leak). Lists always mask PII: a console list is not a reason to decrypt thousands of
phone numbers; an unmasked read is a GetCustomer/BatchGetCustomers call that is audited.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

import sqlalchemy as sa
from pyroaring import BitMap
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.tag.v1 import customer_pb2, tag_service_pb2
from lingxi_common.errors import InvalidArgument, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.pii import PiiCipher
from lingxi_tag.customer360 import holdings_summaries, tags_of_customers
from lingxi_tag.customers import PII_FIELDS, to_proto
from lingxi_tag.index import AudienceIndex
from lingxi_tag.models import customers, pii_access_log

MAX_BATCH = 1000
DEFAULT_PAGE = 100
MAX_PAGE = 1000
CUSTOMER_FIELDS = frozenset(field.name for field in customer_pb2.Customer.DESCRIPTOR.fields)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_TAG_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def require_reader(caller: Caller) -> None:
    if caller.role in (Role.PARTNER, Role.SRE):
        raise PermissionDenied(f"role {caller.role.value} may not read customer profiles")


def _visible(caller: Caller, row: Any) -> bool:
    return caller.can_see_customer(
        customer_id=row.customer_id, branch_id=row.branch_id, advisor_id=row.advisor_id
    )


async def batch_get(
    session: AsyncSession,
    cipher: PiiCipher,
    caller: Caller,
    request: tag_service_pb2.BatchGetCustomersRequest,
    *,
    request_id: str | None = None,
) -> tag_service_pb2.BatchGetCustomersResponse:
    require_reader(caller)
    ids = list(dict.fromkeys(request.customer_ids))
    if not ids:
        raise InvalidArgument("customer_ids", "at least one id is required")
    if len(ids) > MAX_BATCH:
        raise InvalidArgument("customer_ids", f"at most {MAX_BATCH} ids per call")
    for position, customer_id in enumerate(request.customer_ids):
        if not _ID.match(customer_id):
            raise InvalidArgument(f"customer_ids[{position}]", "1-64 letters, digits, '_', '.', '-'")
    unknown = sorted(set(request.read_mask.paths) - CUSTOMER_FIELDS)
    if unknown:
        raise InvalidArgument("read_mask", f"unknown Customer field(s): {', '.join(unknown)}")
    for position, code in enumerate(request.tag_codes):
        if not _TAG_CODE.match(code):
            raise InvalidArgument(f"tag_codes[{position}]", "a tag code (snake_case)")
    fields = frozenset(request.read_mask.paths) if request.read_mask.paths else None
    rows = {
        row.customer_id: row
        for row in (await session.execute(sa.select(customers).where(customers.c.customer_id.in_(ids)))).all()
    }
    visible = [
        rows[customer_id]
        for customer_id in ids
        if customer_id in rows and _visible(caller, rows[customer_id])
    ]
    found = {row.customer_id for row in visible}
    reveal = caller.may_read_pii
    if reveal:
        await _audit(session, caller, visible, fields, request_id)
    response = tag_service_pb2.BatchGetCustomersResponse(
        customers=[to_proto(row, cipher, reveal=reveal, fields=fields) for row in visible],
        missing_customer_ids=[customer_id for customer_id in ids if customer_id not in found],
    )
    if request.include_tags or request.include_holdings:
        chosen = [row.customer_id for row in visible]
        tags = (
            await tags_of_customers(session, chosen, list(request.tag_codes)) if request.include_tags else {}
        )
        summaries = await holdings_summaries(session, chosen) if request.include_holdings else {}
        for customer_id in chosen:
            details = response.details.add(customer_id=customer_id, tags=tags.get(customer_id, []))
            if request.include_holdings:
                details.holdings_summary.CopyFrom(summaries[customer_id])
    return response


async def _audit(
    session: AsyncSession,
    caller: Caller,
    rows: list[Any],
    fields: frozenset[str] | None,
    request_id: str | None,
) -> None:
    """One PII access log row per customer whose PII this answer reveals."""
    entries = []
    for row in rows:
        revealed = [
            field
            for field in PII_FIELDS
            if row._mapping[f"{field}_enc"] is not None and (fields is None or field in fields)
        ]
        if revealed:
            entries.append(
                {
                    "customer_id": row.customer_id,
                    "subject": caller.subject,
                    "role": caller.role.value,
                    "fields": revealed,
                    "request_id": request_id,
                }
            )
    if entries:
        await session.execute(pii_access_log.insert(), entries)


# --- ListCustomers --------------------------------------------------------------------------------


def _scoped_filters(caller: Caller, request: tag_service_pb2.ListCustomersRequest) -> tuple[str, str, bool]:
    """(branch, advisor, without_advisor) after applying the caller's scope; refuses widening it."""
    require_reader(caller)
    branch, advisor, without = request.branch_id, request.advisor_id, request.without_advisor
    if branch and not _ID.match(branch):
        raise InvalidArgument("branch_id", "1-64 letters, digits, '_', '.', '-'")
    if advisor and not _ID.match(advisor):
        raise InvalidArgument("advisor_id", "1-64 letters, digits, '_', '.', '-'")
    if advisor and without:
        raise InvalidArgument("without_advisor", "cannot be combined with advisor_id")
    if caller.sees_all_customers:
        return branch, advisor, without
    if caller.role is Role.BRANCH_MANAGER:
        if branch and branch != caller.branch_id:
            raise PermissionDenied(f"branch {branch!r} is outside your data scope")
        return caller.branch_id or "", advisor, without
    if caller.role is Role.ADVISOR:
        if advisor and advisor != caller.advisor_id:
            raise PermissionDenied(f"advisor {advisor!r} is outside your data scope")
        if without:
            raise PermissionDenied("HQ-served customers are outside an advisor's data scope")
        return branch, caller.advisor_id or "", False
    raise PermissionDenied(f"role {caller.role.value} may not list customers")


def _fingerprint(branch: str, advisor: str, without: bool) -> str:
    return hashlib.sha256(f"{branch}|{advisor}|{without}".encode()).hexdigest()[:16]


def _token(after: str, fingerprint: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([after, fingerprint]).encode()).decode()


def _untoken(token: str, fingerprint: str) -> str:
    if not token:
        return ""
    try:
        after, bound = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError) as error:
        raise InvalidArgument("page.page_token", "not a token from a previous page") from error
    if bound != fingerprint or not isinstance(after, str):
        raise InvalidArgument("page.page_token", "belongs to a request with other filters")
    return after


def _total(index: AudienceIndex | None, branch: str, advisor: str, without: bool) -> int:
    """Matching customers from the audience index's bitmaps (cheap), or -1 when it is not loaded."""
    if index is None or not index.ready.is_set():
        return -1
    members: BitMap = index.everyone
    if branch:
        members = members & index.branches.get(branch, BitMap())
    if advisor:
        members = members & index.advisors.get(advisor, BitMap())
    if without:
        members = members - index.with_advisor
    return len(members)


async def list_customers(
    session: AsyncSession,
    cipher: PiiCipher,
    caller: Caller,
    request: tag_service_pb2.ListCustomersRequest,
    index: AudienceIndex | None = None,
) -> tag_service_pb2.ListCustomersResponse:
    """One page in customer id order; the token is bound to the (scoped) filters."""
    branch, advisor, without = _scoped_filters(caller, request)
    if request.page.page_size < 0:
        raise InvalidArgument("page.page_size", "must not be negative")
    size = min(request.page.page_size or DEFAULT_PAGE, MAX_PAGE)
    fingerprint = _fingerprint(branch, advisor, without)
    after = _untoken(request.page.page_token, fingerprint)
    query = sa.select(customers).order_by(customers.c.customer_id).limit(size + 1)
    if after:
        query = query.where(customers.c.customer_id > after)
    if branch:
        query = query.where(customers.c.branch_id == branch)
    if advisor:
        query = query.where(customers.c.advisor_id == advisor)
    if without:
        query = query.where(customers.c.advisor_id.is_(None))
    rows = (await session.execute(query)).all()
    page = rows[:size]
    response = tag_service_pb2.ListCustomersResponse(
        customers=[to_proto(row, cipher, reveal=False) for row in page]
    )
    response.page.next_page_token = _token(page[-1].customer_id, fingerprint) if len(rows) > size else ""
    response.page.total_size = _total(index, branch, advisor, without)
    return response
