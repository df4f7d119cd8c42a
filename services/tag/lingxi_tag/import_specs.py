"""What each kind of warehouse extract contains and where it lands.

One declarative spec per ``ImportKind``: the columns the file may carry, how each is checked, the
table and key it merges into, and how rows refer to other data (an account row needs its
customer). The validator, the PII sealer and the merge are generic over these specs, so adding a
column to an extract is one line here, not a new code path.

Columns absent from a file are left alone by the merge (a partial extract never blanks what it
does not carry); required columns must be present, or the whole job fails before any row is read.
Holdings and fund-position extracts are full snapshots of their scope: a position they no longer
list is closed (see ``ExtractSpec.closes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from lingxi.tag.v1 import customer_pb2, tag_service_pb2


class Check(Enum):
    """How a column's text is validated and converted."""

    IDENT = "ident"  # 1-64 letters, digits, '_', '.', '-'
    TEXT = "text"  # free text, trimmed and truncated to max_length
    DATE = "date"  # YYYY-MM-DD (a longer ISO timestamp is cut to its date)
    TIMESTAMP = "timestamp"  # ISO 8601 date-time; without a zone it is Beijing time
    DECIMAL = "decimal"  # a finite number within the column's precision
    INTEGER = "integer"  # a whole number of at most `precision` digits
    BOOL = "bool"  # true/false, 1/0, t/f, y/n, yes/no; empty = false
    ENUM = "enum"  # one of the spec's choices (case-insensitive), stored as its number
    PHONE = "phone"  # PII: 11-digit mainland mobile number
    ID_NUMBER = "id_number"  # PII: 18-character resident id number
    OPENID = "openid"  # PII: WeChat openid / unionid
    CONSENTS = "consents"  # "SMS:granted;APP_PUSH:withdrawn" → the customer's consents JSON


PII_CHECKS = frozenset({Check.PHONE, Check.ID_NUMBER, Check.OPENID})


@dataclass(frozen=True)
class Column:
    name: str
    check: Check
    required: bool = False
    max_length: int = 64
    # DECIMAL: numeric(precision, scale) of the target column, so out-of-range values are rejected
    # per row instead of failing the COPY of a whole chunk.
    precision: int = 20
    scale: int = 2
    # Value stored when the cell is empty ("" = NULL); PostgreSQL input syntax ("0", "now", "1").
    default: str = ""
    # ENUM: accepted spellings (lower case) and their stored numbers.
    choices: tuple[tuple[str, int], ...] = ()
    # How a bad value is described in the rejection report, when the default wording is poor.
    hint: str = ""

    @property
    def pii(self) -> bool:
        return self.check in PII_CHECKS

    @property
    def targets(self) -> tuple[str, ...]:
        """Table columns this file column fills (PII: ciphertext and blind index)."""
        if self.pii:
            return (f"{self.name}_enc", f"{self.name}_index")
        return (self.name,)


@dataclass(frozen=True)
class Reference:
    """A row is refused ("unknown …") unless this SQL condition over the staged row ``s`` holds."""

    column: str
    condition: str
    reason: str


class MergeMode(Enum):
    UPSERT = "upsert"  # insert new keys, update changed rows, leave unchanged rows untouched
    APPEND = "append"  # insert new keys only (facts such as trades are immutable)


@dataclass(frozen=True)
class ExtractSpec:
    kind: int
    table: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    mode: MergeMode = MergeMode.UPSERT
    references: tuple[Reference, ...] = ()
    # Values written for columns the file does not carry, on insert only (e.g. fund positions).
    insert_defaults: dict[str, str] = field(default_factory=dict)
    # A full extract: SQL condition over a stored row ``h`` for the rows the file lists in full.
    # Rows it covers but does not list are closed after the import (``import_merge.close_missing``).
    closes: str = ""

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


