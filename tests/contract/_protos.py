"""Shared helpers of the contract tests: the proto tree, its generated modules and descriptors."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FileDescriptor, ServiceDescriptor

PROTO_DIR = Path(__file__).resolve().parents[2] / "proto"
SERVICE_DIRS = ("tag", "product", "strategy", "campaign", "channel", "points")
ALL_DIRS = ("common", *SERVICE_DIRS, "events")
EVENT_META = "lingxi.common.v1.EventMeta"


def proto_files() -> list[Path]:
    """Every .proto under proto/, relative to it."""
    return sorted(path.relative_to(PROTO_DIR) for path in PROTO_DIR.rglob("*.proto"))


def module_name(relative: Path) -> str:
    """Python module generated for a .proto path, e.g. lingxi.tag.v1.customer_pb2."""
    return ".".join(relative.with_suffix("").parts) + "_pb2"


@cache
def file_descriptors() -> tuple[FileDescriptor, ...]:
    """Descriptors of every Lingxi proto, loaded through the generated modules."""
    return tuple(importlib.import_module(module_name(path)).DESCRIPTOR for path in proto_files())


def files_in(directory: str) -> list[FileDescriptor]:
    return [fd for fd in file_descriptors() if fd.name.split("/")[1] == directory]


def iter_messages(fd: FileDescriptor) -> Iterator[Descriptor]:
    """Every message of a file, nested ones included."""

    def walk(descriptor: Descriptor) -> Iterator[Descriptor]:
        yield descriptor
        for nested in descriptor.nested_types:
            yield from walk(nested)

    for top in fd.message_types_by_name.values():
        yield from walk(top)


def iter_enums(fd: FileDescriptor) -> Iterator[EnumDescriptor]:
    yield from fd.enum_types_by_name.values()
    for message in iter_messages(fd):
        yield from message.enum_types


def all_messages() -> Iterator[Descriptor]:
    for fd in file_descriptors():
        yield from iter_messages(fd)


def all_services() -> dict[str, ServiceDescriptor]:
    return {
        service.full_name: service for fd in file_descriptors() for service in fd.services_by_name.values()
    }


@cache
def source_descriptor_set() -> descriptor_pb2.FileDescriptorSet:
    """The Lingxi protos compiled with source info (comments), straight from protoc."""
    import grpc_tools

    include = Path(grpc_tools.__file__).resolve().parent / "_proto"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.pb"
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "grpc_tools.protoc",
                "-I.",
                f"-I{include}",
                "--include_source_info",
                f"--descriptor_set_out={out}",
                *(path.as_posix() for path in proto_files()),
            ],
            cwd=PROTO_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        result = descriptor_pb2.FileDescriptorSet()
        result.ParseFromString(out.read_bytes())
    return result


def leading_comments(file_proto: descriptor_pb2.FileDescriptorProto) -> dict[tuple[int, ...], str]:
    """Leading comments by source path (see descriptor.proto's SourceCodeInfo)."""
    return {
        tuple(location.path): location.leading_comments.strip()
        for location in file_proto.source_code_info.location
        if location.leading_comments.strip()
    }
