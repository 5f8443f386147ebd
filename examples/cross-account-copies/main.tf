# Two accounts of one AWS Organization (cross-account backup enabled in its management
# account): production backs up its DynamoDB tables and copies each recovery point
# into a vault of the staging account, where the rotator restores every copy.
#
# The default provider is the staging account (the rotator's); aws.production is the
# source account.

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "production"
  region = var.region

  assume_role {
    role_arn = var.production_role_arn
  }
}

data "aws_caller_identity" "production" {
  provider = aws.production
}

locals {
  production_account_id = data.aws_caller_identity.production.account_id
}

################################################################################
# Staging: the vault the copies land in, and the rotator
################################################################################

resource "aws_backup_vault" "copies" {
  name = var.copies_vault_name
  tags = var.tags

  # checkov:skip=CKV_AWS_166: The vault uses AWS Backup's AWS managed key (aws/backup), which AWS allows for the destination of cross-account copies of resources AWS Backup fully manages, DynamoDB among them; a customer managed key would only add a key policy to maintain, since the copies are restored in this account only.
}

# The production account may copy into this vault (and nothing else).
data "aws_iam_policy_document" "copies" {
  statement {
    sid       = "AllowCopiesFromProduction"
    actions   = ["backup:CopyIntoBackupVault"]
    resources = [aws_backup_vault.copies.arn]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${local.production_account_id}:root"]
    }
  }
}

data "aws_partition" "current" {}

resource "aws_backup_vault_policy" "copies" {
  backup_vault_name = aws_backup_vault.copies.name
  policy            = data.aws_iam_policy_document.copies.json
}

module "ddb_rotator" {
  source = "../.."

  name                    = var.name
  trigger                 = "eventbridge"
  restore_copies          = true
  copy_source_account_ids = [local.production_account_id]

  source_pattern      = "(?i)-production$"
  replacement_pattern = "-staging"
  ssm_parameter_name  = var.ssm_parameter_name

  tags = var.tags
}

################################################################################
# Production: back up tagged tables daily, copy each recovery point to staging,
# and forward the completed copy jobs' events to the rotator's bus in staging
################################################################################

module "copy_event_forwarder" {
  source = "../../modules/copy-event-forwarder"

  providers = {
    aws = aws.production
  }

  name                      = "${var.name}-forward-copies"
  destination_event_bus_arn = module.ddb_rotator.copy_events_bus_arn
  tags                      = var.tags
}

resource "aws_backup_plan" "production" {
  provider = aws.production

  name = "${var.name}-production"

  rule {
    rule_name         = "daily-with-copy-to-staging"
    target_vault_name = var.production_vault_name
    schedule          = "cron(0 5 * * ? *)"

    lifecycle {
      delete_after = 35
    }

    copy_action {
      destination_vault_arn = aws_backup_vault.copies.arn

      lifecycle {
        delete_after = 7
      }
    }
  }

  tags = var.tags

  # The staging vault must accept the copies before the first one is made.
  depends_on = [aws_backup_vault_policy.copies]
}

data "aws_iam_policy_document" "backup_assume_role" {
  provider = aws.production

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "production_backup" {
  provider = aws.production

  name               = "${var.name}-production-backup"
  assume_role_policy = data.aws_iam_policy_document.backup_assume_role.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "production_backup" {
  provider = aws.production

  role       = aws_iam_role.production_backup.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_backup_selection" "production" {
  provider = aws.production

  name         = "tagged-tables"
  plan_id      = aws_backup_plan.production.id
  iam_role_arn = aws_iam_role.production_backup.arn

  selection_tag {
    type  = "STRINGEQUALS"
    key   = var.selection_tag_key
    value = "true"
  }
}
