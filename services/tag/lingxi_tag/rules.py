"""Tag rules in CEL (Common Expression Language), compiled once and evaluated per customer.

CEL is side-effect free, terminates, and cannot reach Python objects: an operator's rule can at
worst compute a wrong value, never run code. Rules see four maps, always fully populated with
every known key (missing data is 0 / "" / false), so a rule never fails on a customer merely
because some figure is absent:

- ``customer``: profile, account totals, holdings summary and warehouse metrics (see FACT_DEFAULTS)
- ``holdings``: the holdings summary alone (``holdings.position_count`` …), for readability
- ``attr``: the customer's free-form attributes (strings)
- ``agg``: behaviour aggregates by code (windowed counts, sums, distinct days, days since last)

Compile errors carry the line, 1-based column and 0-based offset CEL reports, so the console can
underline the fault; unknown names are found by a trial evaluation against the defaults.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import cel

from lingxi.tag.v1 import tag_definition_pb2 as defs_pb2

# Every fact a rule can read as customer.<name>, with its neutral default. Time-dependent facts
# (days since, days until) make a rule "daily": they change without any event.
FACT_DEFAULTS: dict[str, Any] = {
    "customer_id": "",
    "branch_id": "",
    "advisor_id": "",
    "has_advisor": False,
    "risk_level": 0,
    "risk_assessment_valid": False,
    "risk_expires_in_days": -1,
    "professional_investor": False,
    "tenure_days": -1,
    "age_band": "",
    "city": "",
    "status": 1,
    "total_assets": 0.0,
    "cash_balance": 0.0,
    "stock_market_value": 0.0,
    "fund_market_value": 0.0,
    "liabilities": 0.0,
    "has_margin_account": False,
    "maintenance_ratio": 0.0,
    "margin_contract_expires_in_days": -1,
    "external_market_value": 0.0,
    "trades_90d": 0,
    "stock_pick_alpha": 0.0,
    "timing_score": 0.0,
    "avg_holding_days": 0.0,
    "value_trade_share": 0.0,
    "technical_trade_share": 0.0,
    "theme_trade_share": 0.0,
    "event_trade_share": 0.0,
    "days_since_last_trade": -1,
    "days_since_last_login": -1,
    "has_advisory_service": False,
    "wealth_product_holder": False,
    "stock_mv_peak_12m": 0.0,
    "position_count": 0,
    "top_position_weight": 0.0,
    "sector_count": 0,
    "unrealized_pnl": 0.0,
    "worst_position_pnl_ratio": 0.0,
}
HOLDINGS_KEYS = (
    "position_count",
    "top_position_weight",
    "sector_count",
    "unrealized_pnl",
    "worst_position_pnl_ratio",
)
TIME_BASED_FACTS = frozenset(
    {
        "risk_assessment_valid",
        "risk_expires_in_days",
        "tenure_days",
        "margin_contract_expires_in_days",
        "days_since_last_trade",
        "days_since_last_login",
    }
)
VARIABLES = ("customer", "holdings", "attr", "agg")
# CEL's standard functions a rule may call; anything else is refused at compile time.
FUNCTIONS = frozenset(
    {
        "size",
        "contains",
        "startsWith",
        "endsWith",
        "matches",
        "int",
        "uint",
        "double",
        "string",
        "bool",
        "max",
        "min",
        "abs",
        "has",
        "exists",
        "all",
        "exists_one",
        "map",
        "filter",
        "lowerAscii",
        "upperAscii",
    }
)
_ERROR = re.compile(r"<input>:(\d+):(\d+): (.*)")
_INPUT = re.compile(
    r"\b(customer|holdings|attr|agg)\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*[\"']([^\"']+)[\"']\s*\])"
)


@dataclass(frozen=True)
class RuleError:
    """A located fault in a rule (line and column 1-based, offset 0-based)."""

    line: int
    column: int
    offset: int
    message: str

    def to_proto(self) -> defs_pb2.ExpressionError:
        return defs_pb2.ExpressionError(
            line=self.line, column=self.column, offset=self.offset, message=self.message
        )

    def describe(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


class RuleInvalid(ValueError):
    def __init__(self, errors: list[RuleError]) -> None:
        super().__init__("; ".join(error.describe() for error in errors))
        self.errors = errors


def _offset(source: str, line: int, column: int) -> int:
    lines = source.split("\n")
    return sum(len(text) + 1 for text in lines[: line - 1]) + max(column - 1, 0)


def _locate(source: str, needle: str) -> tuple[int, int, int]:
    offset = max(source.find(needle), 0)
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return line, column, offset


def parse_errors(source: str, text: str) -> list[RuleError]:
    """CEL's error text → located errors (one per ``<input>:L:C: reason`` line)."""
    errors = []
    for match in _ERROR.finditer(text):
        line, column = int(match.group(1)), int(match.group(2))
        errors.append(RuleError(line, column, _offset(source, line, column), match.group(3).strip()))
    return errors or [
        RuleError(1, 1, 0, text.strip().splitlines()[0] if text.strip() else "invalid expression")
    ]


