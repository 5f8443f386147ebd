"""One source for every figure the documentation states.

A measured figure (a count, cost, ratio, lag, size, time) is written in the markdown
between two HTML comments that name where it comes from; rendered, only the value shows:

    <!-- bench: durations/3600/module/transitions -->20<!-- /bench -->
    $<!-- bench: durations/300/module/cost_usd | .6f -->0.000230<!-- /bench -->
    <!-- default: restore_event_timeout_seconds -->900<!-- /default -->

``bench:`` is a path into ``bench/results.json`` (keys and list indexes separated by
``/``), ``default:`` the default of a root module variable (``variables.tf``). An
optional ``| SPEC`` is a Python format spec (``.6f``, ``,.2f``); without one, whole
numbers get thousands separators and other values are written as JSON holds them.

``python -m tools.docfigures check`` lists every marker whose value disagrees with its
source, every marker naming a path that does not exist, and every figure stated without
a marker where it can tell (``$`` amounts, N transitions, N invocations, N ms, sizes,
N times, a lag in seconds); ``update`` rewrites the markers' values from their sources
(``make docs`` runs it). The rule is described in docs/development.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.tfcheck.config import load_module
from tools.tfcheck.hcl import NotLiteral, value

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path("bench") / "results.json"

MARKER = re.compile(r"<!-- (bench|default): (.*?) -->(.*?)<!-- /\1 -->", re.DOTALL)
_FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
_TF_DOCS = re.compile(r"<!-- BEGIN_TF_DOCS -->.*?<!-- END_TF_DOCS -->", re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
# Figures that are measured, not chosen: each must sit inside a marker.
UNMARKED = {
    "an amount of money": re.compile(r"\$\s?\d"),
    "a count of state transitions": re.compile(
        rf"\b{_NUMBER}\s+(?:state\s+)?transitions?\b", re.IGNORECASE
    ),
    "a count of invocations": re.compile(rf"\b{_NUMBER}\s+(?:Lambda\s+)?invocations?\b"),
    "a time in milliseconds": re.compile(rf"\b{_NUMBER}\s?ms\b"),
    "a size": re.compile(rf"\b{_NUMBER}\s?(?:bytes|[KMG]i?B)\b"),
    "a ratio": re.compile(rf"\b{_NUMBER}\s?(?:times|x)\b(?! ?\d)"),
    "a lag": re.compile(rf"\blags?\b[^.\n]{{0,60}}?\b{_NUMBER}\s?s\b", re.IGNORECASE),
}


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Sources:
    """The values markers may name, read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.results: Any = json.loads((root / RESULTS).read_text())
        self._defaults: dict[str, Any] | None = None

    def defaults(self) -> dict[str, Any]:
        if self._defaults is None:
            found: dict[str, Any] = {}
            for name, block in load_module(self.root).variables.items():
                if "default" in block.attributes:
                    try:
                        found[name] = value(block.attributes["default"].source)
                    except NotLiteral:
                        continue
            self._defaults = found
        return self._defaults

    def lookup(self, kind: str, path: str) -> Any:
        """The value a marker names; KeyError saying what is missing."""
        if kind == "default":
            defaults = self.defaults()
            if path not in defaults:
                raise KeyError(f"variables.tf has no variable {path!r} with a literal default")
            return defaults[path]
        node: Any = self.results
        walked: list[str] = []
        for key in path.split("/"):
            walked.append(key)
            if isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            elif isinstance(node, dict) and key in node:
                node = node[key]
            else:
                raise KeyError(f"{RESULTS} has no {'/'.join(walked)}")
        if isinstance(node, dict | list) or node is None:
            raise KeyError(f"{RESULTS} at {path} holds {json.dumps(node)[:60]}, not a figure")
        return node


def render(raw: Any, spec: str) -> str:
    if spec:
        return format(raw, spec)
    if isinstance(raw, bool | str):
        return str(raw)
    if isinstance(raw, int) or (isinstance(raw, float) and raw.is_integer()):
        return f"{int(raw):,}"
    return str(raw)


def _parse(spec: str) -> tuple[str, str]:
    path, _, fmt = spec.partition("|")
    return path.strip(), fmt.strip()


def documents(root: Path) -> list[Path]:
    """README.md, docs/*.md and the examples' and submodules' READMEs."""
    found = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    found += sorted((root / "examples").glob("*/README.md"))
    found += sorted((root / "modules").glob("*/README.md"))
    return [p for p in found if p.is_file()]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _blank(match: re.Match[str]) -> str:
    """The match replaced by spaces, newlines kept, so offsets keep their lines."""
    return re.sub(r"[^\n]", " ", match[0])


def unmarked_figures(text: str) -> list[tuple[int, str, str]]:
    """(line, what, text) of each figure stated outside a marker, code and the
    generated inputs/outputs block."""
    prose = MARKER.sub(lambda m: _blank(m).replace(" ", "#", 1), text)
    for pattern in (_TF_DOCS, _FENCE, _CODE_SPAN, _COMMENT):
        prose = pattern.sub(_blank, prose)
    found = []
    for what, pattern in UNMARKED.items():
        for match in pattern.finditer(prose):
            found.append((_line(prose, match.start()), what, " ".join(match[0].split())))
    return sorted(found)


def check_text(path: Path, text: str, sources: Sources) -> list[Problem]:
    problems = []
    for match in MARKER.finditer(text):
        kind, (where, spec), shown = match[1], _parse(match[2]), match[3]
        line = _line(text, match.start())
        try:
            expected = render(sources.lookup(kind, where), spec)
        except KeyError as exc:
            problems.append(Problem(path, line, f"marker {kind}: {where}: {exc.args[0]}"))
            continue
        except ValueError as exc:
            problems.append(Problem(path, line, f"marker {kind}: {where}: format {spec!r}: {exc}"))
            continue
        if shown != expected:
            source = "variables.tf" if kind == "default" else str(RESULTS)
            problems.append(
                Problem(
                    path,
                    line,
                    f"says {shown!r} where {source} gives {expected!r} ({where}): run `make docs`",
                )
            )
    for line, what, figure in unmarked_figures(text):
        problems.append(
            Problem(
                path,
                line,
                f"{what} without a marker: {figure!r} (docs/development.md, "
                "'Figures'; write it as <!-- bench: path -->value<!-- /bench -->)",
            )
        )
    return problems


def updated_text(text: str, sources: Sources) -> str:
    def fill(match: re.Match[str]) -> str:
        kind, (where, spec) = match[1], _parse(match[2])
        try:
            shown = render(sources.lookup(kind, where), spec)
        except (KeyError, ValueError):
            return match[0]  # check reports it
        return f"<!-- {kind}: {match[2]} -->{shown}<!-- /{kind} -->"

    return MARKER.sub(fill, text)


def check(root: Path) -> list[Problem]:
    sources = Sources(root)
    problems: list[Problem] = []
    for path in documents(root):
        problems += check_text(path.relative_to(root), path.read_text(), sources)
    return problems


def update(root: Path) -> list[Path]:
    """Rewrite every marker's value from its source; the files that changed."""
    sources = Sources(root)
    changed = []
    for path in documents(root):
        text = path.read_text()
        if (new := updated_text(text, sources)) != text:
            path.write_text(new)
            changed.append(path.relative_to(root))
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.docfigures", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("command", choices=("check", "update"))
    parser.add_argument("--root", type=Path, default=REPO_ROOT)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "update":
        for path in update(root):
            print(f"{path}: figures updated from {RESULTS}")
    problems = check(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
