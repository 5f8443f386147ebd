################################################################################
# The ledger of copies: which tables are the rotator's (lambda/rotator/ledger.py)
################################################################################

# One item per copy, keyed by the copy's table name. StartRestore writes it before it
# asks AWS to restore; Configure, Publish, DiscardRefusedCopy and Cleanup move it along;
# Cleanup deletes only the tables it records, and gives a deleted copy's item an
# expiry (TTL) 90 days later so the table stays small. Always created: every rotation
# records its copy.
resource "aws_dynamodb_table" "ledger" {
  name         = local.ledger_table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "copy"

  attribute {
    name = "copy"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  tags = var.tags

  lifecycle {
    postcondition {
      condition     = self.arn == local.ledger_table_arn
      error_message = "The ledger table's ARN ${self.arn} differs from ${local.ledger_table_arn}, which the functions' policies and the ledger's resource policy were given."
    }
  }

  # checkov:skip=CKV_AWS_28: Losing the ledger loses no data of the copies: the tables stay, and a copy the ledger no longer records is only never deleted by the rotator (safe); point-in-time recovery would cost more than it protects.
  # checkov:skip=CKV_AWS_119: Encrypted at rest with DynamoDB's AWS owned key; the items name tables and backups of this account, which the account's DynamoDB and AWS Backup list to anyone allowed to read them, so a customer managed key would add cost and a key policy for no protection.
  # checkov:skip=CKV2_AWS_16: On-demand capacity; there is no provisioned throughput to scale.
}

# Only the rotator's function roles may write the ledger: anyone else who could write
# an item could make any table "the rotator's copy" and have Cleanup delete it. An
# explicit deny in a resource-based policy wins over every identity policy of the
# account, administrators' included, for these actions; it cannot stop a principal
# allowed dynamodb:PutResourcePolicy or DeleteResourcePolicy on the table from changing
# this policy first (CloudTrail records such a change).
data "aws_iam_policy_document" "ledger" {
  statement {
    sid    = "OnlyTheRotatorWritesTheLedger"
    effect = "Deny"
    actions = [
      "dynamodb:BatchWriteItem",
      "dynamodb:DeleteItem",
      "dynamodb:PartiQLDelete",
      "dynamodb:PartiQLInsert",
      "dynamodb:PartiQLUpdate",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]
    resources = [local.ledger_table_arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = [for key in local.ledger_writers : local.lambda_role_arns[key]]
    }
  }
}

resource "aws_dynamodb_resource_policy" "ledger" {
  resource_arn = aws_dynamodb_table.ledger.arn
  policy       = data.aws_iam_policy_document.ledger.json
}
