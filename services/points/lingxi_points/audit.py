"""Ledger invariants, checked by the tests, the benchmark and the liability report.

They are the promises the ledger makes to finance: postings balance, the running balances and
lots are exactly what the entries say, nothing is negative, and each business fact is posted once.
A non-empty result is a bug, never an expected state.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

_CHECKS: dict[str, str] = {
    "posting does not sum to zero": """
        SELECT posting_id::text AS subject, sum(amount) AS value FROM points.entries
        {where_entries} GROUP BY posting_id HAVING sum(amount) <> 0""",
    "posting without entries": """
        SELECT p.posting_id::text AS subject, 0 AS value FROM points.postings p
        WHERE NOT EXISTS (SELECT 1 FROM points.entries e WHERE e.posting_id = p.posting_id)
        {and_postings}""",
    "balance differs from its entries": """
        SELECT b.customer_id AS subject, b.available + b.pending + b.reserved - coalesce(e.total, 0) AS value
        FROM points.balances b LEFT JOIN (
            SELECT customer_id, sum(amount) AS total FROM points.entries
            WHERE customer_id IS NOT NULL GROUP BY customer_id) e ON e.customer_id = b.customer_id
        WHERE b.available + b.pending + b.reserved <> coalesce(e.total, 0) {and_balances}""",
    "account balance differs from its entries": """
        SELECT b.customer_id || ':' || a.account AS subject, a.total AS value
        FROM points.balances b JOIN (
            SELECT customer_id, account, sum(amount) AS total FROM points.entries
            WHERE customer_id IS NOT NULL GROUP BY customer_id, account) a ON a.customer_id = b.customer_id
        WHERE a.total <> CASE a.account WHEN 'MEMBER_AVAILABLE' THEN b.available
                                        WHEN 'MEMBER_PENDING' THEN b.pending ELSE b.reserved END
        {and_balances}""",
    "balance differs from its live lots": """
        SELECT b.customer_id AS subject, b.available - coalesce(l.available, 0) AS value
        FROM points.balances b LEFT JOIN (
            SELECT customer_id,
                   sum(remaining) FILTER (WHERE state = 'available') AS available,
                   sum(remaining) FILTER (WHERE state = 'pending') AS pending
            FROM points.lots GROUP BY customer_id) l ON l.customer_id = b.customer_id
        WHERE (b.available <> coalesce(l.available, 0) OR b.pending <> coalesce(l.pending, 0))
        {and_balances}""",
    "expiry bucket differs from its live lots": """
        SELECT coalesce(k.customer_id, l.customer_id) || ':' || coalesce(k.expires_on, l.expires_on)
                   AS subject,
               coalesce(k.points, 0) - coalesce(l.points, 0) AS value
        FROM points.expiry_buckets k FULL JOIN (
            SELECT customer_id, expires_on, sum(remaining) AS points FROM points.lots
            WHERE expires_on IS NOT NULL GROUP BY customer_id, expires_on) l
          ON l.customer_id = k.customer_id AND l.expires_on = k.expires_on
        WHERE coalesce(k.points, 0) <> coalesce(l.points, 0) {and_buckets}""",
    "negative balance": """
        SELECT customer_id AS subject, least(available, pending, reserved) AS value FROM points.balances b
        WHERE least(available, pending, reserved) < 0 {and_balances}""",
    "negative lot": """
        SELECT lot_id::text AS subject, remaining AS value FROM points.lots WHERE remaining < 0""",
    "business key posted more than once": """
        SELECT business_key AS subject, count(*) AS value FROM points.postings
        GROUP BY business_key HAVING count(*) > 1""",
}


async def ledger_violations(
    connection: AsyncConnection | AsyncSession, customer_ids: Sequence[str] | None = None
) -> list[str]:
    """Every broken invariant as "<check>: <subject> (<value>)"; empty when the ledger is sound.

    `customer_ids` narrows the member checks to those members (the property tests check only
    the members of one example, so the check stays fast as the database fills up).
    """
    params: dict[str, object] = {}
    clauses = {"where_entries": "", "and_postings": "", "and_balances": "", "and_buckets": ""}
    if customer_ids is not None:
        params["ids"] = list(customer_ids)
        clauses = {
            "where_entries": "WHERE posting_id IN (SELECT posting_id FROM points.postings "
            "WHERE customer_id = ANY(:ids))",
            "and_postings": "AND p.customer_id = ANY(:ids)",
            "and_balances": "AND b.customer_id = ANY(:ids)",
            "and_buckets": "AND coalesce(k.customer_id, l.customer_id) = ANY(:ids)",
        }
    found: list[str] = []
    for name, query in _CHECKS.items():
        rows = (await connection.execute(sa.text(query.format(**clauses)), params)).all()
        found.extend(f"{name}: {row.subject} ({row.value})" for row in rows[:20])
    total = await connection.scalar(sa.text("SELECT coalesce(sum(amount), 0) FROM points.entries"))
    if customer_ids is None and total != 0:
        found.append(f"ledger does not sum to zero: {total}")
    return found
