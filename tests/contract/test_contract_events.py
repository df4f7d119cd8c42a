"""Events and NATS commands: envelope, subjects, exact shapes other code relies on."""

from __future__ import annotations

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from lingxi_common import contracts
from tests.contract._protos import (
    EVENT_META,
    PROTO_DIR,
    SERVICE_DIRS,
    all_messages,
    files_in,
    leading_comments,
    source_descriptor_set,
)


def _subject(message: Descriptor) -> str:
    return contracts.event_subject(message) if contracts.has_event_subject(message) else ""


def _events() -> list[tuple[str, Descriptor, str]]:
    """(producer file stem, descriptor, subject) for every top-level message in lingxi.events.v1."""
    found = []
    for fd in files_in("events"):
        stem = fd.name.rsplit("/", 1)[1].removesuffix("_events.proto")
        for message in fd.message_types_by_name.values():
            found.append((stem, message, _subject(message)))
    return found


def _referenced_types() -> set[str]:
    return {
        field.message_type.full_name
        for message in all_messages()
        for field in message.fields
        if field.message_type is not None
    }


def test_every_event_and_command_has_meta_first() -> None:
    events = [(stem, message) for stem, message, subject in _events() if subject]
    assert len(events) >= 30
    for _, message in events:
        meta = message.fields_by_number.get(1)
        assert meta is not None and meta.name == "meta", f"{message.full_name}: field 1 must be meta"
        assert meta.message_type is not None and meta.message_type.full_name == EVENT_META, message.full_name
        assert not meta.is_repeated, message.full_name


def test_helpers_without_subject_are_payload_parts_only() -> None:
    referenced = _referenced_types()
    for _, message, subject in _events():
        if subject:
            continue
        assert "meta" not in message.fields_by_name, (
            f"{message.full_name} has meta but no event_subject option"
        )
        assert not message.name.endswith("Command"), f"{message.full_name} is a command without a subject"
        assert message.full_name in referenced, f"{message.full_name} is neither an event nor used by one"


def test_subjects_are_unique_and_follow_the_scheme() -> None:
    seen: dict[str, str] = {}
    for stem, message, subject in _events():
        if not subject:
            continue
        assert subject not in seen, f"{subject} declared by {seen.get(subject)} and {message.full_name}"
        seen[subject] = message.full_name
        if stem == "ingest":
            assert contracts.INGEST_SUBJECT_RE.match(subject), f"{message.full_name}: {subject}"
            assert not message.name.endswith("Command")
            continue
        assert stem in SERVICE_DIRS, stem
        if message.name.endswith("Command"):
            matched = contracts.COMMAND_SUBJECT_RE.match(subject)
            assert matched, f"{message.full_name}: command subject {subject} must be lingxi.cmd.<svc>.<cmd>"
            # Commands live in the file of the service that executes them.
            assert matched.group("service") == stem, f"{message.full_name}: {subject} in {stem}_events.proto"
        else:
            matched = contracts.EVENT_SUBJECT_RE.match(subject)
            assert matched, (
                f"{message.full_name}: event subject {subject} must be lingxi.<svc>.<entity>.<verb>"
            )
            assert matched.group("service") == stem, f"{message.full_name}: {subject} in {stem}_events.proto"


def test_only_events_declare_subjects() -> None:
    for message in all_messages():
        if message.file.package != "lingxi.events.v1" or message.containing_type is not None:
            assert not contracts.has_event_subject(message), message.full_name


def test_required_subjects_exist() -> None:
    subjects = contracts.event_subjects()
    for subject in (
        "lingxi.tag.customer.changed",
        "lingxi.tag.customer_tag.changed",
        "lingxi.channel.message.status",
        "lingxi.cmd.channel.send",
        "lingxi.ingest.behavior",
        "lingxi.ingest.offline_touch",
        "lingxi.product.maturity.approaching",
        "lingxi.product.payout.arrived",
        "lingxi.strategy.task.completed",
        "lingxi.points.points.earned",
        "lingxi.points.tier.changed",
        "lingxi.points.redemption.changed",
    ):
        assert subject in subjects, subject


def test_event_meta_shape() -> None:
    from lingxi.common.v1 import event_meta_pb2

    fields = {field.name: field for field in event_meta_pb2.EventMeta.DESCRIPTOR.fields}
    expected = {"event_id": 1, "occurred_at": 2, "producer": 3, "correlation_id": 4, "causation_id": 5}
    for name, number in expected.items():
        assert fields[name].number == number, name
    assert fields["occurred_at"].message_type.full_name == "google.protobuf.Timestamp"
    for name in ("event_id", "producer", "correlation_id", "causation_id"):
        assert fields[name].type == FieldDescriptor.TYPE_STRING, name


def test_customer_changed_shape() -> None:
    from lingxi.events.v1 import tag_events_pb2

    message = tag_events_pb2.CustomerChanged
    assert contracts.event_subject(message) == "lingxi.tag.customer.changed"
    fields = message.DESCRIPTOR.fields_by_name
    expected = {"meta": 1, "customer_id": 2, "branch_id": 3, "advisor_id": 4, "kind": 5, "changed_fields": 6}
    for name, number in expected.items():
        assert fields[name].number == number, name
    assert fields["changed_fields"].is_repeated
    kind = fields["kind"].enum_type
    assert kind.name == "ChangeKind"
    assert {"CHANGE_KIND_UNSPECIFIED", "CHANGE_KIND_CREATED", "CHANGE_KIND_UPDATED"} <= set(
        kind.values_by_name
    )


def test_send_command_carries_the_grpc_send_payload() -> None:
    from lingxi.channel.v1 import channel_pb2
    from lingxi.events.v1 import channel_events_pb2

    field = channel_events_pb2.SendMessageCommand.DESCRIPTOR.fields_by_name["message"]
    assert field.message_type is channel_pb2.OutboundMessage.DESCRIPTOR
    assert contracts.is_command_subject(contracts.event_subject(channel_events_pb2.SendMessageCommand))


def test_every_event_is_documented() -> None:
    undocumented = []
    for file_proto in source_descriptor_set().file:
        if file_proto.package != "lingxi.events.v1":
            continue
        comments = leading_comments(file_proto)
        for index, message in enumerate(file_proto.message_type):
            if not comments.get((4, index)):
                undocumented.append(message.name)
    assert not undocumented, undocumented


def test_every_subject_is_listed_in_the_guide() -> None:
    guide = (PROTO_DIR.parent / "docs" / "contracts.md").read_text(encoding="utf-8")
    missing = [subject for subject in contracts.event_subjects() if f"`{subject}`" not in guide]
    assert not missing, f"list these subjects in docs/contracts.md: {missing}"
