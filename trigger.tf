################################################################################
# Triggers: AWS Backup's SNS topic and/or EventBridge -> trigger function
################################################################################

locals {
  sns_trigger         = contains(["sns", "both"], var.trigger)
  eventbridge_trigger = contains(["eventbridge", "both"], var.trigger)

  # arn:<partition>:sns:<region>:<account>:<topic>
  backup_topic_arn_parts = split(":", coalesce(var.backup_sns_topic_arn, "arn:::::"))

  # The SNS filter: completed backup jobs (as in the original application) and, with
  # restore_copies, copy jobs. AWS does not document the State attribute of a copy
  # job's COPY_JOB_SUCCESSFUL notification, so SUCCESSFUL passes too; the function
  # confirms COMPLETED with DescribeCopyJob.
  sns_filter_policy = {
    EventType = concat(["BACKUP_JOB"], var.restore_copies ? ["COPY_JOB"] : [])
    State     = concat(["COMPLETED"], var.restore_copies ? ["SUCCESSFUL"] : [])
  }

  # EventBridge rules, by key. On the default bus: backup jobs of this account and,
  # with restore_copies, copy jobs this account runs into a vault of its own. On the
  # module's copy-events bus (copy_source_account_ids): copy jobs the listed accounts
  # run into a vault of this account, forwarded there by modules/copy-event-forwarder
  # (forwarded events keep the source account in `account`). Other detail types
  # (Restore Job State Change, Recovery Point State Change, ...) never match.
  all_event_rules = {
    backup-jobs = {
      enabled     = local.eventbridge_trigger
      description = "Completed AWS Backup jobs of DynamoDB tables: start a rotation (${var.name})."
      bus         = null
      pattern = jsonencode({
        source        = ["aws.backup"]
        account       = [local.account_id]
        "detail-type" = ["Backup Job State Change"]
        detail        = { state = ["COMPLETED"], resourceType = ["DynamoDB"] }
      })
    }
    copy-jobs = {
      enabled     = local.eventbridge_trigger && var.restore_copies
      description = "Completed AWS Backup copies of DynamoDB recovery points into this account: start a rotation (${var.name})."
      bus         = null
      pattern     = jsonencode(merge(local.copy_jobs_match, { account = [local.account_id] }))
    }
    forwarded-copies = {
      enabled     = local.copy_events_bus
      description = "Completed AWS Backup copies of DynamoDB recovery points from ${join(", ", var.copy_source_account_ids)} into this account, forwarded to ${local.copy_events_bus_name}: start a rotation (${var.name})."
      bus         = local.copy_events_bus_name
      pattern     = jsonencode(merge(local.copy_jobs_match, { account = var.copy_source_account_ids }))
    }
  }
  event_rules = { for key, rule in local.all_event_rules : key => rule if rule.enabled }

  # A completed DynamoDB copy into a vault of this account and Region; the rules add
  # which accounts' events they take.
  copy_jobs_match = {
    source        = ["aws.backup"]
    "detail-type" = ["Copy Job State Change"]
    detail = {
      state                     = ["COMPLETED"]
      resourceType              = ["DynamoDB"]
      destinationBackupVaultArn = [{ prefix = "${format(local.arn_prefix, "backup")}:backup-vault:" }]
    }
  }

  # Forwarded copy events get a bus of the module's own, whose whole policy the
  # module writes (see aws_cloudwatch_event_bus_policy.copy_events).
  copy_events_bus      = length(var.copy_source_account_ids) > 0
  copy_events_bus_name = "${var.name}-copy-events"
  copy_events_bus_arn  = "${format(local.arn_prefix, "events")}:event-bus/${local.copy_events_bus_name}"
}

################################################################################
# SNS
################################################################################

# SNS may deliver as soon as the subscription exists, so the permission comes first
# (the subscription depends on it).
resource "aws_lambda_permission" "this" {
  count = local.sns_trigger ? 1 : 0

  statement_id  = "AllowInvokeFromBackupTopic"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this["trigger"].function_name
  principal     = "sns.amazonaws.com"
  source_arn    = var.backup_sns_topic_arn
}

