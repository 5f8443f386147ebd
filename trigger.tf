################################################################################
# AWS Backup SNS topic -> trigger function
################################################################################

locals {
  # arn:<partition>:sns:<region>:<account>:<topic>
  backup_topic_arn_parts = split(":", var.backup_sns_topic_arn)
}

# SNS may deliver as soon as the subscription exists, so the permission comes first
# (the subscription depends on it).
resource "aws_lambda_permission" "this" {
  statement_id  = "AllowInvokeFromBackupTopic"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this["trigger"].function_name
  principal     = "sns.amazonaws.com"
  source_arn    = var.backup_sns_topic_arn
}

resource "aws_sns_topic_subscription" "this" {
  topic_arn = var.backup_sns_topic_arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.this["trigger"].arn

  # Only completed backup jobs reach the function (as in the original application);
  # the function still checks the resource type, the message text and source_pattern.
  filter_policy_scope = "MessageAttributes"
  filter_policy = jsonencode({
    EventType = ["BACKUP_JOB"]
    State     = ["COMPLETED"]
  })

  # The trigger starts executions of the state machine, whose ARN it is given by name:
  # subscribe only once it exists, or early notifications would fail and be retried
  # into the dead-letter target (or dropped).
  depends_on = [aws_lambda_permission.this, aws_sfn_state_machine.this]

  lifecycle {
    precondition {
      condition     = local.backup_topic_arn_parts[1] == local.partition && local.backup_topic_arn_parts[3] == local.region
      error_message = "backup_sns_topic_arn is in ${local.backup_topic_arn_parts[1]}/${local.backup_topic_arn_parts[3]}, but this module is deployed in ${local.partition}/${local.region}. A DynamoDB backup can only be restored in its own Region: deploy the module with a provider for the backup vault's Region."
    }
    precondition {
      condition     = local.backup_topic_arn_parts[4] == local.account_id
      error_message = "backup_sns_topic_arn belongs to account ${local.backup_topic_arn_parts[4]}, but this module is deployed in account ${local.account_id}; cross-account topics are not supported."
    }
  }
}
