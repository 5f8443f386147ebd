variable "destination_event_bus_arn" {
  description = "The rotator's copy_events_bus_arn output: the bus, in the account and Region the recovery points are copied to, that takes this account's forwarded copy job events."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._-]+$", var.destination_event_bus_arn))
    error_message = "destination_event_bus_arn must be an event bus ARN (arn:<partition>:events:<region>:<12-digit account>:event-bus/<name>): the rotator's copy_events_bus_arn output."
  }
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
