"""A realistic demo shelf for `lingxi up`, loaded through the product service's own gRPC API.

Funds of every category (with holdings, sector exposure, fees and about three years of daily
NAV), benchmark indices with their closes, wealth products whose maturity and payout fall in the
next days (so the T-3 and payout reminders have something to announce), advisory services
(投顾锦囊, portfolios), a new fund in its subscription window, research linked to stocks, the
constituent lists of the indices the index funds and ETFs track (imported as a background job,
like an operator's file) and `invest_style` tags for recommendations. The style indices
(`fund_style.STYLE_INDICES`) move with a common market factor, and each stock and hybrid fund's
NAV is a mix of them plus its own noise, so the computed `style` tag has something to find.
Everything is generated from a seed and dated relative to today; running the seeder again
changes nothing that is already there (creates become no-op edits, NAV upserts compare values).
"""

from __future__ import annotations

import asyncio
import math
import random
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import grpc

from lingxi.common.v1 import date_pb2, decimal_pb2, enums_pb2
from lingxi.product.v1 import analytics_pb2, product_pb2, product_service_pb2, product_service_pb2_grpc
from lingxi_common.grpc_client import open_channel
from lingxi_common.identity import Caller

PS = product_service_pb2
P = product_pb2

BENCHMARKS = (
    ("000300.SH", "沪深300", P.FUND_CATEGORY_INDEX, 3900.0, 0.0002, 0.012),
    ("000905.SH", "中证500", P.FUND_CATEGORY_STOCK, 5800.0, 0.0001, 0.015),
    ("930050.CSI", "中证A50", P.FUND_CATEGORY_ETF, 1300.0, 0.0002, 0.011),
    ("CBA00101.CS", "中债新综合财富指数", P.FUND_CATEGORY_BOND, 240.0, 0.00013, 0.0008),
    ("H11025.CSI", "中证货币基金指数", P.FUND_CATEGORY_MONEY_MARKET, 1700.0, 0.00007, 0.00002),
)
STOCKS = (
    ("600519.SH", "贵州茅台", "FOOD_BEV", "食品饮料"),
    ("000858.SZ", "五粮液", "FOOD_BEV", "食品饮料"),
    ("300750.SZ", "宁德时代", "NEW_ENERGY", "电力设备"),
    ("601012.SH", "隆基绿能", "NEW_ENERGY", "电力设备"),
    ("600036.SH", "招商银行", "BANK", "银行"),
    ("601318.SH", "中国平安", "INSURANCE", "非银金融"),
    ("688981.SH", "中芯国际", "SEMICONDUCTOR", "电子"),
    ("002415.SZ", "海康威视", "SEMICONDUCTOR", "电子"),
    ("600276.SH", "恒瑞医药", "PHARMA", "医药生物"),
    ("000333.SZ", "美的集团", "HOME_APPLIANCE", "家用电器"),
)
ISSUERS = ("华夏基金", "易方达基金", "南方基金", "嘉实基金", "广发基金", "富国基金", "招商基金", "汇添富基金")
# category, count, rating, annual drift range, daily volatility, name stem, benchmark
FUND_PLAN = (
    (P.FUND_CATEGORY_STOCK, 6, 4, (-0.10, 0.25), 0.016, "成长精选股票", "000905.SH"),
    (P.FUND_CATEGORY_HYBRID, 6, 3, (-0.05, 0.18), 0.012, "均衡配置混合", "000300.SH"),
    (P.FUND_CATEGORY_INDEX, 4, 3, (-0.02, 0.10), 0.012, "沪深300指数增强", "000300.SH"),
    (P.FUND_CATEGORY_ETF, 3, 3, (0.00, 0.08), 0.011, "A50ETF", "930050.CSI"),
    (P.FUND_CATEGORY_BOND, 5, 2, (0.02, 0.05), 0.0009, "稳健纯债债券", "CBA00101.CS"),
    (P.FUND_CATEGORY_MONEY_MARKET, 2, 1, (0.015, 0.022), 0.00002, "现金宝货币", "H11025.CSI"),
    (P.FUND_CATEGORY_QDII, 2, 4, (-0.05, 0.20), 0.014, "全球科技QDII", ""),
)
# Index funds and ETFs track their benchmark (the TRACKS_INDEX_WITH_STOCK relation).
TRACKING = {P.FUND_CATEGORY_INDEX, P.FUND_CATEGORY_ETF}
# The `invest_style` product tag operators keep by hand; recommendations match it to the
# customer's investment style. Hybrids alternate between a value and a balanced mandate.
STYLE_BY_CATEGORY = {P.FUND_CATEGORY_STOCK: "growth", P.FUND_CATEGORY_QDII: "theme"}
# Published constituent weights of the demo indices, limited to the demo stocks (the rest of
# each index is not listed; weights are fractions of the whole index).
CONSTITUENTS = {
    "000300.SH": {
        "600519.SH": 0.0552,
        "300750.SZ": 0.0321,
        "601318.SH": 0.0298,
        "600036.SH": 0.0276,
        "000333.SZ": 0.0152,
        "000858.SZ": 0.0121,
        "688981.SH": 0.0104,
        "600276.SH": 0.0093,
        "601012.SH": 0.0078,
        "002415.SZ": 0.0062,
    },
    "930050.CSI": {
        "600519.SH": 0.1045,
        "300750.SZ": 0.0687,
        "601318.SH": 0.0612,
        "600036.SH": 0.0571,
        "000333.SZ": 0.0318,
        "000858.SZ": 0.0266,
        "600276.SH": 0.0201,
    },
}


