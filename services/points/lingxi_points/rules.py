"""Earning rules: what a customer earns points for, how many, and how often.

A rule is configuration (stored as its `lingxi.points.v1.EarningRule`), applied by one function,
`award`, whether the fact arrives as a NATS business event, an EarnByRule call or a check-in.
Caps are counted from the ledger itself under the member's lock, so two concurrent awards can
never both slip under a cap.

Points must not reward excessive trading (DOMAIN.md): a rule may only be triggered by business
facts (account opening, deposit, product purchase, …), never by trades, and a rule whose code,
name, description or filter speaks of trading volume or frequency is refused when it is saved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

import celpy
import sqlalchemy as sa
from google.protobuf.json_format import MessageToDict, ParseDict
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.points.v1 import points_pb2, points_service_pb2
from lingxi_common.errors import Conflict, InvalidArgument, NotFound
from lingxi_points import customer_facts, ledger, policy, tiers
from lingxi_points.models import earning_rules, postings

BUSINESS_SUBJECT = "lingxi.ingest.business"
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
# Words that mark a rule as rewarding trading activity, in the languages operators write in.
_TRADING_WORDS = (
    "trade",
    "trading",
    "turnover",
    "volume",
    "frequency",
    "order_count",
    "commission",
    "成交",
    "交易",
    "换手",
    "佣金",
    "买卖",
)
_CEL = celpy.Environment()


def _as_dict(rule: Any) -> dict[str, Any]:
    return MessageToDict(rule, preserving_proto_field_name=True)


def from_dict(data: dict[str, Any]) -> Any:
    return ParseDict(data, points_pb2.EarningRule(), ignore_unknown_fields=True)


def _compile(expression: str, field_name: str) -> Any:
    try:
        return _CEL.program(_CEL.compile(expression))
    except Exception as error:  # celpy raises several parser error types
        raise InvalidArgument(field_name, f"is not a valid CEL expression: {error}") from error


def _decimal(value: str, field_name: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation as error:
        raise InvalidArgument(field_name, f"{value!r} is not a decimal number") from error
    if not number.is_finite() or number <= 0:
        raise InvalidArgument(field_name, f"must be greater than zero, got {value!r}")
    return number


def validate(rule: Any) -> None:
    """Refuse a rule that is malformed or that would reward trading volume or frequency."""
    if not _CODE.match(rule.rule_code):
        raise InvalidArgument("rule.rule_code", "must be 2–64 characters: lower-case letters, digits, _")
    if not rule.name.strip():
        raise InvalidArgument("rule.name", "is required")
    text = " ".join((rule.rule_code, rule.name, rule.description, rule.trigger_filter)).lower()
    for word in _TRADING_WORDS:
        if word in text:
            raise InvalidArgument(
                "rule",
                f"mentions {word!r}: points may not reward trading volume or frequency "
                "(reward business facts such as account opening, deposits or product purchases)",
            )
    if rule.trigger == points_pb2.EARN_TRIGGER_UNSPECIFIED:
        raise InvalidArgument("rule.trigger", "is required (EVENT, API or CHECK_IN)")
    if rule.trigger == points_pb2.EARN_TRIGGER_EVENT:
        if rule.trigger_subject != BUSINESS_SUBJECT:
            raise InvalidArgument(
                "rule.trigger_subject",
                f"must be {BUSINESS_SUBJECT!r}: only business facts earn points, never trades or behaviour",
            )
        if not rule.trigger_filter.strip():
            raise InvalidArgument(
                "rule.trigger_filter", "is required for event rules, e.g. event.kind == ..."
            )
        _compile(rule.trigger_filter, "rule.trigger_filter")
    elif rule.trigger_subject or rule.trigger_filter:
        raise InvalidArgument("rule.trigger_subject", "only event rules have a subject and filter")
    per_amount = rule.per_amount_points > 0
    if rule.points < 0 or rule.per_amount_points < 0:
        raise InvalidArgument("rule.points", "must not be negative")
    if (rule.points > 0) == per_amount:
        raise InvalidArgument("rule.points", "set exactly one of points or per_amount_points")
    if per_amount:
        _decimal(rule.per_amount_unit.value, "rule.per_amount_unit")
        if rule.trigger == points_pb2.EARN_TRIGGER_CHECK_IN:
            raise InvalidArgument("rule.per_amount_points", "check-in rules award fixed points")
    for name in ("max_awards_per_day", "max_awards_total", "max_points_per_day", "pending_days"):
        if getattr(rule, name) < 0:
            raise InvalidArgument(f"rule.{name}", "must not be negative")
    for index, bonus in enumerate(rule.streak_bonuses):
        if bonus.streak_days <= 1 or bonus.bonus_points <= 0:
            raise InvalidArgument(
                f"rule.streak_bonuses[{index}]", "needs streak_days > 1 and bonus_points > 0"
            )
    if rule.streak_bonuses and rule.trigger != points_pb2.EARN_TRIGGER_CHECK_IN:
        raise InvalidArgument("rule.streak_bonuses", "only check-in rules have streak bonuses")
    if rule.eligibility_expression:
        _compile(rule.eligibility_expression, "rule.eligibility_expression")
    policy.validate_policy(rule.expiry_policy, "rule.expiry_policy")


async def upsert(session: AsyncSession, rule: Any) -> Any:
    validate(rule)
    statement = insert(earning_rules).values(
        rule_code=rule.rule_code, definition=_as_dict(rule), active=rule.active
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[earning_rules.c.rule_code],
            set_={
                "definition": statement.excluded.definition,
                "active": statement.excluded.active,
                "updated_at": sa.func.now(),
            },
        )
    )
    return rule


async def list_rules(session: AsyncSession, *, active_only: bool = False) -> list[Any]:
    query = sa.select(earning_rules.c.definition).order_by(earning_rules.c.rule_code)
    if active_only:
        query = query.where(earning_rules.c.active)
    return [from_dict(row) for row in (await session.scalars(query)).all()]


async def get_rule(session: AsyncSession, rule_code: str) -> Any:
    if not rule_code:
        raise InvalidArgument("rule_code", "is required")
    data = await session.scalar(
        sa.select(earning_rules.c.definition).where(earning_rules.c.rule_code == rule_code)
    )
    if data is None:
        raise NotFound("earning rule", rule_code)
    return from_dict(data)


def matches_event(rule: Any, event_facts: dict[str, Any]) -> bool:
    """Whether an event rule's filter accepts the decoded business event."""
    program = _compile(rule.trigger_filter, "rule.trigger_filter")
    try:
        return bool(program.evaluate({"event": celpy.json_to_cel(event_facts)}))
    except Exception:  # a filter naming a field the event lacks simply does not match
        return False


