# TFLint configuration, used by the terraform_tflint pre-commit hook and CI
# (tflint is not on the package registries the offline machines reach; see
# tools/tfcheck for the offline checks that cover the same ground).

config {
  # Lint the local module called by examples/ as part of each example.
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
  version = "0.32.0"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}

# The examples configure the provider and pin it; the module must not.
rule "terraform_required_providers" {
  enabled = true
}

rule "terraform_naming_convention" {
  enabled = true
  format  = "snake_case"
}

rule "terraform_documented_variables" {
  enabled = true
}

rule "terraform_documented_outputs" {
  enabled = true
}

rule "terraform_typed_variables" {
  enabled = true
}

rule "terraform_standard_module_structure" {
  enabled = true
}
