output "state_machine_name" {
  description = "Name of the rotation state machine (staging account)."
  value       = module.ddb_rotator.state_machine_name
}

output "state_machine_arn" {
  description = "ARN of the rotation state machine (staging account)."
  value       = module.ddb_rotator.state_machine_arn
}

output "event_rule_arns" {
  description = "ARNs of the rotator's EventBridge rules (staging account), by key."
  value       = module.ddb_rotator.event_rule_arns
}

output "copies_vault_arn" {
  description = "ARN of the staging vault the copies land in."
  value       = aws_backup_vault.copies.arn
}

output "forwarding_rule_arn" {
  description = "ARN of the production account's rule that forwards completed copy jobs to staging."
  value       = module.copy_event_forwarder.rule_arn
}

output "backup_plan_id" {
  description = "ID of the production account's backup plan."
  value       = aws_backup_plan.production.id
}
