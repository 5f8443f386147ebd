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
  description = "ARNs of the Lambda functions, by key: trigger, start_restore, check_restore, publish."
  value       = module.ddb_rotator.function_arns
}

output "function_names" {
  description = "Names of the Lambda functions, by key: trigger, start_restore, check_restore, publish."
  value       = module.ddb_rotator.function_names
}

output "role_arns" {
  description = "ARNs of the IAM roles, by key: trigger, start_restore, check_restore, publish, state_machine."
  value       = module.ddb_rotator.role_arns
}

output "log_group_names" {
  description = "Names of the CloudWatch log groups, by key: trigger, start_restore, check_restore, publish, state_machine."
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
