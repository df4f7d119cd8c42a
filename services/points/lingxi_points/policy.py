"""Expiry policies: when the points of an earn expire.

Brokerages commonly let points live until the end of the year after they were earned, so a
customer always has at least a full year; the policy is named on each earning rule so operators
can give, say, campaign points a shorter life.
"""

from __future__ import annotations

import datetime as dt
import re

from lingxi_common.errors import InvalidArgument

DEFAULT_POLICY = "end_of_next_year"
_DAYS = re.compile(r"^days:(\d{1,4})$")


def validate_policy(policy: str, field_name: str = "expiry_policy") -> None:
    if policy in ("", "never", "end_of_year", "end_of_next_year") or _DAYS.match(policy):
        return
    raise InvalidArgument(
        field_name, f"unknown policy {policy!r}; use never, end_of_year, end_of_next_year or days:N"
    )


def expires_on(policy: str, earned_on: dt.date) -> dt.date | None:
    """The last day the points are spendable (None = never expire)."""
    policy = policy or DEFAULT_POLICY
    if policy == "never":
        return None
    if policy == "end_of_year":
        return dt.date(earned_on.year, 12, 31)
    if policy == "end_of_next_year":
        return dt.date(earned_on.year + 1, 12, 31)
    match = _DAYS.match(policy)
    if match is None:
        validate_policy(policy)
        raise AssertionError("unreachable")
    return earned_on + dt.timedelta(days=int(match.group(1)))
