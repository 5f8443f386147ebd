"""Terraform's own configuration loader, and ``terraform fmt``, over a copy of the tree.

Provider plugins cannot be installed offline, so ``terraform validate`` cannot run.
What can: ``terraform get`` installs the local modules and loads every module of the
configuration with Terraform's loader (syntax, block structure, variable/output/
module/terraform block arguments, type constraints, duplicates, required_version),
and ``terraform providers`` loads the whole tree again and resolves the provider
requirements. Both run on a temporary copy so no ``.terraform`` directory is left
behind. ``terraform fmt -check`` reports the first line that is not formatted.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import tempfile
from pathlib import Path

from lark import Tree

from . import terraform
from .config import Module
from .findings import Finding
from .hcl import Block

CHECK = "terraform"
FMT_CHECK = "fmt"

_IGNORE = shutil.ignore_patterns(
    ".git", ".venv*", "node_modules", ".cache", ".terraform", "__pycache__", "*.zip", ".build"
)


def copy_tree(root: Path, directories: list[Path], destination: Path) -> dict[Path, Path]:
    """Copy ``root``'s top-level files and each module directory; map copies to originals."""
    mapping: dict[Path, Path] = {}
    destination.mkdir(parents=True, exist_ok=True)
    for item in root.iterdir():
        if item.is_file():
            shutil.copy2(item, destination / item.name)
    mapping[destination] = root
    for directory in directories:
        relative = directory.resolve().relative_to(root.resolve())
        if relative == Path("."):
            continue
        target = destination / relative
        if not target.exists():
            shutil.copytree(directory, target, ignore=_IGNORE)
        mapping[target] = directory
    return mapping


def _original(path: Path, copy_root: Path, root: Path) -> str:
    try:
        return str(root / path.resolve().relative_to(copy_root.resolve()))
    except ValueError:
        return str(path)


def check_loader(root: Path, directories: list[Path]) -> list[Finding]:
    findings: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="tfcheck-load-") as tmp:
        copy_root = Path(tmp) / "tree"
        copy_tree(root, directories, copy_root)
        for directory in directories:
            relative = directory.resolve().relative_to(root.resolve())
            work = copy_root / relative
            for command in (["get", "-no-color"], ["providers", "-no-color"]):
                result = terraform.run(command, work)
                parsed = terraform.diagnostics(result.output)
                for diagnostic in parsed:
                    file = (
                        _original(work / diagnostic.file, copy_root, root)
                        if diagnostic.file
                        else str(directory)
                    )
                    findings.append(
                        Finding(
                            file,
                            diagnostic.line,
                            CHECK,
                            f"terraform {command[0]}: {diagnostic.severity}: "
                            f"{diagnostic.summary}. {diagnostic.detail}".strip(),
                        )
                    )
                if result.returncode != 0:
                    if not parsed:
                        findings.append(
                            Finding(
                                str(directory),
                                0,
                                CHECK,
                                f"terraform {command[0]} failed: {result.output.strip()[:800]}",
                            )
                        )
                    break  # the next command would only repeat the same errors
    return _unique(findings)


_DIFF_FILE = re.compile(r"^--- old/(?P<name>\S+)$", re.MULTILINE)


def _first_changed_line(diff: str) -> int:
    """The old-file line number of the first changed line in a unified diff."""
    line = 0
    for text in diff.splitlines():
        hunk = re.match(r"^@@ -(\d+)", text)
        if hunk:
            line = int(hunk.group(1))
        elif line and text.startswith(("-", "+")) and not text.startswith(("---", "+++")):
            return line
        elif line:
            line += 1
    return 0


def check_fmt(root: Path, directories: list[Path]) -> list[Finding]:
    findings: list[Finding] = []
    for directory in directories:
        result = terraform.run(["fmt", "-check", "-diff", "-no-color", "-list=true"], directory)
        if result.returncode == 0:
            continue
        files = [
            line
            for line in result.stdout.splitlines()
            if line.endswith(".tf") and (directory / line).is_file()
        ]
        diffs: dict[str, str] = {}
        matches = list(_DIFF_FILE.finditer(result.stdout))
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(result.stdout)
            diffs[Path(match["name"]).name] = result.stdout[match.end() : end]
        for name in files:
            findings.append(
                Finding(
                    str(directory / name),
                    _first_changed_line(diffs.get(Path(name).name, "")),
                    FMT_CHECK,
                    "not in canonical format: run `terraform fmt`",
                )
            )
        if not files:
            findings.append(
                Finding(
                    str(directory), 0, FMT_CHECK, f"terraform fmt failed: {result.output[:800]}"
                )
            )
    return findings


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    unique = []
    for finding in findings:
        if finding not in seen:
            seen.add(finding)
            unique.append(finding)
    return unique


def terraform_functions() -> set[str]:
    """The built-in functions of the Terraform that runs the checks."""
    result = terraform.run(["metadata", "functions", "-json"], Path.cwd())
    return set(json.loads(result.stdout)["function_signatures"])


def check_functions(modules: list[Module], known: set[str] | None = None) -> list[Finding]:
    """Calls to functions Terraform does not have (``terraform validate`` would refuse)."""
    known = terraform_functions() if known is None else known
    findings: list[Finding] = []

    def walk(block: Block) -> None:
        for name, attr in block.attributes.items():
            if block.type == "variable" and name == "type":
                continue  # type constraints: object(), optional()... are not functions
            for call in attr.expr.iter_subtrees():
                if call.data != "function_call":
                    continue
                parts = [
                    str(c.children[0])
                    for c in call.children
                    if isinstance(c, Tree) and c.data == "identifier"
                ]
                if len(parts) != 1:
                    continue  # provider::name::function
                if parts[0] not in known:
                    close = difflib.get_close_matches(parts[0], sorted(known), n=1, cutoff=0.7)
                    findings.append(
                        Finding(
                            attr.file,
                            call.meta.line,
                            CHECK,
                            f'Call to unknown function "{parts[0]}".'
                            + (f' Did you mean "{close[0]}"?' if close else ""),
                        )
                    )
        for child in block.blocks:
            walk(child)

    for module in modules:
        for file in module.files:
            walk(file.body)
    return findings
