"""Each function's package (main.tf's local.package_files) holds exactly the modules its
handler imports, and nothing it imports is missing from it.

The lists are computed here from the code: a handler's ``rotator`` imports, those of
every module they name, transitively, with each package's ``__init__.py`` (Python runs
it, and so its imports, before any of its submodules), imports inside functions too.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.module_config import ROOT, locals_of
from tools.fakeprovider.archive import build
from tools.tfcheck.config import load_module
from tools.tfcheck.hcl import value

LAMBDA = ROOT / "lambda"
PACKAGE = "rotator"


def package_files() -> dict[str, list[str]]:
    """main.tf's local.package_files: the files of each function's zip, by key."""
    files: dict[str, list[str]] = value(load_module(ROOT).locals["package_files"].source)
    return files


PACKAGE_FILES = package_files()
FUNCTION_KEYS = list(locals_of("main.tf")["all_functions"])


def module_file(module: str) -> Path | None:
    """The file of a ``rotator`` module or package under lambda/, None if there is none
    (a name imported from a module, not a submodule)."""
    path = LAMBDA.joinpath(*module.split("."))
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return None


def imports_of(module: str, path: Path) -> set[str]:
    """The ``rotator`` modules ``path`` (module ``module``) may import: every ``import
    a.b``, ``from a import b`` (``a`` and, if it is a submodule, ``a.b``) and relative
    import, wherever it stands in the file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            named.add(base)
            # a submodule, as in ``from rotator import clock``; not a name of ``base``
            named.update(
                f"{base}.{alias.name}"
                for alias in node.names
                if module_file(f"{base}.{alias.name}") is not None
            )
    return {name for name in named if name == PACKAGE or name.startswith(f"{PACKAGE}.")}


def closure(module: str) -> dict[str, str]:
    """Every file under lambda/ that importing ``module`` runs, each with what brings
    it in: its importer, and for a package the submodule that importer names."""
    found: dict[str, str] = {}
    pending = [(module, "Lambda")]
    while pending:
        name, importer = pending.pop()
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):
            prefix = ".".join(parts[:depth])
            path = module_file(prefix)
            if path is None:
                continue
            relative = path.relative_to(LAMBDA).as_posix()
            if relative in found:
                continue
            found[relative] = (
                importer if prefix == name else f"{importer}, as the package of {name}"
            )
            pending.extend((child, prefix) for child in imports_of(prefix, path))
    return found


def test_every_function_has_a_package_list_and_every_list_a_function() -> None:
    assert sorted(PACKAGE_FILES) == sorted(FUNCTION_KEYS), (
        "main.tf's local.package_files must have one list per key of local.all_functions"
    )


@pytest.mark.parametrize("key", FUNCTION_KEYS)
def test_a_package_holds_exactly_what_its_handler_imports(key: str) -> None:
    needed = closure(f"{PACKAGE}.handlers.{key}")
    listed = PACKAGE_FILES.get(key, [])
    missing = [
        f"{name} (imported by {needed[name]})" for name in sorted(needed) if name not in listed
    ]
    unused = sorted(set(listed) - set(needed))
    assert not missing, f'add to main.tf local.package_files["{key}"]: {", ".join(missing)}'
    assert not unused, f'remove from main.tf local.package_files["{key}"], not imported: {unused}'
    assert len(listed) == len(set(listed)), f'local.package_files["{key}"] names a file twice'


def test_the_closure_follows_parent_packages_and_imports_in_functions() -> None:
    """rotator.sources' __init__ imports eventbridge and sns inside a function; a
    handler importing only rotator.sources.restore_jobs still runs that __init__."""
    needed = closure(f"{PACKAGE}.handlers.restore_events")
    assert needed["rotator/sources/__init__.py"].startswith("rotator.handlers.restore_events")
    assert needed["rotator/sources/sns.py"] == "rotator.sources"
    assert needed["rotator/handlers/__init__.py"] == (
        "Lambda, as the package of rotator.handlers.restore_events"
    )
    assert "rotator/cleanup.py" not in needed


def zip_package(files: list[str], tmp_path: Path) -> Path:
    """The zip archive_file writes for these ``source`` blocks (the project's stand-in
    for hashicorp/archive, tools/fakeprovider/archive.py)."""
    output = tmp_path / "package.zip"
    sources = [
        {"filename": name, "content": (LAMBDA / name).read_text(encoding="utf-8")} for name in files
    ]
    build(
        {"type": "zip", "source": sources, "output_path": str(output), "output_file_mode": "0666"}
    )
    return output


# Imports the handler, then checks that every rotator module came from the package.
_IMPORT = """
import importlib, sys
root = sys.argv[1]
importlib.import_module(sys.argv[2])
strays = [name for name, module in sys.modules.items()
          if name.split(".")[0] == "rotator" and not (module.__file__ or "").startswith(root)]
assert not strays, f"imported from outside the package: {strays}"
"""


def import_check(key: str, files: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Import ``key``'s handler in a fresh interpreter whose only code besides the
    standard library and the virtual environment (boto3) is the package, unzipped as
    Lambda unzips it."""
    task = tmp_path / "task"
    with zipfile.ZipFile(zip_package(files, tmp_path)) as archive:
        archive.extractall(task)
    environment = {**os.environ, "PYTHONPATH": str(task), "AWS_DEFAULT_REGION": "us-east-1"}
    return subprocess.run(
        # -P: not the working directory either (it is tmp_path, but to be sure).
        [sys.executable, "-P", "-c", _IMPORT, f"{task}{os.sep}", f"rotator.handlers.{key}"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,  # only a hung import; TimeoutExpired names the command
        check=False,
    )


@pytest.mark.parametrize("key", FUNCTION_KEYS)
def test_a_package_alone_imports_its_handler(key: str, tmp_path: Path) -> None:
    result = import_check(key, PACKAGE_FILES[key], tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_package_without_a_module_it_imports_fails_the_import_check(tmp_path: Path) -> None:
    incomplete = [name for name in PACKAGE_FILES["trigger"] if name != "rotator/naming.py"]
    result = import_check("trigger", incomplete, tmp_path)
    assert result.returncode != 0
    assert "No module named 'rotator.naming'" in result.stderr
