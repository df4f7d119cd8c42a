"""The double-entry, append-only points ledger.

Points are a liability on the brokerage's books, so every change is a *posting*: a set of entries
over accounts that sums to zero (an earn debits the house ISSUANCE account and credits the
member), recorded once under a business key and never edited. Corrections are new postings that
reverse old ones.

Why it is shaped this way:
- **Serialisation per member.** Every posting first locks the member's `balances` row
  (`SELECT … FOR UPDATE`). Two postings on one member therefore run one after the other, so a
  balance check ("enough points to spend?") cannot be invalidated by a concurrent spend, while
  postings on different members never wait for each other. The house accounts have no balance
  row of their own (their balance is the sum of their entries), precisely so that they never
  become one hot row that serialises the whole ledger.
- **Idempotency by business key.** The key is checked after the member lock, so a concurrent
  replay of the same key on the same member sees the first one's committed posting. A replay with
  the same payload (same SHA-256 of the canonical request) returns the original posting; a
  different payload is refused, because silently returning the other result would hide a bug in
  the caller. The key is also UNIQUE in the table, the last line of defence across members.
- **Expiry lots.** A member's available and pending points are held as lots, each with its
  expiry date. Spending takes the earliest-expiring lots first; expiry debits exactly the lots
  it expires; entries on member accounts name their lot, so every point can be traced from the
  earn that created it to the spend or expiry that used it.
- **Never negative.** The domain checks the balance under the lock and refuses with a clear
  error; CHECK constraints on `balances` and `lots` are the backstop against any bug.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi_common.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound
from lingxi_points.events import outbox_row, posting_event
from lingxi_points.models import balances, entries, expiry_buckets, postings
from lingxi_points.models import lots as lots_table

# Business days (check-in days, caps, expiry dates) follow the brokerage's calendar.
BUSINESS_TZ = ZoneInfo("Asia/Shanghai")

# Largest single posting accepted: far above any real award, far below BIGINT overflow.
MAX_POINTS = 10**12


class Account(StrEnum):
    """Ledger accounts (names match lingxi.points.v1.LedgerAccountKind without its prefix)."""

    MEMBER_AVAILABLE = "MEMBER_AVAILABLE"
    MEMBER_PENDING = "MEMBER_PENDING"
    MEMBER_RESERVED = "MEMBER_RESERVED"
    ISSUANCE = "ISSUANCE"
    REDEMPTION = "REDEMPTION"
    EXPIRY = "EXPIRY"
    ADJUSTMENT = "ADJUSTMENT"

    @property
    def is_member(self) -> bool:
        return self in _MEMBER_ACCOUNTS


_MEMBER_ACCOUNTS = frozenset({Account.MEMBER_AVAILABLE, Account.MEMBER_PENDING, Account.MEMBER_RESERVED})


class Kind(StrEnum):
    """Posting kinds (names match lingxi.points.v1.PostingKind without its prefix)."""

    EARN = "EARN"
    RELEASE_PENDING = "RELEASE_PENDING"
    SPEND = "SPEND"
    RESERVE = "RESERVE"
    UNRESERVE = "UNRESERVE"
    CONSUME = "CONSUME"
    EXPIRE = "EXPIRE"
    REVERSAL = "REVERSAL"
    ADJUSTMENT = "ADJUSTMENT"


@dataclass(frozen=True, slots=True)
class Line:
    """One entry of a posting: a signed amount on one account (and lot, for member points)."""

    account: Account
    amount: int
    lot_id: uuid.UUID | None = None
    lot_expires_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Balance:
    customer_id: str
    available: int
    pending: int
    reserved: int
    lifetime_earned: int


@dataclass(frozen=True, slots=True)
class Posting:
    posting_id: uuid.UUID
    business_key: str
    kind: Kind
    customer_id: str
    points: int
    lines: tuple[Line, ...]
    rule_code: str | None
    description: str
    reverses_posting_id: uuid.UUID | None
    request_sha256: str
    origin: dict[str, str] | None
    posted_by: dict[str, str] | None
    occurred_at: dt.datetime
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PostingResult:
    posting: Posting
    # True when the business key had been posted before and the original is returned.
    replayed: bool
    balance: Balance


@dataclass(frozen=True, slots=True)
class Context:
    """Who and what caused a posting: shown in history and carried on its events."""

    description: str = ""
    rule_code: str | None = None
    origin: Mapping[str, str] | None = None
    posted_by: Mapping[str, str] | None = None
    occurred_at: dt.datetime | None = None


@dataclass
class _NewLot:
    lot_id: uuid.UUID
    state: str
    points: int
    expires_on: dt.date | None
    available_on: dt.date | None


@dataclass
class _Draft:
    kind: Kind
    lines: list[Line]
    new_lots: list[_NewLot] = field(default_factory=list)
    # Lots that change state (pending → available) without changing their remaining points.
    released_lots: list[uuid.UUID] = field(default_factory=list)
    earned_delta: int = 0
    reverses: uuid.UUID | None = None


def business_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(BUSINESS_TZ).date()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def request_sha256(payload: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of what was asked (not of when or how it was described)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_points(value: int, field_name: str = "points") -> None:
    """Points are strictly positive whole numbers; the posting kind gives the direction."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(field_name, "must be a whole number of points")
    if value <= 0:
        raise InvalidArgument(field_name, f"must be greater than zero, got {value}")
    if value > MAX_POINTS:
        raise InvalidArgument(field_name, f"must be at most {MAX_POINTS}, got {value}")


