variable "backup_sns_topic_arn" {
  description = "ARN of the standard SNS topic, managed by another stack, that the backup vault notifies of BACKUP_JOB_COMPLETED events. It must be in var.region."
  type        = string
}

variable "region" {
  description = "Region of the topic, of the backup vault and of the tables it backs up (a DynamoDB backup can only be restored in its own Region)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS Region code such as us-east-1 or eu-west-3."
  }
}

variable "name" {
  description = "Name of the rotator (state machine name and prefix of its functions, roles and log groups). Unique per account and Region."
  type        = string
  default     = "ddb-rotator"
}

variable "source_pattern" {
  description = "RE2 expression matched against the backed-up table's name: only matching tables are copied."
  type        = string
  default     = "(?i)-production$"
  nullable    = false
}

variable "replacement_pattern" {
  description = "Replacement of every match of source_pattern (Go's regexp.ReplaceAllString). The backup's start time is appended as -YYYYMMDD-HH-MM-SS."
  type        = string
  default     = "-staging"
  nullable    = false
}

variable "ssm_parameter_name" {
  description = "SSM parameter set to the ARN of the newest staging copy (null: none)."
  type        = string
  default     = "/staging/database-arn"
}

variable "tags" {
  description = "Tags applied to every taggable resource of the module."
  type        = map(string)
  default = {
    Project = "ddb-backup-rotator-example"
  }
  nullable = false
}
