################################################################################
# In an account that copies DynamoDB recovery points to another account: forward
# the completed copy jobs' events to the rotator's copy events bus in that account
# (its copy_events_bus_arn output), where its forwarded-copies rule takes them
# (copy_source_account_ids).
#
# AWS Backup emits a copy job's Copy Job State Change in the account that runs the
# copy job (the source); the destination account gets no copy job event of its own.
################################################################################

data "aws_caller_identity" "current" {}

locals {
  # arn:<partition>:events:<region>:<account>:event-bus/<name>
  destination            = split(":", var.destination_event_bus_arn)
  destination_region     = local.destination[3]
  destination_account_id = local.destination[4]
  destination_vault_arns = "arn:${local.destination[1]}:backup:${local.destination_region}:${local.destination_account_id}:backup-vault:"
}

resource "aws_cloudwatch_event_rule" "this" {
  name        = var.name
  description = "Completed DynamoDB copy jobs into account ${local.destination_account_id}: forwarded to the DynamoDB Backup Rotator's bus there."

  event_pattern = jsonencode({
    source        = ["aws.backup"]
    account       = [data.aws_caller_identity.current.account_id]
    "detail-type" = ["Copy Job State Change"]
    detail = {
      state                     = ["COMPLETED"]
      resourceType              = ["DynamoDB"]
      destinationBackupVaultArn = [{ prefix = local.destination_vault_arns }]
    }
  })

  tags = var.tags
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "EventBridgeAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  description          = "Lets EventBridge forward completed DynamoDB copy job events to account ${local.destination_account_id} (DynamoDB Backup Rotator)."
  path                 = var.role_path
  permissions_boundary = var.role_permissions_boundary
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json

  tags = var.tags
}

data "aws_iam_policy_document" "forward" {
  statement {
    sid       = "PutOnDestinationBus"
    actions   = ["events:PutEvents"]
    resources = [var.destination_event_bus_arn]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "forward-copy-events"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.forward.json
}

resource "aws_cloudwatch_event_target" "this" {
  rule      = aws_cloudwatch_event_rule.this.name
  target_id = "destination-bus"
  arn       = var.destination_event_bus_arn
  role_arn  = aws_iam_role.this.arn

  depends_on = [aws_iam_role_policy.this]
}
