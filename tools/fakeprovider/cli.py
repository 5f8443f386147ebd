"""``python -m tools.fakeprovider``: Terraform's own validation, offline, on fake providers.

    python -m tools.fakeprovider setup
    python -m tools.fakeprovider validate [--root DIR] [--pins newest,floor] [--no-test]

``setup`` builds the filesystem mirrors and CLI configurations under
``.cache/fakeprovider/`` (reused while the pins and the code are unchanged).

``validate`` copies the module and its examples to a temporary directory and, for each
pin set (newest and floor provider versions), runs ``terraform init`` and ``terraform
validate`` in the module and in every example, then ``terraform test`` in the module
(``*.tftest.hcl`` under ``tests/``, plan-mode runs with ``mock_provider``), all with
``-json``. Every error diagnostic is printed as ``file:line: [fakeprovider] ...``; any
error, or a failing test, exits 1.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.tfcheck import terraform
from tools.tfcheck.config import copy_tree, module_directories
from tools.tfcheck.findings import Finding, render_all

from .build import PIN_SETS, PinSet, setup
from .schema import REPO_ROOT

CHECK = "fakeprovider"
TEST_DIRECTORY = "tests"  # Terraform's default for `terraform test`
_COPY_ALSO = ("lambda",)  # read by the module (archive_file), not a module directory
_COMMANDS = {
    "init": ["init", "-backend=false", "-input=false", "-json"],
    "validate": ["validate", "-no-tests", "-json"],  # `terraform test` validates its files
    "test": ["test", "-json"],
}


@dataclass(frozen=True)
class Step:
    """One Terraform command in one directory of one pin set's copy of the tree."""

    pins: PinSet
    directory: Path  # the original
    work: Path  # the copy it ran in
    command: str
    result: terraform.Result
    seconds: float

    def messages(self, kind: str) -> list[dict[str, Any]]:
        """The ``-json`` messages of one type (``test_run``, ``test_summary``...)."""
        found = []
        for line in self.result.stdout.splitlines():
            if line.startswith("{") and f'"type":"{kind}"' in line:
                found.append(json.loads(line))
        return found


def _copy(root: Path, directories: list[Path], destination: Path) -> None:
    copy_tree(root, directories, destination)
    for extra in _COPY_ALSO:
        if (root / extra).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(root / extra, destination / extra, ignore=ignore, dirs_exist_ok=True)
    tests = root / TEST_DIRECTORY
    # Test files, and the mock data files (*.tfmock.hcl) they share.
    for pattern in ("*.tftest.hcl", "**/*.tfmock.hcl"):
        for test_file in sorted(tests.glob(pattern)) if tests.is_dir() else []:
            target = destination / TEST_DIRECTORY / test_file.relative_to(tests)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(test_file, target)


def _run(pins: PinSet, directory: Path, work: Path, command: str) -> Step:
    started = time.monotonic()
    result = terraform.run(_COMMANDS[command], work, cli_config_text=pins.cli_config.read_text())
    return Step(pins, directory, work, command, result, time.monotonic() - started)


def _init_and_validate(pins: PinSet, directory: Path, work: Path) -> list[Step]:
    init = _run(pins, directory, work, "init")
    return (
        [init] if init.result.returncode != 0 else [init, _run(pins, directory, work, "validate")]
    )


def _findings(step: Step, copy_root: Path, root: Path) -> list[Finding]:
    """A finding for each error diagnostic of a step (any diagnostic, if it failed)."""
    found = []
    for diagnostic in terraform.diagnostics(step.result.stdout):
        if diagnostic["severity"] != "error" and step.result.returncode == 0:
            continue  # warnings of a successful command are logged, not findings
        where = diagnostic.get("range") or {}
        file = str(step.directory)
        if "filename" in where:
            copy = (step.work / where["filename"]).resolve()
            file = str(root / copy.relative_to(copy_root.resolve()))
        message = f"terraform {step.command}: {diagnostic['severity'].capitalize()}: "
        message += f"{diagnostic['summary']}. {diagnostic.get('detail') or ''}".strip()
        found.append(Finding(file, where.get("start", {}).get("line", 0), CHECK, message))
    if step.result.returncode != 0 and not found:
        summary = [m["@message"] for m in step.messages("test_summary")]
        text = "; ".join(summary) or (step.result.stdout + step.result.stderr).strip()[-800:]
        found.append(Finding(str(step.directory), 0, CHECK, f"terraform {step.command}: {text}"))
    return found


