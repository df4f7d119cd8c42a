"""Declarative JetStream streams and consumers, read from infra/nats/streams.yaml.

Declaring them in one file (not in each service's code) lets SRE review retention and
redelivery in one place and lets the Helm job and `lingxi up` provision exactly the same thing.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import NotFoundError

from lingxi_common.settings import CommonSettings, load_settings

log = logging.getLogger(__name__)

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h|d)$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


class DeclarationError(ValueError):
    """streams.yaml is malformed; the message names the entry and the field."""


def parse_duration(value: str | int | float, where: str) -> float:
    if isinstance(value, int | float):
        return float(value)
    match = _DURATION.match(str(value).strip())
    if not match:
        raise DeclarationError(f"{where}: {value!r} is not a duration like 30s, 5m or 7d")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@dataclass(frozen=True)
class StreamDecl:
    name: str
    subjects: list[str]
    description: str = ""
    storage: str = "file"
    replicas: int = 1
    duplicate_window: float = 120.0
    max_age: float = 7 * 86400.0

    def config(self, replicas: int | None = None) -> StreamConfig:
        return StreamConfig(
            name=self.name,
            subjects=self.subjects,
            description=self.description or None,
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE if self.storage == "file" else StorageType.MEMORY,
            num_replicas=replicas or self.replicas,
            duplicate_window=self.duplicate_window,
            max_age=self.max_age,
        )


@dataclass(frozen=True)
class ConsumerDecl:
    durable: str
    service: str
    stream: str
    filter_subjects: list[str]
    description: str = ""
    ack_wait: float = 30.0
    max_deliver: int = 6
    backoff: list[float] = field(default_factory=lambda: [1.0, 5.0, 30.0, 120.0, 600.0])
    max_ack_pending: int = 1000
    dead_letter_prefix: str = "lingxi.dlq"

    @property
    def dead_letter_subject(self) -> str:
        return f"{self.dead_letter_prefix}.{self.durable}"

    def delay_before(self, delivery: int) -> float:
        """Back-off before redelivery number `delivery + 1` after a failed `delivery`."""
        return self.backoff[min(delivery, len(self.backoff)) - 1] if self.backoff else 1.0

    def config(self) -> ConsumerConfig:
        subjects = self.filter_subjects
        return ConsumerConfig(
            durable_name=self.durable,
            description=self.description or None,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait,
            max_deliver=self.max_deliver,
            max_ack_pending=self.max_ack_pending,
            filter_subject=subjects[0] if len(subjects) == 1 else None,
            filter_subjects=subjects if len(subjects) > 1 else None,
        )


@dataclass(frozen=True)
class Declarations:
    streams: list[StreamDecl]
    consumers: list[ConsumerDecl]

    def consumer(self, durable: str) -> ConsumerDecl:
        for decl in self.consumers:
            if decl.durable == durable:
                return decl
        raise KeyError(f"consumer {durable!r} is not declared in infra/nats/streams.yaml")

    def consumers_of(self, service: str) -> list[ConsumerDecl]:
        return [decl for decl in self.consumers if decl.service == service]


def default_declarations_path(settings: CommonSettings | None = None) -> Path:
    """infra/nats/streams.yaml: from LINGXI_INFRA_DIR, else found above the working dir or this file."""
    configured = (settings.infra_dir if settings else None) or os.environ.get("LINGXI_INFRA_DIR")
    if configured:
        return Path(configured) / "nats" / "streams.yaml"
    for start in (Path.cwd(), Path(__file__).resolve()):
        for folder in (start, *start.parents):
            candidate = folder / "infra" / "nats" / "streams.yaml"
            if candidate.is_file():
                return candidate
    raise FileNotFoundError("infra/nats/streams.yaml not found; set LINGXI_INFRA_DIR")


def _require(entry: dict[str, Any], key: str, where: str) -> Any:
    if key not in entry:
        raise DeclarationError(f"{where}: missing {key!r}")
    return entry[key]


def load_declarations(path: Path | None = None) -> Declarations:
    source = path or default_declarations_path()
    document = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    defaults = document.get("defaults", {})
    stream_defaults = defaults.get("stream", {})
    consumer_defaults = defaults.get("consumer", {})
    streams = []
    for index, raw in enumerate(document.get("streams", [])):
        entry = {**stream_defaults, **raw}
        where = f"streams[{index}]"
        streams.append(
            StreamDecl(
                name=_require(entry, "name", where),
                subjects=list(_require(entry, "subjects", where)),
                description=entry.get("description", ""),
                storage=entry.get("storage", "file"),
                replicas=int(entry.get("replicas", 1)),
                duplicate_window=parse_duration(
                    entry.get("duplicate_window", "2m"), f"{where}.duplicate_window"
                ),
                max_age=parse_duration(entry.get("max_age", "7d"), f"{where}.max_age"),
            )
        )
    stream_names = {stream.name for stream in streams}
    consumers = []
    for index, raw in enumerate(document.get("consumers", [])):
        entry = {**consumer_defaults, **raw}
        where = f"consumers[{index}]"
        stream = _require(entry, "stream", where)
        if stream not in stream_names:
            raise DeclarationError(f"{where}.stream: {stream!r} is not a declared stream")
        backoff = [parse_duration(v, f"{where}.backoff") for v in entry.get("backoff", [])]
        max_deliver = int(entry.get("max_deliver", 6))
        if max_deliver < 1:
            raise DeclarationError(f"{where}.max_deliver: must be at least 1")
        consumers.append(
            ConsumerDecl(
                durable=_require(entry, "durable", where),
                service=_require(entry, "service", where),
                stream=stream,
                filter_subjects=list(_require(entry, "filter_subjects", where)),
                description=entry.get("description", ""),
                ack_wait=parse_duration(entry.get("ack_wait", "30s"), f"{where}.ack_wait"),
                max_deliver=max_deliver,
                backoff=backoff,
                max_ack_pending=int(entry.get("max_ack_pending", 1000)),
            )
        )
    return Declarations(streams=streams, consumers=consumers)


async def provision(js: JetStreamContext, declarations: Declarations, *, replicas: int | None = None) -> None:
    """Create or update every declared stream and consumer; safe to run concurrently and repeatedly."""
    for stream in declarations.streams:
        config = stream.config(replicas)
        try:
            await js.stream_info(stream.name)
            await js.update_stream(config)
        except NotFoundError:
            try:
                await js.add_stream(config)
            except Exception as error:
                # Another process may have created it between our look and our add; anything
                # else (e.g. subjects overlapping another stream) is a configuration error.
                try:
                    await js.update_stream(config)
                except NotFoundError:
                    raise DeclarationError(f"stream {stream.name}: cannot be created: {error}") from error
    for consumer in declarations.consumers:
        await js.add_consumer(consumer.stream, consumer.config())
    log.info(
        "JetStream provisioned",
        extra={"streams": len(declarations.streams), "consumers": len(declarations.consumers)},
    )


async def provision_from_settings() -> None:
    """`lingxi provision-streams`: connect with the environment's NATS_URL and provision."""
    from lingxi_common.bus import Bus

    settings = load_settings(CommonSettings)
    bus = Bus(settings.nats_servers, name="lingxi-provision")
    await bus.connect()
    try:
        replicas = int(os.environ.get("LINGXI_NATS_REPLICAS", "0")) or None
        await provision(bus.js, load_declarations(default_declarations_path(settings)), replicas=replicas)
    finally:
        await bus.close()
