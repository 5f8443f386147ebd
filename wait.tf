################################################################################
# The event-driven wait for AWS Backup restore jobs (restore_job_wait = "event")
################################################################################

# AwaitRestoreJob files each waiting rotation's task token here under its restore job
# id; the restore-events function reads it when the job's event arrives. Items expire
# (TTL) a day after their rotation's restore timeout.
resource "aws_dynamodb_table" "restore_waits" {
  count = local.awaits_events ? 1 : 0

  name         = local.waits_table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "restore_job_id"

  attribute {
    name = "restore_job_id"
    type = "S"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  tags = var.tags

  lifecycle {
    postcondition {
      condition     = self.arn == local.waits_table_arn
      error_message = "The waits table's ARN ${self.arn} differs from ${local.waits_table_arn}, which the functions' policies were given."
    }
  }

  # checkov:skip=CKV_AWS_28: The table only holds the task tokens of rotations waiting now, each expiring with its rotation; a lost item costs one look at the job after max_poll_interval_seconds, so point-in-time recovery would protect nothing worth its cost.
  # checkov:skip=CKV_AWS_119: Encrypted at rest with DynamoDB's AWS owned key; the items are short-lived task tokens usable only with states:SendTaskSuccess on this state machine, so a customer managed key would add cost and a key policy for no protection.
  # checkov:skip=CKV2_AWS_16: On-demand capacity; there is no provisioned throughput to scale.
}

# AWS Backup puts a Restore Job State Change on the default bus for every restore job
# of the account (best effort, about every 5 minutes). Only finished ones wake anyone.
resource "aws_cloudwatch_event_rule" "restore_jobs" {
  count = local.awaits_events ? 1 : 0

  name        = "${var.name}-restore-jobs"
  description = "Finished AWS Backup restore jobs: wakes the rotation waiting for one (DynamoDB Backup Rotator)."
  event_pattern = jsonencode({
    source        = ["aws.backup"]
    "detail-type" = ["Restore Job State Change"]
    account       = [local.account_id]
    detail = {
      status = ["COMPLETED", "ABORTED", "FAILED"]
    }
  })

  tags = var.tags
}

resource "aws_lambda_permission" "restore_jobs" {
  count = local.awaits_events ? 1 : 0

  statement_id  = "AllowInvokeFromRule-restore-jobs"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this["restore_events"].function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.restore_jobs[0].arn
}

resource "aws_cloudwatch_event_target" "restore_jobs" {
  count = local.awaits_events ? 1 : 0

  rule      = aws_cloudwatch_event_rule.restore_jobs[0].name
  target_id = "restore-events"
  arn       = local.function_arns["restore_events"]

  depends_on = [aws_lambda_permission.restore_jobs]
}
