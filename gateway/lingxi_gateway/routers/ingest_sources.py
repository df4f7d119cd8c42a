"""Configured ingestion sources: which Segment/RudderStack write keys and Sensors projects may send.

An SDK authenticates with what it already has — a write key (Segment, RudderStack) or nothing but
a project name (Sensors Analytics) — so each app is registered as a *source* with that credential.
The source id, not the credential, travels on the bus: write keys are secrets and must never land
in JetStream or logs.

Configuration is ``LINGXI_INGEST_SOURCES``, a JSON list::

    [{"source_id": "app-ios", "kind": "segment", "write_key": "..."},
     {"source_id": "app-android", "kind": "rudderstack", "write_key": "..."},
     {"source_id": "sa-default", "kind": "sensors", "project": "default"}]

Outside production, when nothing is configured, a development set is used (project ``default``
and write key ``lingxi-dev-write-key``) so `make run` accepts SDK traffic out of the box.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from lingxi.events.v1 import ingest_events_pb2

SourceKind = Literal["sensors", "segment", "rudderstack"]

DEV_WRITE_KEY = "lingxi-dev-write-key"
DEV_SENSORS_PROJECT = "default"

KIND_TO_PROTO: dict[str, int] = {
    "sensors": ingest_events_pb2.INGEST_SOURCE_KIND_SENSORS,
    "segment": ingest_events_pb2.INGEST_SOURCE_KIND_SEGMENT,
    "rudderstack": ingest_events_pb2.INGEST_SOURCE_KIND_RUDDERSTACK,
}


class IngestSource(BaseModel):
    """One registered app or SDK installation."""

    source_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    kind: SourceKind
    write_key: str | None = Field(default=None, min_length=8, description="Segment/RudderStack only")
    project: str | None = Field(default=None, min_length=1, description="Sensors Analytics only")

    def model_post_init(self, _context: object) -> None:
        if self.kind == "sensors" and not self.project:
            raise ValueError(f"source {self.source_id!r}: a sensors source needs a project")
        if self.kind != "sensors" and not self.write_key:
            raise ValueError(f"source {self.source_id!r}: a {self.kind} source needs a write_key")


_SOURCES = TypeAdapter(list[IngestSource])


class IngestSettings(BaseSettings):
    """Environment of the ingestion endpoints (kept apart from GatewaySettings: owned here)."""

    model_config = SettingsConfigDict(env_prefix="LINGXI_INGEST_", extra="ignore")

    sources: str = Field(default="", description="JSON list of sources (see module docstring)")
    max_inflight_batches: int = Field(
        default=256, gt=0, description="Batches awaiting a JetStream ack before answering 429"
    )
    max_decoded_bytes: int = Field(
        default=8 * 1024 * 1024, gt=0, description="Largest body after gunzip/base64 decoding (else 413)"
    )
    publish_timeout_seconds: float = Field(default=5.0, gt=0, description="Wait for the JetStream ack")


class IngestConfigError(ValueError):
    """LINGXI_INGEST_SOURCES is unusable (raised at start-up, naming the problem)."""


@dataclass(frozen=True)
class SourceRegistry:
    """Look-ups by credential; comparison of write keys is constant-time over their digests."""

    sources: tuple[IngestSource, ...]

    @classmethod
    def parse(cls, text: str, *, production: bool) -> SourceRegistry:
        if not text.strip():
            if production:
                return cls(())
            return cls.development()
        try:
            sources = tuple(_SOURCES.validate_json(text))
        except (ValidationError, ValueError) as error:
            raise IngestConfigError(f"LINGXI_INGEST_SOURCES: {error}") from error
        ids = [source.source_id for source in sources]
        if len(set(ids)) != len(ids):
            raise IngestConfigError("LINGXI_INGEST_SOURCES: source ids must be unique")
        return cls(sources)

    @classmethod
    def development(cls) -> SourceRegistry:
        return cls(
            (
                IngestSource(source_id="dev-sensors", kind="sensors", project=DEV_SENSORS_PROJECT),
                IngestSource(source_id="dev-segment", kind="segment", write_key=DEV_WRITE_KEY),
            )
        )

    def by_write_key(self, write_key: str) -> IngestSource | None:
        """The Segment/RudderStack source holding ``write_key`` (every key compared, no early exit)."""
        wanted = hashlib.sha256(write_key.encode()).digest()
        found: IngestSource | None = None
        for source in self.sources:
            if source.write_key is None:
                continue
            if hmac.compare_digest(hashlib.sha256(source.write_key.encode()).digest(), wanted):
                found = source
        return found

    def by_project(self, project: str) -> IngestSource | None:
        for source in self.sources:
            if source.kind == "sensors" and source.project == project:
                return source
        return None
