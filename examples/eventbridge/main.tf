provider "aws" {
  region = var.region
}

################################################################################
# The rotator, started by AWS Backup's EventBridge events: no SNS topic and no vault
# notification settings. Every completed backup job of a "*-production" table, and
# every completed copy of one into this account, is restored as
# "*-staging-YYYYMMDD-HH-MM-SS"; the SSM parameter then points at the copy.
################################################################################

module "ddb_rotator" {
  source = "../.."

  name           = var.name
  trigger        = "eventbridge"
  restore_copies = true

  source_pattern      = "(?i)-production$"
  replacement_pattern = "-staging"
  ssm_parameter_name  = var.ssm_parameter_name

  tags = var.tags
}
