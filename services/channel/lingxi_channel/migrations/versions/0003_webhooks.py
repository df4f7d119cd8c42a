"""Partner webhooks: subscriptions (with encrypted signing secrets) and their deliveries.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

The DDL below is frozen as it was when this revision was written (rendered once from
`lingxi_channel.models`); later changes to these tables come as new revisions.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("webhook_subscriptions", "webhook_deliveries")


STATEMENTS = (
    """
CREATE TABLE channel.webhook_subscriptions (
    subscription_id TEXT NOT NULL,
    partner_id TEXT NOT NULL,
    url TEXT NOT NULL,
    event_types JSONB DEFAULT '[]'::jsonb NOT NULL,
    active BOOLEAN DEFAULT true NOT NULL,
    description TEXT DEFAULT '' NOT NULL,
    secret_enc BYTEA NOT NULL,
    previous_secret_enc BYTEA,
    previous_secret_expires_at TIMESTAMP WITH TIME ZONE,
    secret_rotated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    deleted_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_webhook_subscriptions PRIMARY KEY (subscription_id)
)
""",
    """
CREATE INDEX ix_webhook_subscriptions_partner_id ON channel.webhook_subscriptions (partner_id)
""",
    """
CREATE TABLE channel.webhook_deliveries (
    delivery_id TEXT NOT NULL,
    subscription_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    event_id TEXT NOT NULL,
    message_id TEXT,
    body BYTEA NOT NULL,
    status SMALLINT NOT NULL,
    in_flight BOOLEAN DEFAULT false NOT NULL,
    attempts INTEGER DEFAULT '0' NOT NULL,
    last_http_status INTEGER DEFAULT '0' NOT NULL,
    last_error TEXT DEFAULT '' NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    last_attempt_at TIMESTAMP WITH TIME ZONE,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    delivered_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_webhook_deliveries PRIMARY KEY (delivery_id),
    CONSTRAINT uq_webhook_deliveries_event UNIQUE (subscription_id, event_id)
)
""",
    """
CREATE INDEX ix_webhook_deliveries_due ON channel.webhook_deliveries (next_attempt_at) WHERE status IN (1, 3)
""",
    """
CREATE INDEX ix_webhook_deliveries_subscription ON channel.webhook_deliveries (subscription_id, created_at)
""",
)


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name, schema="channel")
