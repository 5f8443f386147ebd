"""Reading pieces of the module's HCL as text, for tests that compare it with the code.

Terraform's formatter keeps the layout regular, so balanced braces are enough here.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def hcl_block(text: str, opening: str) -> str:
    """The body of the block that starts with ``opening`` (braces balanced)."""
    start = text.index(opening) + len(opening)
    depth = 1
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start:index]
    raise AssertionError(f"unbalanced block after {opening!r}")


def entries(body: str) -> dict[str, str]:
    """Top-level ``key = { ... }`` entries of a block body (nested ones skipped)."""
    found: dict[str, str] = {}
    position = 0
    pattern = re.compile(r"^\s*(\w+)\s*=\s*\{", re.MULTILINE)
    while (match := pattern.search(body, position)) is not None:
        inner = hcl_block(body[match.start() :], "{")
        found[match.group(1)] = inner
        position = match.end() + len(inner) + 1
    return found


def quoted_actions(body: str) -> set[str]:
    """The ``"service:Action"`` strings in the ``actions = [...]`` lists of a block."""
    found: set[str] = set()
    for match in re.finditer(r"\bactions\s*=\s*\[", body):
        depth, end = 1, match.end()
        while depth:
            depth += {"[": 1, "]": -1}.get(body[end], 0)
            end += 1
        found |= set(re.findall(r'"([a-z0-9-]+:[A-Za-z*]+)"', body[match.end() : end]))
    return found
