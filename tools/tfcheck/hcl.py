"""Terraform files as blocks and arguments with their file, lines and source text (from
python-hcl2's Lark tree, which keeps positions), and constant values (``hcl2.loads``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import hcl2
from hcl2.api import parses_to_tree
from hcl2.utils import SerializationOptions
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedInput

_VALUES = SerializationOptions(with_comments=False, explicit_blocks=False, preserve_heredocs=False)


class HclParseError(Exception):
    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


class NotLiteral(ValueError):
    pass


@dataclass
class Attribute:
    name: str
    file: str
    line: int
    source: str  # the expression exactly as written
    end_line: int


@dataclass
class Block:
    type: str
    labels: list[str]
    file: str
    line: int
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, type_name: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_name]


def parse_text(text: str, filename: str) -> Block:
    """A pseudo block holding the file's top-level blocks and arguments."""
    try:
        tree = parses_to_tree(text)
    except UnexpectedInput as exc:
        raise HclParseError(filename, exc.line, f"cannot parse: {exc.__class__.__name__}") from exc
    except LarkError as exc:
        raise HclParseError(filename, 1, f"cannot parse: {exc}") from exc
    top = Block("", [], filename, 1)
    _fill(top, tree, text)
    return top


def _trees(node: Tree[Token], *kinds: str) -> list[Tree[Token]]:
    return [c for c in node.children if isinstance(c, Tree) and (not kinds or c.data in kinds)]


def _name(node: Tree[Token]) -> str:
    """The text of an identifier, keyword, literal or string (a block label)."""
    if node.data == "string":
        return "".join(str(t) for part in _trees(node) for t in part.children)
    return str(node.children[0])


_HEADS = ("identifier", "keyword", "literal_value", "string")


def _fill(block: Block, node: Tree[Token], text: str) -> None:
    for body in _trees(node, "body"):
        for item in _trees(body, "attribute", "block"):
            if item.data == "attribute":
                name, expr = _name(_trees(item)[0]), _trees(item)[-1]
                source = text[expr.meta.start_pos : expr.meta.end_pos]
                end = expr.meta.end_line
                block.attributes[name] = Attribute(name, block.file, item.meta.line, source, end)
                continue
            heads = [_name(h) for h in _trees(item, *_HEADS)]  # its type and labels
            child = Block(heads[0], heads[1:], block.file, item.meta.line)
            _fill(child, item, text)
            block.blocks.append(child)


def value(source: str) -> Any:
    """The value of a constant expression's source; :class:`NotLiteral` if it has references."""
    return _decode(hcl2.loads(f"x = {source}\n", serialization_options=_VALUES)["x"])


def _decode(item: Any) -> Any:
    if isinstance(item, dict):
        return {_decode(k) if k.startswith('"') else k: _decode(v) for k, v in item.items()}
    if isinstance(item, list):
        return [_decode(v) for v in item]
    if isinstance(item, str):
        if not (len(item) >= 2 and item[0] == item[-1] == '"') or "${" in item.replace("$${", ""):
            raise NotLiteral(item)
        return json.loads(item)
    return item
