"""Channel domain tables: contact ledger, templates, consent, caps, accounts, receipts, inbox.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The DDL below is frozen as it was when this revision was written (rendered once from
`lingxi_channel.models`); any later change to a table comes as a new revision that alters it.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "messages",
    "message_status_history",
    "templates",
    "template_versions",
    "consents",
    "contact_preferences",
    "consent_changes",
    "contact_counts",
    "channel_accounts",
    "receipts",
    "inbox_messages",
)


STATEMENTS = (
    """
CREATE TABLE channel.messages (
    message_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    request_enc BYTEA NOT NULL,
    customer_id TEXT,
    branch_id TEXT,
    advisor_id TEXT,
    webhook_subscription_id TEXT,
    channel SMALLINT NOT NULL,
    channel_used SMALLINT DEFAULT '0' NOT NULL,
    template_code TEXT NOT NULL,
    template_version INTEGER DEFAULT '0' NOT NULL,
    message_class SMALLINT NOT NULL,
    priority SMALLINT DEFAULT '0' NOT NULL,
    campaign_id TEXT,
    strategy_id TEXT,
    task_id TEXT,
    origin_source TEXT,
    status SMALLINT NOT NULL,
    status_seq BIGINT DEFAULT '1' NOT NULL,
    reason_code TEXT DEFAULT '' NOT NULL,
    decisions JSONB DEFAULT '[]'::jsonb NOT NULL,
    labels JSONB DEFAULT '{}'::jsonb NOT NULL,
    address_enc BYTEA,
    address_index TEXT,
    content_enc BYTEA,
    content_sha256 TEXT DEFAULT '' NOT NULL,
    rendered_preview TEXT DEFAULT '' NOT NULL,
    provider_template_id TEXT DEFAULT '' NOT NULL,
    provider TEXT DEFAULT '' NOT NULL,
    account_id TEXT DEFAULT '' NOT NULL,
    provider_message_id TEXT DEFAULT '' NOT NULL,
    dispatch_state TEXT DEFAULT 'idle' NOT NULL,
    attempts INTEGER DEFAULT '0' NOT NULL,
    call_result SMALLINT DEFAULT '0' NOT NULL,
    scheduled_for TIMESTAMP WITH TIME ZONE,
    expires_at TIMESTAMP WITH TIME ZONE,
    claimed_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_messages PRIMARY KEY (message_id),
    CONSTRAINT uq_messages_idempotency_key UNIQUE (idempotency_key)
)
""",
    """
CREATE INDEX ix_messages_address_index ON channel.messages (address_index, created_at)
""",
    """
CREATE INDEX ix_messages_campaign ON channel.messages (campaign_id, created_at)
""",
    """
CREATE INDEX ix_messages_customer ON channel.messages (customer_id, created_at)
""",
    """
CREATE INDEX ix_messages_due ON channel.messages (scheduled_for) WHERE dispatch_state IN ('idle', 'calling') AND status IN (1, 2)
""",
    """
CREATE INDEX ix_messages_provider_id ON channel.messages (provider_message_id)
""",
    """
CREATE INDEX ix_messages_strategy ON channel.messages (strategy_id, created_at)
""",
    """
CREATE INDEX ix_messages_task ON channel.messages (task_id, created_at)
""",
    """
CREATE TABLE channel.message_status_history (
    message_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    status SMALLINT NOT NULL,
    channel SMALLINT DEFAULT '0' NOT NULL,
    provider_code TEXT DEFAULT '' NOT NULL,
    detail TEXT DEFAULT '' NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_message_status_history PRIMARY KEY (message_id, seq)
)
""",
    """
CREATE TABLE channel.templates (
    template_code TEXT NOT NULL,
    name TEXT NOT NULL,
    channel SMALLINT NOT NULL,
    message_class SMALLINT NOT NULL,
    description TEXT DEFAULT '' NOT NULL,
    owner TEXT DEFAULT '' NOT NULL,
    current_version INTEGER DEFAULT '0' NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_templates PRIMARY KEY (template_code)
)
""",
    """
