"""Layout and style rules every proto file follows."""

from __future__ import annotations

import keyword
import re

from google.protobuf.descriptor import FieldDescriptor

from tests.contract._protos import (
    ALL_DIRS,
    PROTO_DIR,
    SERVICE_DIRS,
    all_messages,
    file_descriptors,
    files_in,
    iter_enums,
    proto_files,
    source_descriptor_set,
)

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
WELL_KNOWN = {
    "google/protobuf/timestamp.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/struct.proto",
    "google/protobuf/wrappers.proto",
    "google/protobuf/empty.proto",
    "google/protobuf/field_mask.proto",
}
# The custom options extend descriptor.proto; only options.proto may import it.
DESCRIPTOR_PROTO = "google/protobuf/descriptor.proto"
OPTIONS_PROTO = "lingxi/common/v1/options.proto"
MONEY_WORDS = re.compile(
    r"(money|amount|ratio|price|nav|balance|rate|return|fee|cost|revenue|asset|value|weight|score|"
    r"pnl|volatility|drawdown|sharpe|sortino|calmar|share|percent|quantile|uplift)"
)
FLOATING = {FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT}


def test_every_proto_compiles_into_an_importable_module() -> None:
    # Importing the generated module re-validates the descriptor against its dependencies.
    assert len(file_descriptors()) == len(proto_files()) > 0


def test_layout_and_packages() -> None:
    for relative in proto_files():
        parts = relative.parts
        assert len(parts) == 4 and parts[0] == "lingxi" and parts[2] == "v1", relative
        assert parts[1] in ALL_DIRS, f"{relative}: unknown folder {parts[1]}"
    for fd in file_descriptors():
        directory = fd.name.split("/")[1]
        assert fd.package == f"lingxi.{directory}.v1", f"{fd.name} declares package {fd.package}"


def test_proto3_without_required_fields() -> None:
    for file_proto in source_descriptor_set().file:
        assert file_proto.syntax == "proto3", file_proto.name
    for message in all_messages():
        for field in message.fields:
            assert not field.is_required, f"{message.full_name}.{field.name} is required"


def test_every_service_folder_has_its_service_file() -> None:
    for service in SERVICE_DIRS:
        assert (PROTO_DIR / "lingxi" / service / "v1" / f"{service}_service.proto").is_file()
        assert files_in(service)[0].package == f"lingxi.{service}.v1"


def test_events_are_one_file_per_producer() -> None:
    names = {fd.name.rsplit("/", 1)[1] for fd in files_in("events")}
    expected = {f"{service}_events.proto" for service in SERVICE_DIRS} | {"ingest_events.proto"}
    assert names == expected


def test_imports_are_lingxi_or_allowed_well_known_types() -> None:
    for fd in file_descriptors():
        for dependency in fd.dependencies:
            name = dependency.name
            if name == DESCRIPTOR_PROTO:
                assert fd.name == OPTIONS_PROTO, f"{fd.name} imports descriptor.proto"
                continue
            assert name.startswith("lingxi/") or name in WELL_KNOWN, f"{fd.name} imports {name}"


def test_common_does_not_depend_on_services() -> None:
    for fd in files_in("common"):
        for dependency in fd.dependencies:
            assert not dependency.name.startswith("lingxi/") or dependency.name.startswith(
                "lingxi/common/"
            ), f"{fd.name} imports {dependency.name}"


def test_every_enum_has_an_unspecified_zero_and_prefixed_values() -> None:
    for fd in file_descriptors():
        for enum in iter_enums(fd):
            prefix = re.sub(r"(?<!^)(?=[A-Z])", "_", enum.name).upper() + "_"
            zero = enum.values_by_number.get(0)
            assert zero is not None and zero.name == f"{prefix}UNSPECIFIED", (
                f"{enum.full_name}: value 0 must be {prefix}UNSPECIFIED"
            )
            for value in enum.values:
                assert value.name.startswith(prefix), f"{enum.full_name}.{value.name} lacks prefix {prefix}"


def test_names_follow_style_and_are_python_safe() -> None:
    for message in all_messages():
        if message.GetOptions().map_entry:
            continue
        assert PASCAL.match(message.name), message.full_name
        numbers = [field.number for field in message.fields]
        assert len(numbers) == len(set(numbers)), message.full_name
        for field in message.fields:
            assert SNAKE.match(field.name), f"{message.full_name}.{field.name} is not snake_case"
            assert not keyword.iskeyword(field.name), f"{message.full_name}.{field.name} is a Python keyword"


def test_no_floating_point_for_money_ratios_or_prices() -> None:
    offenders = [
        f"{message.full_name}.{field.name}"
        for message in all_messages()
        for field in message.fields
        if field.type in FLOATING and MONEY_WORDS.search(field.name)
    ]
    assert not offenders, f"use lingxi.common.v1.Money / Decimal instead of double/float: {offenders}"


def test_no_floating_point_anywhere() -> None:
    # Stricter than the rule above: nothing in v1 needs binary floating point. Relax consciously.
    offenders = [
        f"{message.full_name}.{field.name}"
        for message in all_messages()
        for field in message.fields
        if field.type in FLOATING
    ]
    assert not offenders, offenders


def test_decimal_and_money_are_strings() -> None:
    from lingxi.common.v1 import decimal_pb2

    for message in (decimal_pb2.Decimal, decimal_pb2.Money):
        for field in message.DESCRIPTOR.fields:
            assert field.type == FieldDescriptor.TYPE_STRING, f"{message.DESCRIPTOR.full_name}.{field.name}"


def test_common_types_exist() -> None:
    from lingxi.common.v1 import customer_pb2, date_pb2, enums_pb2, paging_pb2

    assert [f.name for f in date_pb2.Date.DESCRIPTOR.fields] == ["year", "month", "day"]
    assert {f.name for f in paging_pb2.PageRequest.DESCRIPTOR.fields} == {"page_size", "page_token"}
    assert "next_page_token" in paging_pb2.PageResponse.DESCRIPTOR.fields_by_name
    assert "customer_id" in customer_pb2.CustomerRef.DESCRIPTOR.fields_by_name
    expected_enums = {
        "RiskLevel": {f"RISK_LEVEL_C{i}" for i in range(1, 6)},
        "ProductRiskRating": {f"PRODUCT_RISK_RATING_R{i}" for i in range(1, 6)},
        "Channel": {
            f"CHANNEL_{name}"
            for name in (
                "APP_PUSH",
                "INBOX",
                "WECHAT_OA",
                "WECHAT_MINI",
                "WECOM",
                "SMS",
                "CALL",
                "ADVISOR_TASK",
                "WEBHOOK",
            )
        },
        "MessageClass": {
            "MESSAGE_CLASS_MARKETING",
            "MESSAGE_CLASS_SERVICE",
            "MESSAGE_CLASS_MANDATORY_NOTICE",
        },
    }
    for enum_name, values in expected_enums.items():
        enum = enums_pb2.DESCRIPTOR.enum_types_by_name[enum_name]
        assert values <= set(enum.values_by_name), enum_name


def test_pii_fields_are_marked() -> None:
    from lingxi.tag.v1 import customer_pb2
    from lingxi_common.contracts import pii_fields

    assert {"phone", "id_number", "wechat_openid"} <= set(pii_fields(customer_pb2.Customer))
