"""Server-side halves of a posting, so one posting costs two round trips instead of ten.

`points.lock_member` locks the member's balance row and then — in a new statement, hence a new
snapshot under READ COMMITTED — reads the business key and, when asked, the member's live lots
in spending order. Reading after the lock is what makes a concurrent replay of the same key see
the first posting instead of colliding with it.

`points.apply_posting` writes a posting that the Python ledger has already built and checked:
the posting row, its new lots, its entries, the lot changes, the new balance and its outbox
events (with the relay's NOTIFY). The logic stays in Python (lingxi_points.ledger); these
functions only move its result in one statement.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCK_MEMBER = """
CREATE OR REPLACE FUNCTION points.lock_member(p_customer text, p_key text, p_with_lots boolean)
RETURNS TABLE (known boolean, available bigint, pending bigint, reserved bigint, lifetime_earned bigint,
               existing_id uuid, existing_sha text, lots jsonb)
LANGUAGE plpgsql AS $fn$
DECLARE
    b points.balances%ROWTYPE;
BEGIN
    SELECT * INTO b FROM points.balances WHERE customer_id = p_customer FOR UPDATE;
    IF NOT FOUND THEN
        IF NOT EXISTS (SELECT 1 FROM points.members WHERE customer_id = p_customer) THEN
            RETURN QUERY SELECT false, 0::bigint, 0::bigint, 0::bigint, 0::bigint, NULL::uuid, NULL::text, NULL::jsonb;
            RETURN;
        END IF;
        INSERT INTO points.balances (customer_id) VALUES (p_customer) ON CONFLICT DO NOTHING;
        SELECT * INTO b FROM points.balances WHERE customer_id = p_customer FOR UPDATE;
    END IF;
    RETURN QUERY
    SELECT true, b.available, b.pending, b.reserved, b.lifetime_earned, p.posting_id, p.request_sha256,
           CASE WHEN p_with_lots THEN (
               SELECT coalesce(jsonb_agg(jsonb_build_object(
                          'lot_id', l.lot_id, 'remaining', l.remaining, 'expires_on', l.expires_on)
                      ORDER BY coalesce(l.expires_on, 'infinity'::date), l.created_at, l.lot_id), '[]'::jsonb)
               FROM points.lots l
               WHERE l.customer_id = p_customer AND l.state = 'available' AND l.remaining > 0)
           END
    FROM (SELECT 1) AS one
    LEFT JOIN points.postings p ON p.business_key = p_key;
END
$fn$;
"""

APPLY_POSTING = """
CREATE OR REPLACE FUNCTION points.apply_posting(doc jsonb) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    v_posting uuid := (doc->>'posting_id')::uuid;
    v_customer text := doc->>'customer_id';
BEGIN
    INSERT INTO points.postings (posting_id, business_key, kind, customer_id, points, rule_code, description,
                                 reverses_posting_id, request_sha256, origin, posted_by, award_day,
                                 occurred_at, created_at)
    VALUES (v_posting, doc->>'business_key', doc->>'kind', v_customer, (doc->>'points')::bigint,
            doc->>'rule_code', doc->>'description', (doc->>'reverses_posting_id')::uuid,
            doc->>'request_sha256', doc->'origin', doc->'posted_by', (doc->>'award_day')::date,
            (doc->>'occurred_at')::timestamptz, (doc->>'created_at')::timestamptz);
    INSERT INTO points.lots (lot_id, customer_id, posting_id, state, points, remaining, expires_on, available_on)
    SELECT l.lot_id, v_customer, v_posting, l.state, l.points, l.points, l.expires_on, l.available_on
    FROM jsonb_to_recordset(doc->'new_lots')
         AS l(lot_id uuid, state text, points bigint, expires_on date, available_on date);
    INSERT INTO points.entries (posting_id, account, customer_id, amount, lot_id, lot_expires_on)
    SELECT v_posting, e.account, e.customer_id, e.amount, e.lot_id, e.lot_expires_on
    FROM jsonb_to_recordset(doc->'entries')
         AS e(account text, customer_id text, amount bigint, lot_id uuid, lot_expires_on date);
    UPDATE points.lots
    SET remaining = lots.remaining + d.delta,
        state = CASE WHEN d.release THEN 'available' ELSE lots.state END
    FROM jsonb_to_recordset(doc->'lot_deltas') AS d(lot_id uuid, delta bigint, release boolean)
    WHERE lots.lot_id = d.lot_id;
    UPDATE points.balances
    SET available = (doc->>'available')::bigint,
        pending = (doc->>'pending')::bigint,
        reserved = (doc->>'reserved')::bigint,
        lifetime_earned = (doc->>'lifetime_earned')::bigint,
        updated_at = (doc->>'created_at')::timestamptz
    WHERE customer_id = v_customer;
    IF jsonb_array_length(doc->'outbox') > 0 THEN
        INSERT INTO points.outbox (id, subject, message_type, payload, headers)
        SELECT (o->>'id')::uuid, o->>'subject', o->>'message_type', decode(o->>'payload', 'base64'), o->'headers'
        FROM jsonb_array_elements(doc->'outbox') AS o;
        PERFORM pg_notify('lingxi_outbox', 'points');
    END IF;
END
$fn$;
"""


def upgrade() -> None:
    op.execute(LOCK_MEMBER)
    op.execute(APPLY_POSTING)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS points.apply_posting(jsonb)")
    op.execute("DROP FUNCTION IF EXISTS points.lock_member(text, text, boolean)")