resource "aws_sns_topic_subscription" "this" {
  count = local.sns_trigger ? 1 : 0

  topic_arn = var.backup_sns_topic_arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.this["trigger"].arn

  # Only completed jobs reach the function; it still checks the resource type, the
  # message text and source_pattern.
  filter_policy_scope = "MessageAttributes"
  filter_policy       = jsonencode(local.sns_filter_policy)

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
      error_message = "backup_sns_topic_arn belongs to account ${local.backup_topic_arn_parts[4]}, but this module is deployed in account ${local.account_id}; AWS Backup notifies only topics of its own account (for copies from another account use trigger = \"eventbridge\" with copy_source_account_ids)."
    }
  }
}

################################################################################
# EventBridge
################################################################################

resource "aws_cloudwatch_event_rule" "this" {
  for_each = local.event_rules

  name           = "${var.name}-${each.key}"
  description    = each.value.description
  event_bus_name = each.value.bus == null ? null : aws_cloudwatch_event_bus.copy_events[0].name
  event_pattern  = each.value.pattern

  tags = var.tags

  # The trigger starts executions of the state machine: match only once it exists.
  depends_on = [aws_sfn_state_machine.this]
}

resource "aws_lambda_permission" "events" {
  for_each = local.event_rules

  statement_id  = "AllowInvokeFromRule-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this["trigger"].function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.this[each.key].arn
}

resource "aws_cloudwatch_event_target" "this" {
  for_each = local.event_rules

  rule           = aws_cloudwatch_event_rule.this[each.key].name
  event_bus_name = aws_cloudwatch_event_rule.this[each.key].event_bus_name
  target_id      = "trigger"
  # Built from the name, like the state machine's task ARNs, so plans show it.
  arn = local.function_arns["trigger"]

  depends_on = [aws_lambda_permission.events]
}

# Cross-account copies: the listed accounts forward their copy jobs' events to a bus
# of the module's own, which takes from them only what AWS Backup emits about copy
# jobs. EventBridge documents the conditions a bus policy can put on a cross-account
# PutEvents: events:source and events:detail-type ("Example policy: Send events to a
# custom bus in a different account", EventBridge user guide, eb-event-bus-example-
# policy-cross-account-custom-bus-source.html). PutEvents refuses a custom event
# whose source starts with "aws." (EventBridge API reference, PutEventsRequestEntry),
# so what passes is an event AWS Backup emitted in that account and one of its rules
# forwarded. A bus of its own because the policy is written whole (PutPermission
# takes no such condition; on the default bus the whole policy would replace other
# stacks' grants); the forwarded-copies rule then filters on the copy's destination
# vault, and the trigger reads the copy's recovery point, in this account's vault,
# from AWS Backup (DescribeRecoveryPoint).
resource "aws_cloudwatch_event_bus" "copy_events" {
  count = local.copy_events_bus ? 1 : 0

  name = local.copy_events_bus_name
  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.eventbridge_trigger && var.restore_copies
      error_message = "copy_source_account_ids needs trigger = \"eventbridge\" or \"both\" and restore_copies = true: only the EventBridge rule for copy jobs takes the forwarded events."
    }
  }
}

data "aws_iam_policy_document" "copy_events" {
  count = local.copy_events_bus ? 1 : 0

  statement {
    sid       = "ForwardedCopyJobEvents"
    actions   = ["events:PutEvents"]
    resources = [local.copy_events_bus_arn]

    principals {
      type        = "AWS"
      identifiers = [for id in var.copy_source_account_ids : "arn:${local.partition}:iam::${id}:root"]
    }

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "events:source"
      values   = ["aws.backup"]
    }

    condition {
      test     = "StringEquals"
      variable = "events:detail-type"
      values   = ["Copy Job State Change"]
    }
  }
}

resource "aws_cloudwatch_event_bus_policy" "copy_events" {
  count = local.copy_events_bus ? 1 : 0

  event_bus_name = aws_cloudwatch_event_bus.copy_events[0].name
  policy         = data.aws_iam_policy_document.copy_events[0].json
}

# Version 0.1 created the SNS permission and subscription without count.
moved {
  from = aws_lambda_permission.this
  to   = aws_lambda_permission.this[0]
}

moved {
  from = aws_sns_topic_subscription.this
  to   = aws_sns_topic_subscription.this[0]
}
