"""Fixtures for the validation tooling tests: copies of the real module and of a small
fixture module, which tests break on purpose, and helpers to edit them by line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.tfcheck.config import module_directories
from tools.tfcheck.loader_check import copy_tree
from tools.tfcheck.schema import Schemas, load_floor_schemas, load_schemas

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_MODULE = Path(__file__).resolve().parent / "fixtures" / "module"


@pytest.fixture(scope="session")
def schemas() -> Schemas:
    return load_schemas()


@pytest.fixture(scope="session")
def floor_schemas() -> Schemas:
    """The floor pins: the lowest provider versions versions.tf allows."""
    return load_floor_schemas()


def _copy(source: Path, destination: Path) -> Path:
    copy_tree(source, module_directories(source), destination)
    # The module packages lambda/ with archive_file; keep it so the copy is complete.
    for extra in ("lambda", "src"):
        if (source / extra).is_dir():
            shutil.copytree(
                source / extra,
                destination / extra,
                ignore=shutil.ignore_patterns("__pycache__"),
                dirs_exist_ok=True,
            )
    return destination


@pytest.fixture
def module_copy(tmp_path: Path) -> Path:
    """A copy of this repository's module and examples, safe to break."""
    return _copy(REPO_ROOT, tmp_path / "module")


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A copy of tests/terraform/fixtures/module (small, stable, known to be clean)."""
    return _copy(FIXTURE_MODULE, tmp_path / "fixture")
