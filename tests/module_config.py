"""The module's configuration as python-hcl2 reads it, for tests that compare it with
the Lambda code and the emulator (the same pinned parser tools/tfcheck uses)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import hcl2

ROOT = Path(__file__).resolve().parents[1]


def _unquote(label: str) -> str:
    return label.strip('"')


def load(file_name: str) -> dict[str, Any]:
    with (ROOT / file_name).open() as handle:
        return dict(hcl2.load(handle))


def locals_of(file_name: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for block in load(file_name).get("locals", []):
        merged.update(block)
    return merged


def variables() -> dict[str, dict[str, Any]]:
    """The module's input variables, by name, from every root .tf file."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(ROOT.glob("*.tf")):
        for entry in load(path.name).get("variable", []):
            found.update({_unquote(name): body for name, body in entry.items()})
    return found


def blocks(file_name: str, kind: str, type_name: str) -> dict[str, dict[str, Any]]:
    """The ``kind`` ("resource" or "data") blocks of ``type_name``, by name."""
    found: dict[str, dict[str, Any]] = {}
    for entry in load(file_name).get(kind, []):
        for typ, named in entry.items():
            if _unquote(typ) == type_name:
                found.update({_unquote(name): body for name, body in named.items()})
    return found


def actions(body: Any) -> set[str]:
    """Every ``service:Action`` named in an ``actions`` list anywhere in ``body``
    (statements and dynamic statements' content alike)."""
    if isinstance(body, list):
        return set().union(*(actions(item) for item in body)) if body else set()
    if not isinstance(body, dict):
        return set()
    found = set()
    for key, value in body.items():
        if key == "actions":
            found |= set(re.findall(r'"([a-z0-9-]+:[A-Za-z*]+)', str(value)))
        else:
            found |= actions(value)
    return found
