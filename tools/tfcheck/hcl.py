"""A small, position-keeping model of Terraform configuration files.

python-hcl2's dictionary output loses line numbers, so this module walks its raw Lark
parse tree (built with ``propagate_positions``) instead and keeps, for every block and
argument, the file and line it starts on. Expressions stay Lark trees; :func:`traversals`
lists the references (``var.x``, ``aws_iam_role.this.arn``...) an expression makes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hcl2.api import parses_to_tree
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput

Node = Tree[Token]  # a node of python-hcl2's raw Lark parse tree


class HclParseError(Exception):
    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


@dataclass
class Attribute:
    name: str
    file: str
    line: int
    expr: Node
    source: str  # the expression exactly as written
    end_line: int = 0

    def traversals(self, scope: frozenset[str] = frozenset()) -> list[Traversal]:
        return list(traversals(self.expr, self.file, scope))


@dataclass
class Block:
    type: str
    labels: list[str]
    file: str
    line: int
    end_line: int = 0
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, type_name: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_name]

    @property
    def address(self) -> str:
        if self.type == "resource":
            return ".".join(self.labels)
        if self.type == "data":
            return "data." + ".".join(self.labels)
        return ".".join([self.type, *self.labels])


@dataclass
class File:
    path: str
    text: str
    body: Block  # a pseudo block holding the file's top-level blocks and arguments


def parse_file(path: Path) -> File:
    text = path.read_text(encoding="utf-8")
    return parse_text(text, str(path))


def parse_text(text: str, filename: str) -> File:
    try:
        tree = parses_to_tree(text)
    except UnexpectedInput as exc:
        raise HclParseError(filename, exc.line, f"cannot parse: {exc.__class__.__name__}") from exc
    except LarkError as exc:
        raise HclParseError(filename, 1, f"cannot parse: {exc}") from exc
    body = _child(tree, "body")
    top = Block(type="", labels=[], file=filename, line=1)
    if body is not None:
        _fill(top, body, text, filename)
    return File(path=filename, text=text, body=top)


def load_module(directory: Path) -> list[File]:
    """Parse every ``*.tf`` file of one module directory (not recursive)."""
    return [parse_file(p) for p in sorted(directory.glob("*.tf"))]


def _child(tree: Node, data: str) -> Node | None:
    for child in tree.children:
        if isinstance(child, Tree) and child.data == data:
            return child
    return None


def _name(tree: Node) -> str:
    """The text of an identifier/keyword/literal_value/string node."""
    if tree.data == "string":
        return "".join(
            str(tok)
            for part in tree.children
            if isinstance(part, Tree)
            for tok in part.children
            if isinstance(tok, Token)
        )
    tokens = [c for c in tree.children if isinstance(c, Token)]
    return str(tokens[0]) if tokens else ""


def _fill(block: Block, body: Node, text: str, filename: str) -> None:
    for item in body.children:
        if not isinstance(item, Tree):
            continue
        if item.data == "attribute":
            name_node, expr = item.children[0], item.children[-1]
            assert isinstance(name_node, Tree) and isinstance(expr, Tree)
            source = text[expr.meta.start_pos : expr.meta.end_pos]
            block.attributes[_name(name_node)] = Attribute(
                name=_name(name_node),
                file=filename,
                line=item.meta.line,
                expr=expr,
                source=source,
                end_line=expr.meta.end_line,
            )
        elif item.data == "block":
            heads = [
                c
                for c in item.children
                if isinstance(c, Tree)
                and c.data in ("identifier", "keyword", "literal_value", "string")
            ]
            child = Block(
                type=_name(heads[0]),
                labels=[_name(h) for h in heads[1:]],
                file=filename,
                line=item.meta.line,
                end_line=item.meta.end_line,
            )
            inner = _child(item, "body")
            if inner is not None:
                _fill(child, inner, text, filename)
            block.blocks.append(child)


# --- references ---------------------------------------------------------------------


SPLAT = "*"


@dataclass(frozen=True)
class Traversal:
    """``root.step1[...].step2``: index steps are ``None``, splat steps ``"*"``."""

    root: str
    steps: tuple[str | None, ...]
    file: str
    line: int

    @property
    def text(self) -> str:
        out = self.root
        for step in self.steps:
            out += "[...]" if step is None else "[*]" if step == SPLAT else f".{step}"
        return out

    def names(self, count: int) -> tuple[str, ...] | None:
        """The first ``count`` attribute steps, or None if an index comes first."""
        steps = self.steps[:count]
        if len(steps) < count or any(s is None or s == SPLAT for s in steps):
            return None
        return tuple(s for s in steps if s is not None)


_CHAIN = {"get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term"}


def traversals(node: Node | Token, file: str, scope: frozenset[str]) -> Iterator[Traversal]:
    """Every reference an expression makes, except to names bound in ``scope``
    (for-expression and template iterators are added as they are met)."""
    if isinstance(node, Token):
        if node.type in ("HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM"):
            yield from _template_traversals(str(node), file, node.line or 1, scope)
        return
    data = node.data
    if data == "expr_term" or data in _CHAIN:
        chain = _chain(node)
        if chain is not None:
            root, steps, indexes, line = chain
            if root not in scope:
                yield Traversal(root, tuple(steps), file, line)
            for index in indexes:
                yield from traversals(index, file, scope)
            return
    if data == "function_call":
        for child in node.children:
            if isinstance(child, Tree) and child.data == "arguments":
                yield from traversals(child, file, scope)
        return
    if data == "object_elem_key":
        inner = node.children[0]
        if isinstance(inner, Tree) and _bare_identifier(inner) is not None:
            return  # `{ key = ... }`: a literal key, not a reference
        if isinstance(inner, Tree) and inner.data == "keyword":
            return
    if data in ("for_tuple_expr", "for_object_expr"):
        intro = _child(node, "for_intro")
        assert intro is not None
        names = [_name(c) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
        collection = [c for c in intro.children if isinstance(c, Tree) and c.data != "identifier"]
        for expr in collection:
            yield from traversals(expr, file, scope)
        inner_scope = scope | frozenset(names)
        for child in node.children:
            if isinstance(child, Tree) and child.data != "for_intro":
                yield from traversals(child, file, inner_scope)
        return
    if data == "string":
        yield from _string_traversals(node, file, scope)
        return
    for child in node.children:
        yield from traversals(child, file, scope)


def _bare_identifier(expr_term: Node) -> str | None:
    if expr_term.data != "expr_term" or len(expr_term.children) != 1:
        return None
    only = expr_term.children[0]
    if isinstance(only, Tree) and only.data == "identifier":
        return _name(only)
    return None


def _chain(node: Node) -> tuple[str, list[str | None], list[Node], int] | None:
    """Unwind ``a.b[i].c`` into ("a", ["b", None, "c"], [i], line) if it starts at a name."""
    steps: list[str | None] = []
    indexes: list[Node] = []
    current = node
    while True:
        if current.data == "expr_term":
            name = _bare_identifier(current)
            if name is not None:
                steps.reverse()
                return name, steps, indexes, current.meta.line
            if len(current.children) == 1 and isinstance(current.children[0], Tree):
                current = current.children[0]
                if current.data in _CHAIN:
                    continue
            return None
        if current.data not in _CHAIN:
            return None
        base, step = current.children[0], current.children[1]
        assert isinstance(base, Tree) and isinstance(step, Tree)
        collected: list[str | None] = []
        _collect_steps(step, collected, indexes)
        steps.extend(reversed(collected))
        current = base


def _collect_steps(step: Node, out: list[str | None], indexes: list[Node]) -> None:
    if step.data == "get_attr":
        names = [c for c in step.children if isinstance(c, Tree)]
        out.append(_name(names[0]) if names else None)
    elif step.data in ("braces_index", "short_index"):
        out.append(None)
        indexes.extend(c for c in step.children if isinstance(c, Tree))
    elif step.data in ("attr_splat", "full_splat"):
        out.append(SPLAT)
        for child in step.children:
            if isinstance(child, Tree):
                _collect_steps(child, out, indexes)


def _string_traversals(node: Node, file: str, scope: frozenset[str]) -> Iterator[Traversal]:
    local_scope = scope
    for part in node.children:
        if not isinstance(part, Tree):
            continue
        for piece in part.children:
            if not isinstance(piece, Tree):
                continue
            if piece.data == "template_for_start":
                names = [
                    _name(c)
                    for c in piece.children
                    if isinstance(c, Tree) and c.data == "identifier"
                ]
                for expr in piece.children:
                    if isinstance(expr, Tree) and expr.data != "identifier":
                        yield from traversals(expr, file, local_scope)
                local_scope = local_scope | frozenset(names)
            else:
                yield from traversals(piece, file, local_scope)


_TEMPLATE_OPEN = re.compile(r"(?<![$%])([$%])\{")
_FOR_DIRECTIVE = re.compile(r"^~?\s*for\s+(\w+)(?:\s*,\s*(\w+))?\s+in\s+(.*?)\s*~?$", re.DOTALL)
_IF_DIRECTIVE = re.compile(r"^~?\s*if\s+(.*?)\s*~?$", re.DOTALL)


def _template_traversals(
    heredoc: str, file: str, first_line: int, scope: frozenset[str]
) -> Iterator[Traversal]:
    """References inside a heredoc (python-hcl2 keeps heredocs as one token)."""
    local_scope = scope
    pos = 0
    while True:
        match = _TEMPLATE_OPEN.search(heredoc, pos)
        if match is None:
            return
        # `$${` and `%%{` are escapes: the lookbehind skips the second character, but
        # the first `$$` must be skipped here too.
        start = match.end()
        end = _matching_brace(heredoc, start)
        if end is None:
            return
        inner = heredoc[start:end]
        line = first_line + heredoc.count("\n", 0, start)
        pos = end + 1
        if match.start() > 0 and heredoc[match.start() - 1] == match.group(1):
            continue
        if match.group(1) == "$":
            yield from _parse_expression(inner.strip().strip("~"), file, line, local_scope)
            continue
        directive = inner.strip()
        for_match = _FOR_DIRECTIVE.match(directive)
        if_match = _IF_DIRECTIVE.match(directive)
        if for_match:
            yield from _parse_expression(for_match.group(3), file, line, local_scope)
            local_scope = local_scope | {n for n in for_match.group(1, 2) if n}
        elif if_match:
            yield from _parse_expression(if_match.group(1), file, line, local_scope)


def _matching_brace(text: str, start: int) -> int | None:
    depth = 1
    index = start
    in_string = False
    while index < len(text):
        char = text[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _parse_expression(
    source: str, file: str, line: int, scope: frozenset[str]
) -> Iterator[Traversal]:
    try:
        tree = parses_to_tree(f"x = {source}\n")
    except LarkError:
        return
    body = _child(tree, "body")
    attribute = _child(body, "attribute") if body is not None else None
    if attribute is None:
        return
    for found in traversals(attribute.children[-1], file, scope):
        yield Traversal(found.root, found.steps, found.file, line + found.line - 1)
