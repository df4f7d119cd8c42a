"""Tables of the channel service, all in the `channel` schema.

The contact ledger (`messages` + `message_status_history`) is the heart: one row per send request,
keyed by a UNIQUE idempotency key, so the database itself refuses a second record (and therefore a
second provider call) for the same key however the duplicate arrives. Addresses and rendered
content are kept encrypted (the dispatcher needs them); operators see masked previews and hashes.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from lingxi_common.db import service_metadata
from lingxi_common.idempotency import processed_messages_table
from lingxi_common.outbox import outbox_table

SCHEMA = "channel"
metadata = service_metadata(SCHEMA)
outbox = outbox_table(metadata)
processed_messages = processed_messages_table(metadata)


def _ts(name: str, *, nullable: bool = True, default: bool = False) -> sa.Column[object]:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=nullable,
        server_default=sa.func.now() if default else None,
    )


messages = sa.Table(
    "messages",
    metadata,
    sa.Column("message_id", sa.Text, primary_key=True),
    sa.Column("idempotency_key", sa.Text, nullable=False, unique=True),
    # SHA-256 of the request as received: same key + different request = KEY_CONFLICT.
    sa.Column("request_sha256", sa.Text, nullable=False),
    # The OutboundMessage, encrypted (its variables and raw address may be personal data).
    sa.Column("request_enc", sa.LargeBinary, nullable=False),
    sa.Column("customer_id", sa.Text),
    sa.Column("branch_id", sa.Text),
    sa.Column("advisor_id", sa.Text),
    # WeCom: the member (advisor's WeCom userid) the message is sent on behalf of.
    sa.Column("sender_id", sa.Text),
    sa.Column("webhook_subscription_id", sa.Text),
    sa.Column("channel", sa.SmallInteger, nullable=False),
    sa.Column("channel_used", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("template_code", sa.Text, nullable=False),
    sa.Column("template_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("message_class", sa.SmallInteger, nullable=False),
    sa.Column("priority", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("campaign_id", sa.Text),
    sa.Column("strategy_id", sa.Text),
    sa.Column("task_id", sa.Text),
    sa.Column("origin_source", sa.Text),
    sa.Column("status", sa.SmallInteger, nullable=False),
    sa.Column("status_seq", sa.BigInteger, nullable=False, server_default="1"),
    sa.Column("reason_code", sa.Text, nullable=False, server_default=""),
    sa.Column("decisions", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("labels", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    # Resolved address (phone / openid / registration id / URL), encrypted.
    sa.Column("address_enc", sa.LargeBinary),
    # Keyed blind index of the address: finds the customer an SMS reply (TD) came from.
    sa.Column("address_index", sa.Text),
    # Rendered content as JSON (title, body, url, fields), encrypted; hash + masked preview in clear.
    sa.Column("content_enc", sa.LargeBinary),
    sa.Column("content_sha256", sa.Text, nullable=False, server_default=""),
    sa.Column("rendered_preview", sa.Text, nullable=False, server_default=""),
    sa.Column("provider_template_id", sa.Text, nullable=False, server_default=""),
    sa.Column("provider", sa.Text, nullable=False, server_default=""),
    sa.Column("account_id", sa.Text, nullable=False, server_default=""),
    sa.Column("provider_message_id", sa.Text, nullable=False, server_default=""),
    # Dispatch state: idle → calling (claimed, committed BEFORE the provider call) → done.
    sa.Column("dispatch_state", sa.Text, nullable=False, server_default="idle"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("call_result", sa.SmallInteger, nullable=False, server_default="0"),
    _ts("scheduled_for"),
    _ts("expires_at"),
    _ts("claimed_at"),
    _ts("created_at", nullable=False, default=True),
    _ts("updated_at", nullable=False, default=True),
    sa.Index("ix_messages_customer", "customer_id", "created_at"),
    sa.Index("ix_messages_campaign", "campaign_id", "created_at"),
    sa.Index("ix_messages_strategy", "strategy_id", "created_at"),
    sa.Index("ix_messages_task", "task_id", "created_at"),
    sa.Index("ix_messages_provider_id", "provider_message_id"),
    sa.Index("ix_messages_address_index", "address_index", "created_at"),
    sa.Index(
        "ix_messages_due",
        "scheduled_for",
        postgresql_where=sa.text("dispatch_state IN ('idle', 'calling') AND status IN (1, 2)"),
    ),
)

message_status_history = sa.Table(
    "message_status_history",
    metadata,
    sa.Column("message_id", sa.Text, primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True),
    sa.Column("status", sa.SmallInteger, nullable=False),
    sa.Column("channel", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("provider_code", sa.Text, nullable=False, server_default=""),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    _ts("occurred_at", nullable=False, default=True),
)

templates = sa.Table(
    "templates",
    metadata,
    sa.Column("template_code", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("channel", sa.SmallInteger, nullable=False),
    sa.Column("message_class", sa.SmallInteger, nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("owner", sa.Text, nullable=False, server_default=""),
    sa.Column("current_version", sa.Integer, nullable=False, server_default="0"),
    _ts("created_at", nullable=False, default=True),
)

template_versions = sa.Table(
    "template_versions",
    metadata,
    sa.Column("template_code", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("status", sa.SmallInteger, nullable=False),
    # TemplateContent and the TemplateVariable list as protobuf JSON.
    sa.Column("content", JSONB, nullable=False),
    sa.Column("variables", JSONB, nullable=False),
    sa.Column("content_sha256", sa.Text, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False, server_default=""),
    sa.Column("created_by_role", sa.Text, nullable=False, server_default=""),
    sa.Column("reviewed_by", sa.Text, nullable=False, server_default=""),
    sa.Column("reviewed_by_role", sa.Text, nullable=False, server_default=""),
    _ts("reviewed_at"),
    sa.Column("review_comment", sa.Text, nullable=False, server_default=""),
    _ts("created_at", nullable=False, default=True),
)

consents = sa.Table(
    "consents",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("channel", sa.SmallInteger, primary_key=True),
    sa.Column("status", sa.SmallInteger, nullable=False),
    sa.Column("source", sa.Text, nullable=False, server_default=""),
    sa.Column("evidence_ref", sa.Text, nullable=False, server_default=""),
    _ts("updated_at", nullable=False, default=True),
)

contact_preferences = sa.Table(
    "contact_preferences",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("personalization_opt_out", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("do_not_disturb", sa.Boolean, nullable=False, server_default=sa.false()),
    _ts("do_not_disturb_until"),
    _ts("updated_at", nullable=False, default=True),
)

consent_changes = sa.Table(
    "consent_changes",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False, index=True),
    sa.Column("channel", sa.SmallInteger, nullable=False),
    sa.Column("previous_status", sa.SmallInteger, nullable=False),
    sa.Column("status", sa.SmallInteger, nullable=False),
    sa.Column("source", sa.Text, nullable=False, server_default=""),
    sa.Column("evidence_ref", sa.Text, nullable=False, server_default=""),
    sa.Column("changed_by", sa.Text, nullable=False, server_default=""),
    sa.Column("changed_by_role", sa.Text, nullable=False, server_default=""),
    _ts("occurred_at", nullable=False, default=True),
)

# Contacts counted against frequency caps, per customer, channel, local day and class.
contact_counts = sa.Table(
    "contact_counts",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("channel", sa.SmallInteger, primary_key=True),
    sa.Column("local_day", sa.Date, primary_key=True),
    sa.Column("message_class", sa.SmallInteger, primary_key=True),
    sa.Column("sent", sa.Integer, nullable=False, server_default="0"),
)

channel_accounts = sa.Table(
    "channel_accounts",
    metadata,
    sa.Column("account_id", sa.Text, primary_key=True),
    sa.Column("channel", sa.SmallInteger, nullable=False),
    sa.Column("provider", sa.Text, nullable=False),
    sa.Column("display_name", sa.Text, nullable=False, server_default=""),
    sa.Column("credentials_ref", sa.Text, nullable=False, server_default=""),
    sa.Column("endpoint", sa.Text, nullable=False, server_default=""),
    sa.Column("sms_signature", sa.Text, nullable=False, server_default=""),
    sa.Column("rate_per_second", sa.Integer, nullable=False, server_default="0"),
    sa.Column("burst", sa.Integer, nullable=False, server_default="0"),
    sa.Column("failover_order", sa.Integer, nullable=False, server_default="0"),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    _ts("updated_at", nullable=False, default=True),
)

receipts = sa.Table(
    "receipts",
    metadata,
    sa.Column("receipt_id", sa.Text, primary_key=True),
    sa.Column("provider", sa.Text, nullable=False),
    sa.Column("provider_message_id", sa.Text, nullable=False, server_default=""),
    sa.Column("message_id", sa.Text),
    sa.Column("status", sa.SmallInteger, nullable=False),
    sa.Column("provider_code", sa.Text, nullable=False, server_default=""),
    _ts("received_at", nullable=False, default=True),
)

inbox_messages = sa.Table(
    "inbox_messages",
    metadata,
    sa.Column("message_id", sa.Text, primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False, server_default=""),
    sa.Column("body", sa.Text, nullable=False, server_default=""),
    sa.Column("url", sa.Text, nullable=False, server_default=""),
    sa.Column("category", sa.Text, nullable=False, server_default=""),
    sa.Column("message_class", sa.SmallInteger, nullable=False),
    _ts("created_at", nullable=False, default=True),
    _ts("read_at"),
    _ts("deleted_at"),
    _ts("expires_at"),
    sa.Index("ix_inbox_customer", "customer_id", "created_at"),
)

webhook_subscriptions = sa.Table(
    "webhook_subscriptions",
    metadata,
    sa.Column("subscription_id", sa.Text, primary_key=True),
    sa.Column("partner_id", sa.Text, nullable=False, index=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("event_types", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    # Signing secrets, encrypted; the previous one stays valid until previous_secret_expires_at.
    sa.Column("secret_enc", sa.LargeBinary, nullable=False),
    sa.Column("previous_secret_enc", sa.LargeBinary),
    _ts("previous_secret_expires_at"),
    _ts("secret_rotated_at", nullable=False, default=True),
    _ts("created_at", nullable=False, default=True),
    _ts("updated_at", nullable=False, default=True),
    _ts("deleted_at"),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("delivery_id", sa.Text, primary_key=True),
    sa.Column("subscription_id", sa.Text, nullable=False),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("event_id", sa.Text, nullable=False),
    sa.Column("message_id", sa.Text),
    # The JSON body exactly as signed and sent (replays send the same bytes).
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("status", sa.SmallInteger, nullable=False),
    sa.Column("in_flight", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_http_status", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text, nullable=False, server_default=""),
    _ts("created_at", nullable=False, default=True),
    _ts("last_attempt_at"),
    _ts("next_attempt_at"),
    _ts("delivered_at"),
    sa.UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_event"),
    sa.Index("ix_webhook_deliveries_due", "next_attempt_at", postgresql_where=sa.text("status IN (1, 3)")),
    sa.Index("ix_webhook_deliveries_subscription", "subscription_id", "created_at"),
)

# WeCom group-message tasks waiting for their result: WeCom sends only once the advisor confirms in
# their client, so the outcome is asked for (get_groupmsg_send_result) until it is final.
wecom_result_checks = sa.Table(
    "wecom_result_checks",
    metadata,
    sa.Column("message_id", sa.Text, primary_key=True),
    sa.Column("checks", sa.Integer, nullable=False, server_default="0"),
    _ts("next_check_at", nullable=False, default=True),
    _ts("created_at", nullable=False, default=True),
    sa.Index("ix_wecom_result_checks_due", "next_check_at"),
)

# Every version of the contact policy (quiet hours, caps) with who made it: the newest is in force.
contact_policies = sa.Table(
    "contact_policies",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    # ContactPolicy as protobuf JSON (without version / updated_at / updated_by, kept in columns).
    sa.Column("policy", JSONB, nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False, server_default=""),
    sa.Column("updated_by_role", sa.Text, nullable=False, server_default=""),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    _ts("updated_at", nullable=False, default=True),
)
