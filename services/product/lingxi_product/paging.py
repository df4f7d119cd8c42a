"""Opaque cursor tokens bound to the request's filters (changing filters with a token is an error)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from lingxi_common.errors import InvalidArgument

DEFAULT_PAGE = 100
MAX_PAGE = 1000


def page_size(requested: int, *, default: int = DEFAULT_PAGE, maximum: int = MAX_PAGE) -> int:
    if requested < 0:
        raise InvalidArgument("page.page_size", "must not be negative")
    return min(requested or default, maximum)


def _fingerprint(filters: Any) -> str:
    return hashlib.sha256(json.dumps(filters, sort_keys=True, default=str).encode()).hexdigest()[:16]


def encode(after: Any, filters: Any) -> str:
    payload = json.dumps({"a": after, "f": _fingerprint(filters)}, default=str)
    return base64.urlsafe_b64encode(payload.encode()).decode()


def decode(token: str, filters: Any) -> Any:
    """The position after which the next page starts, or None for the first page."""
    if not token:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(token.encode()))
        after, fingerprint = payload["a"], payload["f"]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidArgument("page.page_token", "not a token issued by this RPC") from error
    if fingerprint != _fingerprint(filters):
        raise InvalidArgument("page.page_token", "was issued for different filters")
    return after
