# Renders statemachine.json.tpl with templatefile() and no provider, for ARNs no plan
# against moto can give (other partitions, versions, aliases): make validate's ASL check.
# The template variables come as one map, so a new step's ${<key>_function_arn} needs
# nothing here (tools/tfcheck/asl.py derives them from steps.tf).
terraform {
  required_version = ">= 1.5"
}

variable "template_path" {
  type = string
}

variable "variables" {
  description = "The template's variables, by name."
  type        = map(string)
}

output "definition" {
  value = jsonencode(jsondecode(templatefile(var.template_path, var.variables)))
}