def referenced_inputs(source: str) -> list[str]:
    """Inputs a rule reads, e.g. ``customer.total_assets`` and ``agg.live_view_120s_30d``."""
    found = {f"{m.group(1)}.{m.group(2) or m.group(3)}" for m in _INPUT.finditer(source)}
    return sorted(found)


# Every mention of a rule variable, with the key it reads when that key is static
# (``agg.x``, ``agg["x"]``); a mention without one (``size(attr)``, ``agg.exists(…)``,
# ``attr[customer.city]``) reads the whole map.
_MENTION = re.compile(
    r"(?<![.\w])(customer|holdings|attr|agg)\b"
    r"(?:\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()|\s*\[\s*[\"']([^\"']+)[\"']\s*\])?"
)

Reads = dict[str, frozenset[str] | None]  # variable → keys read (None: the whole map)


def rule_reads(source: str) -> Reads:
    """Which parts of the context a rule reads; over-approximates (string literals count too)."""
    reads: dict[str, set[str] | None] = {}
    for match in _MENTION.finditer(source):
        variable, key = match.group(1), match.group(2) or match.group(3)
        if key is None:
            reads[variable] = None
        elif variable not in reads:
            reads[variable] = {key}
        elif (keys := reads[variable]) is not None:
            keys.add(key)
    return {variable: None if keys is None else frozenset(keys) for variable, keys in reads.items()}


@dataclass(frozen=True)
class CompiledRule:
    source: str
    program: Any
    inputs: tuple[str, ...]

    @property
    def time_based(self) -> bool:
        return any(
            name.split(".", 1)[1] in TIME_BASED_FACTS for name in self.inputs if name.startswith("customer.")
        )

    @cached_property
    def reads(self) -> Reads:
        return rule_reads(self.source)

    def reads_any(self, inputs: Iterable[str]) -> bool:
        """Whether a change of any of ``inputs`` (``agg.code``, ``customer.field``) can change
        this rule's result."""
        for name in inputs:
            variable, _, key = name.partition(".")
            if variable in self.reads:
                keys = self.reads[variable]
                if keys is None or key in keys:
                    return True
        return False

    def evaluate(self, context: Mapping[str, Any] | cel.Context) -> Any:
        """The rule's result; ``context`` is a full context map or a prepared ``cel.Context``."""
        if isinstance(context, cel.Context):
            return self.program.execute(context)
        return self.program.execute({name: context[name] for name in VARIABLES})


class Projection:
    """The part of a customer's context that a set of rules reads, prepared once per customer.

    Converting Python maps to CEL values dominates evaluation time (the ``customer`` map alone
    has ~40 keys), so one ``cel.Context`` holding only the keys the rules mention is built per
    customer and shared by every rule evaluated for that customer.
    """

    def __init__(self, rules: Iterable[CompiledRule]) -> None:
        wanted: dict[str, set[str] | None] = {}
        for rule in rules:
            for variable, keys in rule.reads.items():
                if keys is None or wanted.get(variable, set()) is None:
                    wanted[variable] = None
                else:
                    current = wanted.setdefault(variable, set())
                    assert current is not None
                    current.update(keys)
        self._wanted = wanted

    def context(self, full: Mapping[str, Any]) -> cel.Context:
        variables: dict[str, Any] = {}
        for variable, keys in self._wanted.items():
            values = full[variable]
            variables[variable] = (
                values if keys is None else {key: values[key] for key in keys if key in values}
            )
        return cel.Context(variables=variables)


