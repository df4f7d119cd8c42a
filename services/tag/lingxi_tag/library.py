"""The built-in tag library and behaviour aggregates shipped with Lingxi (installed at start-up).

Each definition says in words how it is computed (``description``), because operators choose
audiences by these tags and auditors must be able to check what "dormant" meant on a given day.
Built-ins are ordinary versioned definitions: operators may edit them (a new version), not delete
them. Thresholds follow DOMAIN.md (asset tiers, margin warning line 150%, dormant = no login 60
days and no trade 90 days, live-stream fans = ≥2 views over 2 minutes in 30 days).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lingxi.tag.v1 import customer_pb2
from lingxi.tag.v1 import tag_definition_pb2 as defs_pb2

BOOL = defs_pb2.TAG_VALUE_TYPE_BOOL
ENUM = defs_pb2.TAG_VALUE_TYPE_ENUM
REALTIME = defs_pb2.REFRESH_MODE_REALTIME
DAILY = defs_pb2.REFRESH_MODE_DAILY
COUNT = customer_pb2.AGGREGATE_MEASURE_COUNT
SUM = customer_pb2.AGGREGATE_MEASURE_SUM
DISTINCT_DAYS = customer_pb2.AGGREGATE_MEASURE_DISTINCT_DAYS
LAST_SEEN = customer_pb2.AGGREGATE_MEASURE_LAST_SEEN

ACTIVITY_EVENTS = "$AppStart,Login,ViewStock,ViewNews,WatchLiveStream,Search,ViewProduct"


@dataclass(frozen=True)
class BuiltinAggregate:
    code: str
    description: str
    event_name: str  # comma-separated names; "offline:*" matches every offline touch
    measure: int
    window_days: int
    property_filter: str = ""
    sum_property: str = ""


@dataclass(frozen=True)
class BuiltinTag:
    code: str
    display_name: str
    category: str
    description: str
    rule: str
    value_type: int = BOOL
    refresh: int = REALTIME
    options: tuple[tuple[str, str], ...] = field(default=())


CATEGORIES: tuple[tuple[str, str], ...] = (
    ("assets", "资产 Assets"),
    ("lifecycle", "生命周期 Lifecycle"),
    ("risk", "风险 Risk & suitability"),
    ("style", "投资风格 Investment style"),
    ("ability", "投资能力 Investment ability"),
    ("groups", "客群 Customer groups"),
    ("behavior", "行为 Behaviour"),
    ("holdings", "持仓 Holdings"),
    ("margin", "两融 Margin"),
    ("service", "服务 Service"),
)

AGGREGATES: tuple[BuiltinAggregate, ...] = (
    BuiltinAggregate(
        "live_view_120s_30d",
        "Live-stream views longer than 120 s in the last 30 days",
        "WatchLiveStream",
        COUNT,
        30,
        "has(properties.duration_seconds) && double(properties.duration_seconds) > 120.0",
    ),
    BuiltinAggregate(
        "live_watch_seconds_30d",
        "Seconds of live stream watched in the last 30 days",
        "WatchLiveStream",
        SUM,
        30,
        sum_property="duration_seconds",
    ),
    BuiltinAggregate("stock_views_30d", "Stock detail views in the last 30 days", "ViewStock", COUNT, 30),
    BuiltinAggregate("news_views_30d", "News and research views in the last 30 days", "ViewNews", COUNT, 30),
    BuiltinAggregate(
        "product_views_30d", "Fund / wealth product views in the last 30 days", "ViewProduct", COUNT, 30
    ),
    BuiltinAggregate(
        "fund_views_30d",
        "Fund product views in the last 30 days",
        "ViewProduct",
        COUNT,
        30,
        "has(properties.product_type) && properties.product_type == 'fund'",
    ),
    BuiltinAggregate("searches_30d", "Searches in the last 30 days", "Search", COUNT, 30),
    BuiltinAggregate(
        "watchlist_adds_30d", "Watchlist additions in the last 30 days", "AddWatchlist", COUNT, 30
    ),
    BuiltinAggregate(
        "push_clicks_30d", "Push notifications opened in the last 30 days", "PushClick", COUNT, 30
    ),
    BuiltinAggregate(
        "margin_intro_views_30d", "Margin-trading introduction views, 30 days", "ViewMarginIntro", COUNT, 30
    ),
    BuiltinAggregate(
        "advisory_views_30d", "Advisory service page views, 30 days", "ViewAdvisoryService", COUNT, 30
    ),
    BuiltinAggregate(
        "active_days_30d", "Distinct days with any app activity, 30 days", ACTIVITY_EVENTS, DISTINCT_DAYS, 30
    ),
    BuiltinAggregate(
        "days_since_active",
        "Days since the last app activity (within a year; 9999 when none)",
        ACTIVITY_EVENTS,
        LAST_SEEN,
        365,
    ),
    BuiltinAggregate(
        "offline_touches_90d", "Offline touches of any kind in the last 90 days", "offline:*", COUNT, 90
    ),
    BuiltinAggregate(
        "offline_intents_90d",
        "Offline touches that ended with an expressed intent, 90 days",
        "offline:*",
        COUNT,
        90,
        "has(properties.result) && properties.result == 'TOUCH_RESULT_INTENT'",
    ),
    BuiltinAggregate(
        "branch_visits_90d", "Branch visits in the last 90 days", "offline:TOUCH_KIND_BRANCH_VISIT", COUNT, 90
    ),
)

_ASSET_TIERS = (
    ("w0_3", "<3万"),
    ("w3_5", "3–5万"),
    ("w5_10", "5–10万"),
    ("w10_30", "10–30万"),
    ("w30_50", "30–50万"),
    ("w50_100", "50–100万"),
    ("w100_plus", "≥100万"),
)

TAGS: tuple[BuiltinTag, ...] = (
    # --- assets --------------------------------------------------------------------------------
    BuiltinTag(
        "asset_tier",
        "资产分层 Asset tier",
        "assets",
        "Total assets over all fund and margin accounts (cash + market value), in the tiers "
        "<3万, 3–5万, 5–10万, 10–30万, 30–50万, 50–100万, ≥100万.",
        "customer.total_assets >= 1000000.0 ? 'w100_plus' : customer.total_assets >= 500000.0 ? 'w50_100' : "
        "customer.total_assets >= 300000.0 ? 'w30_50' : customer.total_assets >= 100000.0 ? 'w10_30' : "
        "customer.total_assets >= 50000.0 ? 'w5_10' : customer.total_assets >= 30000.0 ? 'w3_5' : 'w0_3'",
        ENUM,
        options=_ASSET_TIERS,
    ),
    BuiltinTag(
        "high_net_worth",
        "高净值 High net worth",
        "assets",
        "Total assets at least 1,000,000.",
        "customer.total_assets >= 1000000.0",
    ),
    BuiltinTag(
        "advisor_coverage_eligible",
        "投顾覆盖门槛 Advisor-coverage eligible",
        "assets",
        "Total assets at least 500,000, the usual threshold for advisor coverage.",
        "customer.total_assets >= 500000.0",
    ),
    BuiltinTag(
        "ai_outbound_segment",
        "智能外呼客群 AI outbound segment",
        "assets",
        "Total assets under 300,000 and no serving advisor: served by AI outbound calls.",
        "customer.total_assets < 300000.0 && !customer.has_advisor",
    ),
    BuiltinTag(
        "high_cash_balance",
        "高现金余额 High cash balance",
        "groups",
        "Cash balance at least 100,000 and at least half of total assets (idle money to invest).",
        "customer.cash_balance >= 100000.0 && customer.cash_balance >= 0.5 * customer.total_assets",
    ),
    BuiltinTag(
        "high_external_market_value",
        "高外部市值 High external market value",
        "groups",
        "Estimated market value held at other brokers at least 500,000 and above the assets held here.",
        "customer.external_market_value >= 500000.0 && customer.external_market_value > customer.total_assets",  # noqa: E501
    ),
    BuiltinTag(
        "wealth_management_potential",
        "理财潜在 Wealth-management potential",
        "groups",
        "Holds no wealth product, has at least 50,000 cash and viewed funds or products in the last 30 days.",
        "!customer.wealth_product_holder && customer.cash_balance >= 50000.0 && "
        "(agg.product_views_30d + agg.fund_views_30d) >= 1.0",
    ),
    BuiltinTag(
        "advisory_potential",
        "投顾潜在 Advisory potential",
        "groups",
        "No advisory service yet, total assets at least 100,000 and engaged with advisory content: two or more "  # noqa: E501
        "live streams over 2 minutes, or an advisory page view, in the last 30 days.",
        "!customer.has_advisory_service && customer.total_assets >= 100000.0 && "
        "(agg.live_view_120s_30d >= 2.0 || agg.advisory_views_30d >= 1.0)",
    ),
    BuiltinTag(
        "margin_potential",
        "双融潜在 Margin potential",
        "groups",
        "No margin account, total assets at least 500,000 (the regulatory minimum), account open at least "
        "180 days, risk level C3 or above, and at least 10 trades in 90 days.",
        "!customer.has_margin_account && customer.total_assets >= 500000.0 && customer.tenure_days >= 180 && "
        "customer.risk_level >= 3 && customer.trades_90d >= 10",
        refresh=DAILY,
    ),
    BuiltinTag(
        "churned_stock_trader",
        "股票流失 Churned stock trader",
        "groups",
        "Stock market value fell below 10% of its 12-month peak (peak at least 50,000) and no trade in 90 days.",  # noqa: E501
        "customer.stock_mv_peak_12m >= 50000.0 && customer.stock_market_value < 0.1 * customer.stock_mv_peak_12m && "  # noqa: E501
        "customer.trades_90d == 0",
    ),
    # --- lifecycle -----------------------------------------------------------------------------
    BuiltinTag(
        "lifecycle_stage",
        "生命周期 Lifecycle stage",
        "lifecycle",
        "intro: account opened within 90 days; churn: no login for 90 days and no trade for 180 days; decline: "  # noqa: E501
        "active on fewer than 2 days in 30 and no trade in 90 days; mature: open over a year with assets of "
        "at least 100,000; growth: otherwise.",
        "customer.tenure_days >= 0 && customer.tenure_days < 90 ? 'intro' : "
        "(customer.days_since_last_login >= 90 && (customer.days_since_last_trade < 0 || customer.days_since_last_trade >= 180)) ? 'churn' : "  # noqa: E501
        "(agg.active_days_30d < 2.0 && customer.trades_90d == 0) ? 'decline' : "
        "(customer.tenure_days >= 365 && customer.total_assets >= 100000.0) ? 'mature' : 'growth'",
        ENUM,
        DAILY,
        (
            ("intro", "引入期"),
            ("growth", "成长期"),
            ("mature", "成熟期"),
            ("decline", "衰退期"),
            ("churn", "流失期"),
        ),
    ),
    BuiltinTag(
        "new_customer",
        "新客 New customer",
        "lifecycle",
        "Account opened within the last 30 days.",
        "customer.tenure_days >= 0 && customer.tenure_days <= 30",
        refresh=DAILY,
    ),
    BuiltinTag(
        "dormant",
        "沉睡客户 Dormant",
        "lifecycle",
        "No login for 60 days and no trade for 90 days.",
        "customer.days_since_last_login >= 60 && customer.trades_90d == 0 && agg.days_since_active >= 60.0",
        refresh=DAILY,
    ),
    BuiltinTag(
        "active_app_user",
        "活跃用户 Active app user",
        "lifecycle",
        "Active in the app on at least 8 distinct days in the last 30 days.",
        "agg.active_days_30d >= 8.0",
    ),
    BuiltinTag(
        "active_trader",
        "活跃交易 Active trader",
        "lifecycle",
        "At least 30 trades in the last 90 days.",
        "customer.trades_90d >= 30",
    ),
    BuiltinTag(
        "long_tenure",
        "老客户 Long tenure",
        "lifecycle",
        "Account open for at least five years.",
        "customer.tenure_days >= 1825",
        refresh=DAILY,
    ),
    # --- risk ------------------------------------------------------------------------------------
    BuiltinTag(
        "risk_level",
        "风险等级 Risk level",
        "risk",
        "Risk level C1–C5 from the latest risk assessment; absent before the first assessment.",
        "customer.risk_level >= 1 ? 'C' + string(customer.risk_level) : null",
        ENUM,
        options=(("C1", "C1"), ("C2", "C2"), ("C3", "C3"), ("C4", "C4"), ("C5", "C5")),
    ),
    BuiltinTag(
        "risk_assessment_expired",
        "测评过期 Risk assessment expired",
        "risk",
        "Assessed before, but the assessment's validity date has passed.",
        "customer.risk_level >= 1 && !customer.risk_assessment_valid",
        refresh=DAILY,
    ),
    BuiltinTag(
        "risk_assessment_expiring",
        "测评即将到期 Risk assessment expiring",
        "risk",
        "The risk assessment expires within the next 30 days.",
        "customer.risk_expires_in_days >= 0 && customer.risk_expires_in_days <= 30",
        refresh=DAILY,
    ),
    BuiltinTag(
        "no_risk_assessment",
        "未测评 Never assessed",
        "risk",
        "Has never completed a risk assessment.",
        "customer.risk_level == 0",
    ),
    BuiltinTag(
        "conservative_investor",
        "保守型 Conservative",
        "risk",
        "Latest risk assessment gave risk level C1 or C2.",
        "customer.risk_level >= 1 && customer.risk_level <= 2",
    ),
    BuiltinTag(
        "aggressive_investor",
        "进取型 Aggressive",
        "risk",
        "Latest risk assessment gave risk level C4 or C5.",
        "customer.risk_level >= 4",
    ),
    BuiltinTag(
        "professional_investor",
        "专业投资者 Professional investor",
        "risk",
        "Qualified as a professional investor.",
        "customer.professional_investor",
    ),
    # --- style -----------------------------------------------------------------------------------
    BuiltinTag(
        "investment_style",
        "投资风格 Investment style",
        "style",
        "The style with the largest share of the last 90 days' trades (each trade is classified by the "
        "warehouse from the security and the behaviour before it), if that share is at least 40% and there were "  # noqa: E501
        "at least 5 trades: value, technical, theme or event.",
        "customer.trades_90d < 5 ? null : "
        "(customer.value_trade_share >= 0.4 && customer.value_trade_share >= customer.technical_trade_share && "  # noqa: E501
        "customer.value_trade_share >= customer.theme_trade_share && customer.value_trade_share >= customer.event_trade_share) ? 'value' : "  # noqa: E501
        "(customer.technical_trade_share >= 0.4 && customer.technical_trade_share >= customer.theme_trade_share && "  # noqa: E501
        "customer.technical_trade_share >= customer.event_trade_share) ? 'technical' : "
        "(customer.theme_trade_share >= 0.4 && customer.theme_trade_share >= customer.event_trade_share) ? 'theme' : "  # noqa: E501
        "customer.event_trade_share >= 0.4 ? 'event' : null",
        ENUM,
        options=(("value", "价值"), ("technical", "技术"), ("theme", "主题"), ("event", "事件")),
    ),
    BuiltinTag(
        "style_value",
        "价值型 Value style",
        "style",
        "At least 40% of 90-day trades classified as value investing (at least 5 trades).",
        "customer.trades_90d >= 5 && customer.value_trade_share >= 0.4",
    ),
    BuiltinTag(
        "style_technical",
        "技术型 Technical style",
        "style",
        "At least 40% of 90-day trades classified as technical (at least 5 trades).",
        "customer.trades_90d >= 5 && customer.technical_trade_share >= 0.4",
    ),
    BuiltinTag(
        "style_theme",
        "主题型 Theme style",
        "style",
        "At least 40% of 90-day trades in theme sectors (at least 5 trades).",
        "customer.trades_90d >= 5 && customer.theme_trade_share >= 0.4",
    ),
    BuiltinTag(
        "style_event",
        "事件型 Event style",
        "style",
        "At least 40% of 90-day trades follow a news event on the security (at least 5 trades).",
        "customer.trades_90d >= 5 && customer.event_trade_share >= 0.4",
    ),
    BuiltinTag(
        "short_term_trader",
        "短线 Short-term trader",
        "style",
        "Average holding period under 10 days with at least 10 trades in 90 days.",
        "customer.trades_90d >= 10 && customer.avg_holding_days > 0.0 && customer.avg_holding_days < 10.0",
    ),
    BuiltinTag(
        "long_term_holder",
        "长线 Long-term holder",
        "style",
        "Average holding period of at least 180 days.",
        "customer.avg_holding_days >= 180.0",
    ),
    # --- ability ---------------------------------------------------------------------------------
    BuiltinTag(
        "stock_picking_ability",
        "选股能力 Stock-picking ability",
        "ability",
        "From the picks' excess return over the CSI 300 in the last year (warehouse): strong above +5%, weak below "  # noqa: E501
        "-5%, else average; only with at least 5 trades in 90 days.",
        "customer.trades_90d < 5 ? null : customer.stock_pick_alpha > 0.05 ? 'strong' : "
        "customer.stock_pick_alpha < -0.05 ? 'weak' : 'average'",
        ENUM,
        options=(("strong", "强"), ("average", "中"), ("weak", "弱")),
    ),
    BuiltinTag(
        "timing_ability",
        "择时能力 Timing ability",
        "ability",
        "Share of trades on the right side of the market's next 5-day move (buys before rises, sells before "
        "falls): strong at 60% or more, weak at 40% or less; only with at least 5 trades in 90 days.",
        "customer.trades_90d < 5 ? null : customer.timing_score >= 0.6 ? 'strong' : "
        "customer.timing_score <= 0.4 ? 'weak' : 'average'",
        ENUM,
        options=(("strong", "强"), ("average", "中"), ("weak", "弱")),
    ),
    # --- behaviour -------------------------------------------------------------------------------
    BuiltinTag(
        "live_stream_fan",
        "直播粉丝 Live-stream fan",
        "behavior",
        "Watched advisor live streams at least twice, more than 2 minutes each, in the last 30 days.",
        "agg.live_view_120s_30d >= 2.0",
    ),
    BuiltinTag(
        "live_stream_heavy",
        "直播深度观看 Heavy live-stream viewer",
        "behavior",
        "Watched at least one hour of live streams in the last 30 days.",
        "agg.live_watch_seconds_30d >= 3600.0",
    ),
    BuiltinTag(
        "fund_browser",
        "关注基金 Fund browser",
        "behavior",
        "Viewed fund products at least 3 times in the last 30 days.",
        "agg.fund_views_30d >= 3.0",
    ),
    BuiltinTag(
        "news_reader",
        "资讯阅读 News reader",
        "behavior",
        "Read at least 10 news or research items in the last 30 days.",
        "agg.news_views_30d >= 10.0",
    ),
    BuiltinTag(
        "stock_researcher",
        "看股活跃 Stock researcher",
        "behavior",
        "Viewed stock details at least 20 times or searched at least 10 times in the last 30 days.",
        "agg.stock_views_30d >= 20.0 || agg.searches_30d >= 10.0",
    ),
    BuiltinTag(
        "push_responsive",
        "推送响应 Push responsive",
        "behavior",
        "Opened at least 2 push notifications in the last 30 days.",
        "agg.push_clicks_30d >= 2.0",
    ),
    BuiltinTag(
        "margin_curious",
        "关注两融 Margin curious",
        "behavior",
        "Viewed the margin-trading introduction in the last 30 days and has no margin account.",
        "agg.margin_intro_views_30d >= 1.0 && !customer.has_margin_account",
    ),
    BuiltinTag(
        "offline_intent",
        "线下意向 Offline intent",
        "behavior",
        "An offline touch (call, visit) ended with an expressed intent in the last 90 days.",
        "agg.offline_intents_90d >= 1.0",
    ),
    # --- holdings --------------------------------------------------------------------------------
    BuiltinTag(
        "diversified_holder",
        "分散持仓 Diversified holdings",
        "holdings",
        "At least 5 positions in at least 3 sectors, none above 30% of the portfolio.",
        "holdings.position_count >= 5 && holdings.sector_count >= 3 && holdings.top_position_weight <= 0.3",
    ),
    BuiltinTag(
        "concentrated_holder",
        "集中持仓 Concentrated holdings",
        "holdings",
        "One position is at least 60% of the portfolio.",
        "holdings.position_count >= 1 && holdings.top_position_weight >= 0.6",
    ),
    BuiltinTag(
        "holding_in_heavy_loss",
        "持仓深套 Holding in heavy loss",
        "holdings",
        "At least one position with an unrealized loss of 20% or more of its cost.",
        "holdings.worst_position_pnl_ratio <= -0.2",
    ),
    BuiltinTag(
        "portfolio_in_loss",
        "组合浮亏 Portfolio in loss",
        "holdings",
        "Unrealized result over all positions is negative.",
        "holdings.unrealized_pnl < 0.0",
    ),
    BuiltinTag(
        "no_positions",
        "空仓 No positions",
        "holdings",
        "Holds no securities (cash only or empty).",
        "holdings.position_count == 0 && customer.total_assets > 0.0",
    ),
    # --- margin ----------------------------------------------------------------------------------
    BuiltinTag(
        "margin_account_holder",
        "两融客户 Margin account",
        "margin",
        "Has a margin account.",
        "customer.has_margin_account",
    ),
    BuiltinTag(
        "margin_near_warning",
        "维保比例临近预警线 Margin ratio near warning line",
        "margin",
        "Maintenance guarantee ratio of a margin account with debt is below 170% (warning line 150%).",
        "customer.has_margin_account && customer.liabilities > 0.0 && customer.maintenance_ratio > 0.0 && "
        "customer.maintenance_ratio < 1.7",
    ),
    BuiltinTag(
        "margin_below_warning",
        "低于预警线 Below margin warning line",
        "margin",
        "Maintenance guarantee ratio below 150%, the warning line.",
        "customer.has_margin_account && customer.liabilities > 0.0 && customer.maintenance_ratio > 0.0 && "
        "customer.maintenance_ratio < 1.5",
    ),
    BuiltinTag(
        "margin_contract_expiring",
        "合约即将到期 Margin contract expiring",
        "margin",
        "A margin contract expires within the next 30 days.",
        "customer.margin_contract_expires_in_days >= 0 && customer.margin_contract_expires_in_days <= 30",
        refresh=DAILY,
    ),
    # --- service ---------------------------------------------------------------------------------
    BuiltinTag(
        "has_advisor",
        "有服务投顾 Has advisor",
        "service",
        "Served by an advisor (not HQ).",
        "customer.has_advisor",
    ),
    BuiltinTag(
        "has_advisory_service",
        "已购投顾服务 Has advisory service",
        "service",
        "Subscribed to an advisory service.",
        "customer.has_advisory_service",
    ),
    BuiltinTag(
        "wealth_product_holder",
        "持有理财 Wealth product holder",
        "service",
        "Holds a fund or wealth product.",
        "customer.wealth_product_holder || customer.fund_market_value > 0.0",
    ),
)
