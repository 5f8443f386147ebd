variable "region" {
  description = "Region of both accounts' vaults and of the tables (the copies stay in it)."
  type        = string
  default     = "us-east-1"
}

variable "production_role_arn" {
  description = "Role in the production (source) account that Terraform assumes to create the backup plan and the event forwarding there."
  type        = string
  default     = "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole"
}

variable "name" {
  description = "Name of the rotator (and prefix of the production account's plan, role and forwarding rule)."
  type        = string
  default     = "ddb-rotator"
}

variable "production_vault_name" {
  description = "Existing vault of the production account the daily backups go to."
  type        = string
  default     = "Default"
}

variable "copies_vault_name" {
  description = "Vault created in the staging account that receives the copies."
  type        = string
  default     = "staging-copies"
}

variable "selection_tag_key" {
  description = "Tag key (value \"true\") that selects the production tables to back up and copy."
  type        = string
  default     = "backup-to-staging"
}

variable "ssm_parameter_name" {
  description = "SSM parameter in the staging account set to the ARN of the newest copy (null: none)."
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
