"""The fake archive provider's archive_file writes the zip the module deploys."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

import pytest

from tools.fakeprovider.archive import ArchiveError, build

EXCLUDES = ["**/__pycache__", "**/__pycache__/**", "**/*.pyc", "**/.*_cache", "**/.*_cache/**"]


def source_tree(root: Path) -> Path:
    for name, text in {
        "rotator/__init__.py": "",
        "rotator/handlers/trigger.py": "def handler(e, c): ...\n",
        "rotator/__pycache__/x.cpython-311.pyc": "junk",
        "rotator/naming.pyc": "junk",
        "rotator/.mypy_cache/state.json": "{}",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def config(tmp_path: Path, **extra: object) -> dict[str, object]:
    return {
        "type": "zip",
        "source_dir": str(source_tree(tmp_path / "lambda")),
        "output_path": str(tmp_path / "out" / "package.zip"),
        "excludes": EXCLUDES,
        "output_file_mode": "0666",
        **extra,
    }


def test_the_zip_holds_the_sources_without_what_excludes_names(tmp_path: Path) -> None:
    state = build(config(tmp_path))
    with zipfile.ZipFile(state["output_path"]) as archive:
        assert archive.namelist() == ["rotator/__init__.py", "rotator/handlers/trigger.py"]
        assert archive.read("rotator/handlers/trigger.py") == b"def handler(e, c): ...\n"
        modes = {info.external_attr >> 16 & 0o777 for info in archive.infolist()}
    assert modes == {0o666}


def test_the_computed_attributes_describe_the_written_file(tmp_path: Path) -> None:
    state = build(config(tmp_path))
    data = Path(str(state["output_path"])).read_bytes()
    assert state["output_size"] == len(data)
    assert state["output_md5"] == hashlib.md5(data).hexdigest()
    assert state["id"] == state["output_sha"] == hashlib.sha1(data).hexdigest()
    assert state["output_base64sha256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()


def test_the_same_sources_give_the_same_hash_whenever_they_are_zipped(tmp_path: Path) -> None:
    first = build(config(tmp_path))["output_base64sha256"]
    for path in (tmp_path / "lambda").rglob("*.py"):
        path.touch()  # new modification times
    assert build(config(tmp_path))["output_base64sha256"] == first


def test_an_unusable_configuration_says_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="type 'tar' is not supported"):
        build(config(tmp_path, type="tar"))
    with pytest.raises(ArchiveError, match="output_file_mode 'rw' is not an octal"):
        build(config(tmp_path, output_file_mode="rw"))
    with pytest.raises(ArchiveError, match="is not a directory"):
        build(config(tmp_path, source_dir=str(tmp_path / "missing")))


def test_source_blocks_are_sorted_by_name_and_get_no_file_mode(tmp_path: Path) -> None:
    """As hashicorp/archive's ArchiveMultiple writes them (Go's zip.Writer.Create):
    the set's order does not matter, and output_file_mode does not reach them."""
    blocks = [
        {"filename": "rotator/handlers/trigger.py", "content": "def handler(e, c): ...\n"},
        {"filename": "rotator/__init__.py", "content": ""},
    ]
    hashes = set()
    for order in (blocks, blocks[::-1]):
        output = tmp_path / "out" / "package.zip"
        state = build(
            {
                "type": "zip",
                "source": order,
                "output_path": str(output),
                "output_file_mode": "0666",
            }
        )
        hashes.add(state["output_base64sha256"])
        with zipfile.ZipFile(output) as archive:
            assert archive.namelist() == ["rotator/__init__.py", "rotator/handlers/trigger.py"]
            assert {(info.create_system, info.external_attr) for info in archive.infolist()} == {
                (0, 0)
            }
    assert len(hashes) == 1