def check_key(business_key: str) -> None:
    if not business_key or not business_key.strip():
        raise InvalidArgument("business_key", "is required (it makes the posting idempotent)")
    if len(business_key) > 200:
        raise InvalidArgument("business_key", "must be at most 200 characters")


# --- locking and replay ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Locked:
    balance: Balance
    existing_id: uuid.UUID | None
    existing_sha: str | None
    # The member's live available lots in spending order, when asked for.
    lots: list[dict[str, Any]] | None


_LOCK = sa.text("SELECT * FROM points.lock_member(:customer, :key, :with_lots)")


async def _lock(
    session: AsyncSession, customer_id: str, business_key: str, *, with_lots: bool = False
) -> _Locked:
    """Lock the member's balance row, then read the business key (and lots) in one round trip."""
    if not customer_id:
        raise InvalidArgument("customer_id", "is required")
    row = (
        await session.execute(_LOCK, {"customer": customer_id, "key": business_key, "with_lots": with_lots})
    ).one()
    if not row.known:
        raise NotFound("member", customer_id)
    balance = Balance(customer_id, row.available, row.pending, row.reserved, row.lifetime_earned)
    lots = json.loads(row.lots) if isinstance(row.lots, str) else row.lots
    return _Locked(balance, row.existing_id, row.existing_sha, lots)


async def lock_member(session: AsyncSession, customer_id: str) -> Balance:
    """Lock the member's balance row for the rest of the transaction (creating it if needed)."""
    return (await _lock(session, customer_id, "")).balance


async def read_balance(session: AsyncSession, customer_id: str) -> Balance:
    row = (await session.execute(sa.select(balances).where(balances.c.customer_id == customer_id))).first()
    if row is None:
        return Balance(customer_id, 0, 0, 0, 0)
    return Balance(row.customer_id, row.available, row.pending, row.reserved, row.lifetime_earned)


async def read_expiring(session: AsyncSession, customer_id: str) -> tuple[tuple[dt.date, int], ...]:
    """The member's points per expiry date, earliest first (kept by the posting functions)."""
    rows = await session.execute(
        sa.select(expiry_buckets.c.expires_on, expiry_buckets.c.points)
        .where(expiry_buckets.c.customer_id == customer_id, expiry_buckets.c.points > 0)
        .order_by(expiry_buckets.c.expires_on)
    )
    return tuple((day, int(points)) for day, points in rows.all())


async def find_posting(
    session: AsyncSession, *, posting_id: uuid.UUID | None = None, business_key: str | None = None
) -> Posting | None:
    condition = (
        postings.c.posting_id == posting_id
        if posting_id is not None
        else postings.c.business_key == business_key
    )
    row = (await session.execute(sa.select(postings).where(condition))).first()
    if row is None:
        return None
    line_rows = (
        await session.execute(
            sa.select(entries).where(entries.c.posting_id == row.posting_id).order_by(entries.c.entry_id)
        )
    ).all()
    return _posting_from_row(row, line_rows)


