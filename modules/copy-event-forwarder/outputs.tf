output "rule_arn" {
  description = "ARN of the rule that forwards completed copy jobs."
  value       = aws_cloudwatch_event_rule.this.arn
}

output "role_arn" {
  description = "ARN of the role EventBridge forwards the events with."
  value       = aws_iam_role.this.arn
}

output "destination_event_bus_arn" {
  description = "ARN of the destination account's default event bus the events are put on."
  value       = local.destination_bus
}
