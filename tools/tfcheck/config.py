"""One Terraform module directory, indexed by what its blocks declare (for the docs,
the lower-bound check and the wiring tests), and copies of the module tree."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .hcl import Attribute, Block, parse_text

# Directories that never hold configuration of ours.
_SKIP_DIRS = {".git", ".terraform", ".venv", ".venv-tools", "node_modules", ".cache"}
_IGNORE = shutil.ignore_patterns(*_SKIP_DIRS, "__pycache__", "*.zip", ".build")


@dataclass
class Module:
    directory: Path
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    resources: dict[tuple[str, str], Block] = field(default_factory=dict)
    data: dict[tuple[str, str], Block] = field(default_factory=dict)
    module_calls: dict[str, Block] = field(default_factory=dict)
    other_blocks: list[Block] = field(default_factory=list)  # terraform, provider, check...


def load_module(directory: Path) -> Module:
    module = Module(directory)
    for path in sorted(directory.glob("*.tf")):
        for block in parse_text(path.read_text(encoding="utf-8"), str(path)).blocks:
            kind, labels = block.type, block.labels
            if kind == "locals":
                for name, attr in block.attributes.items():
                    module.locals.setdefault(name, attr)
            elif kind in ("resource", "data") and len(labels) == 2:
                table = module.resources if kind == "resource" else module.data
                table.setdefault((labels[0], labels[1]), block)
            elif kind in ("variable", "output", "module") and len(labels) == 1:
                tables = {"variable": module.variables, "output": module.outputs}
                tables.get(kind, module.module_calls).setdefault(labels[0], block)
            else:
                module.other_blocks.append(block)
    return module


def module_directories(root: Path) -> list[Path]:
    """The module at ``root``, its submodules under ``root/modules`` and every example
    under ``root/examples``."""
    found = [root] if any(root.glob("*.tf")) else []
    paths = sorted((root / "modules").rglob("*.tf")) + sorted((root / "examples").rglob("*.tf"))
    for path in paths:
        if _SKIP_DIRS.isdisjoint(path.relative_to(root).parts) and path.parent not in found:
            found.append(path.parent)
    return found


def copy_tree(root: Path, directories: list[Path], destination: Path) -> None:
    """Copy ``root``'s top-level files and each module directory to ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    for item in root.iterdir():
        if item.is_file():
            shutil.copy2(item, destination / item.name)
    for directory in directories:
        target = destination / directory.resolve().relative_to(root.resolve())
        if not target.exists():
            shutil.copytree(directory, target, ignore=_IGNORE)
