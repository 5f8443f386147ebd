variable "destination_account_id" {
  description = "Account the recovery points are copied to, where the rotator runs with copy_source_account_ids listing this account."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.destination_account_id))
    error_message = "destination_account_id must be a 12-digit AWS account ID."
  }
}

variable "destination_region" {
  description = "Region of the destination vaults and of the rotator; null: this provider's Region."
  type        = string
  default     = null
}

variable "name" {
  description = "Name of the rule and of its role."
  type        = string
  default     = "ddb-rotator-forward-copies"
  nullable    = false

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{1,64}$", var.name))
    error_message = "name must be 1 to 64 letters, digits, dots, hyphens and underscores (the rule's and the role's name)."
  }
}

variable "role_path" {
  description = "Path of the forwarding role."
  type        = string
  default     = "/"
  nullable    = false
}

variable "role_permissions_boundary" {
  description = "ARN of a permissions boundary for the forwarding role (null: none)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
