"""Configuration read from the environment with pydantic-settings.

Every deployable reads the same base settings; a service adds its own fields by subclassing.
A missing or malformed value must stop start-up with a message naming the variable, because a
process that limps on with a wrong ``DATABASE_URL`` fails much later and far less clearly.
"""

from __future__ import annotations

import sys
from typing import Any, TypeVar

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICE_NAMES: tuple[str, ...] = ("tag", "product", "strategy", "campaign", "channel", "points")

# Local defaults of the embedded runtime; production sets every one of them through Helm values.
DEFAULT_GRPC_PORTS: dict[str, int] = {
    "tag": 50051,
    "product": 50052,
    "strategy": 50053,
    "campaign": 50054,
    "channel": 50055,
    "points": 50056,
}
DEFAULT_METRICS_PORTS: dict[str, int] = {
    "tag": 9461,
    "product": 9462,
    "strategy": 9463,
    "campaign": 9464,
    "channel": 9465,
    "points": 9466,
}
EMBEDDED_POSTGRES_PORT = 15432
EMBEDDED_NATS_PORT = 14222
DEFAULT_DATABASE_URL = f"postgresql+asyncpg://lingxi@127.0.0.1:{EMBEDDED_POSTGRES_PORT}/lingxi"
DEFAULT_NATS_URL = f"nats://127.0.0.1:{EMBEDDED_NATS_PORT}"
# Development-only PII key (base64 of 32 bytes); production start-up refuses it.
DEV_PII_KEY = "bGluZ3hpLWRldmVsb3BtZW50LXBpaS1rZXktMzJieXQ="
# Development-only secret; `lingxi up` and the tests use it, production must override it.
DEV_SERVICE_TOKEN = "lingxi-dev-service-token"  # noqa: S105


class CommonSettings(BaseSettings):
    """Settings every Lingxi process shares."""

    model_config = SettingsConfigDict(env_prefix="LINGXI_", extra="ignore", frozen=True)

    environment: str = Field(default="development", description="development | test | production")
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("DATABASE_URL", "LINGXI_DATABASE_URL"),
        description="SQLAlchemy URL of PostgreSQL (postgresql+asyncpg://…)",
    )
    nats_url: str = Field(
        default=DEFAULT_NATS_URL,
        validation_alias=AliasChoices("NATS_URL", "LINGXI_NATS_URL"),
        description="Comma-separated NATS server URLs",
    )
    service_token: str = Field(
        default=DEV_SERVICE_TOKEN,
        description="Shared secret proving a gRPC caller is a Lingxi process (mTLS in production)",
    )
    pii_key: str = Field(
        default=DEV_PII_KEY,
        description="base64 of 32 random bytes: the AES-256-GCM key for phone/id numbers/WeChat ids at rest",
    )
    log_level: str = Field(default="INFO")
    log_format: str = Field(default="json", description="json | text")
    otlp_endpoint: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_ENDPOINT", "LINGXI_OTLP_ENDPOINT"),
        description="OTLP/gRPC collector endpoint; traces and metrics are exported there when set",
    )
    infra_dir: str | None = Field(
        default=None, description="Folder holding nats/streams.yaml; defaults to the packaged copy"
    )

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: str) -> str:
        if not value.startswith(("postgresql://", "postgresql+asyncpg://", "postgres://")):
            raise ValueError("must be a PostgreSQL URL such as postgresql+asyncpg://user@host:5432/db")
        return value

    @field_validator("nats_url")
    @classmethod
    def _nats_url(cls, value: str) -> str:
        for url in value.split(","):
            if not url.strip().startswith(("nats://", "tls://", "ws://", "wss://")):
                raise ValueError("must be NATS URLs such as nats://host:4222 (comma-separated)")
        return value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value not in {"json", "text"}:
            raise ValueError("must be json or text")
        return value

    @model_validator(mode="after")
    def _no_dev_secrets_in_production(self) -> CommonSettings:
        if self.environment == "production":
            if self.service_token == DEV_SERVICE_TOKEN:
                raise ValueError("LINGXI_SERVICE_TOKEN must be set to a real secret in production")
            if self.pii_key == DEV_PII_KEY:
                raise ValueError("LINGXI_PII_KEY must be set to a real key in production")
        return self

    @property
    def nats_servers(self) -> list[str]:
        return [url.strip() for url in self.nats_url.split(",") if url.strip()]

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


class ServiceSettings(CommonSettings):
    """Settings of a gRPC domain service (tag, product, strategy, campaign, channel, points)."""

    service_name: str = Field(default="", description="Which service this process runs")
    grpc_host: str = Field(default="127.0.0.1")
    grpc_port: int | None = Field(
        default=None, ge=0, le=65535, description="unset = the service's default port, 0 = any free port"
    )
    metrics_port: int | None = Field(
        default=None, ge=0, le=65535, description="unset = the service's default port, 0 = no metrics server"
    )
    migrate_on_start: bool = Field(
        default=True, description="Run the service's Alembic migrations at boot (Helm runs a Job instead)"
    )
    outbox_poll_interval: float = Field(default=0.5, gt=0, description="Seconds between outbox sweeps")
    health_check_interval: float = Field(default=2.0, gt=0)

    def resolved_grpc_port(self) -> int:
        return DEFAULT_GRPC_PORTS[self.service_name] if self.grpc_port is None else self.grpc_port

    def resolved_metrics_port(self) -> int:
        return DEFAULT_METRICS_PORTS[self.service_name] if self.metrics_port is None else self.metrics_port

    @property
    def db_schema(self) -> str:
        return self.service_name


SettingsT = TypeVar("SettingsT", bound=BaseSettings)


def describe_validation_error(error: ValidationError, settings_cls: type[BaseSettings]) -> str:
    """Turn pydantic's error into lines that name the environment variable to fix."""
    prefix = settings_cls.model_config.get("env_prefix", "") or ""
    lines = []
    for item in error.errors():
        message = str(item["msg"]).removeprefix("Value error, ")
        if not item["loc"]:
            lines.append(f"  {message}")
            continue
        name = str(item["loc"][0])
        field = settings_cls.model_fields.get(name)
        if field is None:
            variable = name.upper()  # pydantic reports the alias (the variable) it read
        elif isinstance(field.validation_alias, AliasChoices):
            variable = str(field.validation_alias.choices[0])
        else:
            variable = f"{prefix}{name}".upper()
        lines.append(f"  {variable}: {message}")
    return "invalid configuration:\n" + "\n".join(lines)


def load_settings(settings_cls: type[SettingsT], **overrides: Any) -> SettingsT:
    """Build settings or stop the process with a message naming each bad variable."""
    try:
        return settings_cls(**overrides)
    except ValidationError as error:
        sys.stderr.write(describe_validation_error(error, settings_cls) + "\n")
        raise SystemExit(2) from error
