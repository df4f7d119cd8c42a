"""Gateway configuration, on top of the settings every Lingxi process shares.

Each field reads ``LINGXI_<FIELD>`` unless an alias says otherwise. Rules that involve more than one
field (the production rule for token verification) are field validators rather than model validators,
so a failure names the environment variable to fix instead of an anonymous "value error".
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import AliasChoices, Field, ValidationInfo, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from lingxi_common.settings import DEFAULT_GRPC_PORTS, SERVICE_NAMES, CommonSettings

DEV_ISSUER = "lingxi-dev"
DEFAULT_DEV_ISSUER_KEY_PATH = Path(".lingxi/dev-issuer/private.pem")
MIB = 1024 * 1024


def _default_addr(service: str) -> str:
    return f"127.0.0.1:{DEFAULT_GRPC_PORTS[service]}"


class GatewaySettings(CommonSettings):
    """Everything the gateway reads from its environment."""

    # validate_by_name lets tests and tools pass ``port=...`` although the variable is an alias.
    model_config = SettingsConfigDict(validate_by_name=True, validate_by_alias=True)

    host: str = Field(
        default="127.0.0.1",
        validation_alias=AliasChoices("LINGXI_GATEWAY_HOST"),
        description="Interface the HTTP server binds",
    )
    port: int = Field(
        default=8080,
        ge=0,
        le=65535,
        validation_alias=AliasChoices("LINGXI_GATEWAY_PORT"),
        description="HTTP port",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Proxies whose X-Forwarded-For is trusted for the client IP (uvicorn syntax)",
    )

    # --- bearer tokens -------------------------------------------------------------------------
    jwt_issuer: str = Field(
        default=DEV_ISSUER, validate_default=True, description="Expected `iss` of bearer tokens"
    )
    jwt_audience: str = Field(default="lingxi", description="Expected `aud` of bearer tokens")
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=300, description="Clock skew tolerated")
    jwt_jwks_cache_seconds: int = Field(default=300, gt=0, description="How long a fetched JWKS is reused")
    jwt_public_key_pem: str | None = Field(
        default=None, description="PEM public key (RSA or EC P-256) of the token issuer"
    )
    jwt_jwks_url: str | None = Field(
        default=None,
        validate_default=True,
        description="JWKS URL of the OIDC issuer; with the public key, one of them is required in production",
    )
    dev_issuer_key_path: Path = Field(
        default=DEFAULT_DEV_ISSUER_KEY_PATH,
        description="Private key of the development issuer (created when missing; never used in production)",
    )

    # --- partners --------------------------------------------------------------------------------
    api_keys_file: Path | None = Field(
        default=None,
        description="JSON list of {key_id, key_sha256, partner_id, scopes, rate_limit_per_minute}",
    )

    # --- limits ----------------------------------------------------------------------------------
    rate_limit_per_minute: int = Field(
        default=600, gt=0, description="Requests per minute per authenticated subject"
    )
    partner_rate_limit_per_minute: int = Field(
        default=600, gt=0, description="Requests per minute of an API key that names no limit of its own"
    )
    anonymous_rate_limit_per_minute: int = Field(
        default=120,
        gt=0,
        description="Requests per minute per client IP on anonymous routes and failed logins",
    )
    rate_limit_max_buckets: int = Field(
        default=100_000, gt=0, description="Most rate-limit buckets kept in memory (least recently used go)"
    )
    max_body_bytes: int = Field(default=MIB, gt=0, description="Largest request body accepted")
    ingest_max_body_bytes: int = Field(
        default=5 * MIB, gt=0, description="Largest body on the SDK ingestion paths (/sa, /v1/*)"
    )

    # --- upstream services ---------------------------------------------------------------------
    tag_addr: str = Field(default=_default_addr("tag"), description="host:port of the tag service")
    product_addr: str = Field(
        default=_default_addr("product"), description="host:port of the product service"
    )
    strategy_addr: str = Field(
        default=_default_addr("strategy"), description="host:port of the strategy service"
    )
    campaign_addr: str = Field(
        default=_default_addr("campaign"), description="host:port of the campaign service"
    )
    channel_addr: str = Field(
        default=_default_addr("channel"), description="host:port of the channel service"
    )
    points_addr: str = Field(default=_default_addr("points"), description="host:port of the points service")
    upstream_timeout_seconds: float = Field(
        default=5.0, gt=0, description="Deadline of a gRPC call that sets none itself"
    )
    upstream_tls_ca_file: Path | None = Field(default=None, description="CA bundle for mTLS to services")
    upstream_tls_cert_file: Path | None = Field(default=None, description="Client certificate for mTLS")
    upstream_tls_key_file: Path | None = Field(
        default=None, validate_default=True, description="Client key for mTLS"
    )

    # --- readiness -------------------------------------------------------------------------------
    readiness_timeout_seconds: float = Field(
        default=1.0, gt=0, description="Per-dependency timeout of GET /readyz"
    )
    readiness_cache_seconds: float = Field(
        default=1.0, ge=0, description="How long a readiness verdict is reused"
    )

    # --- browsers and telemetry ----------------------------------------------------------------
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated origins allowed by CORS (empty = CORS off)"
    )
    otel_operation_spans: bool = Field(
        default=False, description="Also trace dependency resolution and serialisation inside each request"
    )

    @field_validator("jwt_public_key_pem", "jwt_jwks_url", "api_keys_file", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """An empty variable (common in Helm templates) means "not set", not "the empty string"."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("jwt_public_key_pem")
    @classmethod
    def _parse_public_key(cls, value: str | None) -> str | None:
        if value is None:
            return None
        # Kubernetes secrets and .env files often carry the PEM with literal "\n".
        text = value.replace("\\n", "\n").strip() + "\n"
        try:
            key = load_pem_public_key(text.encode())
        except ValueError as error:
            raise ValueError("is not a PEM public key") from error
        if isinstance(key, ec.EllipticCurvePublicKey):
            if not isinstance(key.curve, ec.SECP256R1):
                raise ValueError("EC keys must use curve P-256 (ES256)")
        elif not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("must be an RSA or EC P-256 public key (RS256/ES256)")
        return text

    @field_validator("jwt_jwks_url")
    @classmethod
    def _issuer_key_source(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        production = info.data.get("environment") == "production"
        if production and value is None and info.data.get("jwt_public_key_pem") is None:
            raise ValueError(
                "production needs the token issuer's keys: set LINGXI_JWT_JWKS_URL or "
                "LINGXI_JWT_PUBLIC_KEY_PEM (the development issuer is disabled in production)"
            )
        return value

    @field_validator("jwt_issuer")
    @classmethod
    def _real_issuer_in_production(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("environment") == "production" and value == DEV_ISSUER:
            raise ValueError(f"{DEV_ISSUER!r} is the development issuer; set the OIDC issuer in production")
        return value

    @field_validator("upstream_tls_key_file")
    @classmethod
    def _cert_and_key_together(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        if (value is None) != (info.data.get("upstream_tls_cert_file") is None):
            raise ValueError("set together with LINGXI_UPSTREAM_TLS_CERT_FILE (client certificate and key)")
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator(
        "tag_addr", "product_addr", "strategy_addr", "campaign_addr", "channel_addr", "points_addr"
    )
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ValueError("must be host:port")
        return value

    @property
    def dev_issuer_enabled(self) -> bool:
        """The local issuer signs and verifies tokens everywhere except production."""
        return not self.is_production

    @property
    def upstream_addresses(self) -> dict[str, str]:
        """Address of each domain service, keyed by service name."""
        return {name: str(getattr(self, f"{name}_addr")) for name in SERVICE_NAMES}
