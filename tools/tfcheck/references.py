"""Check that every reference in a module resolves, as ``terraform validate`` would.

``var.x``, ``local.x``, ``module.x.y``, ``data.t.n.attr`` and ``t.n.attr`` must name
something the module declares (and, for ``module.x.y``, an output of that module when
its source is a local path); resource and data source attributes must exist in the
provider schema; ``each``/``count``/``self`` must be used where they are defined;
instance keys must match ``count``/``for_each``. Variables, locals and data sources
that nothing uses are reported too (tflint's ``terraform_unused_declarations``).

Attributes are looked up in both the newest and the floor provider pins, like the
schema check does.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from lark import Tree

from .config import Module, load_module
from .findings import Finding
from .hcl import SPLAT, Attribute, Block, Traversal
from .schema import Schemas, Tagged, merge_versions

CHECK = "reference"

PATH_ATTRIBUTES = {"module", "root", "cwd"}
TERRAFORM_ATTRIBUTES = {"workspace", "applying"}


@dataclass(frozen=True)
class Scope:
    """What a given expression may refer to besides the module's declarations."""

    names: frozenset[str] = frozenset()  # dynamic-block and for-expression iterators
    each: bool = False
    count: bool = False
    self_ref: bool = False


def _suggest(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.7)
    return f' Did you mean "{close[0]}"?' if close else ""


def _object_fields(variable: Block) -> set[str] | None:
    """The attribute names of a variable typed ``object({...})``, else None."""
    type_attr = variable.attributes.get("type")
    if type_attr is None:
        return None
    node = type_attr.expr
    while node.data == "expr_term" and len(node.children) == 1:
        child = node.children[0]
        if not isinstance(child, Tree):
            return None
        node = child
    if node.data != "function_call":
        return None
    names = [c for c in node.children if isinstance(c, Tree) and c.data == "identifier"]
    arguments = [c for c in node.children if isinstance(c, Tree) and c.data == "arguments"]
    if len(names) != 1 or names[0].children[0] != "object" or not arguments:
        return None
    fields: set[str] = set()
    objects = (t for t in arguments[0].iter_subtrees_topdown() if t.data == "object")  # type: ignore[no-untyped-call]
    for obj in objects:
        for elem in obj.children:
            if isinstance(elem, Tree) and elem.data == "object_elem":
                key = elem.children[0]
                assert isinstance(key, Tree)
                for identifier in key.find_data("identifier"):
                    fields.add(str(identifier.children[0]))
                    break
        break  # only the outermost object literal
    return fields


