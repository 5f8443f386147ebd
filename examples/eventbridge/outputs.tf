output "state_machine_arn" {
  description = "ARN of the rotation state machine."
  value       = module.ddb_rotator.state_machine_arn
}

output "state_machine_name" {
  description = "Name of the rotation state machine."
  value       = module.ddb_rotator.state_machine_name
}

output "event_rule_arns" {
  description = "ARNs of the EventBridge rules that start rotations, by key (backup-jobs, copy-jobs)."
  value       = module.ddb_rotator.event_rule_arns
}

output "function_names" {
  description = "Names of the Lambda functions, by key."
  value       = module.ddb_rotator.function_names
}

output "trigger_dead_letter_target_arn" {
  description = "ARN of the queue that keeps an event the trigger could not act on."
  value       = module.ddb_rotator.trigger_dead_letter_target_arn
}