def _posting_from_row(row: Any, line_rows: Sequence[Any]) -> Posting:
    return Posting(
        posting_id=row.posting_id,
        business_key=row.business_key,
        kind=Kind(row.kind),
        customer_id=row.customer_id,
        points=row.points,
        lines=tuple(
            Line(Account(line.account), line.amount, line.lot_id, line.lot_expires_on) for line in line_rows
        ),
        rule_code=row.rule_code,
        description=row.description,
        reverses_posting_id=row.reverses_posting_id,
        request_sha256=row.request_sha256,
        origin=row.origin,
        posted_by=row.posted_by,
        occurred_at=row.occurred_at,
        created_at=row.created_at,
    )


async def _replay(
    session: AsyncSession, business_key: str, sha: str, locked: _Locked
) -> PostingResult | None:
    if locked.existing_id is None:
        return None
    if locked.existing_sha != sha:
        raise Conflict(
            f"business_key {business_key!r} was already posted with a different payload "
            f"(posting {locked.existing_id}); use a new key for a new fact"
        )
    existing = await find_posting(session, posting_id=locked.existing_id)
    assert existing is not None
    return PostingResult(existing, True, locked.balance)


# --- writing --------------------------------------------------------------------------------


async def _write(
    session: AsyncSession,
    *,
    balance: Balance,
    business_key: str,
    sha: str,
    draft: _Draft,
    context: Context,
) -> PostingResult:
    result, document = build_posting(
        balance=balance, business_key=business_key, sha=sha, draft=draft, context=context
    )
    try:
        await session.execute(_APPLY, {"doc": orjson.dumps(document, default=str).decode()})
    except IntegrityError as error:
        # Only a concurrent posting of the same key for another member gets here (same-member
        # replays are caught under the lock); the UNIQUE key keeps the ledger right regardless.
        raise Conflict(
            f"business_key {business_key!r} was posted concurrently; retry to read the original"
        ) from error
    return result


def build_posting(
    *,
    balance: Balance,
    business_key: str,
    sha: str,
    draft: _Draft,
    context: Context,
) -> tuple[PostingResult, dict[str, Any]]:
    """Check a draft against the balance and shape it as the document `apply_posting` stores.

    Pure (no database), so the group-commit path can build many postings against balances it
    holds in memory and store them in one statement.
    """
    lines = [line for line in draft.lines if line.amount != 0]
    if sum(line.amount for line in lines) != 0:  # a programming error, never user input
        raise AssertionError(f"unbalanced posting {business_key}: {lines}")
    deltas: dict[Account, int] = defaultdict(int)
    lot_deltas: dict[uuid.UUID, int] = defaultdict(int)
    new_lot_ids = {lot.lot_id for lot in draft.new_lots}
    for line in lines:
        if line.account.is_member:
            deltas[line.account] += line.amount
        if line.lot_id is not None and line.lot_id not in new_lot_ids:
            lot_deltas[line.lot_id] += line.amount
    # Release moves a lot between member accounts without changing its remaining points.
    for lot_id in draft.released_lots:
        lot_deltas[lot_id] += 0
    available = balance.available + deltas[Account.MEMBER_AVAILABLE]
    pending = balance.pending + deltas[Account.MEMBER_PENDING]
    reserved = balance.reserved + deltas[Account.MEMBER_RESERVED]
    if min(available, pending, reserved) < 0:
        raise FailedPrecondition(
            f"member {balance.customer_id!r} has {balance.available} points available, "
            f"{balance.pending} pending and {balance.reserved} reserved; the posting would make one negative"
        )
    moment = now()
    occurred_at = context.occurred_at or moment
    posting_id = uuid.uuid4()
    points = deltas[Account.MEMBER_AVAILABLE] + deltas[Account.MEMBER_PENDING]
    lifetime = balance.lifetime_earned + draft.earned_delta
    posting = Posting(
        posting_id=posting_id,
        business_key=business_key,
        kind=draft.kind,
        customer_id=balance.customer_id,
        points=points,
        lines=tuple(lines),
        rule_code=context.rule_code,
        description=context.description,
        reverses_posting_id=draft.reverses,
        request_sha256=sha,
        origin=dict(context.origin) if context.origin else None,
        posted_by=dict(context.posted_by) if context.posted_by else None,
        occurred_at=occurred_at,
        created_at=moment,
    )
    result = PostingResult(
        posting, False, Balance(balance.customer_id, available, pending, reserved, lifetime)
    )
    event = posting_event(result)
    released = set(draft.released_lots)
    document = {
        "posting_id": posting_id,
        "business_key": business_key,
        "kind": draft.kind.value,
        "customer_id": balance.customer_id,
        "points": points,
        "rule_code": context.rule_code,
        "description": context.description,
        "reverses_posting_id": draft.reverses,
        "request_sha256": sha,
        "origin": posting.origin,
        "posted_by": posting.posted_by,
        "award_day": business_day(occurred_at),
        "occurred_at": occurred_at,
        "created_at": moment,
        "new_lots": [
            {
                "lot_id": lot.lot_id,
                "state": lot.state,
                "points": lot.points,
                "expires_on": lot.expires_on,
                "available_on": lot.available_on,
            }
            for lot in draft.new_lots
        ],
        "entries": [
            {
                "account": line.account.value,
                "customer_id": balance.customer_id if line.account.is_member else None,
                "amount": line.amount,
                "lot_id": line.lot_id,
                "lot_expires_on": line.lot_expires_on,
            }
            for line in lines
        ],
        "lot_deltas": [
            {"lot_id": lot_id, "delta": delta, "release": lot_id in released}
            for lot_id, delta in lot_deltas.items()
        ],
        "available": available,
        "pending": pending,
        "reserved": reserved,
        "lifetime_earned": lifetime,
        "outbox": [outbox_row(event)] if event is not None else [],
    }
    return result, document


