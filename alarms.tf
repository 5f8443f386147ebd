################################################################################
# CloudWatch alarms (optional): failed rotations and kept notifications
################################################################################

locals {
  # Static keys, so for_each never depends on apply-time values.
  alarms = var.alarms.enabled ? merge(
    {
      failed_rotations = {
        description = "A rotation of ${var.name} failed (RotationFailed): see the execution's Error and Cause."
        namespace   = "AWS/States"
        metric      = "ExecutionsFailed"
        dimensions  = { StateMachineArn = local.state_machine_arn }
      }
      timed_out_rotations = {
        description = "A rotation of ${var.name} hit the Step Functions execution timeout."
        namespace   = "AWS/States"
        metric      = "ExecutionsTimedOut"
        dimensions  = { StateMachineArn = local.state_machine_arn }
      }
      aborted_rotations = {
        description = "A rotation of ${var.name} was stopped by hand."
        namespace   = "AWS/States"
        metric      = "ExecutionsAborted"
        dimensions  = { StateMachineArn = local.state_machine_arn }
      }
    },
    var.create_trigger_dead_letter_queue ? {
      dead_letter_messages = {
        description = "The ${var.name} trigger could not start a rotation for a notification; it waits in ${local.dead_letter_queue_name} (see the README on replaying it)."
        namespace   = "AWS/SQS"
        metric      = "ApproximateNumberOfMessagesVisible"
        dimensions  = { QueueName = local.dead_letter_queue_name }
      }
    } : {},
  ) : {}
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name        = "${var.name}-${replace(each.key, "_", "-")}"
  alarm_description = each.value.description
  namespace         = each.value.namespace
  metric_name       = each.value.metric
  dimensions        = each.value.dimensions

  statistic           = each.key == "dead_letter_messages" ? "Maximum" : "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"

  alarm_actions = var.alarms.alarm_actions
  ok_actions    = var.alarms.ok_actions

  tags = var.tags
}
