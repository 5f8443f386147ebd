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

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,40}$", var.name))
    error_message = "name must be 1 to 40 characters of letters, digits, hyphens and underscores (the module's derived role names must stay within 64 characters)."
  }
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

  validation {
    condition     = length(var.source_pattern) > 0 && can(regexall(var.source_pattern, ""))
    error_message = "source_pattern must be a non-empty, valid RE2 regular expression."
  }
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

  validation {
    condition     = length(var.ssm_parameter_name) > 0
    error_message = "ssm_parameter_name must not be empty (this example always publishes the copy's ARN)."
  }
}

variable "restore_kms_key_arns" {
  description = "ARNs of the customer managed KMS keys that encrypt the production tables (and so their backups). Empty when the tables use AWS owned or AWS managed keys."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.restore_kms_key_arns : can(regex("^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", arn))])
    error_message = "Each restore_kms_key_arns entry must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), not an alias."
  }
}

variable "lambda_log_level" {
  description = "Application log level of the functions. DEBUG while setting up; INFO already logs one line per skipped, rejected or started rotation."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.lambda_log_level)
    error_message = "lambda_log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the rotator's five log groups, in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of CloudWatch Logs' values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "role_path" {
  description = "IAM path of the rotator's roles (functions, state machine, restore role) and of the permissions boundary policy."
  type        = string
  default     = "/ddb-backup-rotator/"

  validation {
    condition     = length(var.role_path) <= 512 && can(regex("^/([!-~]+/)?$", var.role_path))
    error_message = "role_path must start and end with / and contain only printable ASCII characters (at most 512)."
  }
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
