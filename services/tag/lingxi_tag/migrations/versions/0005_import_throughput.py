"""Bulk import at 100k rows/s and full holdings extracts.

- Room on every page for HOT updates: a nightly re-import mostly changes columns no index covers
  (risk level, city, balances, market values). With full pages each such update moves the row to
  another page and adds an entry to every index of the table; with free space on the page it
  stays there and no index is touched. Applies to pages written from now on.
- ``import_seen_keys``: the position keys a full holdings / fund-position extract listed (rejected
  rows included), so that positions it no longer lists can be closed when the file is in.
  UNLOGGED and without indexes: scratch data of running jobs, written once per listed position and
  read once by a hash anti-join; after a crash the job is re-run from the start anyway.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FILL = {"customers": 90, "accounts": 85, "holdings": 85, "customer_metrics": 85}


def upgrade() -> None:
    for table, fillfactor in _FILL.items():
        op.execute(f"ALTER TABLE tag.{table} SET (fillfactor = {fillfactor})")
    op.execute(
        "CREATE UNLOGGED TABLE tag.import_seen_keys (job_id text NOT NULL, account_id text NOT NULL, "
        "security_code text NOT NULL, as_of timestamptz)"
    )


def downgrade() -> None:
    op.drop_table("import_seen_keys", schema="tag")
    for table in _FILL:
        op.execute(f"ALTER TABLE tag.{table} RESET (fillfactor)")
