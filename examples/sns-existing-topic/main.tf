provider "aws" {
  region = var.region
}

################################################################################
# The rotator on a topic managed elsewhere
#
# The backup vault, its notification settings (BACKUP_JOB_COMPLETED) and the topic,
# with its policy and encryption, belong to another stack or team; this configuration
# only subscribes the rotator to the topic. See README.md for what that stack must
# provide.
################################################################################

module "ddb_rotator" {
  source = "../.."

  name                 = var.name
  backup_sns_topic_arn = var.backup_sns_topic_arn

  source_pattern      = var.source_pattern
  replacement_pattern = var.replacement_pattern
  ssm_parameter_name  = var.ssm_parameter_name

  tags = var.tags
}