CREATE TABLE channel.template_versions (
    template_code TEXT NOT NULL,
    version INTEGER NOT NULL,
    status SMALLINT NOT NULL,
    content JSONB NOT NULL,
    variables JSONB NOT NULL,
    content_sha256 TEXT NOT NULL,
    created_by TEXT DEFAULT '' NOT NULL,
    created_by_role TEXT DEFAULT '' NOT NULL,
    reviewed_by TEXT DEFAULT '' NOT NULL,
    reviewed_by_role TEXT DEFAULT '' NOT NULL,
    reviewed_at TIMESTAMP WITH TIME ZONE,
    review_comment TEXT DEFAULT '' NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_template_versions PRIMARY KEY (template_code, version)
)
""",
    """
CREATE TABLE channel.consents (
    customer_id TEXT NOT NULL,
    channel SMALLINT NOT NULL,
    status SMALLINT NOT NULL,
    source TEXT DEFAULT '' NOT NULL,
    evidence_ref TEXT DEFAULT '' NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_consents PRIMARY KEY (customer_id, channel)
)
""",
    """
CREATE TABLE channel.contact_preferences (
    customer_id TEXT NOT NULL,
    personalization_opt_out BOOLEAN DEFAULT false NOT NULL,
    do_not_disturb BOOLEAN DEFAULT false NOT NULL,
    do_not_disturb_until TIMESTAMP WITH TIME ZONE,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_contact_preferences PRIMARY KEY (customer_id)
)
""",
    """
CREATE TABLE channel.consent_changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    customer_id TEXT NOT NULL,
    channel SMALLINT NOT NULL,
    previous_status SMALLINT NOT NULL,
    status SMALLINT NOT NULL,
    source TEXT DEFAULT '' NOT NULL,
    evidence_ref TEXT DEFAULT '' NOT NULL,
    changed_by TEXT DEFAULT '' NOT NULL,
    changed_by_role TEXT DEFAULT '' NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_consent_changes PRIMARY KEY (id)
)
""",
    """
CREATE INDEX ix_consent_changes_customer_id ON channel.consent_changes (customer_id)
""",
    """
CREATE TABLE channel.contact_counts (
    customer_id TEXT NOT NULL,
    channel SMALLINT NOT NULL,
    local_day DATE NOT NULL,
    message_class SMALLINT NOT NULL,
    sent INTEGER DEFAULT '0' NOT NULL,
    CONSTRAINT pk_contact_counts PRIMARY KEY (customer_id, channel, local_day, message_class)
)
""",
    """
CREATE TABLE channel.channel_accounts (
    account_id TEXT NOT NULL,
    channel SMALLINT NOT NULL,
    provider TEXT NOT NULL,
    display_name TEXT DEFAULT '' NOT NULL,
    credentials_ref TEXT DEFAULT '' NOT NULL,
    endpoint TEXT DEFAULT '' NOT NULL,
    sms_signature TEXT DEFAULT '' NOT NULL,
    rate_per_second INTEGER DEFAULT '0' NOT NULL,
    burst INTEGER DEFAULT '0' NOT NULL,
    failover_order INTEGER DEFAULT '0' NOT NULL,
    enabled BOOLEAN DEFAULT true NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_channel_accounts PRIMARY KEY (account_id)
)
""",
    """
CREATE TABLE channel.receipts (
    receipt_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    provider_message_id TEXT DEFAULT '' NOT NULL,
    message_id TEXT,
    status SMALLINT NOT NULL,
    provider_code TEXT DEFAULT '' NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    CONSTRAINT pk_receipts PRIMARY KEY (receipt_id)
)
""",
    """
CREATE TABLE channel.inbox_messages (
    message_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    title TEXT DEFAULT '' NOT NULL,
    body TEXT DEFAULT '' NOT NULL,
    url TEXT DEFAULT '' NOT NULL,
    category TEXT DEFAULT '' NOT NULL,
    message_class SMALLINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL,
    read_at TIMESTAMP WITH TIME ZONE,
    deleted_at TIMESTAMP WITH TIME ZONE,
    expires_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_inbox_messages PRIMARY KEY (message_id)
)
""",
    """
CREATE INDEX ix_inbox_customer ON channel.inbox_messages (customer_id, created_at)
""",
)


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name, schema="channel")
