output "rule_arn" {
  description = "ARN of the rule that forwards completed copy jobs."
  value       = aws_cloudwatch_event_rule.this.arn
}

output "role_arn" {
  description = "ARN of the role EventBridge forwards the events with."
  value       = aws_iam_role.this.arn
}

output "destination_event_bus_arn" {
  description = "ARN of the bus in the destination account the events are put on (destination_event_bus_arn)."
  value       = var.destination_event_bus_arn
}
