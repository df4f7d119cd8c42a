"""The default tier ladder and earning rules, so a fresh installation earns points at once.

Operators change them through UpsertTier / UpsertEarningRule; this revision only inserts what
is missing and never overwrites an operator's edit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUSINESS = "lingxi.ingest.business"

TIERS = [
    {"tier_code": "registered", "name": "注册会员", "rank": 0, "kind": "TIER_KIND_REGISTERED",
     "downgrade_grace_days": 0},
    {"tier_code": "paid", "name": "付费会员", "rank": 1, "kind": "TIER_KIND_PAID",
     "qualification": {"requires_paid_membership": True},
     "annual_fee": {"amount": "199.00", "currency_code": "CNY"},
     "benefits": [
         {"kind": "BENEFIT_KIND_MEMBER_PRICE", "value": {"value": "0.2"}, "description": "投顾服务会员价"},
         {"kind": "BENEFIT_KIND_POINTS_MULTIPLIER", "value": {"value": "1.2"}, "description": "积分1.2倍"},
     ],
     "downgrade_grace_days": 30},
    {"tier_code": "core", "name": "核心会员", "rank": 2, "kind": "TIER_KIND_CORE",
     "qualification": {"min_points_12m": "20000"},
     "benefits": [
         {"kind": "BENEFIT_KIND_PRIORITY_SERVICE", "value": {"value": "1"}, "description": "优先人工服务"},
         {"kind": "BENEFIT_KIND_POINTS_MULTIPLIER", "value": {"value": "1.5"}, "description": "积分1.5倍"},
         {"kind": "BENEFIT_KIND_DISCOUNT", "value": {"value": "0.1"}, "description": "兑换九折"},
     ],
     "downgrade_grace_days": 90},
]


def _event_rule(code: str, name: str, kind: str, points: int, **extra: object) -> dict[str, object]:
    return {"rule_code": code, "name": name, "trigger": "EARN_TRIGGER_EVENT", "trigger_subject": BUSINESS,
            "trigger_filter": f'event.kind == "BUSINESS_EVENT_KIND_{kind}"', "points": str(points),
            "expiry_policy": "end_of_next_year", "active": True, "tier_multiplier": True, **extra}


RULES = [
    _event_rule("app_register", "注册App", "APP_REGISTERED", 100, max_awards_total=1),
    _event_rule("account_opened", "开户", "ACCOUNT_OPENED", 500, max_awards_total=1),
    {**_event_rule("first_deposit", "首次入金", "DEPOSIT", 1000, max_awards_total=1),
     "trigger_filter": 'event.kind == "BUSINESS_EVENT_KIND_DEPOSIT" && event.first_of_kind'},
    _event_rule("wechat_bound", "绑定微信", "WECHAT_BOUND", 50, max_awards_total=1),
    {**_event_rule("wealth_purchase", "购买理财产品", "PRODUCT_PURCHASED", 0, max_points_per_day="5000",
                   pending_days=7),
     "points": "0", "per_amount_points": "1", "per_amount_unit": {"value": "100"}},
    _event_rule("risk_assessment", "完成风险测评", "RISK_ASSESSMENT_COMPLETED", 100, max_awards_per_day=1),
    _event_rule("survey", "完成问卷", "SURVEY_COMPLETED", 50, max_awards_per_day=3),
    _event_rule("customer_task", "完成任务", "CUSTOMER_TASK_COMPLETED", 20, max_awards_per_day=5),
    {"rule_code": "daily_checkin", "name": "每日签到", "trigger": "EARN_TRIGGER_CHECK_IN", "points": "10",
     "max_awards_per_day": 1, "expiry_policy": "end_of_next_year", "active": True,
     "streak_bonuses": [{"streak_days": 7, "bonus_points": "30"}, {"streak_days": 30, "bonus_points": "100"}]},
    {"rule_code": "campaign_reward", "name": "活动奖励", "trigger": "EARN_TRIGGER_API", "points": "100",
     "max_awards_per_day": 3, "expiry_policy": "end_of_year", "active": True},
]


def upgrade() -> None:
    for tier in TIERS:
        op.execute(
            sa.text(
                "INSERT INTO points.tiers (tier_code, rank, definition) VALUES (:code, :rank, CAST(:d AS jsonb)) "
                "ON CONFLICT DO NOTHING"
            ).bindparams(code=tier["tier_code"], rank=tier["rank"], d=json.dumps(tier, ensure_ascii=False))
        )
    for rule in RULES:
        op.execute(
            sa.text(
                "INSERT INTO points.earning_rules (rule_code, definition, active) "
                "VALUES (:code, CAST(:d AS jsonb), true) ON CONFLICT DO NOTHING"
            ).bindparams(code=rule["rule_code"], d=json.dumps(rule, ensure_ascii=False))
        )


def downgrade() -> None:
    op.execute("DELETE FROM points.earning_rules")
    op.execute("DELETE FROM points.tiers")
