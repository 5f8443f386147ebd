################################################################################
# CloudWatch alarms (optional): failed rotations, kept notifications, failed wakes
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
    # A failed restore-events invocation: above all SendTaskSuccess denied to its role
    # (WakeDenied, an ERROR in its log), which leaves every rotation waiting
    # restore_event_timeout_seconds for its own look instead of being woken.
    local.awaits_events ? {
      restore_event_errors = {
        description = "The ${var.name} restore-events function failed: see its log for the ERROR (wake_denied: the role lacks states:SendTaskSuccess, so rotations are noticed only by their looks every restore_event_timeout_seconds)."
        namespace   = "AWS/Lambda"
        metric      = "Errors"
        dimensions  = { FunctionName = local.function_names["restore_events"] }
      }
    } : {},
    var.create_trigger_dead_letter_queue ? {
      dead_letter_messages = {
        description = "The ${var.name} trigger could not start a rotation for a notification; it waits in ${local.dead_letter_queue_name} (docs/operations.md: Replaying the trigger's dead-letter queue)."
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
