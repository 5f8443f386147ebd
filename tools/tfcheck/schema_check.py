"""Check resource, data and module blocks against the real argument schemas.

Reported, each at the file and line of the offending argument or block:

* an argument or block the provider does not have (with the closest real name);
* a required argument (or required nested block) that is missing;
* an argument written as a block (``environment = {...}`` for a block, or
  ``tags { ... }`` for a map argument), and a read-only attribute being set;
* a resource or data source type the pinned provider schema does not know;
* in ``module`` calls to local modules, inputs the module does not declare and
  required inputs (variables without a default) that are not given.

Every block is checked against both the newest and the floor provider pins (see
``schema.py``); each finding names the provider versions it holds for, and one that
holds only for the floor says to raise the lower bound. :func:`check_lower_bounds`
holds the root module's ``required_providers`` lower bounds to the floor pins, so that
the floor really is the lowest version the module allows.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from lark import Token, Tree

from .config import Module, load_module
from .docs import NotLiteral, literal
from .findings import Finding
from .hcl import Attribute, Block
from .schema import (
    AttributeSchema,
    BlockSchema,
    ProviderSchema,
    Schemas,
    Tagged,
    merge_versions,
)

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


def check_modules(
    modules: list[Module], schemas: Schemas, floor: Schemas | None = None
) -> list[Finding]:
    """Check against ``schemas`` (the newest pins) and, if given, ``floor`` too."""
    sets = [schemas] if floor is None else [schemas, floor]
    findings = merge_versions(
        [(s, [t for module in modules for t in _check_module(module, s)]) for s in sets]
    )
    # Module calls do not depend on a provider schema: checked once.
    for module in modules:
        for call in module.module_calls.values():
            findings.extend(_check_module_call(module, call))
    return findings


def check_module(module: Module, schemas: Schemas, floor: Schemas | None = None) -> list[Finding]:
    return check_modules([module], schemas, floor)


def _check_module(module: Module, schemas: Schemas) -> list[Tagged]:
    findings: list[Tagged] = []
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
            _local_name(type_name),
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
            _local_name(type_name),
            block.address,
            RESOURCE_META_ARGUMENTS,
            DATA_META_BLOCKS,
            findings,
        )
    return findings


def _unknown_type(
    block: Block, kind: str, type_name: str, provider: ProviderSchema | None
) -> Tagged:
    if provider is None:
        message = (
            f'No schema for {kind} type "{type_name}": its provider is not one of the '
            "pinned providers (add it to tools/tfcheck/schema.py)"
        )
        return Finding(block.file, block.line, CHECK, message), None
    known = provider.resource_types() if kind == "resource" else provider.data_source_types()
    message = (
        f'Invalid {kind} type "{type_name}": {provider.provider} has no such '
        f"{kind}.{_suggest(type_name, known)}"
    )
    return Finding(block.file, block.line, CHECK, message), _local_name(type_name)


def _local_name(type_name: str) -> str:
    return type_name.split("_", 1)[0]


def _check_body(
    block: Block,
    schema: BlockSchema,
    provider: ProviderSchema | None,
    provider_name: str,
    where: str,
    meta_arguments: set[str],
    meta_blocks: set[str],
    findings: list[Tagged],
) -> None:
    # Findings in a built-in block (terraform_data: no provider) hold for every pin.
    tag = provider_name if provider is not None else None

    def report(line: int, message: str) -> None:
        findings.append((Finding(block.file, line, CHECK, f"{message} (in {where})"), tag))

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
                _check_body(
                    body, nested, provider, provider_name, f"{where}.{name}", set(), set(), findings
                )
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


# --- lower bounds of required_providers -----------------------------------------------

_CONSTRAINT = re.compile(r"^\s*(=|!=|>=|<=|~>|>|<)?\s*v?(\d+(?:\.\d+)*)(?:-[\w.]+)?\s*$")


@dataclass(frozen=True)
class _Requirement:
    source: str
    version: str | None  # the constraint string; None if not given or not a literal
    file: str
    line: int  # of the version constraint (of the provider entry if there is none)


def _object_elements(attr: Attribute) -> dict[str, Tree[Token]]:
    """The top-level ``key = value`` elements of an object literal, by key."""
    for node in attr.expr.iter_subtrees_topdown():  # type: ignore[no-untyped-call]
        if node.data == "object":
            elements: dict[str, Tree[Token]] = {}
            for elem in node.children:
                if isinstance(elem, Tree) and elem.data == "object_elem":
                    key = elem.children[0]
                    assert isinstance(key, Tree)
                    for identifier in key.find_data("identifier"):
                        elements[str(identifier.children[0])] = elem
                        break
            return elements
    return {}


def _string(node: Tree[Token] | Token) -> str | None:
    try:
        value = literal(node)
    except NotLiteral:
        return None
    return value if isinstance(value, str) else None


def required_providers(module: Module) -> tuple[dict[str, _Requirement], Block | None]:
    """Each ``required_providers`` entry of the module, and the block declaring them."""
    found: dict[str, _Requirement] = {}
    where: Block | None = None
    for block in module.other_blocks:
        if block.type != "terraform":
            continue
        where = where or block
        for required in block.blocks_of("required_providers"):
            where = required
            for name, attr in required.attributes.items():
                text = _string(attr.expr)
                if text is not None:  # the pre-0.13 form: aws = ">= 6.0"
                    found[name] = _Requirement(f"hashicorp/{name}", text, attr.file, attr.line)
                    continue
                elements = _object_elements(attr)
                source = elements.get("source")
                version = elements.get("version")
                found[name] = _Requirement(
                    source=(_string(source.children[-1]) if source else None)
                    or f"hashicorp/{name}",
                    version=_string(version.children[-1]) if version else None,
                    file=attr.file,
                    line=version.meta.line if version else attr.line,
                )
    return found, where


def lower_bound(constraint: str) -> tuple[str | None, str | None]:
    """The lowest version a Terraform version constraint allows, or why there is none.

    ``>= 6.0``, ``~> 6.0``, ``= 6.0.0`` and ``6.0.0`` set a lower bound (the highest of
    several wins); ``> 6.0`` excludes it, so the lowest allowed version is not known.
    """
    bounds: list[str] = []
    for part in constraint.split(","):
        match = _CONSTRAINT.match(part)
        if match is None:
            return None, f'cannot read the version constraint "{part.strip()}"'
        operator, version = match.group(1) or "=", match.group(2)
        if operator == ">":
            return None, f'"> {version}" excludes {version}: write ">= " and the lowest version'
        if operator in ("=", ">=", "~>"):
            bounds.append(version)
    if not bounds:
        return None, "it sets no lower bound"
    return max(bounds, key=_release), None


def _release(version: str) -> tuple[int, ...]:
    """``6.0`` -> ``(6, 0, 0)``, so that 6.0 and 6.0.0 compare equal."""
    parts = tuple(int(p) for p in version.split("."))
    return parts + (0,) * (3 - len(parts))


def check_lower_bounds(module: Module, floor: Schemas) -> list[Finding]:
    """The root module's lower bounds in ``required_providers`` are the floor pins' versions.

    The floor pins exist to check the module against the lowest provider versions it
    allows, so each declared lower bound must be the version its floor pin was generated
    from: otherwise either the bound or the pin (``FLOOR_PROVIDERS``) is wrong.
    """
    declared, where = required_providers(module)
    used = {_local_name(type_name) for type_name, _ in [*module.resources, *module.data]}
    findings: list[Finding] = []
    for name, provider in sorted(floor.providers.items()):
        pin = f"{provider.provider} {provider.provider_version} ({provider.source_package})"
        requirement = declared.get(name)
        if requirement is None:
            if name in used:
                file, line = (where.file, where.line) if where else (str(module.directory), 0)
                findings.append(
                    Finding(
                        file,
                        line,
                        CHECK,
                        f'The module uses the "{name}" provider but required_providers does '
                        f'not declare it: add {name} = {{ source = "{provider.provider}", '
                        f'version = ">= {provider.provider_version}" }} (the floor pin is {pin})',
                    )
                )
            continue
        if requirement.source.lower() != provider.provider.lower():
            findings.append(
                Finding(
                    requirement.file,
                    requirement.line,
                    CHECK,
                    f'required_providers "{name}" is {requirement.source}, but the pinned '
                    f"schemas are of {provider.provider}",
                )
            )
            continue
        bound: str | None
        problem: str | None
        if requirement.version is None:
            bound, problem = None, "no version constraint is given"
        else:
            bound, problem = lower_bound(requirement.version)
        if bound is None:
            findings.append(
                Finding(
                    requirement.file,
                    requirement.line,
                    CHECK,
                    f"{provider.provider} has no lower bound the floor pin can be held to "
                    f'({problem}): declare version = ">= {provider.provider_version}" '
                    f"(the floor pin is {pin})",
                )
            )
        elif _release(bound) != _release(provider.provider_version):
            findings.append(
                Finding(
                    requirement.file,
                    requirement.line,
                    CHECK,
                    f'The lower bound of {provider.provider} is {bound} ("{requirement.version}") '
                    f"but the floor pin is {pin}: the module is checked against "
                    f"{provider.provider_version}, not {bound}. Declare "
                    f'">= {provider.provider_version}", or '
                    f"pin the package generated from {provider.provider} {bound} in "
                    "FLOOR_PROVIDERS (tools/tfcheck/schema.py)",
                )
            )
    return findings
