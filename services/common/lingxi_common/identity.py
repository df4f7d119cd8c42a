"""Who is calling, and which customers they may see.

The gateway authenticates people and partners, then forwards the caller to services in gRPC
metadata. Services enforce the data scope themselves as well (defence in depth): a branch
manager sees only their branch, an advisor only their own customers, a customer only themself.
Identity metadata is trusted only when the call also carries the internal service token, so a
client that reaches a service port directly cannot claim to be an HQ operator.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    HQ_OPERATOR = "hq_operator"
    COMPLIANCE = "compliance"
    BRANCH_MANAGER = "branch_manager"
    ADVISOR = "advisor"
    CALL_CENTER = "call_center"
    PARTNER = "partner"
    CUSTOMER = "customer"
    SRE = "sre"
    SERVICE = "service"  # another Lingxi process acting on its own behalf


HUMAN_ROLES: tuple[Role, ...] = tuple(role for role in Role if role is not Role.SERVICE)

# Roles whose scope covers every customer of the brokerage.
_ALL_CUSTOMERS = frozenset({Role.HQ_OPERATOR, Role.COMPLIANCE, Role.CALL_CENTER, Role.SERVICE})
# Roles that may read unmasked phone numbers, id numbers and WeChat ids (each read is audited).
PII_ROLES = frozenset({Role.COMPLIANCE, Role.CALL_CENTER, Role.SERVICE})

# gRPC metadata keys (lower-case, as gRPC requires).
MD_SERVICE_TOKEN = "x-lingxi-service-token"  # noqa: S105 — a header name, not a secret
MD_SUBJECT = "x-lingxi-subject"
MD_ROLE = "x-lingxi-role"
MD_BRANCH = "x-lingxi-branch-id"
MD_ADVISOR = "x-lingxi-advisor-id"
MD_CUSTOMER = "x-lingxi-customer-id"
MD_REQUEST_ID = "x-request-id"


class IdentityError(ValueError):
    """The metadata does not describe a valid caller."""


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated caller and the data scope that travels with every call."""

    subject: str
    role: Role
    branch_id: str | None = None
    advisor_id: str | None = None
    customer_id: str | None = None

    def __post_init__(self) -> None:
        if not self.subject:
            raise IdentityError("caller subject is empty")
        if self.role is Role.BRANCH_MANAGER and not self.branch_id:
            raise IdentityError("a branch_manager needs a branch_id")
        if self.role is Role.ADVISOR and not self.advisor_id:
            raise IdentityError("an advisor needs an advisor_id")
        if self.role is Role.CUSTOMER and not self.customer_id:
            raise IdentityError("a customer needs a customer_id")

    @classmethod
    def system(cls, service_name: str) -> Caller:
        return cls(subject=f"service:{service_name}", role=Role.SERVICE)

    @property
    def sees_all_customers(self) -> bool:
        return self.role in _ALL_CUSTOMERS

    @property
    def may_read_pii(self) -> bool:
        return self.role in PII_ROLES

    def can_see_customer(self, *, customer_id: str, branch_id: str | None, advisor_id: str | None) -> bool:
        """Whether this caller's data scope includes the given customer."""
        if self.sees_all_customers:
            return True
        if self.role is Role.BRANCH_MANAGER:
            return branch_id is not None and branch_id == self.branch_id
        if self.role is Role.ADVISOR:
            return advisor_id is not None and advisor_id == self.advisor_id
        if self.role is Role.CUSTOMER:
            return customer_id == self.customer_id
        return False

    def has_role(self, roles: Iterable[Role]) -> bool:
        return self.role in set(roles)

    def to_metadata(self, service_token: str, request_id: str | None = None) -> list[tuple[str, str]]:
        pairs = [(MD_SERVICE_TOKEN, service_token), (MD_SUBJECT, self.subject), (MD_ROLE, self.role.value)]
        for key, value in (
            (MD_BRANCH, self.branch_id),
            (MD_ADVISOR, self.advisor_id),
            (MD_CUSTOMER, self.customer_id),
            (MD_REQUEST_ID, request_id),
        ):
            if value:
                pairs.append((key, value))
        return pairs

    @classmethod
    def from_metadata(cls, metadata: Sequence[tuple[str, str | bytes]] | None) -> Caller:
        values = {key: value.decode() if isinstance(value, bytes) else value for key, value in metadata or ()}
        role_text = values.get(MD_ROLE, "")
        try:
            role = Role(role_text)
        except ValueError as error:
            raise IdentityError(f"unknown role {role_text!r}") from error
        return cls(
            subject=values.get(MD_SUBJECT, ""),
            role=role,
            branch_id=values.get(MD_BRANCH) or None,
            advisor_id=values.get(MD_ADVISOR) or None,
            customer_id=values.get(MD_CUSTOMER) or None,
        )
