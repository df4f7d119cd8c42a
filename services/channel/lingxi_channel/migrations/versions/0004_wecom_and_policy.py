"""WeCom sender and result checks; stored, versioned contact policies.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

The DDL below is frozen as it was when this revision was written (rendered once from
`lingxi_channel.models`); later changes come as new revisions.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATEMENTS = (
    """
ALTER TABLE channel.messages ADD COLUMN sender_id TEXT
""",
    """
CREATE TABLE channel.wecom_result_checks (
    message_id TEXT NOT NULL,
    checks INTEGER DEFAULT '0' NOT NULL,
    next_check_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_wecom_result_checks PRIMARY KEY (message_id)
)
""",
    """
CREATE INDEX ix_wecom_result_checks_due ON channel.wecom_result_checks (next_check_at)
""",
    """
CREATE TABLE channel.contact_policies (
    version INTEGER NOT NULL,
    policy JSONB NOT NULL,
    updated_by TEXT DEFAULT '' NOT NULL,
    updated_by_role TEXT DEFAULT '' NOT NULL,
    comment TEXT DEFAULT '' NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_contact_policies PRIMARY KEY (version)
)
""",
)


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("contact_policies", schema="channel")
    op.drop_table("wecom_result_checks", schema="channel")
    op.drop_column("messages", "sender_id", schema="channel")
