"""What the protobuf contracts say about themselves: subjects, type names, PII fields.

Every event and NATS command in ``lingxi.events.v1`` declares its subject with the custom option
``(lingxi.common.v1.event_subject)``; publishers read it here instead of spelling subjects by hand,
and consumers map the ``Lingxi-Type`` header (the full proto name) back to a message class. See
docs/contracts.md for the subject scheme and the headers.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from google.protobuf import descriptor_pool, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import DecodeError, Message

from lingxi.common.v1 import options_pb2
from lingxi_common.settings import SERVICE_NAMES

# NATS message headers every Lingxi publisher sets.
HEADER_TYPE = "Lingxi-Type"  # full proto name of the payload, e.g. lingxi.events.v1.CustomerChanged
HEADER_MSG_ID = "Nats-Msg-Id"  # the outbox row id: JetStream de-duplicates on it
HEADER_TRACEPARENT = "traceparent"  # W3C trace context
HEADER_TRACESTATE = "tracestate"

EVENTS_PACKAGE = "lingxi.events.v1"

_NAME_PART = r"[a-z][a-z0-9_]*"
_SERVICES = "|".join(SERVICE_NAMES)
EVENT_SUBJECT_RE = re.compile(
    rf"^lingxi\.(?P<service>{_SERVICES})\.(?P<entity>{_NAME_PART})\.(?P<verb>{_NAME_PART})$"
)
COMMAND_SUBJECT_RE = re.compile(rf"^lingxi\.cmd\.(?P<service>{_SERVICES})\.(?P<command>{_NAME_PART})$")
INGEST_SUBJECT_RE = re.compile(rf"^lingxi\.ingest\.(?P<kind>{_NAME_PART})$")

# A message, its class, or its descriptor.
MessageOrClass = Message | type[Message] | Descriptor


class ContractError(LookupError):
    """A message lacks what the contracts promise (a subject), or a type name is unknown."""


def _descriptor(message_or_class: MessageOrClass) -> Descriptor:
    if isinstance(message_or_class, Descriptor):
        return message_or_class
    descriptor = getattr(message_or_class, "DESCRIPTOR", None)
    if not isinstance(descriptor, Descriptor):
        raise TypeError(f"expected a protobuf message or message class, got {message_or_class!r}")
    return descriptor


def message_type_name(message_or_class: MessageOrClass) -> str:
    """The full proto name (``lingxi.events.v1.CustomerChanged``), used as the ``Lingxi-Type`` header."""
    return _descriptor(message_or_class).full_name


def _subject_of(descriptor: Descriptor) -> str:
    options = descriptor.GetOptions()
    if not options.HasExtension(options_pb2.event_subject):
        return ""
    subject: str = options.Extensions[options_pb2.event_subject]
    return subject


def has_event_subject(message_or_class: MessageOrClass) -> bool:
    """Whether the message declares a NATS subject (i.e. is an event or a command)."""
    return bool(_subject_of(_descriptor(message_or_class)))


def event_subject(message_or_class: MessageOrClass) -> str:
    """The NATS subject a message travels on, from its ``event_subject`` option.

    Raises ContractError for messages that are not events or commands, so that nothing is ever
    published on a made-up subject.
    """
    descriptor = _descriptor(message_or_class)
    subject = _subject_of(descriptor)
    if not subject:
        raise ContractError(
            f"{descriptor.full_name} has no (lingxi.common.v1.event_subject) option: only events and "
            f"commands declared in {EVENTS_PACKAGE} can be published on NATS"
        )
    return subject


def is_command_subject(subject: str) -> bool:
    """Whether a subject names a command (``lingxi.cmd.<service>.<command>``)."""
    return COMMAND_SUBJECT_RE.match(subject) is not None


def subject_owner(subject: str) -> str:
    """The service that produces an event or executes a command; ``gateway`` for ingested events."""
    for pattern, group in ((EVENT_SUBJECT_RE, "service"), (COMMAND_SUBJECT_RE, "service")):
        matched = pattern.match(subject)
        if matched:
            return matched.group(group)
    if INGEST_SUBJECT_RE.match(subject):
        return "gateway"
    raise ContractError(f"subject {subject!r} does not follow the Lingxi subject scheme")


@cache
def _event_registry() -> tuple[MappingProxyType[str, type[Message]], MappingProxyType[str, type[Message]]]:
    """(type name → class, subject → class) for every event and command, importing their modules."""
    package = importlib.import_module(EVENTS_PACKAGE)
    by_type: dict[str, type[Message]] = {}
    by_subject: dict[str, type[Message]] = {}
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
        if not module_info.name.endswith("_pb2"):
            continue
        module = importlib.import_module(f"{EVENTS_PACKAGE}.{module_info.name}")
        for name in module.DESCRIPTOR.message_types_by_name:
            cls: type[Message] = getattr(module, name)
            subject = _subject_of(_descriptor(cls))
            if not subject:
                continue
            if subject in by_subject:
                raise ContractError(
                    f"subject {subject} is declared by both {message_type_name(by_subject[subject])} "
                    f"and {message_type_name(cls)}"
                )
            by_type[message_type_name(cls)] = cls
            by_subject[subject] = cls
    return MappingProxyType(by_type), MappingProxyType(by_subject)


def event_types() -> MappingProxyType[str, type[Message]]:
    """Every event and command class, by full proto name."""
    return _event_registry()[0]


def event_subjects() -> MappingProxyType[str, type[Message]]:
    """Every event and command class, by NATS subject."""
    return _event_registry()[1]


def message_class(type_name: str) -> type[Message]:
    """The class of a full proto name (e.g. from a ``Lingxi-Type`` header)."""
    known = event_types().get(type_name)
    if known is not None:
        return known
    try:
        descriptor = descriptor_pool.Default().FindMessageTypeByName(type_name)
    except KeyError as error:
        raise ContractError(f"unknown message type {type_name!r}") from error
    cls: type[Message] = message_factory.GetMessageClass(descriptor)
    return cls


def decode(type_name: str, payload: bytes) -> Message:
    """Parse a payload whose type is given by name; ContractError when it is not that type."""
    message = message_class(type_name)()
    try:
        message.ParseFromString(payload)
    except DecodeError as error:
        raise ContractError(f"payload is not a valid {type_name}: {error}") from error
    return message


def is_pii(field: FieldDescriptor) -> bool:
    """Whether a field is marked ``[(lingxi.common.v1.pii) = true]``."""
    options = field.GetOptions()
    return bool(options.HasExtension(options_pb2.pii) and options.Extensions[options_pb2.pii])


def pii_fields(message_or_class: MessageOrClass) -> tuple[str, ...]:
    """Names of the message's own PII fields (not of nested messages), for masking and logs."""
    return tuple(field.name for field in _descriptor(message_or_class).fields if is_pii(field))


def headers_for(message: Message, *, msg_id: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The NATS headers of a payload apart from trace context: type name and de-duplication id."""
    headers = {HEADER_TYPE: message_type_name(message), HEADER_MSG_ID: msg_id}
    for key, value in (extra or {}).items():
        headers[key] = value
    return headers