# The style indices returns-based style analysis regresses on: base level, daily drift and the
# volatility of the index's own part on top of a common market factor.
STYLE_INDEX_PLAN = {
    "000919.SH": ("沪深300价值", 5200.0, 0.0002, 0.006),
    "000918.SH": ("沪深300成长", 4100.0, 0.0003, 0.007),
    "000852.SH": ("中证1000", 6300.0, 0.0001, 0.009),
}
MARKET_VOLATILITY = 0.010
# Stock and hybrid funds cycle through these mixes of (value, growth, small-cap) index exposure;
# the rest is cash (a hybrid's bonds). Each fund adds its own daily noise of FUND_NOISE.
STYLE_MIXES = (
    (0.80, 0.05, 0.05),  # value
    (0.05, 0.85, 0.05),  # growth
    (0.05, 0.20, 0.70),  # small cap
    (0.45, 0.45, 0.05),  # blend
)
HYBRID_EQUITY = 0.6
FUND_NOISE = 0.003


@dataclass(frozen=True)
class DemoProduct:
    product: product_pb2.Product
    drift: float  # annual
    volatility: float  # daily
    history_start: date | None  # None = no NAV (wealth products, services)
    style_mix: tuple[float, float, float] | None = None  # exposure to the style indices, if any


def _d(day: date) -> date_pb2.Date:
    return date_pb2.Date(year=day.year, month=day.month, day=day.day)


def _dec(value: str) -> decimal_pb2.Decimal:
    return decimal_pb2.Decimal(value=value)