_RISK = tuple((f"c{n}", n) for n in range(1, 6)) + tuple((str(n), n) for n in range(1, 6))
_ACCOUNT_TYPES = (
    ("cash", customer_pb2.ACCOUNT_TYPE_CASH),
    ("margin", customer_pb2.ACCOUNT_TYPE_MARGIN),
    ("fund", customer_pb2.ACCOUNT_TYPE_FUND),
    ("1", 1),
    ("2", 2),
    ("3", 3),
)
_ACCOUNT_STATUS = (
    ("normal", customer_pb2.ACCOUNT_STATUS_NORMAL),
    ("frozen", customer_pb2.ACCOUNT_STATUS_FROZEN),
    ("dormant", customer_pb2.ACCOUNT_STATUS_DORMANT),
    ("closed", customer_pb2.ACCOUNT_STATUS_CLOSED),
    ("1", 1),
    ("2", 2),
    ("3", 3),
    ("4", 4),
)
_SECURITY_TYPES = tuple(
    (name.removeprefix("SECURITY_TYPE_").lower(), number)
    for name, number in customer_pb2.SecurityType.items()
    if number
) + tuple((str(number), number) for number in customer_pb2.SecurityType.values() if number)
_SIDES = tuple(
    (name.removeprefix("TRADE_SIDE_").lower(), number)
    for name, number in customer_pb2.TradeSide.items()
    if number
) + tuple((str(number), number) for number in customer_pb2.TradeSide.values() if number)
_CUSTOMER_STATUS = (
    ("active", customer_pb2.CUSTOMER_STATUS_ACTIVE),
    ("frozen", customer_pb2.CUSTOMER_STATUS_FROZEN),
    ("closed", customer_pb2.CUSTOMER_STATUS_CLOSED),
    ("1", 1),
    ("2", 2),
    ("3", 3),
)

_CUSTOMER_EXISTS = Reference(
    "customer_id",
    "EXISTS (SELECT 1 FROM tag.customers c WHERE c.customer_id = s.customer_id)",
    "unknown customer",
)
_ACCOUNT_OF_CUSTOMER = Reference(
    "account_id",
    "EXISTS (SELECT 1 FROM tag.accounts a WHERE a.account_id = s.account_id "
    "AND a.customer_id = s.customer_id)",
    "unknown account, or an account of another customer",
)


def _money(name: str, default: str = "0") -> Column:
    return Column(name, Check.DECIMAL, precision=20, scale=2, default=default)


def _holdings_columns(security_type: int) -> tuple[Column, ...]:
    return (
        Column("account_id", Check.IDENT, required=True),
        Column("security_code", Check.IDENT, required=True),
        Column("customer_id", Check.IDENT, required=True),
        Column("security_name", Check.TEXT, max_length=128),
        Column("security_type", Check.ENUM, choices=_SECURITY_TYPES, default=str(security_type)),
        Column("quantity", Check.DECIMAL, precision=20, scale=4, default="0"),
        _money("cost"),
        _money("market_value"),
        _money("unrealized_pnl"),
        Column("unrealized_pnl_ratio", Check.DECIMAL, precision=12, scale=4),
        Column("sector_code", Check.TEXT, max_length=32),
        Column("as_of", Check.TIMESTAMP),
    )


