"""The HCL model keeps the line of every block and argument, and finds references."""

from __future__ import annotations

from tools.tfcheck.hcl import parse_text

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


def _refs(source: str, name: str) -> list[str]:
    block = parse_text(source, "main.tf").body.blocks[0]
    return [f"{t.text}@{t.line}" for t in block.attributes[name].traversals()]


def test_blocks_and_arguments_keep_their_lines() -> None:
    block = parse_text(SOURCE, "main.tf").body.blocks[0]
    assert (block.type, block.labels, block.line) == ("resource", ["aws_sns_topic", "this"], 1)
    assert block.attributes["name"].line == 2
    assert block.attributes["policy"].line == 4
    assert block.blocks[0].type == "dynamic" and block.blocks[0].line == 11


def test_references_in_strings_are_found() -> None:
    assert _refs(SOURCE, "name") == ["var.name@2"]


def test_references_in_heredocs_are_found_on_their_own_line() -> None:
    assert _refs(SOURCE, "policy") == ["aws_sns_topic.other.arn@5"]


def test_for_expression_iterators_are_not_references() -> None:
    assert _refs(SOURCE, "tags") == ["var.tags@8", "local.skip@8"]


def test_object_keys_are_literal_unless_parenthesised() -> None:
    assert _refs(SOURCE, "delivery_policy") == ["var.retries@9", "local.dynamic_key@9"]


def test_index_and_splat_steps_are_kept() -> None:
    source = 'locals {\n  a = aws_lambda_function.this["x"].arn\n  b = aws_iam_role.r[*].name\n}\n'
    block = parse_text(source, "main.tf").body.blocks[0]
    assert [t.text for t in block.attributes["a"].traversals()] == [
        "aws_lambda_function.this[...].arn"
    ]
    assert [t.text for t in block.attributes["b"].traversals()] == ["aws_iam_role.r[*].name"]
