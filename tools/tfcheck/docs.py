"""README.md's block between ``<!-- BEGIN_TF_DOCS -->`` and ``<!-- END_TF_DOCS -->``, as
terraform-docs' ``markdown table`` writes it (``python -m tools.tfcheck docs [--check]``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .config import Module, load_module
from .hcl import Attribute, Block, NotLiteral, value

BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"
_BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)


def _anchor(kind: str, name: str) -> str:
    escaped = name.replace("_", "\\_")
    return f'<a name="{kind}_{name}"></a> [{escaped}](#{kind}\\_{escaped})'


def _escape(segment: str) -> str:
    """terraform-docs' escaping of ``_`` and ``*`` outside code spans: doubled characters
    and those next to a space are left alone."""
    for char in "_*":
        segment = segment.replace(char * 2, "\u2021\u2021")
        segment = segment.replace(" " + char, " \u2021").replace(char + " ", "\u2021 ")
        segment = segment.replace(char, "\\" + char).replace("\u2021", char)
    return segment


def _cell(text: str) -> str:
    """A description as terraform-docs writes it in a table cell."""
    parts = text.strip().replace("\n\n", "<br><br>").replace("\n", "<br>").split("`")
    parts[::2] = [_escape(p.replace("|", "\\|")) for p in parts[::2]]  # outside code spans
    text = "`".join(parts)
    for url in re.findall(r"https?://\S+", text):
        text = text.replace(url, url.replace("\\", ""))
    return text


def _code(text: str) -> str:
    if "\n" in text:
        return "<pre>" + text.replace("|", "\\|").replace("\n", "<br/>") + "</pre>"
    return f"`{text}`"


def _value(attr: Attribute | None, default: Any = "") -> Any:
    try:
        return default if attr is None else value(attr.source)
    except NotLiteral:
        return attr.source if attr else default


def _default(attr: Attribute) -> str:
    try:
        data = value(attr.source)
    except NotLiteral:
        return _code(attr.source)
    return _code(json.dumps(data, indent=2 if data and isinstance(data, dict | list) else None))


def _table(title: str, header: str, rows: list[list[str]]) -> list[str]:
    """A section: its rows under the columns named in ``header`` (space-separated)."""
    if title not in ("Resources", "Inputs"):  # their names are links already
        rows = [[_anchor(title.lower()[:-1], row[0]), *row[1:]] for row in rows]
    if not rows:
        return [f"## {title}", "", f"No {title.lower()}.", ""]
    align = [":--------:" if h == "Required" else "-" * (len(h) + 2) for h in header.split()]
    cells = [" | ".join(header.split()), "|".join(align).join("||"), *(" | ".join(r) for r in rows)]
    return [f"## {title}", "", *(c if c.startswith("|") else f"| {c} |" for c in cells), ""]


def required_providers(module: Module) -> dict[str, tuple[Attribute, str, str | None]]:
    """Each ``required_providers`` entry: (its argument, source, version constraint)."""
    found = {}
    terraform = [b for b in module.other_blocks if b.type == "terraform"]
    for block in (r for b in terraform for r in b.blocks_of("required_providers")):
        for name, attr in block.attributes.items():
            spec = _value(attr, {})
            spec = {"version": spec} if isinstance(spec, str) else spec
            found[name] = (attr, str(spec.get("source", f"hashicorp/{name}")), spec.get("version"))
    return found


def _text(block: Block, name: str) -> str:
    return str(_value(block.attributes.get(name)))


def render(directory: Path) -> str:
    module = load_module(directory)
    required = required_providers(module)
    providers = {n: version or "n/a" for n, (_, _, version) in sorted(required.items())}
    terraform = [b for b in module.other_blocks if "required_version" in b.attributes]
    blocks = [("resource", *k) for k in module.resources] + [
        ("data source", *k) for k in module.data
    ]
    resources = []
    for kind, type_name, name in sorted(blocks, key=lambda b: (b[0] != "resource", *b[1:])):
        prefix, _, short = type_name.partition("_")
        source = required[prefix][1] if prefix in required else f"hashicorp/{prefix}"
        section = "resources" if kind == "resource" else "data-sources"
        url = f"https://registry.terraform.io/providers/{source}/latest/docs/{section}/{short}"
        resources.append([f"[{type_name}.{name}]({url})", kind])
    inputs = []
    for name, block in sorted(module.variables.items()):
        default, typ = block.attributes.get("default"), block.attributes.get("type")
        description = _cell(_text(block, "description"))
        inputs.append([_anchor("input", name), description, _code(typ.source) if typ else "`any`"])
        inputs[-1] += ["n/a", "yes"] if default is None else [_default(default), "no"]
    used = sorted({t.split("_", 1)[0] for _, t, _ in blocks})
    calls = sorted(module.module_calls.items())
    modules = [[n, _text(c, "source"), _text(c, "version") or "n/a"] for n, c in calls]
    requirements = [["terraform", _text(b, "required_version")] for b in terraform[:1]]
    outputs = [[n, _cell(_text(b, "description"))] for n, b in sorted(module.outputs.items())]
    lines = [
        *_table("Requirements", "Name Version", requirements + [[*p] for p in providers.items()]),
        *_table("Providers", "Name Version", [[n, providers.get(n, "n/a")] for n in used]),
        *_table("Modules", "Name Source Version", modules),
        *_table("Resources", "Name Type", resources),
        *_table("Inputs", "Name Description Type Default Required", inputs),
        *_table("Outputs", "Name Description", outputs),
    ]
    return "\n".join(lines)


def updated_readme(readme_text: str, content: str) -> str:
    if _BLOCK.search(readme_text) is None:
        raise ValueError(f"README has no {BEGIN} ... {END} block")
    return _BLOCK.sub(lambda _: f"{BEGIN}\n{content}{END}", readme_text, count=1)


def check_readme(directory: Path, readme: Path) -> str | None:
    """None if the README's block is up to date, else what is wrong."""
    if not readme.exists():
        return f"{readme} does not exist"
    try:
        if updated_readme(text := readme.read_text(), render(directory)) == text:
            return None
    except ValueError as exc:
        return str(exc)
    return f"{readme}: the {BEGIN} block is out of date: run `make docs`"


def write_readme(directory: Path, readme: Path) -> bool:
    """Rewrite the block; True if the file changed."""
    new = updated_readme(text := readme.read_text(), render(directory))
    if new != text:
        readme.write_text(new)
    return new != text