_APPLY = sa.text("SELECT points.apply_posting(CAST(:doc AS jsonb))")


async def _take_available(
    session: AsyncSession,
    balance: Balance,
    points: int,
    *,
    account: Account = Account.MEMBER_AVAILABLE,
    first_lot: uuid.UUID | None = None,
    lots: list[dict[str, Any]] | None = None,
) -> list[Line]:
    """Debit lines taking `points` from the member's available lots, earliest expiry first.

    `lots` are the live lots `points.lock_member` already read in spending order; without them
    (reversals, which start from a given lot) they are read here.
    """
    if balance.available < points:
        raise FailedPrecondition(
            f"member {balance.customer_id!r} has {balance.available} points available, {points} needed"
        )
    if lots is not None:
        candidates = [
            (uuid.UUID(lot["lot_id"]), int(lot["remaining"]), _date_or_none(lot["expires_on"]))
            for lot in lots
        ]
    else:
        order = [
            sa.func.coalesce(lots_table.c.expires_on, dt.date.max),
            lots_table.c.created_at,
            lots_table.c.lot_id,
        ]
        if first_lot is not None:
            order.insert(0, sa.case((lots_table.c.lot_id == first_lot, 0), else_=1))
        rows = (
            await session.execute(
                sa.select(lots_table.c.lot_id, lots_table.c.remaining, lots_table.c.expires_on)
                .where(
                    lots_table.c.customer_id == balance.customer_id,
                    lots_table.c.state == "available",
                    lots_table.c.remaining > 0,
                )
                .order_by(*order)
            )
        ).all()
        candidates = [(row.lot_id, row.remaining, row.expires_on) for row in rows]
    return take_from_lots(balance.customer_id, candidates, points, account)


def take_from_lots(
    customer_id: str,
    candidates: Sequence[tuple[uuid.UUID, int, dt.date | None]],
    points: int,
    account: Account = Account.MEMBER_AVAILABLE,
) -> list[Line]:
    """Debit lines over `candidates` (already in spending order) until `points` are taken."""
    lines: list[Line] = []
    left = points
    for lot_id, remaining, expires_on in candidates:
        if left == 0:
            break
        take = min(left, remaining)
        lines.append(Line(account, -take, lot_id, expires_on))
        left -= take
    if left:  # balances and lots disagree: refuse rather than post something unexplained
        raise FailedPrecondition(f"member {customer_id!r}: lots hold less than the available balance")
    return lines


