variable "region" {
  description = "Region of the backup vaults and of the tables they back up."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the rotator (state machine name and prefix of its functions, roles, log groups and rules)."
  type        = string
  default     = "ddb-rotator"
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
