provider "aws" {
  region = var.region
}

data "aws_caller_identity" "current" {}

################################################################################
# The topic AWS Backup publishes vault events to
################################################################################

resource "aws_sns_topic" "backup_events" {
  name = "${var.name}-backup-events"
  tags = var.tags

  # checkov:skip=CKV_AWS_26: AWS Backup cannot publish to a topic encrypted with the AWS managed key alias/aws/sns. Encrypting it needs a customer managed key whose key policy lets backup.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt, left out of this minimal example. The messages carry ARNs and job ids only.
}

data "aws_iam_policy_document" "backup_events" {
  statement {
    sid       = "AllowAWSBackupToPublish"
    actions   = ["SNS:Publish"]
    resources = [aws_sns_topic.backup_events.arn]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }

    # Only AWS Backup acting for this account (the confused-deputy guard IAM documents
    # for service principals: aws:SourceAccount is the account on whose behalf the
    # service publishes). AWS Backup notifies topics of its own account only (AWS
    # Backup developer guide, backup-notifications.html, "Limitations"), so no other
    # account's vault, and no other service, may publish here.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "backup_events" {
  arn    = aws_sns_topic.backup_events.arn
  policy = data.aws_iam_policy_document.backup_events.json
}

# Replaces any notification settings the vault already has.
resource "aws_backup_vault_notifications" "this" {
  backup_vault_name   = var.backup_vault_name
  sns_topic_arn       = aws_sns_topic.backup_events.arn
  backup_vault_events = ["BACKUP_JOB_COMPLETED"]

  depends_on = [aws_sns_topic_policy.backup_events]
}

################################################################################
# The rotator: every completed backup of a "*-production" table is restored as
# "*-staging-YYYYMMDD-HH-MM-SS" and the SSM parameter then points at the copy.
################################################################################

module "ddb_rotator" {
  source = "../.."

  name                 = var.name
  backup_sns_topic_arn = aws_sns_topic.backup_events.arn

  source_pattern      = "(?i)-production$"
  replacement_pattern = "-staging"
  ssm_parameter_name  = var.ssm_parameter_name

  tags = var.tags
}
