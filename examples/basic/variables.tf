variable "region" {
  description = "Region of the backup vault and of the tables it backs up."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the rotator (state machine name and prefix of its functions, roles and log groups)."
  type        = string
  default     = "ddb-rotator"
}

variable "backup_vault_name" {
  description = "Existing AWS Backup vault whose DynamoDB backups are rotated. Its notification settings are replaced by this example's topic and event."
  type        = string
  default     = "Default"
}

variable "ssm_parameter_name" {
  description = "SSM parameter set to the ARN of the newest staging copy (null: none)."
  type        = string
  default     = "/staging/database-arn"
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default = {
    Project = "ddb-backup-rotator-example"
  }
}