def _merge(tagged: list[tuple[Finding, str]], pin_sets: dict[str, PinSet]) -> list[Finding]:
    """One finding per problem, naming the pin sets it was found with; one found only
    with the floor pins says that the newest accept it."""
    by_finding: dict[Finding, list[str]] = {}
    for finding, name in tagged:
        names = by_finding.setdefault(finding, [])
        if name not in names:
            names.append(name)
    merged = []
    for f, names in by_finding.items():
        note = "; ".join(f"{n}: {pin_sets[n].describe()}" for n in names)
        if names == ["floor"] and "newest" in pin_sets:
            note += "; the newest pins accept this: raise the lower bound in required_providers"
        merged.append(Finding(f.file, f.line, f.check, f"{f.message} ({note})"))
    return sorted(merged)


def run_validate(
    root: Path,
    pin_names: tuple[str, ...] = tuple(PIN_SETS),
    test: bool = True,
    log: Callable[[str], None] = print,
) -> list[Finding]:
    root = root.resolve()
    directories = module_directories(root)
    if not directories:
        return [Finding(str(root), 0, CHECK, "no *.tf files in the module or its examples")]
    pin_sets = setup()
    selected = {name: pin_sets[name] for name in pin_names}
    tagged: list[tuple[Finding, str]] = []
    with tempfile.TemporaryDirectory(prefix="fakeprovider-") as tmp:
        copies = {name: Path(tmp) / name for name in selected}
        for copy_root in copies.values():
            _copy(root, directories, copy_root)

        def work(pins: PinSet, directory: Path) -> Path:
            return copies[pins.name] / directory.relative_to(root)

        jobs = [(pins, d) for pins in selected.values() for d in directories]
        steps: list[Step] = []
        with ThreadPoolExecutor(max_workers=8) as pool:
            for result in pool.map(
                lambda job: _init_and_validate(job[0], job[1], work(*job)), jobs
            ):
                steps.extend(result)
            validated = [s.pins for s in steps if s.directory == root and s.command == "validate"]
            if test:
                steps.extend(pool.map(lambda p: _run(p, root, work(p, root), "test"), validated))
        for step in steps:
            status = "ok" if step.result.returncode == 0 else f"exit {step.result.returncode}"
            log(
                f"{step.pins.name} ({step.pins.describe()}): terraform {step.command} "
                f"{step.directory.relative_to(root)}: {status} in {step.seconds:.1f}s"
            )
            for message in step.messages("test_run") + step.messages("test_summary"):
                if message.get("test_run", {}).get("progress", "complete") == "complete":
                    log(f"  {message['@message'].strip()}")
            tagged.extend(
                (f, step.pins.name) for f in _findings(step, copies[step.pins.name], root)
            )
    return _merge(tagged, selected)


def _pin_names(value: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = set(names) - set(PIN_SETS)
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"pin sets are {', '.join(PIN_SETS)}; got {value!r}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.fakeprovider", description=(__doc__ or "").split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="build the fake providers' mirrors and CLI configurations")
    validate = sub.add_parser("validate", help="terraform init/validate/test; exit 1 on errors")
    validate.add_argument("--root", type=Path, default=REPO_ROOT)
    validate.add_argument("--pins", type=_pin_names, default=tuple(PIN_SETS))
    validate.add_argument("--no-test", action="store_true", help="skip `terraform test`")
    args = parser.parse_args(argv)
    started = time.monotonic()

    if args.command == "setup":
        for pins in setup().values():
            print(f"{pins.name}: {pins.describe()}: TF_CLI_CONFIG_FILE={pins.cli_config}")
        print(f"setup: {time.monotonic() - started:.1f}s", file=sys.stderr)
        return 0

    findings = run_validate(
        args.root, args.pins, test=not args.no_test, log=lambda line: print(line, file=sys.stderr)
    )
    elapsed = time.monotonic() - started
    if findings:
        print(render_all(findings, args.root.resolve()))
        print(f"fakeprovider: {len(findings)} finding(s) in {elapsed:.1f}s", file=sys.stderr)
        return 1
    print(f"fakeprovider: no findings in {elapsed:.1f}s", file=sys.stderr)
    return 0