def _date_or_none(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# --- public operations ----------------------------------------------------------------------


def earn_sha(
    kind: Kind,
    customer_id: str,
    points: int,
    rule_code: str | None,
    pending_days: int,
    expires_on: dt.date | None,
) -> str:
    return request_sha256(
        {
            "op": kind.value,
            "customer_id": customer_id,
            "points": points,
            "rule_code": rule_code,
            "pending_days": pending_days,
            "expires_on": expires_on,
        }
    )


def spend_sha(kind: Kind, customer_id: str, points: int) -> str:
    return request_sha256({"op": kind.value, "customer_id": customer_id, "points": points})


def check_earn(business_key: str, points: int, pending_days: int) -> None:
    check_key(business_key)
    check_points(points)
    if pending_days < 0:
        raise InvalidArgument("pending_days", f"must not be negative, got {pending_days}")


def earn_draft(
    *,
    kind: Kind,
    house: Account,
    points: int,
    expires_on: dt.date | None,
    pending_days: int,
    occurred_at: dt.datetime | None,
) -> _Draft:
    """A new lot (pending for `pending_days`, then available) credited against a house account."""
    lot_id = uuid.uuid4()
    today = business_day(occurred_at or now())
    pending = pending_days > 0
    account = Account.MEMBER_PENDING if pending else Account.MEMBER_AVAILABLE
    return _Draft(
        kind=kind,
        lines=[Line(house, -points), Line(account, points, lot_id, expires_on)],
        new_lots=[
            _NewLot(
                lot_id,
                "pending" if pending else "available",
                points,
                expires_on,
                today + dt.timedelta(days=pending_days),
            )
        ],
        earned_delta=points,
    )


def spend_draft(kind: Kind, house: Account, points: int, taken: list[Line]) -> _Draft:
    return _Draft(kind=kind, lines=[*taken, Line(house, points)])


async def earn(
    session: AsyncSession,
    *,
    business_key: str,
    customer_id: str,
    points: int,
    expires_on: dt.date | None,
    pending_days: int = 0,
    context: Context = Context(),
    kind: Kind = Kind.EARN,
    house: Account = Account.ISSUANCE,
) -> PostingResult:
    """Credit a member with a new lot (pending for `pending_days`, then available)."""
    check_earn(business_key, points, pending_days)
    sha = earn_sha(kind, customer_id, points, context.rule_code, pending_days, expires_on)
    locked = await _lock(session, customer_id, business_key)
    balance = locked.balance
    if (replayed := await _replay(session, business_key, sha, locked)) is not None:
        return replayed
    draft = earn_draft(
        kind=kind,
        house=house,
        points=points,
        expires_on=expires_on,
        pending_days=pending_days,
        occurred_at=context.occurred_at,
    )
    return await _write(
        session, balance=balance, business_key=business_key, sha=sha, draft=draft, context=context
    )


async def spend(
    session: AsyncSession,
    *,
    business_key: str,
    customer_id: str,
    points: int,
    context: Context = Context(),
    kind: Kind = Kind.SPEND,
    house: Account = Account.REDEMPTION,
) -> PostingResult:
    """Debit available points, earliest-expiring lots first; refused when the balance is short."""
    check_key(business_key)
    check_points(points)
    sha = spend_sha(kind, customer_id, points)
    locked = await _lock(session, customer_id, business_key, with_lots=True)
    balance = locked.balance
    if (replayed := await _replay(session, business_key, sha, locked)) is not None:
        return replayed
    lines = await _take_available(session, balance, points, lots=locked.lots)
    draft = spend_draft(kind, house, points, lines)
    return await _write(
        session, balance=balance, business_key=business_key, sha=sha, draft=draft, context=context
    )


async def reserve(
    session: AsyncSession, *, business_key: str, customer_id: str, points: int, context: Context = Context()
) -> PostingResult:
    """Move available points (earliest-expiring first) into the member's reserved account."""
    check_key(business_key)
    check_points(points)
    sha = request_sha256({"op": "RESERVE", "customer_id": customer_id, "points": points})
    locked = await _lock(session, customer_id, business_key, with_lots=True)
    balance = locked.balance
    if (replayed := await _replay(session, business_key, sha, locked)) is not None:
        return replayed
    lines = await _take_available(session, balance, points, lots=locked.lots)
    draft = _Draft(kind=Kind.RESERVE, lines=[*lines, Line(Account.MEMBER_RESERVED, points)])
    return await _write(
        session, balance=balance, business_key=business_key, sha=sha, draft=draft, context=context
    )


async def _reserve_posting(session: AsyncSession, reserve_posting_id: uuid.UUID) -> Posting:
    original = await find_posting(session, posting_id=reserve_posting_id)
    if original is None or original.kind is not Kind.RESERVE:
        raise NotFound("reservation posting", str(reserve_posting_id))
    return original


async def unreserve(
    session: AsyncSession, *, business_key: str, reserve_posting_id: uuid.UUID, context: Context = Context()
) -> PostingResult:
    """Return reserved points to exactly the lots they were taken from (cancel / reservation expiry).

    A lot that expired meanwhile gets its points back and is expired by the next expiry run, so a
    cancellation never extends a lot's life.
    """
    check_key(business_key)
    original = await _reserve_posting(session, reserve_posting_id)
    sha = request_sha256({"op": "UNRESERVE", "reserve_posting_id": str(reserve_posting_id)})
    locked = await _lock(session, original.customer_id, business_key)
    balance = locked.balance
    if (replayed := await _replay(session, business_key, sha, locked)) is not None:
        return replayed
    lines = [Line(line.account, -line.amount, line.lot_id, line.lot_expires_on) for line in original.lines]
    draft = _Draft(kind=Kind.UNRESERVE, lines=lines)
    return await _write(
        session, balance=balance, business_key=business_key, sha=sha, draft=draft, context=context
    )


async def consume(
    session: AsyncSession, *, business_key: str, reserve_posting_id: uuid.UUID, context: Context = Context()
) -> PostingResult:
    """The reserved points are spent for good (redemption confirmed): reserved → REDEMPTION."""
    check_key(business_key)
    original = await _reserve_posting(session, reserve_posting_id)
    points = sum(line.amount for line in original.lines if line.account is Account.MEMBER_RESERVED)
    sha = request_sha256({"op": "CONSUME", "reserve_posting_id": str(reserve_posting_id)})
    locked = await _lock(session, original.customer_id, business_key)
    balance = locked.balance
    if (replayed := await _replay(session, business_key, sha, locked)) is not None:
        return replayed
    draft = _Draft(
        kind=Kind.CONSUME, lines=[Line(Account.MEMBER_RESERVED, -points), Line(Account.REDEMPTION, points)]
    )
    return await _write(
        session, balance=balance, business_key=business_key, sha=sha, draft=draft, context=context
    )


async def release_pending(
    session: AsyncSession, *, customer_id: str, as_of: dt.date, context: Context = Context()
) -> PostingResult | None:
    """Pending lots whose lock ended on or before `as_of` become available (one posting a day)."""
    business_key = f"release:{customer_id}:{as_of.isoformat()}"
    sha = request_sha256({"op": "RELEASE_PENDING", "customer_id": customer_id, "as_of": as_of})
    locked = await _lock(session, customer_id, business_key)
    balance = locked.balance
    if (replayed := await _replay(session, business_key, sha, locked)) is not None:
        return replayed
    rows = (
        await session.execute(
            sa.select(lots_table.c.lot_id, lots_table.c.remaining, lots_table.c.expires_on).where(
                lots_table.c.customer_id == customer_id,
                lots_table.c.state == "pending",
                lots_table.c.available_on <= as_of,
            )
        )
    ).all()
    if not rows:
        return None
    lines: list[Line] = []
    for row in rows:
        if row.remaining:
            lines.append(Line(Account.MEMBER_PENDING, -row.remaining, row.lot_id, row.expires_on))
            lines.append(Line(Account.MEMBER_AVAILABLE, row.remaining, row.lot_id, row.expires_on))
    draft = _Draft(kind=Kind.RELEASE_PENDING, lines=lines, released_lots=[row.lot_id for row in rows])
    if not lines:  # only emptied lots: flip their state, nothing to post
        await session.execute(
            sa.update(lots_table)
            .where(lots_table.c.lot_id.in_([row.lot_id for row in rows]))
            .values(state="available")
        )
        return None
    return await _write(
        session, balance=balance, business_key=business_key, sha=sha, draft=draft, context=context
    )


async def expire(
    session: AsyncSession, *, customer_id: str, as_of: dt.date, context: Context = Context()
) -> PostingResult | None:
    """Debit every available lot that expires on or before `as_of`, each by what it still holds.

    The business key is per member and run date, so a rerun of the same date (a resumed job)
    finds the posting and does nothing twice. Pending lots are released first by the job, so no
    points escape expiry by still being locked on their expiry date.
    """
    business_key = f"expire:{customer_id}:{as_of.isoformat()}"
    sha = request_sha256({"op": "EXPIRE", "customer_id": customer_id, "as_of": as_of})
    locked = await _lock(session, customer_id, business_key)
    balance = locked.balance
    if (replayed := await _replay(session, business_key, sha, locked)) is not None:
        return replayed
    rows = (
        await session.execute(
            sa.select(lots_table.c.lot_id, lots_table.c.remaining, lots_table.c.expires_on)
            .where(
                lots_table.c.customer_id == customer_id,
                lots_table.c.state == "available",
                lots_table.c.remaining > 0,
                lots_table.c.expires_on <= as_of,
            )
            .order_by(lots_table.c.expires_on, lots_table.c.created_at)
        )
    ).all()
    if not rows:
        return None
    total = sum(row.remaining for row in rows)
    lines = [Line(Account.MEMBER_AVAILABLE, -row.remaining, row.lot_id, row.expires_on) for row in rows]
    draft = _Draft(kind=Kind.EXPIRE, lines=[*lines, Line(Account.EXPIRY, total)])
    return await _write(
        session, balance=balance, business_key=business_key, sha=sha, draft=draft, context=context
    )


# Kinds a reversal can correct; the others are undone by their own flow (cancel a redemption)
# or are final by policy (expiry, a reversal itself).
REVERSIBLE = frozenset({Kind.EARN, Kind.SPEND, Kind.ADJUSTMENT})


async def reverse(
    session: AsyncSession,
    *,
    business_key: str,
    posting_id: uuid.UUID | None = None,
    original_business_key: str | None = None,
    context: Context = Context(),
) -> PostingResult:
    """Post the exact opposite of an earlier posting (a correction; the original stays)."""
    check_key(business_key)
    if posting_id is None and not original_business_key:
        raise InvalidArgument("target", "name the posting to reverse by posting_id or original_business_key")
    original = await find_posting(session, posting_id=posting_id, business_key=original_business_key)
    if original is None:
        raise NotFound("posting", str(posting_id or original_business_key))
    sha = request_sha256({"op": "REVERSAL", "reverses": str(original.posting_id)})
    locked = await _lock(session, original.customer_id, business_key)
    balance = locked.balance
    if (replayed := await _replay(session, business_key, sha, locked)) is not None:
        return replayed
    if original.kind not in REVERSIBLE:
        raise FailedPrecondition(
            f"a {original.kind.value} posting cannot be reversed"
            + ("; cancel the redemption instead" if original.kind in {Kind.RESERVE, Kind.CONSUME} else "")
        )
    already = await session.scalar(
        sa.select(postings.c.posting_id).where(postings.c.reverses_posting_id == original.posting_id)
    )
    if already is not None:
        raise FailedPrecondition(f"posting {original.posting_id} was already reversed by posting {already}")
    lines: list[Line] = []
    earned_delta = 0
    for line in original.lines:
        if line.amount > 0 and line.account.is_member:
            # Credited points come back out of the lot they created, or — when that lot has been
            # partly spent — from the earliest-expiring other lots; refused if the member is short.
            lines.extend(await _debit_credited_lot(session, balance, line))
            earned_delta -= line.amount
        else:
            lines.append(Line(line.account, -line.amount, line.lot_id, line.lot_expires_on))
    draft = _Draft(kind=Kind.REVERSAL, lines=lines, reverses=original.posting_id, earned_delta=earned_delta)
    return await _write(
        session, balance=balance, business_key=business_key, sha=sha, draft=draft, context=context
    )


async def _debit_credited_lot(session: AsyncSession, balance: Balance, line: Line) -> list[Line]:
    lot = (
        await session.execute(
            sa.select(lots_table.c.state, lots_table.c.remaining).where(lots_table.c.lot_id == line.lot_id)
        )
    ).one()
    if lot.state == "pending":
        return [Line(Account.MEMBER_PENDING, -line.amount, line.lot_id, line.lot_expires_on)]
    try:
        return await _take_available(session, balance, line.amount, first_lot=line.lot_id)
    except FailedPrecondition as error:
        raise FailedPrecondition(f"cannot reverse: the points were already used ({error.message})") from error


async def adjust(
    session: AsyncSession,
    *,
    business_key: str,
    customer_id: str,
    points: int,
    expires_on: dt.date | None,
    context: Context = Context(),
) -> PostingResult:
    """An approved manual adjustment: credits a new lot, or debits like a spend (never below zero)."""
    if points == 0:
        raise InvalidArgument("points", "must not be zero")
    if points > 0:
        return await earn(
            session,
            business_key=business_key,
            customer_id=customer_id,
            points=points,
            expires_on=expires_on,
            context=context,
            kind=Kind.ADJUSTMENT,
            house=Account.ADJUSTMENT,
        )
    return await spend(
        session,
        business_key=business_key,
        customer_id=customer_id,
        points=-points,
        context=context,
        kind=Kind.ADJUSTMENT,
        house=Account.ADJUSTMENT,
    )
