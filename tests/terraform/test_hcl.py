"""The HCL model keeps the line and source text of every block and argument."""

from __future__ import annotations

import pytest

from tools.tfcheck.hcl import NotLiteral, parse_text, value

SOURCE = """\
resource "aws_sns_topic" "this" {
  name = "${var.name}-topic"

  policy = <<-EOT
    {"Resource": "${aws_sns_topic.other.arn}"}
  EOT

  tags = { for key, value in var.tags : key => upper(value) if key != local.skip }
  delivery_policy = jsonencode({ retries = var.retries, (local.dynamic_key) = 1 })

  dynamic "statement" {
    for_each = var.statements
    content {
      sid = statement.value.sid
    }
  }
}
"""


def test_blocks_and_arguments_keep_their_lines() -> None:
    block = parse_text(SOURCE, "main.tf").blocks[0]
    assert (block.type, block.labels, block.line) == ("resource", ["aws_sns_topic", "this"], 1)
    assert block.attributes["name"].line == 2
    assert block.attributes["policy"].line == 4
    assert block.blocks[0].type == "dynamic" and block.blocks[0].line == 11


def test_arguments_keep_their_source_text() -> None:
    block = parse_text(SOURCE, "main.tf").blocks[0]
    assert block.attributes["name"].source == '"${var.name}-topic"'
    assert block.attributes["policy"].source.startswith("<<-EOT\n")
    assert block.blocks[0].blocks_of("content")[0].attributes["sid"].line == 14


def test_constant_expressions_have_values_and_references_have_none() -> None:
    assert value('{ a = [1, true, null], "b-c" = "x \\"y\\" $${z}" }') == {
        "a": [1, True, None],
        "b-c": 'x "y" $${z}',
    }
    for expression in ("var.name", '"${var.name}-topic"', '["a", local.b]'):
        with pytest.raises(NotLiteral):
            value(expression)
