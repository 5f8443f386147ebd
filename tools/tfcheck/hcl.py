"""A small, position-keeping model of Terraform configuration files.

python-hcl2's dictionary output loses line numbers, so this module walks its raw Lark
parse tree (built with ``propagate_positions``) instead and keeps, for every block and
argument, the file and line it starts on, and the source text of every expression.
"""

from __future__ import annotations

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
