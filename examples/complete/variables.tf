variable "region" {
  description = "Region of the backup vault, of the tables it backs up and of everything this example creates (a DynamoDB backup can only be restored in its own Region)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS Region code such as us-east-1 or eu-west-3."
  }
}

variable "name" {
  description = "Name of the rotator: its state machine, the prefix of its functions, roles and log groups, and of this example's topic, queue, key alias and boundary policy."
  type        = string
  default     = "ddb-rotator"
}

variable "backup_vault_name" {
  description = "Name of the AWS Backup vault this example creates. Point the backup plan rules of the production tables at it."
  type        = string
  default     = "dynamodb-production"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{2,50}$", var.backup_vault_name))
    error_message = "backup_vault_name must be 2 to 50 characters of letters, digits, hyphens and underscores."
  }
}

variable "source_pattern" {
  description = "RE2 expression matched against the backed-up table's name: only matching tables are copied. The default takes lowercase \"<app>-prod\" tables and captures <app>."
  type        = string
  default     = "^(?P<app>[a-z]+)-prod$"
  nullable    = false
}

variable "replacement_pattern" {
  description = "Replacement of every match of source_pattern (Go's regexp.ReplaceAllString: $${name}, $${1}, $0, $$). The default gives \"orders-prod\" -> \"orders-staging-YYYYMMDD-HH-MM-SS\"."
  type        = string
  # A literal "${" is written "$${" in HCL, here and in .tfvars files: the module
  # receives "${app}-staging", Go's reference to the group named "app". On the command
  # line (-var) or in TF_VAR_replacement_pattern the value is taken as is: '${app}-staging'.
  default  = "$${app}-staging"
  nullable = false
}

variable "ssm_parameter_name" {
  description = "SSM parameter (type String) set to the ARN of the newest verified staging copy. The permissions boundary allows exactly this parameter."
  type        = string
  default     = "/staging/database-arn"
  nullable    = false
}

variable "restore_kms_key_arns" {
  description = "ARNs of the customer managed KMS keys that encrypt the production tables (and so their backups). Empty when the tables use AWS owned or AWS managed keys."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "lambda_log_level" {
  description = "Application log level of the functions. DEBUG while setting up; INFO already logs one line per skipped, rejected or started rotation."
  type        = string
  default     = "INFO"
}

variable "log_retention_in_days" {
  description = "Retention of the rotator's five log groups, in days."
  type        = number
  default     = 365
}

variable "role_path" {
  description = "IAM path of the rotator's roles (functions, state machine, restore role) and of the permissions boundary policy."
  type        = string
  default     = "/ddb-backup-rotator/"
}

variable "tags" {
  description = "Tags applied to every taggable resource of the example and of the module."
  type        = map(string)
  default = {
    Project     = "ddb-backup-rotator-example"
    Environment = "staging"
  }
  nullable = false
}

variable "alarm_actions" {
  description = "ARNs notified when a rotation fails or a notification lands in the dead-letter queue (for example an SNS topic); empty: the alarms only change state."
  type        = list(string)
  default     = []
}
