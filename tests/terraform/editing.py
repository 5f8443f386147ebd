"""Editing helpers for the breakage tests: change a module copy by line number."""

from __future__ import annotations

from pathlib import Path

from tools.tfcheck.findings import Finding


def replace_line(path: Path, line: int, old: str, new: str) -> None:
    """Replace ``old`` with ``new`` on one (1-based) line; fail if it is not there."""
    lines = path.read_text().splitlines(keepends=True)
    assert old in lines[line - 1], f"{path}:{line} has no {old!r}: {lines[line - 1]!r}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines))


def delete_lines(path: Path, first: int, last: int) -> None:
    lines = path.read_text().splitlines(keepends=True)
    del lines[first - 1 : last]
    path.write_text("".join(lines))


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def at(findings: list[Finding], file: Path, line: int, check: str | None = None) -> list[Finding]:
    """The findings that point at ``file:line`` (and come from ``check``)."""
    return [
        f
        for f in findings
        if Path(f.file).resolve() == file.resolve()
        and f.line == line
        and (check is None or f.check == check)
    ]
