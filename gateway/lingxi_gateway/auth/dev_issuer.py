"""The development token issuer: an RSA key on disk that signs tokens for `lingxi token`.

Local work and tests need real signed tokens without an identity provider. The gateway and the CLI
share one private key file (created on first use, mode 0600), the gateway trusts it and publishes its
public half at ``/.well-known/jwks.json``. It is refused outright in production, where tokens come
from the brokerage's OIDC provider.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from lingxi_common.identity import HUMAN_ROLES, Caller, IdentityError, Role
from lingxi_common.settings import load_settings
from lingxi_gateway.settings import GatewaySettings

ALGORITHM = "RS256"
KEY_BITS = 2048
MAX_TTL_SECONDS = 30 * 24 * 3600


class DevIssuerDisabled(RuntimeError):
    """The development issuer was asked for in production."""


def _generate_private_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_or_create_private_key(path: Path) -> rsa.RSAPrivateKey:
    """Read the issuer key, creating it when missing.

    Creation is race-free between the gateway and a concurrent `lingxi token`: the key is written to
    a private temporary file and hard-linked into place, which fails if another process won, in which
    case its key is used. Replacing a key would silently invalidate every token already issued.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(_generate_private_key_pem())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path} does not hold an RSA private key")
    return key


def jwk_thumbprint(public_jwk: dict[str, Any]) -> str:
    """RFC 7638 thumbprint of an RSA JWK: a stable key id derived from the key itself."""
    canonical = json.dumps(
        {"e": public_jwk["e"], "kty": "RSA", "n": public_jwk["n"]}, separators=(",", ":"), sort_keys=True
    )
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True)
class DevIssuer:
    """Signs development tokens and describes its public key."""

    private_key: rsa.RSAPrivateKey
    issuer: str
    audience: str

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> DevIssuer:
        if not settings.dev_issuer_enabled:
            raise DevIssuerDisabled("the development token issuer is disabled in production")
        return cls(
            private_key=load_or_create_private_key(settings.dev_issuer_key_path),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    @cached_property
    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self.public_key, as_dict=True)
        jwk.update({"kid": jwk_thumbprint(jwk), "use": "sig", "alg": ALGORITHM})
        return jwk

    @cached_property
    def kid(self) -> str:
        return str(self.public_jwk["kid"])

    def jwks(self) -> dict[str, Any]:
        """The JSON Web Key Set other processes (and the gateway itself) can verify with."""
        return {"keys": [dict(self.public_jwk)]}

    def issue(self, caller: Caller, *, ttl_seconds: int = 3600, now: float | None = None) -> str:
        """Sign a token for ``caller`` valid for ``ttl_seconds``."""
        if not 0 < ttl_seconds <= MAX_TTL_SECONDS:
            raise ValueError(f"ttl must be between 1 and {MAX_TTL_SECONDS} seconds")
        issued_at = int(now if now is not None else time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": caller.subject,
            "role": caller.role.value,
            "iat": issued_at,
            "nbf": issued_at,
            "exp": issued_at + ttl_seconds,
            "jti": uuid.uuid4().hex,
        }
        for name in ("branch_id", "advisor_id", "customer_id"):
            value = getattr(caller, name)
            if value:
                claims[name] = value
        return jwt.encode(claims, self.private_key, algorithm=ALGORITHM, headers={"kid": self.kid})


def build_caller(
    *,
    role: str,
    subject: str | None = None,
    branch_id: str | None = None,
    advisor_id: str | None = None,
    customer_id: str | None = None,
) -> Caller:
    """Validate CLI-style arguments into a Caller, with messages a person can act on."""
    try:
        parsed_role = Role(role)
    except ValueError:
        parsed_role = None
    if parsed_role is None or parsed_role not in HUMAN_ROLES:
        allowed = ", ".join(r.value for r in HUMAN_ROLES)
        raise ValueError(f"unknown role {role!r}; choose one of: {allowed}")
    default_subject = f"dev-{parsed_role.value}"
    for suffix in (customer_id, advisor_id, branch_id):
        if suffix:
            default_subject = f"{default_subject}-{suffix}"
            break
    try:
        return Caller(
            subject=subject or default_subject,
            role=parsed_role,
            branch_id=branch_id,
            advisor_id=advisor_id,
            customer_id=customer_id,
        )
    except IdentityError as error:
        flag = {"branch_id": "--branch", "advisor_id": "--advisor", "customer_id": "--customer"}
        message = str(error)
        for name, option in flag.items():
            message = message.replace(name, f"{name} ({option})")
        raise ValueError(message) from error


def issue_token(
    settings: GatewaySettings,
    *,
    role: str,
    subject: str | None = None,
    branch_id: str | None = None,
    advisor_id: str | None = None,
    customer_id: str | None = None,
    ttl_seconds: int = 3600,
) -> str:
    """Library form of `lingxi token`: raises ValueError / DevIssuerDisabled instead of exiting."""
    caller = build_caller(
        role=role, subject=subject, branch_id=branch_id, advisor_id=advisor_id, customer_id=customer_id
    )
    return DevIssuer.from_settings(settings).issue(caller, ttl_seconds=ttl_seconds)


def issue_cli_token(
    *,
    role: str,
    subject: str | None = None,
    branch_id: str | None = None,
    advisor_id: str | None = None,
    customer_id: str | None = None,
    ttl_seconds: int = 3600,
) -> str:
    """What `lingxi token` prints: a token the local gateway accepts.

    Reads the same settings as the gateway (key path, issuer, audience) so the two always agree.
    Bad input ends the command with a one-line message rather than a traceback.
    """
    settings = load_settings(GatewaySettings)
    try:
        return issue_token(
            settings,
            role=role,
            subject=subject,
            branch_id=branch_id,
            advisor_id=advisor_id,
            customer_id=customer_id,
            ttl_seconds=ttl_seconds,
        )
    except (ValueError, DevIssuerDisabled) as error:
        sys.stderr.write(f"lingxi token: {error}\n")
        raise SystemExit(2) from error