class _Checker:
    def __init__(
        self,
        module: Module,
        schemas: Schemas | None,
        called_outputs: dict[str, set[str] | None] | None = None,
    ) -> None:
        self.module = module
        self.schemas = schemas
        self.findings: list[Finding] = []
        self.provider_of: dict[Finding, str] = {}  # findings that depend on a schema
        self.used: Counter[str] = Counter()
        # The outputs of each called module, by call name; shared between the checkers
        # of one module (one per set of schemas) so each is parsed once.
        self._called_outputs = {} if called_outputs is None else called_outputs

    # -- walking ---------------------------------------------------------------------

    def run(self) -> list[Finding]:
        module = self.module
        for block in module.variables.values():
            for validation in block.blocks_of("validation"):
                self.attributes(validation, Scope())
        for attr in module.locals.values():
            self.expression(attr, Scope())
        for block in list(module.resources.values()) + list(module.data.values()):
            self.resource(block)
        for block in module.outputs.values():
            self.body(block, Scope(), skip={"description", "sensitive", "ephemeral"})
        for block in module.module_calls.values():
            scope = Scope(each="for_each" in block.attributes, count="count" in block.attributes)
            self.body(block, scope, skip={"source", "version", "providers"})
        for block in module.other_blocks:
            if block.type == "check":
                for data in block.blocks_of("data"):
                    self.resource(data)
                for assertion in block.blocks_of("assert"):
                    self.attributes(assertion, Scope())
            elif block.type == "provider":
                self.body(block, Scope(), skip={"alias"})
        self.unused()
        return self.findings

    def resource(self, block: Block) -> None:
        scope = Scope(each="for_each" in block.attributes, count="count" in block.attributes)
        self.body(block, scope, skip={"provider"})

    def body(self, block: Block, scope: Scope, skip: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        for name, attr in block.attributes.items():
            if name not in skip:
                self.expression(attr, scope)
        for child in block.blocks:
            if child.type == "lifecycle":
                self.body(child, scope, skip={"ignore_changes"})
            elif child.type in ("provisioner", "connection") or child.type == "postcondition":
                self.body(child, Scope(scope.names, scope.each, scope.count, True))
            elif child.type == "dynamic":
                self.dynamic(child, scope)
            else:
                self.body(child, scope)

    def dynamic(self, block: Block, scope: Scope) -> None:
        iterator = block.labels[0] if block.labels else ""
        iterator_attr = block.attributes.get("iterator")
        if iterator_attr is not None:
            iterator = iterator_attr.source.strip()
        for name, attr in block.attributes.items():
            if name == "for_each":
                self.expression(attr, scope)
            elif name in ("labels",):
                self.expression(attr, Scope(scope.names | {iterator}, scope.each, scope.count))
        inner = Scope(scope.names | {iterator}, scope.each, scope.count, scope.self_ref)
        for content in block.blocks_of("content"):
            self.body(content, inner)

    def attributes(self, block: Block, scope: Scope) -> None:
        for attr in block.attributes.values():
            self.expression(attr, scope)

    def expression(self, attr: Attribute, scope: Scope) -> None:
        for traversal in attr.traversals(scope.names):
            self.resolve(traversal, scope)

    # -- resolving -------------------------------------------------------------------

    def report(self, traversal: Traversal, message: str, provider: str | None = None) -> None:
        finding = Finding(traversal.file, traversal.line, CHECK, message)
        self.findings.append(finding)
        if provider is not None:
            self.provider_of[finding] = provider

    def resolve(self, ref: Traversal, scope: Scope) -> None:
        root, steps = ref.root, ref.steps
        first = steps[0] if steps else None
        module = self.module
        if root == "var":
            if first is None:
                self.report(ref, "Invalid reference: `var` must be followed by a variable name")
            elif first not in module.variables:
                self.report(
                    ref,
                    f'Reference to undeclared input variable "{first}".'
                    + _suggest(first, module.variables),
                )
            else:
                self.used[f"var.{first}"] += 1
                second = steps[1] if len(steps) > 1 else None
                fields = _object_fields(module.variables[first])
                if fields is not None and second not in (None, SPLAT) and second not in fields:
                    self.report(
                        ref,
                        f'Unsupported attribute: variable "{first}" is an object with no '
                        f'attribute "{second}".' + _suggest(str(second), fields),
                    )
        elif root == "local":
            if first is None:
                self.report(ref, "Invalid reference: `local` must be followed by a name")
            elif first not in module.locals:
                self.report(
                    ref,
                    f'Reference to undeclared local value "{first}".'
                    + _suggest(first, module.locals),
                )
            else:
                self.used[f"local.{first}"] += 1
        elif root == "module":
            self.module_reference(ref)
        elif root == "data":
            self.resource_reference(ref, data=True)
        elif root == "each":
            if not scope.each:
                self.report(ref, '"each" is only available in blocks that set for_each')
            elif first not in ("key", "value"):
                self.report(ref, f'Invalid "each" attribute "{first}": use each.key or each.value')
        elif root == "count":
            if not scope.count:
                self.report(ref, '"count" is only available in blocks that set count')
            elif first != "index":
                self.report(ref, f'Invalid "count" attribute "{first}": use count.index')
        elif root == "path":
            if first not in PATH_ATTRIBUTES:
                self.report(
                    ref, f'Invalid "path" attribute "{first}": use path.module or path.root'
                )
        elif root == "terraform":
            if first not in TERRAFORM_ATTRIBUTES:
                self.report(ref, f'Invalid "terraform" attribute "{first}"')
        elif root == "self":
            if not scope.self_ref:
                self.report(
                    ref,
                    '"self" is only available in provisioner, connection and postcondition blocks',
                )
        elif first is None:
            self.report(
                ref,
                f'Invalid reference "{ref.text}": "{root}" is not declared here '
                "(a resource reference needs a type and a name)",
            )
        else:
            self.resource_reference(ref, data=False)

    def module_reference(self, ref: Traversal) -> None:
        steps = ref.steps
        name = steps[0] if steps else None
        if name is None:
            self.report(ref, "Invalid reference: `module` must be followed by a module name")
            return
        call = self.module.module_calls.get(name)
        if call is None:
            self.report(
                ref,
                f'Reference to undeclared module "{name}".'
                + _suggest(name, self.module.module_calls),
            )
            return
        rest = list(steps[1:])
        if "count" in call.attributes or "for_each" in call.attributes:
            if rest and rest[0] in (None, SPLAT):
                rest = rest[1:]
            elif rest:
                self.report(ref, f'Missing instance key: module "{name}" has count or for_each')
                return
        if not rest or rest[0] in (None, SPLAT):
            return
        outputs = self.called_outputs(call)
        if outputs is not None and rest[0] not in outputs:
            self.report(
                ref,
                f'Unsupported attribute: module "{name}" has no output "{rest[0]}".'
                + _suggest(rest[0], outputs),
            )

    def called_outputs(self, call: Block) -> set[str] | None:
        name = call.labels[0]
        if name not in self._called_outputs:
            target = self.module.local_source(call)
            if target is None or not target.is_dir():
                self._called_outputs[name] = None
            else:
                self._called_outputs[name] = set(load_module(target).outputs)
        return self._called_outputs[name]

    def resource_reference(self, ref: Traversal, data: bool) -> None:
        steps = list(ref.steps)
        if data:
            names = ref.names(2)
            if names is None:
                self.report(ref, f'Invalid data source reference "{ref.text}"')
                return
            type_name, name = names
            rest = steps[2:]
            table = self.module.data
            address = f"data.{type_name}.{name}"
        else:
            type_name, name = ref.root, str(steps[0])
            rest = steps[1:]
            table = self.module.resources
            address = f"{type_name}.{name}"
        block = table.get((type_name, name))
        if block is None:
            kind = "data source" if data else "resource"
            candidates = [f"{'data.' if data else ''}{t}.{n}" for t, n in table]
            self.report(
                ref, f'Reference to undeclared {kind} "{address}".' + _suggest(address, candidates)
            )
            return
        self.used[address] += 1
        repeated = "count" in block.attributes or "for_each" in block.attributes
        if repeated:
            if rest and rest[0] not in (None, SPLAT):
                self.report(
                    ref,
                    f'Missing resource instance key: "{address}" has count or for_each, so '
                    f"refer to one instance ({address}[...]) or use a splat or a for expression",
                )
                return
            rest = rest[1:]
        elif rest and rest[0] is None:
            self.report(
                ref,
                f'Unexpected resource instance key: "{address}" has neither count nor for_each',
            )
            return
        elif rest and rest[0] == SPLAT:
            rest = rest[1:]  # `x.y[*].attr` on a single instance is a one-element list
        if not rest or rest[0] in (None, SPLAT) or self.schemas is None:
            return
        schema = self.schemas.data_source(type_name) if data else self.schemas.resource(type_name)
        if schema is None:
            return
        attribute = rest[0]
        if attribute not in schema.readable:
            self.report(
                ref,
                f'Unsupported attribute: {address} has no attribute "{attribute}".'
                + _suggest(attribute, schema.readable),
                provider=type_name.split("_", 1)[0],
            )

    # -- unused declarations ---------------------------------------------------------

    def unused(self) -> None:
        module = self.module
        for name, block in module.variables.items():
            if not self.used[f"var.{name}"]:
                self.findings.append(
                    Finding(
                        block.file,
                        block.line,
                        "unused",
                        f'variable "{name}" is declared but not used',
                    )
                )
        for name, attr in module.locals.items():
            if not self.used[f"local.{name}"]:
                self.findings.append(
                    Finding(
                        attr.file,
                        attr.line,
                        "unused",
                        f'local value "{name}" is declared but not used',
                    )
                )
        for (type_name, name), block in module.data.items():
            if not self.used[f"data.{type_name}.{name}"]:
                self.findings.append(
                    Finding(
                        block.file,
                        block.line,
                        "unused",
                        f'data source "data.{type_name}.{name}" is declared but not used',
                    )
                )


def _tagged(
    module: Module, schemas: Schemas | None, called_outputs: dict[str, set[str] | None]
) -> list[Tagged]:
    checker = _Checker(module, schemas, called_outputs)
    return [(f, checker.provider_of.get(f)) for f in checker.run()]


def check_module(
    module: Module, schemas: Schemas | None, floor: Schemas | None = None
) -> list[Finding]:
    return check_modules([module], schemas, floor)


def check_modules(
    modules: list[Module], schemas: Schemas | None, floor: Schemas | None = None
) -> list[Finding]:
    """Check against ``schemas`` (the newest pins) and, if given, ``floor`` too."""
    if schemas is None:
        return [f for m in modules for f, _ in _tagged(m, None, {})]
    caches: list[dict[str, set[str] | None]] = [{} for _ in modules]
    sets = [schemas] if floor is None else [schemas, floor]
    return merge_versions(
        [
            (s, [t for m, c in zip(modules, caches, strict=True) for t in _tagged(m, s, c)])
            for s in sets
        ]
    )
