"""``python -m tools.fakeprovider``: Terraform's own validation, offline, on fake providers.

    python -m tools.fakeprovider setup
    python -m tools.fakeprovider validate [--root DIR] [--pins newest,floor] [--no-test]

``setup`` builds the filesystem mirrors and CLI configurations under
``.cache/fakeprovider/`` (reused while the pins and the code are unchanged).

``validate`` copies the module and its examples to a temporary directory and, for each
pin set (newest and floor provider versions), runs ``terraform init`` and ``terraform
validate`` in the module and in every example, then ``terraform test`` in the module
(``*.tftest.hcl`` under ``tests/``, plan-mode runs with ``mock_provider``). Every
diagnostic is printed as ``file:line: [fakeprovider] ...``; any error, or a failing
test, exits 1.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tools.tfcheck import terraform
from tools.tfcheck.config import module_directories
from tools.tfcheck.findings import Finding, render_all
from tools.tfcheck.loader_check import copy_tree
from tools.tfcheck.schema import REPO_ROOT

from .build import PIN_SETS, PinSet, setup

CHECK = "fakeprovider"
TEST_DIRECTORY = "tests"  # Terraform's default for `terraform test`
_COPY_ALSO = ("lambda",)  # read by the module (archive_file), not a module directory
_TEST_SUMMARY = re.compile(r"^(Success|Failure)! .*$", re.MULTILINE)
_RUN_RESULT = re.compile(r"^\s*run \"[^\"]+\"\.\.\. \w+$", re.MULTILINE)


@dataclass(frozen=True)
class Step:
    """One Terraform command in one directory of one pin set's copy of the tree."""

    pins: PinSet
    directory: Path  # the original
    work: Path  # the copy it ran in
    command: str
    result: terraform.Result
    seconds: float


def _copy(root: Path, directories: list[Path], destination: Path) -> None:
    copy_tree(root, directories, destination)
    for extra in _COPY_ALSO:
        if (root / extra).is_dir():
            shutil.copytree(
                root / extra,
                destination / extra,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
                dirs_exist_ok=True,
            )
    tests = root / TEST_DIRECTORY
    # Test files, and the mock data files (*.tfmock.hcl) they share.
    for pattern in ("*.tftest.hcl", "**/*.tfmock.hcl"):
        for test_file in sorted(tests.glob(pattern)) if tests.is_dir() else []:
            target = destination / TEST_DIRECTORY / test_file.relative_to(tests)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(test_file, target)


def _run(pins: PinSet, directory: Path, work: Path, command: list[str]) -> Step:
    started = time.monotonic()
    result = terraform.run(command, work, cli_config_text=pins.cli_config.read_text())
    return Step(pins, directory, work, command[0], result, time.monotonic() - started)


def _init_and_validate(pins: PinSet, directory: Path, work: Path) -> list[Step]:
    init = _run(pins, directory, work, ["init", "-backend=false", "-input=false", "-no-color"])
    if init.result.returncode != 0:
        return [init]
    # -no-tests: `terraform test` validates the test files itself.
    return [init, _run(pins, directory, work, ["validate", "-no-tests", "-no-color"])]


def _original(path: Path, copy_root: Path, root: Path) -> str:
    try:
        return str(root / path.resolve().relative_to(copy_root.resolve()))
    except ValueError:
        return str(path)


