# Renders statemachine.json.tpl with templatefile() and no provider, for ARNs no plan
# against moto can give (other partitions, versions, aliases): make validate's ASL check.
terraform {
  required_version = ">= 1.5"
}

variable "template_path" {
  type = string
}

variable "start_restore_function_arn" {
  type = string
}

variable "check_restore_function_arn" {
  type = string
}

variable "await_restore_function_arn" {
  type = string
}

variable "configure_function_arn" {
  type = string
}

variable "publish_function_arn" {
  type = string
}

variable "cleanup_function_arn" {
  type = string
}

variable "discard_copy_function_arn" {
  type = string
}

variable "partition" {
  type = string
}

variable "notification_topic_arn" {
  type = string
}

variable "failed_copy_fate" {
  type = string
}

output "definition" {
  value = jsonencode(jsondecode(templatefile(var.template_path, {
    start_restore_function_arn = var.start_restore_function_arn
    check_restore_function_arn = var.check_restore_function_arn
    await_restore_function_arn = var.await_restore_function_arn
    configure_function_arn     = var.configure_function_arn
    publish_function_arn       = var.publish_function_arn
    cleanup_function_arn       = var.cleanup_function_arn
    discard_copy_function_arn  = var.discard_copy_function_arn
    partition                  = var.partition
    notification_topic_arn     = var.notification_topic_arn
    failed_copy_fate           = var.failed_copy_fate
  })))
}
