output "state_machine_arn" {
  description = "ARN of the rotation state machine."
  value       = aws_sfn_state_machine.this.arn
}

output "state_machine_name" {
  description = "Name of the rotation state machine."
  value       = aws_sfn_state_machine.this.name
}

output "state_machine_role_arn" {
  description = "ARN of the state machine's IAM role."
  value       = aws_iam_role.state_machine.arn
}

output "function_arns" {
  description = "ARNs of the Lambda functions these inputs deploy, by key: the keys of steps.tf's local.steps that are enabled (trigger, start_restore, check_restore, configure and publish always; await_restore and restore_events with restore_job_wait = \"event\", cleanup with keep_last, discard_copy with delete_copy_on_hook_failure)."
  value       = { for key, function in aws_lambda_function.this : key => function.arn }
}

output "function_names" {
  description = "Names of the Lambda functions these inputs deploy, by key: the keys of steps.tf's local.steps that are enabled (trigger, start_restore, check_restore, configure and publish always; await_restore and restore_events with restore_job_wait = \"event\", cleanup with keep_last, discard_copy with delete_copy_on_hook_failure)."
  value       = { for key, function in aws_lambda_function.this : key => function.function_name }
}

output "role_arns" {
  description = "ARNs of the IAM roles, by key: the function keys (see function_arns) and state_machine."
  value = merge(
    { for key, role in aws_iam_role.lambda : key => role.arn },
    { state_machine = aws_iam_role.state_machine.arn },
  )
}

output "trigger_dead_letter_target_arn" {
  description = "ARN of the trigger's dead-letter target: trigger_dead_letter_target_arn, or the queue the module created."
  value       = var.create_trigger_dead_letter_queue ? aws_sqs_queue.trigger_dead_letter[0].arn : var.trigger_dead_letter_target_arn
}

output "restore_role_arn" {
  description = "ARN of the role AWS Backup restores advanced recovery points with: restore_role_arn, or the role the module created."
  value       = var.restore_role_arn != null ? var.restore_role_arn : aws_iam_role.restore[0].arn
}

output "log_group_names" {
  description = "Names of the CloudWatch log groups, by key: the function keys (see function_arns) and state_machine."
  value = merge(
    { for key, group in aws_cloudwatch_log_group.lambda : key => group.name },
    { state_machine = aws_cloudwatch_log_group.state_machine.name },
  )
}

output "sns_subscription_arn" {
  description = "ARN of the trigger function's subscription to the AWS Backup topic (null unless trigger is \"sns\" or \"both\")."
  value       = one(aws_sns_topic_subscription.this[*].arn)
}

output "event_rule_arns" {
  description = "ARNs of the EventBridge rules that start rotations, by key: backup-jobs; copy-jobs with restore_copies; forwarded-copies with copy_source_account_ids (empty unless trigger is \"eventbridge\" or \"both\")."
  value       = { for key, rule in aws_cloudwatch_event_rule.this : key => rule.arn }
}

output "copy_events_bus_arn" {
  description = "ARN of the event bus the accounts in copy_source_account_ids forward their copy jobs' events to (modules/copy-event-forwarder's destination_event_bus_arn); null without copy_source_account_ids."
  # Built from the name, so plans show it; read through the bus policy, so whoever
  # uses it (the forwarder's target) comes after the bus takes the forwarded events.
  value = one([for policy in aws_cloudwatch_event_bus_policy.copy_events : local.copy_events_bus_arn])
}

output "restore_waits_table_name" {
  description = "Name of the DynamoDB table holding the task tokens of rotations waiting for an AWS Backup restore job (null with restore_job_wait = \"poll\")."
  value       = one(aws_dynamodb_table.restore_waits[*].name)
}

output "ledger_table_name" {
  description = "Name of the DynamoDB table recording the rotator's copies (the ledger): Cleanup and DiscardRefusedCopy delete only tables it records."
  value       = aws_dynamodb_table.ledger.name
}

output "ledger_table_arn" {
  description = "ARN of the ledger of copies; its resource policy lets only the rotator's function roles write it."
  value       = aws_dynamodb_table.ledger.arn
}

output "restore_job_rule_arn" {
  description = "ARN of the EventBridge rule that hands finished AWS Backup restore jobs to the restore-events function (null with restore_job_wait = \"poll\")."
  value       = one(aws_cloudwatch_event_rule.restore_jobs[*].arn)
}

output "lambda_package_hash" {
  description = "Base64-encoded SHA-256 of the Lambda package zip every function deploys (their source_code_hash); it changes with any file under lambda/."
  value       = data.archive_file.lambda.output_base64sha256
}

output "permissions_boundary_policy" {
  description = "A permissions boundary policy (JSON) the module's roles fit under, derived from their own policies (boundary.tf): give it to an aws_iam_policy and its ARN to role_permissions_boundary, adding what roles of your own that carry it need. Grants on a key, or on a dead-letter target given by ARN, are allowed for that kind of resource in this account and Region; hooks and notification_topic_arn as given (pass them as ARNs built from names if they depend on the roles)."
  value       = local.permissions_boundary_policy
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, by key: failed_rotations, timed_out_rotations, aborted_rotations, dead_letter_messages, restore_event_errors (only those created)."
  value       = { for key, alarm in aws_cloudwatch_metric_alarm.this : key => alarm.arn }
}
