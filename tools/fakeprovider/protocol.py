"""Message classes of the plugin protocol, built from the extracted descriptors.

protobuf and grpcio ship no type information: the message classes are created at run
time from descriptors (``descriptors.py``), so they are ``Any`` here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from google.protobuf import (
    descriptor_pb2,
    descriptor_pool,
    empty_pb2,
    message_factory,
    timestamp_pb2,
)

Json = dict[str, Any]

# Schema.NestedBlock.NestingMode values.
BLOCK_NESTING = {"single": 1, "list": 2, "set": 3, "map": 4, "group": 5}


class Protocol:
    """A descriptor pool holding the protocol's files and their well-known imports."""

    def __init__(self, descriptors: Path) -> None:
        # types-protobuf leaves DescriptorPool's methods unannotated: hold it as Any.
        self.pool: Any = cast(Any, descriptor_pool.DescriptorPool())
        well_known = {m.DESCRIPTOR.name: m.DESCRIPTOR for m in (timestamp_pb2, empty_pb2)}
        for descriptor in well_known.values():
            self.pool.AddSerializedFile(descriptor.serialized_pb)
        files = descriptor_pb2.FileDescriptorSet.FromString(descriptors.read_bytes())
        for file in files.file:
            if file.name not in well_known:
                self.pool.Add(file)

    def message(self, name: str) -> Any:
        return message_factory.GetMessageClass(self.pool.FindMessageTypeByName(name))

    # --- GetProviderSchema, pre-serialized ------------------------------------------

    def _attribute(self, name: str, spec: Json) -> Any:
        flags = {f: bool(spec.get(f)) for f in ("required", "optional", "computed", "sensitive")}
        type_ = json.dumps(spec["type"]).encode()
        return self.message("tfplugin6.Schema").Attribute(name=name, type=type_, **flags)

    def _block(self, block: Json) -> Any:
        schema = self.message("tfplugin6.Schema")
        result = schema.Block(version=0)
        attributes = sorted(block.get("attributes", {}).items())
        result.attributes.extend(self._attribute(n, s) for n, s in attributes)
        for name, block_type in sorted(block.get("block_types", {}).items()):
            nested = result.block_types.add(
                type_name=name, nesting=BLOCK_NESTING[block_type["nesting_mode"]]
            )
            nested.block.CopyFrom(self._block(block_type["block"]))
            nested.min_items = block_type.get("min_items", 0)
            nested.max_items = block_type.get("max_items", 0)
        return result

    def provider_schema_response(self, schemas: Json) -> bytes:
        """A serialized ``GetProviderSchema.Response`` for ``schema.extract``'s result."""
        schema = self.message("tfplugin6.Schema")
        response = self.message("tfplugin6.GetProviderSchema.Response")()
        provider = (schemas.get("provider") or {}).get("block", {})
        response.provider.CopyFrom(schema(version=0, block=self._block(provider)))
        for kind in ("resource_schemas", "data_source_schemas"):
            target = getattr(response, kind)
            for name, entry in schemas.get(kind, {}).items():
                target[name].CopyFrom(
                    schema(version=entry.get("version", 0), block=self._block(entry["block"]))
                )
        response.server_capabilities.plan_destroy = True
        return bytes(response.SerializeToString())