def business_days(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def demo_shelf(today: date, *, seed: int = 11, history_years: int = 3) -> list[DemoProduct]:
    rng = random.Random(seed)
    start = today - timedelta(days=365 * history_years + 30)
    shelf: list[DemoProduct] = []
    number = 0
    for category, count, rating, (low, high), volatility, stem, benchmark in FUND_PLAN:
        for index in range(count):
            number += 1
            code = f"{(160000 + number * 7):06d}"
            holdings = rng.sample(STOCKS, k=5) if rating >= 3 else []
            weights = sorted((rng.uniform(0.03, 0.09) for _ in holdings), reverse=True)
            sectors: dict[str, tuple[str, float]] = {}
            for (_, _, sector, sector_name), weight in zip(holdings, weights, strict=True):
                sectors[sector] = (sector_name, sectors.get(sector, ("", 0.0))[1] + weight * 3)
            total = sum(w for _, w in sectors.values())
            if total > 0.9:  # exposures are fractions of net assets: keep their sum realistic
                sectors = {k: (n, w * 0.9 / total) for k, (n, w) in sectors.items()}
            inception = start + timedelta(days=rng.randint(0, 400)) if index % 3 == 2 else start
            product = P.Product(
                product_id=f"F{code}",
                product_code=code,
                name=f"{rng.choice(ISSUERS)[:2]}{stem}{'ABCDEF'[index]}",
                product_type=P.PRODUCT_TYPE_FUND,
                fund_category=category,
                risk_rating=rating,
                min_investment=decimal_pb2.Money(amount="10.00" if rating <= 2 else "100.00"),
                status=P.PRODUCT_STATUS_ON_SALE,
                issuer=rng.choice(ISSUERS),
                benchmark_code=benchmark,
                horizon={1: P.HORIZON_SHORT, 2: P.HORIZON_MEDIUM}.get(rating, P.HORIZON_LONG),
                phases=[P.INVESTMENT_PHASE_PRE],
                highlight=f"近三年稳健运作，{stem}代表产品",
                tracking_index_code=benchmark if category in TRACKING else "",
                top_holdings=[
                    P.TopHolding(
                        security_code=s[0],
                        security_name=s[1],
                        weight=_dec(f"{w:.4f}"),
                        report_date=_d(
                            date(today.year, 1, 20) if today.month > 1 else date(today.year - 1, 10, 25)
                        ),
                    )
                    for s, w in zip(holdings, weights, strict=True)
                ],
                sector_exposures=[
                    P.SectorExposure(sector_code=code_, sector_name=name, weight=_dec(f"{w:.4f}"))
                    for code_, (name, w) in sorted(sectors.items(), key=lambda kv: -kv[1][1])
                ],
            )
            product.fees.management_rate.value = {1: "0.0020", 2: "0.0030"}.get(
                rating, f"{rng.choice((0.5, 1.0, 1.2, 1.5)) / 100:.4f}"
            )
            product.fees.custody_rate.value = "0.0010" if rating > 1 else "0.0005"
            product.fees.subscription_rate.value = "0" if rating <= 1 else "0.0120"
            product.key_dates.established_on.CopyFrom(_d(inception))
            mix = None
            if category in (P.FUND_CATEGORY_STOCK, P.FUND_CATEGORY_HYBRID):
                share = HYBRID_EQUITY if category == P.FUND_CATEGORY_HYBRID else 1.0
                value, growth, small = STYLE_MIXES[index % len(STYLE_MIXES)]
                mix = (value * share, growth * share, small * share)
            shelf.append(DemoProduct(product, rng.uniform(low, high), volatility, inception, mix))
    # A new fund in its subscription window (closes in 2 days: the "closing" reminder).
    launch = P.Product(
        product_id="F168888",
        product_code="168888",
        name="新能源产业精选混合发起式",
        product_type=P.PRODUCT_TYPE_FUND,
        fund_category=P.FUND_CATEGORY_HYBRID,
        risk_rating=enums_pb2.PRODUCT_RISK_RATING_R4,
        min_investment=decimal_pb2.Money(amount="10.00"),
        status=P.PRODUCT_STATUS_ON_SALE,
        issuer="易方达基金",
        horizon=P.HORIZON_LONG,
        phases=[P.INVESTMENT_PHASE_PRE],
        highlight="聚焦新能源产业链龙头，新发募集中",
        top_holdings=[
            P.TopHolding(security_code="300750.SZ", security_name="宁德时代", weight=_dec("0.0900"))
        ],
        sector_exposures=[
            P.SectorExposure(sector_code="NEW_ENERGY", sector_name="电力设备", weight=_dec("0.5500"))
        ],
    )
    launch.key_dates.subscription_window.start.CopyFrom(_d(today - timedelta(days=5)))
    launch.key_dates.subscription_window.end.CopyFrom(_d(today + timedelta(days=2)))
    shelf.append(DemoProduct(launch, 0.0, 0.0, None))
    # Wealth products: one matures in 3 days (T-3), one pays out today.
    for index, (name, days, rating, maturity_in, payout_in) in enumerate(
        (
            ("稳健理财91天", 91, 2, 3, None),
            ("季季盈收益凭证", 182, 2, 60, 0),
            ("安心一年期理财", 365, 1, 200, None),
            ("多策略资管计划", 730, 4, 400, 30),
        )
    ):
        matures = today + timedelta(days=maturity_in)
        wealth = P.Product(
            product_id=f"W{index + 1:04d}",
            product_code=f"WM2026{index + 1:04d}",
            name=name,
            product_type=P.PRODUCT_TYPE_WEALTH,
            risk_rating=rating,
            min_investment=decimal_pb2.Money(amount="10000.00" if rating < 4 else "1000000.00"),
            status=P.PRODUCT_STATUS_CLOSED,
            issuer="灵犀证券资管",
            horizon=P.HORIZON_SHORT if days <= 182 else P.HORIZON_MEDIUM,
            phases=[P.INVESTMENT_PHASE_PRE],
        )
        wealth.key_dates.established_on.CopyFrom(_d(matures - timedelta(days=days)))
        wealth.key_dates.matures_on.CopyFrom(_d(matures))
        if payout_in is not None:
            wealth.key_dates.next_payout_on.CopyFrom(_d(today + timedelta(days=payout_in)))
        wealth.fees.management_rate.value = "0.0030"
        shelf.append(DemoProduct(wealth, 0.0, 0.0, None))
    for index, (name, kind, price, rating, pool) in enumerate(
        (
            ("投顾锦囊·价值精选股票池", P.ADVISORY_KIND_STOCK_POOL, "1980.00", 4, STOCKS[:5]),
            ("投顾锦囊·科技成长股票池", P.ADVISORY_KIND_STOCK_POOL, "2980.00", 5, STOCKS[6:8] + STOCKS[2:4]),
            ("稳健增利基金投顾组合", P.ADVISORY_KIND_PORTFOLIO, "0.00", 3, ()),
            ("盘前早知道资讯订阅", P.ADVISORY_KIND_SUBSCRIPTION, "99.00", 1, ()),
        )
    ):
        service = P.Product(
            product_id=f"S{index + 1:04d}",
            product_code=f"TG{index + 1:04d}",
            name=name,
            product_type=P.PRODUCT_TYPE_ADVISORY,
            advisory_kind=kind,
            risk_rating=rating,
            status=P.PRODUCT_STATUS_ON_SALE,
            issuer="灵犀证券投顾中心",
            horizon=P.HORIZON_MEDIUM,
            phases=[P.INVESTMENT_PHASE_PRE, P.INVESTMENT_PHASE_IN, P.INVESTMENT_PHASE_POST],
            top_holdings=[P.TopHolding(security_code=s[0], security_name=s[1]) for s in pool],
        )
        service.fees.service_price.amount = price
        service.fees.service_period_months = 12 if kind != P.ADVISORY_KIND_SUBSCRIPTION else 1
        shelf.append(DemoProduct(service, 0.0, 0.0, None))
    return shelf


def invest_style(product: product_pb2.Product) -> str:
    """The demo's `invest_style` tag of a fund ("" = none)."""
    if product.fund_category == P.FUND_CATEGORY_HYBRID:
        return "value" if int(product.product_code) % 2 else "balanced"
    return STYLE_BY_CATEGORY.get(product.fund_category, "")


def rebalance_date(today: date) -> date:
    """The latest index review date on or before today (lists change mid-June and mid-December)."""
    for year in (today.year, today.year - 1):
        for month in (12, 6):
            day = date(year, month, 13)
            if day <= today:
                return day
    return date(today.year - 1, 6, 13)


def constituents_csv(today: date) -> str:
    names = {code: (name, sector) for code, name, sector, _ in STOCKS}
    lines = ["index_code,effective_date,security_code,security_name,weight,sector_code"]
    effective = rebalance_date(today).isoformat()
    for index_code, members in CONSTITUENTS.items():
        for code, weight in members.items():
            name, sector = names[code]
            lines.append(f"{index_code},{effective},{code},{name},{weight:.4f},{sector}")
    return "\n".join(lines) + "\n"


async def _import_constituents(stub: product_service_pb2_grpc.ProductServiceStub, today: date) -> None:
    """Through StartSeriesImport like an operator's file: write it, queue it, wait for the job."""
    with tempfile.TemporaryDirectory(prefix="lingxi-demo-") as folder:
        path = Path(folder) / "index_constituents.csv"
        path.write_text(constituents_csv(today), encoding="utf-8")
        started = await stub.StartSeriesImport(
            PS.StartSeriesImportRequest(
                kind=analytics_pb2.SERIES_KIND_INDEX_CONSTITUENTS, source_uri=str(path)
            )
        )
        job = started.job
        for _ in range(600):
            if job.state not in (PS.SERIES_IMPORT_STATE_QUEUED, PS.SERIES_IMPORT_STATE_RUNNING):
                break
            await asyncio.sleep(0.1)
            job = (await stub.GetSeriesImport(PS.GetSeriesImportRequest(job_id=job.job_id))).job
        if job.state != PS.SERIES_IMPORT_STATE_SUCCEEDED:
            raise RuntimeError(f"demo index constituents import ended {job.state}: {job.error}")


def style_index_returns(start: date, today: date, seed: int) -> dict[str, dict[date, float]]:
    """Daily simple returns of the style indices: a shared market factor plus each index's own."""
    days = business_days(start, today - timedelta(days=1))
    market_rng = random.Random(f"{seed}:market")
    market = [market_rng.gauss(0, MARKET_VOLATILITY) for _ in days]
    result: dict[str, dict[date, float]] = {}
    for code, (_, _, drift, own) in STYLE_INDEX_PLAN.items():
        rng = random.Random(f"{seed}:{code}")
        result[code] = {
            day: drift + common + rng.gauss(0, own) for day, common in zip(days, market, strict=True)
        }
    return result


def style_index_points(returns: dict[date, float], base: float) -> list[analytics_pb2.SeriesPoint]:
    level, points = base, []
    for day, change in returns.items():
        level *= 1 + change
        points.append(analytics_pb2.SeriesPoint(trade_date=_d(day), value=_dec(f"{level:.4f}")))
    return points


def nav_points(
    item: DemoProduct, today: date, seed: int, styles: dict[str, dict[date, float]] | None = None
) -> Iterator[analytics_pb2.SeriesPoint]:
    """A seeded walk from the product's inception to the last business day: a geometric random
    walk, or for a fund with a style mix that mix of the style index returns plus its own noise."""
    if item.history_start is None:
        return
    rng = random.Random(f"{seed}:{item.product.product_code}")
    daily_drift = item.drift / 252
    nav = 1.0
    codes = list(STYLE_INDEX_PLAN)
    for day in business_days(item.history_start, today - timedelta(days=1)):
        if item.style_mix is not None and styles is not None:
            exposure = sum(w * styles[code][day] for w, code in zip(item.style_mix, codes, strict=True))
            nav *= 1 + daily_drift / 4 + exposure + rng.gauss(0, FUND_NOISE)
        else:
            nav *= math.exp(daily_drift - item.volatility**2 / 2 + rng.gauss(0, item.volatility))
        yield analytics_pb2.SeriesPoint(trade_date=_d(day), value=_dec(f"{nav:.4f}"))


def index_points(
    base: float, drift: float, volatility: float, start: date, today: date, seed: int, code: str
) -> list[analytics_pb2.SeriesPoint]:
    rng = random.Random(f"{seed}:{code}")
    level, points = base, []
    for day in business_days(start, today - timedelta(days=1)):
        level *= math.exp(drift - volatility**2 / 2 + rng.gauss(0, volatility))
        points.append(analytics_pb2.SeriesPoint(trade_date=_d(day), value=_dec(f"{level:.4f}")))
    return points


def content_items(today: date) -> list[product_pb2.ContentItem]:
    items = []
    for index, (code, name, sector, sector_name) in enumerate(STOCKS):
        item = P.ContentItem(
            content_id=f"R{index + 1:04d}",
            kind=P.CONTENT_KIND_RESEARCH if index % 2 == 0 else P.CONTENT_KIND_ADVISOR_VIEW,
            title=f"{name}（{code}）跟踪点评：{sector_name}景气度观察",
            summary=f"{sector_name}板块近期走势与{name}基本面要点。",
            url=f"lingxi://research/{index + 1}",
            security_codes=[code],
            sector_codes=[sector],
            source="灵犀证券研究所",
            compliance_approved=index != 3,
        )
        item.published_at.FromDatetime(
            datetime.combine(today - timedelta(days=index), datetime.min.time(), UTC)
        )
        items.append(item)
    return items


async def seed_products(
    address: str, service_token: str, *, seed: int = 11, today: date | None = None, history_years: int = 3
) -> int:
    """Load the demo shelf through ProductService; returns how many products were new."""
    day = today or date.today()
    caller = Caller.system("demo-seeder")
    created = 0
    async with open_channel(
        address, service_token=service_token, caller=lambda: caller, default_timeout=120
    ) as channel:
        stub = product_service_pb2_grpc.ProductServiceStub(channel)
        start = day - timedelta(days=365 * history_years + 30)
        for code, name, category, base, drift, volatility in BENCHMARKS:
            await stub.UpsertBenchmark(
                PS.UpsertBenchmarkRequest(
                    benchmark=analytics_pb2.Benchmark(code=code, name=name, default_for_category=category)
                )
            )
            await stub.UpsertSeriesPoints(
                PS.UpsertSeriesPointsRequest(
                    kind=analytics_pb2.SERIES_KIND_INDEX_CLOSE,
                    series_code=code,
                    points=index_points(base, drift, volatility, start, day, seed, code),
                )
            )
        styles = style_index_returns(start, day, seed)
        for code, (name, base, _, _) in STYLE_INDEX_PLAN.items():
            await stub.UpsertBenchmark(
                PS.UpsertBenchmarkRequest(benchmark=analytics_pb2.Benchmark(code=code, name=name))
            )
            await stub.UpsertSeriesPoints(
                PS.UpsertSeriesPointsRequest(
                    kind=analytics_pb2.SERIES_KIND_INDEX_CLOSE,
                    series_code=code,
                    points=style_index_points(styles[code], base),
                )
            )
        for item in demo_shelf(day, seed=seed, history_years=history_years):
            try:
                await stub.CreateProduct(PS.CreateProductRequest(product=item.product))
                created += 1
            except grpc.aio.AioRpcError as error:
                if error.code() != grpc.StatusCode.ABORTED:
                    raise
                await stub.UpdateProduct(PS.UpdateProductRequest(product=item.product))
            style = invest_style(item.product)
            if style:
                await stub.SetProductTag(
                    PS.SetProductTagRequest(
                        product_id=item.product.product_id, code="invest_style", value=style
                    )
                )
            points = list(nav_points(item, day, seed, styles))
            if points:
                await stub.UpsertSeriesPoints(
                    PS.UpsertSeriesPointsRequest(
                        kind=analytics_pb2.SERIES_KIND_NAV, series_code=item.product.product_id, points=points
                    )
                )
        await _import_constituents(stub, day)
        for content in content_items(day):
            await stub.UpsertContentItem(PS.UpsertContentItemRequest(item=content))
        await stub.RecomputeMetrics(PS.RecomputeMetricsRequest())
    return created