def _findings(step: Step, copy_root: Path, root: Path) -> list[tuple[Finding, str]]:
    """(finding without the pin set, pin set name) for each diagnostic of a step."""
    output = step.result.output
    found: list[tuple[Finding, str]] = []
    for diagnostic in terraform.diagnostics(output):
        if diagnostic.severity != "Error" and step.result.returncode == 0:
            continue  # warnings of a successful command are printed, not findings
        file = (
            _original(step.work / diagnostic.file, copy_root, root)
            if diagnostic.file
            else str(step.directory)
        )
        message = f"terraform {step.command}: {diagnostic.severity}: {diagnostic.summary}."
        if diagnostic.detail:
            message += f" {diagnostic.detail}"
        found.append((Finding(file, diagnostic.line, CHECK, message), step.pins.name))
    if step.command == "fmt" and step.result.returncode != 0:
        for name in step.result.stdout.split():
            file = _original(step.work / name, copy_root, root)
            message = "not in canonical format: run `terraform fmt` on it"
            found.append((Finding(file, 0, CHECK, message), step.pins.name))
        return found
    if step.command == "test" and step.result.returncode != 0:
        failed = [
            line.strip()
            for line in _RUN_RESULT.findall(step.result.stdout)
            if not line.endswith("pass")
        ]
        summary = _TEST_SUMMARY.search(step.result.stdout)
        text = "; ".join(failed) or output.strip()[-800:]
        if summary:
            text += f" ({summary.group(0)})"
        found.append(
            (Finding(str(step.directory), 0, CHECK, f"terraform test: {text}"), step.pins.name)
        )
    elif step.result.returncode != 0 and not found:
        text = output.strip()[-800:]
        found.append(
            (
                Finding(str(step.directory), 0, CHECK, f"terraform {step.command} failed: {text}"),
                step.pins.name,
            )
        )
    return found


def _merge(tagged: list[tuple[Finding, str]], pin_sets: dict[str, PinSet]) -> list[Finding]:
    """One finding per problem, naming the pin sets it was found with."""
    by_finding: dict[Finding, list[str]] = {}
    for finding, name in tagged:
        names = by_finding.setdefault(finding, [])
        if name not in names:
            names.append(name)
    return sorted(
        Finding(
            f.file,
            f.line,
            f.check,
            f"{f.message} ({'; '.join(f'{n}: {pin_sets[n].describe()}' for n in names)})",
        )
        for f, names in by_finding.items()
    )


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

        def work(name: str, directory: Path) -> Path:
            return copies[name] / directory.relative_to(root)

        first = next(iter(selected))
        jobs = [(pins, d) for pins in selected.values() for d in directories]
        steps: list[Step] = []
        with ThreadPoolExecutor(max_workers=8) as pool:
            for result in pool.map(
                lambda job: _init_and_validate(job[0], job[1], work(job[0].name, job[1])), jobs
            ):
                steps.extend(result)
            if test:
                tests = [
                    pins
                    for pins in selected.values()
                    if any(
                        s.pins == pins and s.directory == root and s.command == "validate"
                        for s in steps
                    )
                ]
                steps.extend(
                    pool.map(
                        lambda pins: _run(pins, root, work(pins.name, root), ["test", "-no-color"]),
                        tests,
                    )
                )
            if test and (copies[first] / TEST_DIRECTORY).is_dir():
                steps.append(
                    _run(
                        selected[first],
                        root,
                        copies[first],
                        ["fmt", "-check", "-list=true", "-no-color", TEST_DIRECTORY],
                    )
                )
        for step in steps:
            status = "ok" if step.result.returncode == 0 else f"exit {step.result.returncode}"
            where = step.directory.relative_to(root) if step.directory != root else Path(".")
            log(
                f"{step.pins.name} ({step.pins.describe()}): terraform {step.command} "
                f"{where}: {status} in {step.seconds:.1f}s"
            )
            if step.command == "test":
                for line in _RUN_RESULT.findall(step.result.stdout):
                    log(f"  {line.strip()}")
                summary = _TEST_SUMMARY.search(step.result.stdout)
                log(f"  {summary.group(0) if summary else 'no test summary'}")
            tagged.extend(_findings(step, copies[step.pins.name], root))
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

    if args.command == "setup":
        started = time.monotonic()
        for pins in setup().values():
            print(f"{pins.name}: {pins.describe()}: TF_CLI_CONFIG_FILE={pins.cli_config}")
        print(f"setup: {time.monotonic() - started:.1f}s", file=sys.stderr)
        return 0

    started = time.monotonic()
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
