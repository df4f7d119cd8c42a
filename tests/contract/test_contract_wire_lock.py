"""v1 contracts may only grow: no field renumbered, retyped or removed, no enum value changed.

``wire_lock.json`` records the wire shape of every message, enum and RPC. A change to anything
recorded fails here; an addition fails until it is recorded, so the next change is guarded too.
After a deliberate, compatible addition run:

    LINGXI_UPDATE_WIRE_LOCK=1 .venv/bin/pytest tests/contract -k wire_lock -o addopts=""
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import FieldDescriptor

from tests.contract._protos import all_messages, all_services, file_descriptors, iter_enums

LOCK_FILE = Path(__file__).with_name("wire_lock.json")
UPDATE_HINT = "LINGXI_UPDATE_WIRE_LOCK=1 .venv/bin/pytest tests/contract -k wire_lock -o addopts=''"


# Scalar type numbers (FieldDescriptor.TYPE_*) → "string", "int64", ...
_SCALARS: dict[int, str] = {
    int(number): name.removeprefix("TYPE_").lower()
    for name, number in descriptor_pb2.FieldDescriptorProto.Type.items()
}


def _field_shape(field: FieldDescriptor) -> str:
    if field.message_type is not None:
        kind = field.message_type.full_name
    elif field.enum_type is not None:
        kind = field.enum_type.full_name
    else:
        kind = _SCALARS[field.type]
    repeated = " repeated" if field.is_repeated else ""
    oneof = f" oneof:{field.containing_oneof.name}" if field.containing_oneof is not None else ""
    return f"{field.number} {kind}{repeated}{oneof}"


def current_shape() -> dict[str, dict[str, str]]:
    """Every locked item: 'message:<name>' → field → shape, 'enum:<name>' → value → number, ..."""
    shape: dict[str, dict[str, str]] = {}
    for message in all_messages():
        shape[f"message:{message.full_name}"] = {field.name: _field_shape(field) for field in message.fields}
    for fd in file_descriptors():
        for enum in iter_enums(fd):
            shape[f"enum:{enum.full_name}"] = {value.name: str(value.number) for value in enum.values}
    for service in all_services().values():
        shape[f"service:{service.full_name}"] = {
            method.name: f"{method.input_type.full_name} -> {method.output_type.full_name}"
            for method in service.methods
        }
    return dict(sorted(shape.items()))


def test_wire_lock() -> None:
    current = current_shape()
    if os.environ.get("LINGXI_UPDATE_WIRE_LOCK") == "1" or not LOCK_FILE.exists():
        previous = json.loads(LOCK_FILE.read_text()) if LOCK_FILE.exists() else {}
        breaking = _breaking_changes(previous, current)
        assert not breaking, "refusing to lock breaking changes:\n" + "\n".join(breaking)
        LOCK_FILE.write_text(json.dumps(current, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        return
    locked = json.loads(LOCK_FILE.read_text())
    breaking = _breaking_changes(locked, current)
    assert not breaking, (
        "breaking changes to published v1 contracts (add new fields with new numbers instead; "
        "mark removed ones `reserved`):\n" + "\n".join(breaking)
    )
    unlocked = [
        f"{item}.{member}" if member else item
        for item, members in current.items()
        for member in ([""] if item not in locked else [m for m in members if m not in locked[item]])
    ]
    assert not unlocked, f"new contract elements are not in wire_lock.json; run {UPDATE_HINT}:\n" + "\n".join(
        unlocked
    )


def _breaking_changes(locked: dict[str, dict[str, str]], current: dict[str, dict[str, str]]) -> list[str]:
    problems: list[str] = []
    for item, members in locked.items():
        if item not in current:
            problems.append(f"{item} was removed")
            continue
        now = current[item]
        for member, shape in members.items():
            if member not in now:
                problems.append(f"{item}.{member} was removed or renamed (was {shape})")
            elif now[member] != shape:
                problems.append(f"{item}.{member} changed from {shape!r} to {now[member]!r}")
        if item.startswith("message:"):
            numbers = {shape.split()[0]: name for name, shape in members.items()}
            for name, shape in now.items():
                number = shape.split()[0]
                if name not in members and number in numbers:
                    problems.append(f"{item}.{name} reuses number {number} of {numbers[number]}")
    return problems


def test_breaking_change_detection() -> None:
    locked = {"message:x.v1.M": {"a": "1 string", "b": "2 int64"}, "enum:x.v1.E": {"E_UNSPECIFIED": "0"}}
    assert (
        _breaking_changes(locked, {**locked, "message:x.v1.M": {**locked["message:x.v1.M"], "c": "3 bool"}})
        == []
    )
    renumbered = {**locked, "message:x.v1.M": {"a": "3 string", "b": "2 int64"}}
    assert _breaking_changes(locked, renumbered) == ["message:x.v1.M.a changed from '1 string' to '3 string'"]
    retyped = {**locked, "message:x.v1.M": {"a": "1 string", "b": "2 lingxi.common.v1.Money"}}
    assert len(_breaking_changes(locked, retyped)) == 1
    reused = {**locked, "message:x.v1.M": {"a": "1 string", "b": "2 int64", "d": "1 bool"}}
    assert _breaking_changes(locked, reused) == ["message:x.v1.M.d reuses number 1 of a"]
    assert _breaking_changes(locked, {"message:x.v1.M": locked["message:x.v1.M"]}) == [
        "enum:x.v1.E was removed"
    ]
