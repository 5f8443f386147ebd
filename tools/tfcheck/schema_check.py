"""Check resource, data and module blocks against the real argument schemas.

Reported, each at the file and line of the offending argument or block:

* an argument or block the provider does not have (with the closest real name);
* a required argument (or required nested block) that is missing;
* an argument written as a block (``environment = {...}`` for a block, or
  ``tags { ... }`` for a map argument), and a read-only attribute being set;
* a resource or data source type the pinned provider schema does not know;
* in ``module`` calls to local modules, inputs the module does not declare and
  required inputs (variables without a default) that are not given.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .config import Module, load_module
from .findings import Finding
from .hcl import Block
from .schema import AttributeSchema, BlockSchema, ProviderSchema, Schemas

CHECK = "schema"

RESOURCE_META_ARGUMENTS = {"count", "for_each", "depends_on", "provider"}
RESOURCE_META_BLOCKS = {"lifecycle", "provisioner", "connection"}
DATA_META_BLOCKS = {"lifecycle"}
MODULE_META_ARGUMENTS = {"source", "version", "count", "for_each", "depends_on", "providers"}

# terraform_data is built into Terraform itself rather than served by a provider.
_BUILTIN_RESOURCES = {
    "terraform_data": BlockSchema(
        struct="terraform_data",
        attributes={
            "input": AttributeSchema("input", required=False),
            "triggers_replace": AttributeSchema("triggers_replace", required=False),
        },
        computed=frozenset({"id", "output"}),
    )
}


def _suggest(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.7)
    return f' Did you mean "{close[0]}"?' if close else ""


def check_modules(modules: list[Module], schemas: Schemas) -> list[Finding]:
    findings: list[Finding] = []
    for module in modules:
        findings.extend(check_module(module, schemas))
    return findings


def check_module(module: Module, schemas: Schemas) -> list[Finding]:
    findings: list[Finding] = []
    for (type_name, _), block in sorted(module.resources.items()):
        schema = _BUILTIN_RESOURCES.get(type_name) or schemas.resource(type_name)
        provider = schemas.provider_for(type_name)
        if schema is None:
            findings.append(_unknown_type(block, "resource", type_name, provider))
            continue
        _check_body(
            block,
            schema,
            provider,
            f"resource {block.address}",
            RESOURCE_META_ARGUMENTS,
            RESOURCE_META_BLOCKS,
            findings,
        )
    for (type_name, _), block in sorted(module.data.items()):
        schema = schemas.data_source(type_name)
        provider = schemas.provider_for(type_name)
        if schema is None:
            findings.append(_unknown_type(block, "data source", type_name, provider))
            continue
        _check_body(
            block,
            schema,
            provider,
            block.address,
            RESOURCE_META_ARGUMENTS,
            DATA_META_BLOCKS,
            findings,
        )
    for call in module.module_calls.values():
        findings.extend(_check_module_call(module, call))
    return findings


def _unknown_type(
    block: Block, kind: str, type_name: str, provider: ProviderSchema | None
) -> Finding:
    if provider is None:
        message = (
            f'No schema for {kind} type "{type_name}": its provider is not one of the '
            "pinned providers (add it to tools/tfcheck/schema.py)"
        )
    else:
        known = provider.resource_types() if kind == "resource" else provider.data_source_types()
        message = (
            f'Invalid {kind} type "{type_name}": {provider.provider} '
            f"{provider.provider_version} has no such {kind}.{_suggest(type_name, known)}"
        )
    return Finding(block.file, block.line, CHECK, message)


def _check_body(
    block: Block,
    schema: BlockSchema,
    provider: ProviderSchema | None,
    where: str,
    meta_arguments: set[str],
    meta_blocks: set[str],
    findings: list[Finding],
) -> None:
    def report(line: int, message: str) -> None:
        findings.append(Finding(block.file, line, CHECK, f"{message} (in {where})"))

    for name, attr in block.attributes.items():
        if name in meta_arguments or name in schema.attributes:
            continue
        if name in schema.blocks:
            report(
                attr.line,
                f'"{name}" is a nested block, not an argument: write `{name} {{ ... }}` '
                f'(or a `dynamic "{name}"` block) instead of `{name} = ...`',
            )
        elif name in schema.computed:
            report(attr.line, f'"{name}" is read-only (computed by the provider) and cannot be set')
        else:
            report(
                attr.line,
                f'Unsupported argument "{name}".'
                + _suggest(name, list(schema.attributes) + list(schema.blocks)),
            )

    present: set[str] = set()
    for child in block.blocks:
        if child.type in meta_blocks:
            continue
        name = child.labels[0] if child.type == "dynamic" and child.labels else child.type
        if child.type == "dynamic":
            if not child.labels:
                report(child.line, "A dynamic block needs a label naming the block it generates")
                continue
            contents = child.blocks_of("content")
            if "for_each" not in child.attributes:
                report(child.line, f'Missing required argument "for_each" in dynamic "{name}"')
            if len(contents) != 1:
                report(child.line, f'dynamic "{name}" needs exactly one content block')
        if name in schema.blocks:
            present.add(name)
            if provider is None:
                continue
            nested = provider.struct(schema.blocks[name].struct)
            bodies = child.blocks_of("content") if child.type == "dynamic" else [child]
            for body in bodies:
                _check_body(body, nested, provider, f"{where}.{name}", set(), set(), findings)
        elif name in schema.attributes:
            report(
                child.line,
                f'"{name}" is an argument, not a block: write `{name} = ...` '
                f"instead of `{name} {{ ... }}`",
            )
            present.add(name)
        else:
            report(
                child.line,
                f'Unsupported block type "{name}".'
                + _suggest(name, list(schema.blocks) + list(schema.attributes)),
            )

    for name, attribute in sorted(schema.attributes.items()):
        if attribute.required and name not in block.attributes and name not in present:
            report(block.line, f'Missing required argument "{name}"')
    for name, nested_block in sorted(schema.blocks.items()):
        if nested_block.required and name not in present:
            report(block.line, f'Missing required block "{name}" (at least one is needed)')


def _check_module_call(module: Module, call: Block) -> list[Finding]:
    target = module.local_source(call)
    if target is None or not target.is_dir():
        return []
    called = load_module(target)
    findings = []
    name = call.labels[0] if call.labels else "?"
    for arg, attr in call.attributes.items():
        if arg in MODULE_META_ARGUMENTS or arg in called.variables:
            continue
        findings.append(
            Finding(
                call.file,
                attr.line,
                CHECK,
                f'Unsupported argument "{arg}" in module "{name}": the module has no such '
                f"input variable.{_suggest(arg, called.variables)}",
            )
        )
    for var_name, variable in sorted(called.variables.items()):
        if "default" not in variable.attributes and var_name not in call.attributes:
            findings.append(
                Finding(
                    call.file,
                    call.line,
                    CHECK,
                    f'Missing required argument "{var_name}" in module "{name}" '
                    f"(declared without a default at {variable.file}:{variable.line})",
                )
            )
    return findings
