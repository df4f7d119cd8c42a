"""lingxi_common.contracts: subjects and type names read from the descriptors."""

from __future__ import annotations

import pytest

from lingxi_common import contracts


def test_event_subject_from_class_and_instance() -> None:
    from lingxi.events.v1 import channel_events_pb2, tag_events_pb2

    assert contracts.event_subject(tag_events_pb2.CustomerChanged) == "lingxi.tag.customer.changed"
    assert contracts.event_subject(tag_events_pb2.CustomerChanged()) == "lingxi.tag.customer.changed"
    assert contracts.event_subject(channel_events_pb2.SendMessageCommand()) == "lingxi.cmd.channel.send"


def test_message_type_name_is_the_full_proto_name() -> None:
    from lingxi.events.v1 import tag_events_pb2
    from lingxi.tag.v1 import customer_pb2

    assert contracts.message_type_name(tag_events_pb2.CustomerChanged()) == "lingxi.events.v1.CustomerChanged"
    assert contracts.message_type_name(customer_pb2.Customer) == "lingxi.tag.v1.Customer"


def test_a_message_without_subject_is_refused_clearly() -> None:
    from lingxi.tag.v1 import customer_pb2

    with pytest.raises(contracts.ContractError, match=r"lingxi\.tag\.v1\.Customer has no"):
        contracts.event_subject(customer_pb2.Customer())
    assert not contracts.has_event_subject(customer_pb2.Customer)


def test_non_messages_are_a_type_error() -> None:
    with pytest.raises(TypeError):
        contracts.event_subject("lingxi.tag.customer.changed")


def test_registry_round_trip_and_decode() -> None:
    from lingxi.common.v1 import event_meta_pb2
    from lingxi.events.v1 import tag_events_pb2

    event = tag_events_pb2.CustomerChanged(
        meta=event_meta_pb2.EventMeta(event_id="e1", producer="tag"),
        customer_id="c1",
        kind=tag_events_pb2.CHANGE_KIND_CREATED,
        changed_fields=["risk_level"],
    )
    type_name = contracts.message_type_name(event)
    assert contracts.event_types()[type_name] is tag_events_pb2.CustomerChanged
    assert contracts.event_subjects()["lingxi.tag.customer.changed"] is tag_events_pb2.CustomerChanged
    decoded = contracts.decode(type_name, event.SerializeToString())
    assert decoded == event
    assert contracts.message_class("lingxi.tag.v1.Customer").DESCRIPTOR.full_name == "lingxi.tag.v1.Customer"
    with pytest.raises(contracts.ContractError):
        contracts.message_class("lingxi.nope.v1.Missing")
    with pytest.raises(contracts.ContractError):
        contracts.decode(type_name, b"\xff\xff\xff")


def test_subject_owner_and_headers() -> None:
    from lingxi.events.v1 import tag_events_pb2

    assert contracts.subject_owner("lingxi.tag.customer.changed") == "tag"
    assert contracts.subject_owner("lingxi.cmd.channel.send") == "channel"
    assert contracts.subject_owner("lingxi.ingest.behavior") == "gateway"
    with pytest.raises(contracts.ContractError):
        contracts.subject_owner("orders.created")
    headers = contracts.headers_for(tag_events_pb2.CustomerChanged(), msg_id="outbox-1")
    assert headers == {"Lingxi-Type": "lingxi.events.v1.CustomerChanged", "Nats-Msg-Id": "outbox-1"}
