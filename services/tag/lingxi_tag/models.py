"""Tables of the tag service, all in the `tag` schema.

Phone numbers, id numbers and WeChat openids are stored only encrypted (`*_enc`), with a keyed
hash (`*_index`) for exact look-ups, so a database dump alone exposes no one.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from lingxi_common.db import service_metadata
from lingxi_common.idempotency import processed_messages_table
from lingxi_common.outbox import outbox_table

SCHEMA = "tag"
metadata = service_metadata(SCHEMA)
outbox = outbox_table(metadata)
processed_messages = processed_messages_table(metadata)

customers = sa.Table(
    "customers",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("branch_id", sa.Text, nullable=False, index=True),
    sa.Column("advisor_id", sa.Text, index=True),
    sa.Column("risk_level", sa.SmallInteger, comment="1..5 for C1..C5; NULL before the first assessment"),
    sa.Column("risk_assessment_expires_on", sa.Date),
    sa.Column("professional_investor", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("opened_on", sa.Date),
    sa.Column("age_band", sa.Text),
    sa.Column("city", sa.Text),
    sa.Column("phone_enc", sa.LargeBinary),
    sa.Column("phone_index", sa.Text, index=True),
    sa.Column("id_number_enc", sa.LargeBinary),
    sa.Column("id_number_index", sa.Text, index=True),
    sa.Column("wechat_openid_enc", sa.LargeBinary),
    sa.Column("wechat_unionid_enc", sa.LargeBinary),
    sa.Column("wechat_unionid_index", sa.Text, index=True),
    sa.Column("display_name_enc", sa.LargeBinary),
    sa.Column("customer_type", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("status", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("attributes", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
    sa.Column("wechat_openid_index", sa.Text, index=True),
    sa.Column("consents", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.CheckConstraint("risk_level BETWEEN 1 AND 5", name="risk_level_range"),
)

# Who read unmasked PII, when and why: PIPL asks for every access to be auditable.
pii_access_log = sa.Table(
    "pii_access_log",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False, index=True),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("fields", sa.ARRAY(sa.Text), nullable=False),
    sa.Column("request_id", sa.Text),
    sa.Column("accessed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)
