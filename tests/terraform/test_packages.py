"""The one package every function deploys (functions.tf's ``archive_file`` of lambda/):
it holds the rotator package and nothing else (no tests, no caches, no hidden files),
and each function's handler imports from it alone.

The zip is written here as the module's ``archive_file`` writes it, with the arguments
read from functions.tf (the project's stand-in for hashicorp/archive,
tools/fakeprovider/archive.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.module_config import ROOT, locals_of
from tools.fakeprovider.archive import build
from tools.tfcheck.config import load_module
from tools.tfcheck.hcl import value

LAMBDA = ROOT / "lambda"
FUNCTION_KEYS = list(locals_of("steps.tf")["steps"])


def archive_arguments() -> dict[str, Any]:
    """functions.tf's ``data "archive_file" "lambda"``, its constant arguments."""
    archive = load_module(ROOT).data[("archive_file", "lambda")]
    assert archive.attributes["source_dir"].source == '"${path.module}/lambda"'
    return {
        name: value(archive.attributes[name].source)
        for name in ("type", "excludes", "output_file_mode")
    }


def zip_of(source_dir: Path, target: Path) -> list[str]:
    """The zip functions.tf's archive_file writes of ``source_dir``: its entry names."""
    build({**archive_arguments(), "source_dir": str(source_dir), "output_path": str(target)})
    with zipfile.ZipFile(target) as archive:
        return archive.namelist()


def test_the_zip_holds_the_rotator_package_and_nothing_else(tmp_path: Path) -> None:
    source = tmp_path / "lambda"
    shutil.copytree(LAMBDA, source, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
    # what a working copy may hold beside the code
    (source / "rotator" / "__pycache__").mkdir()
    (source / "rotator" / "__pycache__" / "settings.cpython-311.pyc").write_bytes(b"\0")
    (source / "rotator" / "handlers" / "publish.cpython-311.pyc").write_bytes(b"\0")
    (source / "rotator" / ".settings.py.swp").write_bytes(b"\0")
    names = zip_of(source, tmp_path / "package.zip")
    expected = sorted(
        path.relative_to(LAMBDA).as_posix()
        for path in LAMBDA.rglob("*.py")
        if "__pycache__" not in path.parts
    )
    assert sorted(names) == expected
    assert all(name.startswith("rotator/") for name in names)
    assert not [name for name in names if "test" in name.lower()], "tests in the package"


# Imports the handler, then checks that every rotator module came from the package.
_IMPORT = """
import importlib, sys
root = sys.argv[1]
importlib.import_module(sys.argv[2])
strays = [name for name, module in sys.modules.items()
          if name.split(".")[0] == "rotator" and not (module.__file__ or "").startswith(root)]
assert not strays, f"imported from outside the package: {strays}"
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip, unzipped as Lambda unzips it."""
    work = tmp_path_factory.mktemp("package")
    zip_of(LAMBDA, work / "package.zip")
    with zipfile.ZipFile(work / "package.zip") as archive:
        archive.extractall(work / "task")
    return work / "task"


def import_check(key: str, task: Path) -> subprocess.CompletedProcess[str]:
    """Import ``key``'s handler in a fresh interpreter whose only code besides the
    standard library and the virtual environment (boto3) is the unzipped package."""
    environment = {**os.environ, "PYTHONPATH": str(task), "AWS_DEFAULT_REGION": "us-east-1"}
    return subprocess.run(
        # -P: not the working directory either
        [sys.executable, "-P", "-c", _IMPORT, f"{task}{os.sep}", f"rotator.handlers.{key}"],
        cwd=task.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,  # only a hung import; TimeoutExpired names the command
        check=False,
    )


@pytest.mark.parametrize("key", FUNCTION_KEYS)
def test_every_functions_handler_imports_from_the_package_alone(key: str, package: Path) -> None:
    result = import_check(key, package)
    assert result.returncode == 0, result.stderr


def test_a_package_without_a_module_a_handler_imports_fails_the_import_check(
    package: Path, tmp_path: Path
) -> None:
    incomplete = tmp_path / "task"
    shutil.copytree(package, incomplete)
    (incomplete / "rotator" / "naming.py").unlink()
    result = import_check("trigger", incomplete)
    assert result.returncode != 0
    assert "No module named 'rotator.naming'" in result.stderr