@dataclass(frozen=True, slots=True)
class Award:
    outcome: int  # points_service_pb2.EarnOutcome
    result: ledger.PostingResult | None = None
    points: int = 0
    multiplier: Decimal = Decimal(1)
    reason: str = ""


def _in_validity(rule: Any, day: dt.date) -> bool:
    valid = rule.valid
    if valid.HasField("start") and day < dt.date(valid.start.year, valid.start.month, valid.start.day):
        return False
    return not (valid.HasField("end") and day > dt.date(valid.end.year, valid.end.month, valid.end.day))


def base_points(rule: Any, amount: str | None) -> int:
    """Fixed points, or whole units of the amount times the per-unit points (rounded down)."""
    if rule.per_amount_points <= 0:
        return int(rule.points)
    if not amount:
        raise InvalidArgument(
            "amount", f"rule {rule.rule_code!r} awards points per amount; the amount is required"
        )
    value = _decimal(amount, "amount")
    unit = Decimal(rule.per_amount_unit.value)
    return int((value / unit).to_integral_value(rounding=ROUND_FLOOR)) * int(rule.per_amount_points)


async def award(
    session: AsyncSession,
    *,
    rule: Any,
    customer_id: str,
    business_key: str,
    amount: str | None = None,
    facts: dict[str, Any] | None = None,
    occurred_at: dt.datetime | None = None,
    context: ledger.Context | None = None,
    extra_points: int = 0,
) -> Award:
    """Award a rule's points to a member, within its caps; idempotent by business key.

    Not eligible, capped or inactive are answers (the fact happened; it earns nothing), not
    errors, so an event consumer acknowledges such events instead of retrying them.
    """
    ledger.check_key(business_key)
    moment = occurred_at or ledger.now()
    day = ledger.business_day(moment)
    balance = await ledger.lock_member(session, customer_id)
    existing = await ledger.find_posting(session, business_key=business_key)
    if existing is not None:
        if existing.customer_id != customer_id or existing.rule_code != rule.rule_code:
            raise Conflict(
                f"business_key {business_key!r} was already posted for another member or rule "
                f"(posting {existing.posting_id})"
            )
        return Award(
            points_service_pb2.EARN_OUTCOME_REPLAYED,
            ledger.PostingResult(existing, True, balance),
            existing.points,
        )
    if not rule.active or not _in_validity(rule, day):
        return Award(points_service_pb2.EARN_OUTCOME_RULE_INACTIVE, reason="rule_inactive")
    tier_code = await tiers.member_tier(session, customer_id)
    if rule.eligibility_expression:
        member = await customer_facts.eligibility_facts(session, customer_id, tier_code)
        facts_in = {"member": member, "facts": facts or {}}
        try:
            eligible = bool(
                _compile(rule.eligibility_expression, "rule.eligibility_expression").evaluate(
                    {key: celpy.json_to_cel(value) for key, value in facts_in.items()}
                )
            )
        except Exception:
            eligible = False
        if not eligible:
            return Award(points_service_pb2.EARN_OUTCOME_NOT_ELIGIBLE, reason="not_eligible")
    points = base_points(rule, amount) + extra_points
    multiplier = await tiers.points_multiplier(session, tier_code) if rule.tier_multiplier else Decimal(1)
    points = int((Decimal(points) * multiplier).to_integral_value(rounding=ROUND_FLOOR))
    if points <= 0:
        return Award(points_service_pb2.EARN_OUTCOME_NOT_ELIGIBLE, reason="below_one_unit")
    counts = (
        await session.execute(
            sa.select(
                sa.func.count().filter(postings.c.award_day == day),
                sa.func.count(),
                sa.func.coalesce(sa.func.sum(postings.c.points).filter(postings.c.award_day == day), 0),
            ).where(
                postings.c.customer_id == customer_id,
                postings.c.rule_code == rule.rule_code,
                postings.c.kind == ledger.Kind.EARN.value,
            )
        )
    ).one()
    today_count, total_count, today_points = counts
    if rule.max_awards_per_day and today_count >= rule.max_awards_per_day:
        return Award(
            points_service_pb2.EARN_OUTCOME_CAPPED,
            reason=f"daily_cap:{today_count}/{rule.max_awards_per_day}",
        )
    if rule.max_awards_total and total_count >= rule.max_awards_total:
        return Award(
            points_service_pb2.EARN_OUTCOME_CAPPED, reason=f"total_cap:{total_count}/{rule.max_awards_total}"
        )
    outcome = points_service_pb2.EARN_OUTCOME_AWARDED
    reason = ""
    if rule.max_points_per_day:
        room = rule.max_points_per_day - int(today_points)
        if room <= 0:
            return Award(
                points_service_pb2.EARN_OUTCOME_CAPPED, reason=f"daily_points_cap:{rule.max_points_per_day}"
            )
        if points > room:
            points, outcome, reason = (
                room,
                points_service_pb2.EARN_OUTCOME_PARTIALLY_CAPPED,
                "daily_points_cap",
            )
    base = context or ledger.Context()
    result = await ledger.earn(
        session,
        business_key=business_key,
        customer_id=customer_id,
        points=points,
        expires_on=policy.expires_on(rule.expiry_policy, day),
        pending_days=rule.pending_days,
        context=ledger.Context(
            description=base.description or rule.name,
            rule_code=rule.rule_code,
            origin=base.origin,
            posted_by=base.posted_by,
            occurred_at=moment,
        ),
    )
    await tiers.evaluate(session, customer_id, day, review=False)
    return Award(outcome, result, points, multiplier, reason)