def compile_rule(
    source: str,
    *,
    aggregate_codes: Iterable[str] = (),
    value_type: int = defs_pb2.TAG_VALUE_TYPE_BOOL,
    option_codes: Iterable[str] = (),
) -> CompiledRule:
    """Compile and type-check ``source``; raises RuleInvalid with located errors."""
    if not source.strip():
        raise RuleInvalid([RuleError(1, 1, 0, "the rule is empty")])
    if len(source) > 10_000:
        raise RuleInvalid([RuleError(1, 1, 0, "the rule is longer than 10000 characters")])
    try:
        program = cel.compile(source)
    except ValueError as error:
        raise RuleInvalid(parse_errors(source, str(error))) from error
    unknown = [name for name in program.variables() if name not in VARIABLES]
    # Comprehension variables (x in l.exists(x, ...)) are legitimately unknown at top level.
    bound = set(
        re.findall(r"\.(?:all|exists|exists_one|map|filter)\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,", source)
    )
    unknown = [name for name in unknown if name not in bound]
    if unknown:
        line, column, offset = _locate(source, unknown[0])
        raise RuleInvalid(
            [
                RuleError(
                    line,
                    column,
                    offset,
                    f"unknown variable {unknown[0]!r}; rules read {', '.join(VARIABLES)}",
                )
            ]
        )
    strange = [
        name for name in program.functions() if re.fullmatch(r"[A-Za-z_]\w*", name) and name not in FUNCTIONS
    ]
    if strange:
        line, column, offset = _locate(source, strange[0])
        raise RuleInvalid([RuleError(line, column, offset, f"unknown function {strange[0]!r}")])
    codes = set(aggregate_codes)
    inputs = referenced_inputs(source)
    for name in inputs:
        scope, _, key = name.partition(".")
        known = (
            key in FACT_DEFAULTS
            if scope == "customer"
            else key in HOLDINGS_KEYS
            if scope == "holdings"
            else key in codes
            if scope == "agg"
            else True
        )
        if not known:
            line, column, offset = _locate(source, key)
            what = "behaviour aggregate" if scope == "agg" else f"{scope} field"
            raise RuleInvalid([RuleError(line, column, offset, f"unknown {what} {key!r}")])
    rule = CompiledRule(source, program, tuple(inputs))
    # Trial run on neutral values: catches type errors (string vs number, wrong result type).
    try:
        result = rule.evaluate(default_context(codes))
    except Exception as error:
        raise RuleInvalid([RuleError(1, 1, 0, f"evaluation fails on default values: {error}")]) from error
    _check_result(result, value_type, set(option_codes))
    return rule


def _check_result(result: Any, value_type: int, option_codes: set[str]) -> None:
    if result is None:
        return
    if value_type == defs_pb2.TAG_VALUE_TYPE_BOOL and not isinstance(result, bool):
        raise RuleInvalid(
            [RuleError(1, 1, 0, f"a bool tag's rule must yield true/false, not {type(result).__name__}")]
        )
    if value_type == defs_pb2.TAG_VALUE_TYPE_ENUM:
        if not isinstance(result, str):
            raise RuleInvalid([RuleError(1, 1, 0, "an enum tag's rule must yield an option code or null")])
        if result and option_codes and result not in option_codes:
            raise RuleInvalid([RuleError(1, 1, 0, f"{result!r} is not one of the options")])
    if value_type in (defs_pb2.TAG_VALUE_TYPE_INTEGER, defs_pb2.TAG_VALUE_TYPE_DECIMAL) and (
        isinstance(result, bool) or not isinstance(result, int | float)
    ):
        raise RuleInvalid([RuleError(1, 1, 0, "a numeric tag's rule must yield a number or null")])


def default_context(aggregate_codes: Iterable[str]) -> dict[str, Any]:
    facts = dict(FACT_DEFAULTS)
    return {
        "customer": facts,
        "holdings": {key: facts[key] for key in HOLDINGS_KEYS},
        "attr": {},
        "agg": dict.fromkeys(aggregate_codes, 0.0),
    }


def tag_value(result: Any, value_type: int) -> str:
    """The stored value for a rule result; "" means the customer does not have the tag."""
    if result is None or result is False:
        return ""
    if value_type == defs_pb2.TAG_VALUE_TYPE_BOOL:
        return "true" if result is True else ""
    if value_type == defs_pb2.TAG_VALUE_TYPE_INTEGER:
        return str(int(result))
    if value_type == defs_pb2.TAG_VALUE_TYPE_DECIMAL:
        return f"{float(result):.4f}".rstrip("0").rstrip(".")
    return str(result)
