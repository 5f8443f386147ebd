provider "aws" {
  region = var.region
}

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix
  region     = var.region
  account_id = data.aws_caller_identity.current.account_id

  # ARNs of what the module names after var.name (log groups "/aws/lambda/<name>-*" and
  # "/aws/vendedlogs/states/<name>"), and of this example's failure topic: the key's
  # policy names them, and the key exists before the module's log groups.
  lambda_log_group_arns  = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${var.name}-*"
  state_machine_log_arn  = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/vendedlogs/states/${var.name}"
  dead_letter_queue_name = "${var.name}-trigger-dlq"
  failure_topic_name     = "${var.name}-rotation-failures"
  failure_topic_arn      = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.failure_topic_name}"
  table_arn_prefix       = "arn:${local.partition}:dynamodb:${local.region}:${local.account_id}:table/"
  # Every copy's name ends in the rotator's time suffix -YYYYMMDD-HH-MM-SS.
  copy_table_arns         = "${local.table_arn_prefix}*-????????-??-??-??"
  function_arn_prefix     = "arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:"
  hook_has_items_name     = "${var.name}-hook-has-items"
  hook_has_items_log_name = "/aws/lambda/${local.hook_has_items_name}"
}

################################################################################
# Customer managed KMS key: log groups, Lambda environment variables, the SNS
# topics, the dead-letter queue, the backup vault and the staging copies
################################################################################

