################################################################################
# What this example creates around the module
################################################################################

output "backup_vault_name" {
  description = "Name of the backup vault whose completed backup jobs are rotated (target_vault_name of your backup plan rules)."
  value       = aws_backup_vault.this.name
}

output "backup_vault_arn" {
  description = "ARN of the backup vault."
  value       = aws_backup_vault.this.arn
}

output "backup_sns_topic_arn" {
  description = "ARN of the encrypted topic the backup vault publishes to."
  value       = aws_sns_topic.backup_events.arn
}

output "rotation_failures_topic_arn" {
  description = "ARN of the encrypted topic each failed rotation publishes one JSON message to (subscribe to it)."
  value       = aws_sns_topic.rotation_failures.arn
}

output "kms_key_arn" {
  description = "ARN of the customer managed key (log groups, Lambda environment, topics, dead-letter queue, vault, staging copies)."
  value       = aws_kms_key.this.arn
}

output "kms_key_alias" {
  description = "Alias of the customer managed key."
  value       = aws_kms_alias.this.name
}

output "trigger_dead_letter_queue_arn" {
  description = "ARN of the trigger function's dead-letter queue."
  value       = aws_sqs_queue.trigger_dead_letter.arn
}

output "trigger_dead_letter_queue_url" {
  description = "URL of the trigger function's dead-letter queue (for aws sqs receive-message)."
  value       = aws_sqs_queue.trigger_dead_letter.url
}

output "hook_function_arn" {
  description = "ARN of the hook that refuses an empty copy (the module's hooks)."
  value       = aws_lambda_function.hook_has_items.arn
}

output "permissions_boundary_arn" {
  description = "ARN of the permissions boundary policy set on the rotator's roles."
  value       = aws_iam_policy.permissions_boundary.arn
}

################################################################################
# Every output of the module
################################################################################

output "state_machine_arn" {
  description = "ARN of the rotation state machine."
  value       = module.ddb_rotator.state_machine_arn
}

output "state_machine_name" {
  description = "Name of the rotation state machine."
  value       = module.ddb_rotator.state_machine_name
}

output "state_machine_role_arn" {
  description = "ARN of the state machine's IAM role."
  value       = module.ddb_rotator.state_machine_role_arn
}

output "function_arns" {
  description = "ARNs of the Lambda functions, by key: trigger, start_restore, check_restore, await_restore, restore_events, configure, publish, cleanup, discard_copy."
  value       = module.ddb_rotator.function_arns
}

output "function_names" {
  description = "Names of the Lambda functions, by key: trigger, start_restore, check_restore, await_restore, restore_events, configure, publish, cleanup, discard_copy."
  value       = module.ddb_rotator.function_names
}

output "role_arns" {
  description = "ARNs of the IAM roles, by key: trigger, start_restore, check_restore, await_restore, restore_events, configure, publish, cleanup, discard_copy, state_machine."
  value       = module.ddb_rotator.role_arns
}

output "log_group_names" {
  description = "Names of the CloudWatch log groups, by key: trigger, start_restore, check_restore, await_restore, restore_events, configure, publish, cleanup, discard_copy, state_machine."
  value       = module.ddb_rotator.log_group_names
}

output "sns_subscription_arn" {
  description = "ARN of the trigger function's subscription to the topic."
  value       = module.ddb_rotator.sns_subscription_arn
}

output "lambda_package_hash" {
  description = "Base64-encoded SHA-256 of the Lambda package zip every function deploys."
  value       = module.ddb_rotator.lambda_package_hash
}
