"""One Terraform module directory, indexed by what its blocks declare."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding
from .hcl import Attribute, Block, File, HclParseError, parse_file

# Directories that never hold configuration of ours.
_SKIP_DIRS = {".git", ".terraform", ".venv", ".venv-tools", "node_modules", ".cache"}


@dataclass
class Module:
    directory: Path
    files: list[File] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    resources: dict[tuple[str, str], Block] = field(default_factory=dict)
    data: dict[tuple[str, str], Block] = field(default_factory=dict)
    module_calls: dict[str, Block] = field(default_factory=dict)
    other_blocks: list[Block] = field(default_factory=list)  # terraform, check, moved...
    errors: list[Finding] = field(default_factory=list)

    def blocks(self) -> list[Block]:
        return [b for f in self.files for b in f.body.blocks]

    def local_source(self, call: Block) -> Path | None:
        """The directory a module call's ``source`` points at, if it is a local path."""
        source = call.attributes.get("source")
        if source is None:
            return None
        text = source.source.strip()
        if not (text.startswith('"') and text.endswith('"')):
            return None
        path = text[1:-1]
        if not (path.startswith("./") or path.startswith("../")):
            return None
        return (self.directory / path).resolve()


def load_module(directory: Path) -> Module:
    module = Module(directory=directory)
    for path in sorted(directory.glob("*.tf")):
        try:
            module.files.append(parse_file(path))
        except HclParseError as exc:
            module.errors.append(Finding(exc.file, exc.line, "parse", exc.message))
    for block in module.blocks():
        _index(module, block)
    return module


def _duplicate(module: Module, block: Block, what: str, first: Block | Attribute) -> None:
    module.errors.append(
        Finding(
            block.file,
            block.line,
            "config",
            f"Duplicate {what}: also declared at {first.file}:{first.line}",
        )
    )


def _index(module: Module, block: Block) -> None:
    labels = block.labels
    if block.type == "variable" and len(labels) == 1:
        if labels[0] in module.variables:
            _duplicate(module, block, f'variable "{labels[0]}"', module.variables[labels[0]])
        module.variables.setdefault(labels[0], block)
    elif block.type == "locals":
        for name, attr in block.attributes.items():
            if name in module.locals:
                _duplicate(module, block, f'local value "{name}"', module.locals[name])
            module.locals.setdefault(name, attr)
    elif block.type == "output" and len(labels) == 1:
        if labels[0] in module.outputs:
            _duplicate(module, block, f'output "{labels[0]}"', module.outputs[labels[0]])
        module.outputs.setdefault(labels[0], block)
    elif block.type in ("resource", "data") and len(labels) == 2:
        table = module.resources if block.type == "resource" else module.data
        key = (labels[0], labels[1])
        if key in table:
            _duplicate(module, block, block.address, table[key])
        table.setdefault(key, block)
    elif block.type == "module" and len(labels) == 1:
        if labels[0] in module.module_calls:
            _duplicate(module, block, f'module "{labels[0]}"', module.module_calls[labels[0]])
        module.module_calls.setdefault(labels[0], block)
    else:
        module.other_blocks.append(block)


def module_directories(root: Path) -> list[Path]:
    """The module at ``root`` and every example under ``root/examples``."""
    found = [root] if any(root.glob("*.tf")) else []
    examples = root / "examples"
    if examples.is_dir():
        for path in sorted(examples.rglob("*.tf")):
            if _SKIP_DIRS.isdisjoint(path.relative_to(root).parts) and path.parent not in found:
                found.append(path.parent)
    return found