data "aws_iam_policy_document" "kms" {
  # checkov:skip=CKV_AWS_109: This is a key policy, not an identity policy: "*" as Resource means this key only, and kms:* is granted to the account root alone, which delegates to the account's IAM policies (AWS's default key policy).
  # checkov:skip=CKV_AWS_111: This is a key policy: "*" as Resource means this key only; every statement names its principal (the account, CloudWatch Logs with a log-group condition, AWS Backup, the trigger role through SQS).
  # checkov:skip=CKV_AWS_356: In a key policy the Resource "*" means the key the policy is attached to (AWS documents it so), and a key cannot name its own ARN in the policy it is created with.

  # The account's IAM policies decide who administers and uses the key (Terraform
  # itself, operators reading encrypted logs, AWS Backup's service role, ...).
  statement {
    sid       = "EnableIAMPolicies"
    actions   = ["kms:*"]
    resources = ["*"] # in a key policy, "*" is this key

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # log_kms_key_arn: CloudWatch Logs encrypts the rotator's five log groups, and only
  # those (the encryption context names the log group).
  statement {
    sid = "CloudWatchLogsEncryptRotatorLogGroups"
    actions = [
      "kms:Decrypt*",
      "kms:Describe*",
      "kms:Encrypt*",
      "kms:GenerateDataKey*",
      "kms:ReEncrypt*",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.${local.dns_suffix}"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.lambda_log_group_arns, local.state_machine_log_arn]
    }
  }

  # The SNS topic is encrypted with this key: AWS Backup, the publisher, needs the data
  # key. With the AWS managed key alias/aws/sns, whose policy cannot be changed, AWS
  # Backup's notifications would be dropped.
  statement {
    sid       = "AWSBackupPublishToEncryptedTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }

  # trigger_dead_letter_target_arn: Lambda sends a failed event to the queue with the
  # trigger function's role, and SQS then uses this key on that role's behalf. The
  # module grants the role sqs:SendMessage; the key usage has to come from here.
  statement {
    sid       = "TriggerSendsToEncryptedDeadLetterQueue"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [module.ddb_rotator.role_arns["trigger"]]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sqs.${local.region}.${local.dns_suffix}"]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "DynamoDB Backup Rotator ${var.name}: logs, Lambda environment, AWS Backup notifications, failure notifications, dead-letter queue, backup vault, staging copies."
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

# The staging copies' item changes (copy_settings.kinesis_stream_arn): each new copy
# streams into it once Configure has finished, never into production's stream. The
# module is given the stream's ARN built from its name, not from the resource: the
# stream's key policy names the module's roles, whose permissions boundary reads
# copy_settings (a cycle otherwise).
locals {
  copy_changes_stream_arn = "arn:${local.partition}:kinesis:${local.region}:${local.account_id}:stream/${var.name}-copy-changes"
}

resource "aws_kinesis_stream" "copy_changes" {
  #checkov:skip=CKV_AWS_185:DynamoDB writes a table's changes to its Kinesis destination through its own service-linked role; Kinesis's AWS managed key lets it, where this example's key policy would have to name that role, which exists only after the first EnableKinesisStreamingDestination of the account.
  name             = "${var.name}-copy-changes"
  retention_period = 24
  encryption_type  = "KMS"
  kms_key_id       = "alias/aws/kinesis"

  stream_mode_details {
    stream_mode = "ON_DEMAND"
  }

  tags = var.tags
}

################################################################################
# The backup vault and the topic it publishes its events to
################################################################################

# A vault of its own, so that its notification settings belong to this configuration:
# aws_backup_vault_notifications replaces whatever a vault already has. Point the
# rules of your backup plan for the "*-prod" tables at it (target_vault_name).
resource "aws_backup_vault" "this" {
  name        = var.backup_vault_name
  kms_key_arn = aws_kms_key.this.arn

  tags = var.tags
}

resource "aws_sns_topic" "backup_events" {
  name              = "${var.name}-backup-events"
  kms_master_key_id = aws_kms_key.this.arn

  tags = var.tags
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

resource "aws_backup_vault_notifications" "this" {
  backup_vault_name   = aws_backup_vault.this.name
  sns_topic_arn       = aws_sns_topic.backup_events.arn
  backup_vault_events = ["BACKUP_JOB_COMPLETED"]

  depends_on = [aws_sns_topic_policy.backup_events]
}

################################################################################
# Failure notifications: one JSON message per failed rotation
################################################################################

# The rotator's state machine publishes here (notification_topic_arn); subscribe the
# team's queue, e-mail or chat integration. Encrypted with the key, which the state
# machine's role may use through SNS (notification_topic_kms_key_arn; the key policy
# leaves that to IAM). Its ARN is built from its name, for the permissions boundary and
# so that the plan shows the module's state machine definition in full.
resource "aws_sns_topic" "rotation_failures" {
  name              = local.failure_topic_name
  kms_master_key_id = aws_kms_key.this.arn

  tags = var.tags

  lifecycle {
    postcondition {
      condition     = self.arn == local.failure_topic_arn
      error_message = "The failure topic's ARN ${self.arn} differs from ${local.failure_topic_arn}, which the rotator and the permissions boundary were given."
    }
  }
}

################################################################################
# Dead-letter queue of the trigger function
################################################################################

# Receives a notification the trigger could not turn into an execution after Lambda's
# two asynchronous retries (the message body is the original SNS event).
resource "aws_sqs_queue" "trigger_dead_letter" {
  name = local.dead_letter_queue_name

  # The longest SQS keeps a message: two weeks to notice, fix and replay.
  message_retention_seconds = 1209600

  kms_master_key_id                 = aws_kms_key.this.arn
  kms_data_key_reuse_period_seconds = 3600

  # Written to by Lambda only: no other queue may use it as its dead-letter queue.
  redrive_allow_policy = jsonencode({
    redrivePermission = "denyAll"
  })

  tags = var.tags
}

################################################################################
# Permissions boundary of the rotator's roles
################################################################################

# Typically required by a platform team that lets application stacks create roles only
# with a boundary. The module gives the boundary its roles fit under
# (permissions_boundary_policy, derived from their own policies); this example adds what
# its own resources need of it: its hook's logs (the hook's role carries the boundary
# too), and its key's use through SQS (the trigger's encrypted dead-letter queue: the
# key policy grants it to the trigger's role) and Lambda (the functions' encrypted
# environment). The key is named by pattern: its policy names the trigger's role, which
# carries this boundary.
data "aws_iam_policy_document" "permissions_boundary" {
  source_policy_documents = [module.ddb_rotator.permissions_boundary_policy]

  statement {
    sid       = "HookWritesItsLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.hook_has_items_log_name}:*"]
  }

  statement {
    sid       = "UseKeyThroughSqsAndLambda"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "sqs.${local.region}.${local.dns_suffix}",
        "lambda.${local.region}.${local.dns_suffix}",
      ]
    }
  }
}

# The key of the pass's hash and fake_* rules. Terraform creates the parameter with a
# placeholder and never sets its value again: put the key there yourself, once, e.g.
#   aws ssm put-parameter --name /ddb-rotator/mask-key --type SecureString --overwrite \
#     --value "$(openssl rand -base64 32)"
# Until then every rotation fails in PlanPass (PassRefused: a key shorter than 16
# bytes), before any write. Keep the key: a new one gives every hashed value a new hash.
resource "aws_ssm_parameter" "mask_key" {
  name        = "/${var.name}/mask-key"
  description = "HMAC key of the ${var.name} rotator's hash and fake_* mask rules (set by hand; Terraform ignores its value)."
  type        = "SecureString"
  value       = "unset"

  tags = var.tags

  lifecycle {
    ignore_changes = [value]
  }
  # checkov:skip=CKV_AWS_337: The parameter uses AWS's aws/ssm key, which the module's pass functions decrypt through SSM with no grant; this example's own key's policy names the roles for DynamoDB and Lambda only.
}

resource "aws_iam_policy" "permissions_boundary" {
  name        = "${var.name}-permissions-boundary"
  path        = var.role_path
  description = "Permissions boundary of the DynamoDB Backup Rotator ${var.name} roles."
  policy      = data.aws_iam_policy_document.permissions_boundary.json

  tags = var.tags
}

################################################################################
# A hook: the rotator moves the parameter only to a copy that holds items
################################################################################

# The function's code (hooks/has_items.py), zipped with a fixed file mode, so the hash
# is the same on every machine.
data "archive_file" "hook_has_items" {
  type             = "zip"
  source_file      = "${path.module}/hooks/has_items.py"
  output_path      = "${path.root}/.terraform/tmp/${local.hook_has_items_name}.zip"
  output_file_mode = "0666"
}

resource "aws_cloudwatch_log_group" "hook_has_items" {
  name              = local.hook_has_items_log_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = aws_kms_key.this.arn

  tags = var.tags
}

data "aws_iam_policy_document" "hook_has_items_assume_role" {
  statement {
    sid     = "LambdaAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# What the function does and nothing else: read one item of a copy (the rotator's
# copies only, never a production table), use the key that encrypts the copies through
# DynamoDB only (in case DynamoDB needs the reader's use of it: not verified without
# an AWS account), and write its own logs and traces. It carries the rotator's
# permissions boundary, like every role of this example.
data "aws_iam_policy_document" "hook_has_items" {
  statement {
    sid       = "ReadCopies"
    actions   = ["dynamodb:Scan"]
    resources = [local.copy_table_arns]
  }

  statement {
    sid       = "DecryptCopiesThroughDynamoDB"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${local.region}.${local.dns_suffix}"]
    }
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.hook_has_items.arn}:*"]
  }

  # X-Ray: no resource-level permissions.
  statement {
    sid       = "XRayWrite"
    actions   = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    resources = ["*"]
  }
}

resource "aws_iam_role" "hook_has_items" {
  name                 = local.hook_has_items_name
  description          = "Execution role of the ${local.hook_has_items_name} hook of the ${var.name} rotator."
  path                 = var.role_path
  permissions_boundary = aws_iam_policy.permissions_boundary.arn
  assume_role_policy   = data.aws_iam_policy_document.hook_has_items_assume_role.json

  tags = var.tags
}

resource "aws_iam_role_policy" "hook_has_items" {
  name   = "hook"
  role   = aws_iam_role.hook_has_items.id
  policy = data.aws_iam_policy_document.hook_has_items.json
}

resource "aws_lambda_function" "hook_has_items" {
  function_name = local.hook_has_items_name
  description   = "Hook of the ${var.name} rotator: refuses a copy that holds no item."
  role          = aws_iam_role.hook_has_items.arn

  filename         = data.archive_file.hook_has_items.output_path
  source_code_hash = data.archive_file.hook_has_items.output_base64sha256
  handler          = "has_items.handler"
  runtime          = "python3.13"
  architectures    = ["arm64"]
  memory_size      = 128
  timeout          = 30

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.hook_has_items.name
  }

  tracing_config {
    mode = "Active"
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.hook_has_items]

  lifecycle {
    postcondition {
      condition     = self.arn == "${local.function_arn_prefix}${local.hook_has_items_name}"
      error_message = "The hook's ARN ${self.arn} differs from ${local.function_arn_prefix}${local.hook_has_items_name}, which the rotator was given."
    }
  }

  # checkov:skip=CKV_AWS_116: Invoked synchronously by the rotator's state machine, whose Catch handles its failure; a dead-letter queue only serves asynchronous invocations.
  # checkov:skip=CKV_AWS_117: It calls DynamoDB's public API only and reaches no private resource, so a VPC would only add NAT or endpoint cost.
  # checkov:skip=CKV_AWS_115: One invocation per rotation; reserving concurrency would take it from the account's unreserved pool for no benefit.
  # checkov:skip=CKV_AWS_272: The package is built locally by archive_file from this example's source; code signing needs a signing profile and a signed package in S3.
}

################################################################################
# The rotator, with every input set
################################################################################

module "ddb_rotator" {
  source = "../.."

  # Required
  name                 = var.name
  backup_sns_topic_arn = aws_sns_topic.backup_events.arn

  # Rotation: with the defaults, "orders-prod" is restored as
  # "orders-staging-20240827-09-20-00" (see variables.tf for the "$${" escape).
  source_pattern      = var.source_pattern
  replacement_pattern = var.replacement_pattern
  ssm_parameter_name  = var.ssm_parameter_name
  # The parameter, as Publish writes it each time it moves.
  ssm_parameter_tier        = "Standard"
  ssm_parameter_description = "ARN of the newest checked staging copy of the orders table"
  ssm_parameter_tags        = { team = "data", managed-by = "dynamodb-backup-rotator" }
  poll_interval_seconds     = 120         # large tables take a while: fewer, cheaper polls
  restore_timeout_seconds   = 6 * 60 * 60 # then give up with RestoreTimedOut
  restore_kms_key_arns      = var.restore_kms_key_arns

  # Cleanup: after each rotation, delete this rotator's copies of the table beyond the
  # three newest, and any older than 30 days but the newest (and the one the parameter
  # names). Copies with deletion protection are skipped.
  keep_last    = 3
  max_age_days = 30

  # Checks before the parameter moves (the module's README, Hooks): this example's
  # function, by the ARN built from its name, not from the function: the module's
  # permissions boundary reads hooks, and the hook's role carries that boundary (a
  # cycle otherwise); the plan shows the definition in full too. The state machine may
  # be created before the hook; a rotation invokes it only once a backup completes.
  hooks = ["${local.function_arn_prefix}${local.hook_has_items_name}"]
  # A copy the hook refuses is deleted (if its tags make it this rotation's and the
  # parameter does not name it) instead of being left behind; the rotation still fails.
  delete_copy_on_hook_failure = true

  # Staging copies of a busy production table: a small fixed capacity instead of
  # production's ("PAY_PER_REQUEST" suits copies that are mostly idle), this example's
  # key, only the global indexes the reports use (at 1 unit each) and no local ones.
  # AWS Backup (advanced) recovery points get only the key at restore time: the other
  # settings are applied by Configure, except leaving local indexes out, which nothing
  # can do after a restore (best_effort below: a WARNING on that path).
  restore_settings = {
    billing_mode             = "PROVISIONED"
    read_capacity            = 5
    write_capacity           = 5
    encryption               = "CUSTOMER_MANAGED"
    kms_key_arn              = aws_kms_key.this.arn
    global_secondary_indexes = ["byCustomer", "report*"]
    local_secondary_indexes  = []
    index_capacity           = { "report*" = { read_capacity = 1, write_capacity = 1 } }
  }

  # What each copy gets after its restore (the module's README, What the copy keeps of
  # its source): the source's tags, TTL, stream, class, warm throughput, policy (its ARN
  # rewritten to the copy's), auto scaling and contributor insights; point-in-time
  # recovery for a week; a stream of this example's for the copy's changes. Deletion
  # protection stays off so old copies can go. An on-demand maximum applies only to an
  # on-demand copy: with these provisioned copies it is best effort (a WARNING if the
  # source has one), as is leaving local indexes out of an AWS Backup restore.
  copy_source_tags = true
  copy_settings = {
    copy_source_ttl               = true
    copy_source_streams           = true
    point_in_time_recovery        = true
    point_in_time_recovery_period = { days = 7 }
    deletion_protection           = false
    table_class                   = "SOURCE"
    on_demand_throughput          = { from_source = true }
    warm_throughput               = { from_source = true }
    resource_policy               = { from_source = true }
    auto_scaling                  = { from_source = true }
    contributor_insights          = "SOURCE"
    kinesis_stream_arn            = local.copy_changes_stream_arn
    best_effort                   = ["on_demand_throughput", "local_secondary_indexes"]
  }

  # The pass (the module's README, The pass): every item of each copy counted and its
  # keys checked, personal data masked, before the hooks and the parameter see it.
  # Point-in-time recovery and the stream above are switched on only after it. The
  # copy's 5 write units pace the rewrite (a throttled write waits, never fails).
  pass = {
    max_concurrency              = 4
    item_count_tolerance_percent = 10
    key_attributes               = ["pk"]
    mask = [
      { path = "customer.email", action = "hash" },
      { path = "customer.name", action = "fake_name" },
      { path = "customer.phones[*]", action = "fake_phone" },
      { path = "shipping.street", action = "redact" },
      { path = "card_number", action = "remove" },
      { path = "notes", action = "set", value = "(masked)" },
    ]
    secret_ssm_parameter_name = aws_ssm_parameter.mask_key.name
  }

  # Lambda functions
  lambda_runtime                   = "python3.13"
  lambda_architecture              = "arm64"
  lambda_memory_size               = 256
  lambda_timeout                   = 60
  lambda_log_level                 = var.lambda_log_level
  lambda_kms_key_arn               = aws_kms_key.this.arn
  create_trigger_dead_letter_queue = false # this example's queue, encrypted with its key
  trigger_dead_letter_target_arn   = aws_sqs_queue.trigger_dead_letter.arn

  # Logging and tracing
  log_retention_in_days = var.log_retention_in_days
  log_kms_key_arn       = aws_kms_key.this.arn
  tracing_enabled       = true
  alarms = {
    enabled       = true
    alarm_actions = var.alarm_actions # e.g. the team's on-call topic
  }
  state_machine_log_level              = "ALL"
  state_machine_include_execution_data = true
  # Built from the topic's name (its postcondition checks it), not from the topic: the
  # module's permissions boundary reads it, and the topic is encrypted with the key whose
  # policy names the trigger's role, which carries the boundary (a cycle otherwise).
  notification_topic_arn         = local.failure_topic_arn
  notification_topic_kms_key_arn = aws_kms_key.this.arn

  # IAM and tagging
  role_path                 = var.role_path
  role_permissions_boundary = aws_iam_policy.permissions_boundary.arn
  tags                      = var.tags
}
