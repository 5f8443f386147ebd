"""A working ``archive_file`` data source for the fake hashicorp/archive provider: the
zip is written as the real provider does for the arguments the module uses (what is
supported, and how the bytes differ: tools/README.md, "No provider logic")."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgpack

# 1980-01-01, the earliest time a zip entry can hold.
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class ArchiveError(ValueError):
    """The configuration cannot be archived; the message says why."""


_GLOB = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}


def _glob_regex(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*/|\*\*|\*|\?)", pattern)
    return re.compile("".join(_GLOB.get(part, re.escape(part)) for part in parts))


def _walk(
    directory: Path, patterns: list[re.Pattern[str]], prefix: str = ""
) -> Iterator[tuple[str, Path]]:
    for entry in sorted(directory.iterdir(), key=lambda p: p.name):
        relative = f"{prefix}{entry.name}"
        if any(p.fullmatch(relative) for p in patterns):
            continue
        if entry.is_dir():
            yield from _walk(entry, patterns, f"{relative}/")
        elif entry.is_file():
            yield relative, entry


def _mode(text: str | None) -> int:
    if text is None:
        return 0o644
    try:
        return int(text, 8)
    except ValueError:
        message = f"output_file_mode {text!r} is not an octal file mode such as 0666"
        raise ArchiveError(message) from None


def _entries(config: dict[str, Any]) -> list[tuple[str, bytes, bool]]:
    """(name, data, whether output_file_mode applies) for each entry, in zip order."""
    patterns = [_glob_regex(p) for p in config.get("excludes") or []]
    entries: list[tuple[str, bytes, bool]] = []
    if config.get("source_dir"):
        root = Path(config["source_dir"])
        if not root.is_dir():
            raise ArchiveError(f"source_dir {str(root)!r} is not a directory")
        entries += [(name, path.read_bytes(), True) for name, path in _walk(root, patterns)]
    if config.get("source_file"):
        path = Path(config["source_file"])
        if not path.is_file():
            raise ArchiveError(f"source_file {str(path)!r} is not a file")
        entries.append((path.name, path.read_bytes(), True))
    if config.get("source_content") is not None:
        name = config.get("source_content_filename")
        if not name:
            raise ArchiveError("source_content needs source_content_filename")
        entries.append((name, str(config["source_content"]).encode(), False))
    # `source` blocks (a set): sorted by file name, and like source_content written
    # without a file mode, as the real provider does (ArchiveMultiple, ArchiveContent:
    # Go's zip.Writer.Create, which output_file_mode does not reach).
    blocks = sorted(config.get("source") or [], key=lambda block: str(block["filename"]))
    entries += [(b["filename"], str(b["content"]).encode(), False) for b in blocks]
    if not entries:
        sources = "source_dir, source_file, source_content or source"
        raise ArchiveError(f"nothing to archive: set one of {sources}")
    return entries


def build(config: dict[str, Any]) -> dict[str, Any]:
    """Write the archive ``config`` describes; return the data source's new state."""
    if config.get("type") != "zip":
        raise ArchiveError(f'type {config.get("type")!r} is not supported; expected "zip"')
    output = Path(config["output_path"])
    mode = _mode(config.get("output_file_mode"))
    output.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, has_mode in _entries(config):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            if has_mode:
                info.external_attr = (0o100000 | mode) << 16
            else:
                info.create_system = 0  # "made by MS-DOS", as Go's zip says without a mode
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
            if not has_mode:
                # writestr puts 0o600 in an empty mode; the attributes are only in the
                # central directory, written on close, so this reaches the zip.
                info.external_attr = 0
    data = buffer.getvalue()
    # Written whole under a temporary name, then renamed: module instances of one root
    # whose functions share names (tests/emulator/terraform.py plans several at once)
    # write the same path, and a reader never sees a half-written zip.
    partial = output.with_name(f".{output.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_bytes(data)
    partial.replace(output)
    state = {**config, "output_size": len(data), "output_md5": hashlib.md5(data).hexdigest()}
    state["id"] = state["output_sha"] = hashlib.sha1(data).hexdigest()
    for bits in ("256", "512"):
        digest = hashlib.new(f"sha{bits}", data)
        state[f"output_sha{bits}"] = digest.hexdigest()
        state[f"output_base64sha{bits}"] = base64.b64encode(digest.digest()).decode()
    return state


def read_data_source(request: Any, response: Any) -> Any:
    """``ReadDataSource``: archive_file builds the zip; other data sources echo."""
    if request.type_name != "archive_file":
        return response(state=request.config)
    config = msgpack.unpackb(request.config.msgpack, raw=False)
    try:
        state = build(config)
    except (ArchiveError, OSError) as err:
        return response(
            diagnostics=[{"severity": 1, "summary": "archive_file", "detail": str(err)}]
        )
    return response(state={"msgpack": msgpack.packb(state, use_bin_type=True)})