SPECS: dict[int, ExtractSpec] = {
    tag_service_pb2.IMPORT_KIND_CUSTOMERS: ExtractSpec(
        kind=tag_service_pb2.IMPORT_KIND_CUSTOMERS,
        table="customers",
        key=("customer_id",),
        columns=(
            Column("customer_id", Check.IDENT, required=True),
            Column("branch_id", Check.IDENT, required=True),
            Column("advisor_id", Check.IDENT),
            Column("risk_level", Check.ENUM, choices=_RISK, hint="C1..C5"),
            Column("risk_assessment_expires_on", Check.DATE),
            Column("professional_investor", Check.BOOL),
            Column("opened_on", Check.DATE),
            Column("age_band", Check.TEXT, max_length=16),
            Column("city", Check.TEXT, max_length=64),
            Column("status", Check.ENUM, choices=_CUSTOMER_STATUS, default="1"),
            Column("consents", Check.CONSENTS, default="{}"),
            Column("phone", Check.PHONE),
            Column("id_number", Check.ID_NUMBER),
            Column("wechat_openid", Check.OPENID, max_length=128),
            Column("wechat_unionid", Check.OPENID, max_length=128),
        ),
    ),
    tag_service_pb2.IMPORT_KIND_ACCOUNTS: ExtractSpec(
        kind=tag_service_pb2.IMPORT_KIND_ACCOUNTS,
        table="accounts",
        key=("account_id",),
        columns=(
            Column("account_id", Check.IDENT, required=True),
            Column("customer_id", Check.IDENT, required=True),
            Column("account_type", Check.ENUM, required=True, choices=_ACCOUNT_TYPES),
            Column("status", Check.ENUM, choices=_ACCOUNT_STATUS, default="1"),
            _money("total_assets"),
            _money("cash_balance"),
            _money("stock_market_value"),
            _money("fund_market_value"),
            _money("liabilities"),
            Column("maintenance_ratio", Check.DECIMAL, precision=12, scale=4),
            Column("contract_expires_on", Check.DATE),
            Column("opened_on", Check.DATE),
            Column("as_of", Check.TIMESTAMP),
        ),
        references=(_CUSTOMER_EXISTS,),
    ),
    tag_service_pb2.IMPORT_KIND_HOLDINGS: ExtractSpec(
        kind=tag_service_pb2.IMPORT_KIND_HOLDINGS,
        table="holdings",
        key=("account_id", "security_code"),
        columns=_holdings_columns(customer_pb2.SECURITY_TYPE_STOCK),
        references=(_ACCOUNT_OF_CUSTOMER,),
        # The nightly holdings extract lists every exchange position (all types but OTC funds).
        closes=f"h.security_type <> {customer_pb2.SECURITY_TYPE_FUND}",
    ),
    # Fund positions (场外基金持仓) are holdings of fund accounts; a row without a security type is
    # a fund.
    tag_service_pb2.IMPORT_KIND_FUND_POSITIONS: ExtractSpec(
        kind=tag_service_pb2.IMPORT_KIND_FUND_POSITIONS,
        table="holdings",
        key=("account_id", "security_code"),
        columns=_holdings_columns(customer_pb2.SECURITY_TYPE_FUND),
        references=(_ACCOUNT_OF_CUSTOMER,),
        insert_defaults={"security_type": str(customer_pb2.SECURITY_TYPE_FUND)},
        closes=f"h.security_type = {customer_pb2.SECURITY_TYPE_FUND}",
    ),
    tag_service_pb2.IMPORT_KIND_TRADES: ExtractSpec(
        kind=tag_service_pb2.IMPORT_KIND_TRADES,
        table="trades",
        key=("trade_id",),
        mode=MergeMode.APPEND,
        columns=(
            Column("trade_id", Check.IDENT, required=True),
            Column("account_id", Check.IDENT, required=True),
            Column("customer_id", Check.IDENT, required=True),
            Column("security_code", Check.IDENT, required=True),
            Column("side", Check.ENUM, required=True, choices=_SIDES),
            Column("quantity", Check.DECIMAL, required=True, precision=20, scale=4),
            Column("price", Check.DECIMAL, required=True, precision=20, scale=4),
            _money("amount"),
            _money("fee"),
            Column("traded_at", Check.TIMESTAMP, required=True),
            Column("order_channel", Check.TEXT, max_length=32),
        ),
        references=(_ACCOUNT_OF_CUSTOMER,),
    ),
    tag_service_pb2.IMPORT_KIND_WATCHLISTS: ExtractSpec(
        kind=tag_service_pb2.IMPORT_KIND_WATCHLISTS,
        table="watchlists",
        key=("customer_id", "security_code"),
        mode=MergeMode.APPEND,
        columns=(
            Column("customer_id", Check.IDENT, required=True),
            Column("security_code", Check.IDENT, required=True),
            Column("added_at", Check.TIMESTAMP, default="now"),
        ),
        references=(_CUSTOMER_EXISTS,),
    ),
    # The warehouse's per-customer metrics: external market value and trade-history analytics.
    tag_service_pb2.IMPORT_KIND_EXTERNAL_ASSETS: ExtractSpec(
        kind=tag_service_pb2.IMPORT_KIND_EXTERNAL_ASSETS,
        table="customer_metrics",
        key=("customer_id",),
        columns=(
            Column("customer_id", Check.IDENT, required=True),
            _money("external_market_value"),
            Column("trades_90d", Check.INTEGER, precision=9, default="0"),
            Column("stock_pick_alpha", Check.DECIMAL, precision=10, scale=4),
            Column("timing_score", Check.DECIMAL, precision=10, scale=4),
            Column("avg_holding_days", Check.DECIMAL, precision=10, scale=2),
            Column("value_trade_share", Check.DECIMAL, precision=6, scale=4),
            Column("technical_trade_share", Check.DECIMAL, precision=6, scale=4),
            Column("theme_trade_share", Check.DECIMAL, precision=6, scale=4),
            Column("event_trade_share", Check.DECIMAL, precision=6, scale=4),
            Column("last_trade_on", Check.DATE),
            Column("last_login_on", Check.DATE),
            Column("has_advisory_service", Check.BOOL),
            Column("wealth_product_holder", Check.BOOL),
            _money("stock_mv_peak_12m"),
            Column("as_of", Check.DATE),
        ),
        references=(_CUSTOMER_EXISTS,),
    ),
}
