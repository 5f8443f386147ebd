################################################################################
# In an account that copies DynamoDB recovery points to another account: forward
# the completed copy jobs' events to that account's default event bus, where the
# rotator's copy-jobs rule takes them (copy_source_account_ids).
#
# AWS Backup emits a copy job's Copy Job State Change in the account that runs the
# copy job (the source); the destination account gets no copy job event of its own.
################################################################################

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

data "aws_service" "events" {
  service_id = "events"
}

locals {
  partition          = data.aws_partition.current.partition
  region             = data.aws_service.events.region
  destination_region = coalesce(var.destination_region, local.region)
  destination_bus    = "arn:${local.partition}:events:${local.destination_region}:${var.destination_account_id}:event-bus/default"
}

resource "aws_cloudwatch_event_rule" "this" {
  name        = var.name
  description = "Completed DynamoDB copy jobs into account ${var.destination_account_id}: forwarded to its default event bus for the DynamoDB Backup Rotator."

  event_pattern = jsonencode({
    source        = ["aws.backup"]
    account       = [data.aws_caller_identity.current.account_id]
    "detail-type" = ["Copy Job State Change"]
    detail = {
      state                     = ["COMPLETED"]
      resourceType              = ["DynamoDB"]
      destinationBackupVaultArn = [{ prefix = "arn:${local.partition}:backup:${local.destination_region}:${var.destination_account_id}:backup-vault:" }]
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
  description          = "Lets EventBridge forward completed DynamoDB copy job events to account ${var.destination_account_id} (DynamoDB Backup Rotator)."
  path                 = var.role_path
  permissions_boundary = var.role_permissions_boundary
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json

  tags = var.tags
}

data "aws_iam_policy_document" "forward" {
  statement {
    sid       = "PutOnDestinationBus"
    actions   = ["events:PutEvents"]
    resources = [local.destination_bus]
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
  arn       = local.destination_bus
  role_arn  = aws_iam_role.this.arn

  depends_on = [aws_iam_role_policy.this]
}
