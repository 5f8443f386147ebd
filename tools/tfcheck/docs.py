"""The README's inputs/outputs block, in terraform-docs' ``markdown table`` format.

terraform-docs is not on any registry reachable here, so this writes the same block
(Requirements, Providers, Modules, Resources, Inputs, Outputs, with its anchors and
escaping) between ``<!-- BEGIN_TF_DOCS -->`` and ``<!-- END_TF_DOCS -->``.
Contributors who have terraform-docs get the same result from the pre-commit hook.

``python -m tools.tfcheck docs`` rewrites README.md; ``--check`` only reports whether
it is out of date (the test suite runs that).
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

from lark import Token, Tree

from .config import Module, load_module
from .hcl import Attribute, Node

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"


class NotLiteral(Exception):
    pass


def _escape_name(name: str) -> str:
    return name.replace("_", "\\_")


def _anchor(kind: str, name: str) -> str:
    return f'<a name="{kind}_{name}"></a> [{_escape_name(name)}](#{kind}\\_{_escape_name(name)})'


def _escape_markdown(segment: str) -> str:
    """terraform-docs' escaping of ``_`` and ``*`` outside code spans (``escape: true``):
    doubled characters and those next to a space are left alone."""
    for char in ("_", "*"):
        segment = segment.replace(char + char, "\u2021\u2021")
        segment = segment.replace(" " + char, " \u2021").replace(char + " ", "\u2021 ")
        segment = segment.replace(char, "\\" + char).replace("\u2021", char)
    return segment


def _cell(text: str) -> str:
    """A description as terraform-docs writes it in a table cell."""
    text = text.strip().replace("\n\n", "<br><br>").replace("\n", "<br>")
    parts = text.split("`")
    for index in range(0, len(parts), 2):  # outside code spans
        parts[index] = _escape_markdown(parts[index].replace("|", "\\|"))
    text = "`".join(parts)
    for url in re.findall(r"https?://\S+", text):
        text = text.replace(url, url.replace("\\", ""))
    return text


def _code(text: str) -> str:
    if "\n" in text:
        return "<pre>" + text.replace("|", "\\|").replace("\n", "<br/>") + "</pre>"
    return f"`{text}`"


def _string_value(attr: Attribute | None) -> str:
    if attr is None:
        return ""
    try:
        value = literal(attr.expr)
    except NotLiteral:
        return attr.source
    return str(value) if value is not None else ""


def literal(node: Node | Token) -> Any:
    """The value of a constant expression (what a variable default may be)."""
    if isinstance(node, Token):
        raise NotLiteral(node)
    data = node.data
    trees = [c for c in node.children if isinstance(c, Tree)]
    tokens = [c for c in node.children if isinstance(c, Token)]
    if data == "expr_term":
        if len(trees) != 1:
            raise NotLiteral(data)
        return literal(trees[0])
    if data == "int_lit":
        return int(str(tokens[0]))
    if data == "float_lit":
        return float(str(tokens[0]))
    if data == "literal_value":
        return {"true": True, "false": False, "null": None}[str(tokens[0])]
    if data == "unary_op" and str(tokens[0]) == "-":
        return -literal(trees[0])
    if data == "string":
        out = ""
        for part in trees:
            for piece in part.children:
                if not isinstance(piece, Token):
                    raise NotLiteral("interpolation")
                out += str(piece)
        return json.loads(f'"{out}"')
    if data in ("heredoc_template", "heredoc_template_trim"):
        text = str(tokens[0])
        body = text.split("\n", 1)[1].rsplit("\n", 2)[0] + "\n"
        if "${" in body or "%{" in body:
            raise NotLiteral("template")
        return textwrap.dedent(body) if data == "heredoc_template_trim" else body
    if data == "tuple":
        return [literal(t) for t in trees if t.data != "new_line_or_comment"]
    if data == "object":
        result: dict[str, Any] = {}
        for elem in trees:
            if elem.data != "object_elem":
                continue
            key_node, value_node = [c for c in elem.children if isinstance(c, Tree)]
            key_tree = key_node.children[0]
            assert isinstance(key_tree, Tree)
            inner = key_tree.children[0] if key_tree.data == "expr_term" else key_tree
            if isinstance(inner, Tree) and inner.data in ("identifier", "keyword"):
                key = str(inner.children[0])
            else:
                key = str(literal(key_tree))
            result[key] = literal(value_node)
        return result
    raise NotLiteral(data)


def _default(attr: Attribute) -> str:
    try:
        value = literal(attr.expr)
    except NotLiteral:
        return _code(attr.source)
    if isinstance(value, (dict, list)) and value:
        return _code(json.dumps(value, indent=2))
    return _code(json.dumps(value))


def _type(attr: Attribute | None) -> str:
    return _code(attr.source) if attr is not None else "`any`"


def _registry_url(kind: str, type_name: str, source: str) -> str:
    short = type_name.split("_", 1)[1] if "_" in type_name else type_name
    section = "resources" if kind == "resource" else "data-sources"
    return f"https://registry.terraform.io/providers/{source}/latest/docs/{section}/{short}"


def _required_providers(module: Module) -> dict[str, dict[str, str]]:
    providers: dict[str, dict[str, str]] = {}
    for block in module.other_blocks:
        if block.type != "terraform":
            continue
        for required in block.blocks_of("required_providers"):
            for name, attr in required.attributes.items():
                try:
                    spec = literal(attr.expr)
                except NotLiteral:
                    spec = {}
                if isinstance(spec, str):
                    spec = {"version": spec}
                providers[name] = {
                    "source": str(spec.get("source", f"hashicorp/{name}")),
                    "version": str(spec.get("version", "")),
                }
    return providers


def _required_version(module: Module) -> str | None:
    for block in module.other_blocks:
        if block.type == "terraform" and "required_version" in block.attributes:
            return _string_value(block.attributes["required_version"])
    return None


def _table(header: str, align: str, rows: list[str], empty: str) -> list[str]:
    if not rows:
        return [empty]
    return [header, align, *rows]


def render(directory: Path) -> str:
    module = load_module(directory)
    providers = _required_providers(module)
    lines: list[str] = []

    requirements = []
    required_version = _required_version(module)
    if required_version is not None:
        requirements.append(f"| {_anchor('requirement', 'terraform')} | {required_version} |")
    for name in sorted(providers):
        version = providers[name]["version"] or "n/a"
        requirements.append(f"| {_anchor('requirement', name)} | {version} |")
    lines += ["## Requirements", ""]
    lines += _table("| Name | Version |", "|------|---------|", requirements, "No requirements.")

    used = sorted({t.split("_", 1)[0] for t, _ in list(module.resources) + list(module.data)})
    provider_rows = [
        f"| {_anchor('provider', name)} | {providers.get(name, {}).get('version') or 'n/a'} |"
        for name in used
    ]
    lines += ["", "## Providers", ""]
    lines += _table("| Name | Version |", "|------|---------|", provider_rows, "No providers.")

    module_rows = []
    for name, call in sorted(module.module_calls.items()):
        source = _string_value(call.attributes.get("source"))
        version = _string_value(call.attributes.get("version")) or "n/a"
        module_rows.append(f"| {_anchor('module', name)} | {source} | {version} |")
    lines += ["", "## Modules", ""]
    lines += _table(
        "| Name | Source | Version |", "|------|--------|---------|", module_rows, "No modules."
    )

    resource_rows = []
    for kind, table in (("resource", module.resources), ("data source", module.data)):
        for type_name, name in sorted(table):
            prefix = type_name.split("_", 1)[0]
            source = providers.get(prefix, {}).get("source", f"hashicorp/{prefix}")
            url = _registry_url(kind, type_name, source)
            resource_rows.append(f"| [{type_name}.{name}]({url}) | {kind} |")
    lines += ["", "## Resources", ""]
    lines += _table("| Name | Type |", "|------|------|", resource_rows, "No resources.")

    input_rows = []
    for name, block in sorted(module.variables.items()):
        description = _cell(_string_value(block.attributes.get("description")))
        default = block.attributes.get("default")
        input_rows.append(
            f"| {_anchor('input', name)} | {description} | {_type(block.attributes.get('type'))} "
            f"| {_default(default) if default is not None else 'n/a'} "
            f"| {'no' if default is not None else 'yes'} |"
        )
    lines += ["", "## Inputs", ""]
    lines += _table(
        "| Name | Description | Type | Default | Required |",
        "|------|-------------|------|---------|:--------:|",
        input_rows,
        "No inputs.",
    )

    output_rows = []
    for name, block in sorted(module.outputs.items()):
        description = _cell(_string_value(block.attributes.get("description")))
        output_rows.append(f"| {_anchor('output', name)} | {description} |")
    lines += ["", "## Outputs", ""]
    lines += _table("| Name | Description |", "|------|-------------|", output_rows, "No outputs.")
    return "\n".join(lines) + "\n"


_BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)


def updated_readme(readme_text: str, content: str) -> str:
    block = f"{BEGIN}\n{content}{END}"
    if _BLOCK.search(readme_text) is None:
        raise ValueError(f"README has no {BEGIN} ... {END} block")
    return _BLOCK.sub(lambda _: block, readme_text, count=1)


def check_readme(directory: Path, readme: Path) -> str | None:
    """None if the README's block is up to date, else what is wrong."""
    if not readme.exists():
        return f"{readme} does not exist"
    text = readme.read_text()
    try:
        expected = updated_readme(text, render(directory))
    except ValueError as exc:
        return str(exc)
    if expected != text:
        return f"{readme}: the {BEGIN} block is out of date: run `make docs`"
    return None


def write_readme(directory: Path, readme: Path) -> bool:
    """Rewrite the block; True if the file changed."""
    text = readme.read_text()
    new = updated_readme(text, render(directory))
    if new != text:
        readme.write_text(new)
        return True
    return False
