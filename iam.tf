locals {
  # Every copy's name ends in the 18-character time suffix -YYYYMMDD-HH-MM-SS, and
  # holds the literal text replacement_pattern starts with (up to its first group
  # reference): source_pattern must match for a table to be restored at all, so the
  # replacement is always applied. Item writes, the restore's target and the checks
  # are limited to such names, so no role of the rotator can write to a source table.
  copy_name_literal    = split("$", var.replacement_pattern)[0]
  copy_name_pattern    = "*${local.copy_name_literal}${local.copy_name_literal == "" ? "" : "*"}-????????-??-??-??"
  copy_table_arns      = "${format(local.arn_prefix, "dynamodb")}:table/${local.copy_name_pattern}"
  dynamodb_backup_arns = "${format(local.arn_prefix, "dynamodb")}:table/*/backup/*"
  recovery_point_arns  = "${format(local.arn_prefix, "backup")}:recovery-point:*"

  # Built from the name (like the functions' ARNs) so plans show it in full.
  restore_role_name = "${var.name}-restore"
  restore_role_arn  = var.restore_role_arn != null ? var.restore_role_arn : "arn:${local.partition}:iam::${local.account_id}:role${var.role_path}${local.restore_role_name}"

  # Placeholders ({source_table}, {target_base}) stand for any name: "*" in IAM.
  ssm_parameter_arn = var.ssm_parameter_name == null ? null : "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${trimprefix(replace(replace(var.ssm_parameter_name, "{source_table}", "*"), "{target_base}", "*"), "/")}"

  # Each function's own document, keyed like local.steps (steps.tf): its role's inline
  # policy, with the documents of its grants on given ARNs (local.lambda_input_policies),
  # and the source of the permissions boundary (boundary.tf). A new step adds its
  # document below and a line here.
  lambda_policies = {
    trigger       = data.aws_iam_policy_document.trigger.json
    start_restore = data.aws_iam_policy_document.start_restore.json
    check_restore = data.aws_iam_policy_document.check_restore.json
    publish       = data.aws_iam_policy_document.publish.json
    configure     = data.aws_iam_policy_document.configure.json
    # restore_job_wait = "event" only (the roles are made for local.functions)
    await_restore  = data.aws_iam_policy_document.await_restore.json
    restore_events = data.aws_iam_policy_document.restore_events.json
    # keep_last only
    cleanup = data.aws_iam_policy_document.cleanup.json
    # delete_copy_on_hook_failure (with hooks) only
    discard_copy = data.aws_iam_policy_document.discard_copy.json
    # pass only
    plan_pass    = data.aws_iam_policy_document.plan_pass.json
    walk_segment = data.aws_iam_policy_document.walk_segment.json
    check_pass   = data.aws_iam_policy_document.check_pass.json
  }
}

################################################################################
# Lambda functions: one role each
################################################################################

data "aws_iam_policy_document" "lambda_assume_role" {
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

resource "aws_iam_role" "lambda" {
  for_each = local.functions

  name                 = local.function_names[each.key]
  description          = "Execution role of the ${local.function_names[each.key]} function (DynamoDB Backup Rotator)."
  path                 = var.role_path
  permissions_boundary = var.role_permissions_boundary
  assume_role_policy   = data.aws_iam_policy_document.lambda_assume_role.json

  tags = var.tags

  lifecycle {
    postcondition {
      condition     = self.arn == local.lambda_role_arns[each.key]
      error_message = "The role's ARN ${self.arn} differs from ${local.lambda_role_arns[each.key]}, which the ledger's resource policy was given."
    }
  }
}

# The ledger of copies (ledger.tf): each function that keeps it reads its entries
# (GetItem; Cleanup: Scan) and writes them with conditional PutItem only (PlanPass only
# reads). The keys here are the ledger's writers (main.tf's ledger_writers, its
# resource policy).
locals {
  ledger_actions = {
    start_restore = ["dynamodb:GetItem", "dynamodb:PutItem"]
    configure     = ["dynamodb:GetItem", "dynamodb:PutItem"]
    publish       = ["dynamodb:GetItem", "dynamodb:PutItem"]
    discard_copy  = ["dynamodb:GetItem", "dynamodb:PutItem"]
    cleanup       = ["dynamodb:PutItem", "dynamodb:Scan"]
    check_pass    = ["dynamodb:GetItem", "dynamodb:PutItem"]
    plan_pass     = ["dynamodb:GetItem"]
  }
}

data "aws_iam_policy_document" "ledger_access" {
  for_each = local.ledger_actions

  statement {
    sid       = "KeepLedgerOfCopies"
    actions   = each.value
    resources = [local.ledger_table_arn]
  }
}

# Each function's policy: its document (local.lambda_policies) and those of its
# grants on what is given by ARN: the customer managed keys (start_restore), the
# dead-letter target (trigger), the copy updates restore_settings calls for (configure).
locals {
  lambda_input_policies = {
    trigger       = [data.aws_iam_policy_document.trigger_dead_letter.json]
    start_restore = data.aws_iam_policy_document.restore_keys[*].json
    configure     = [data.aws_iam_policy_document.configure_updates.json]
  }
}

data "aws_iam_policy_document" "lambda" {
  for_each = local.functions

  source_policy_documents = concat([local.lambda_policies[each.key]], try(local.lambda_input_policies[each.key], []))
}

resource "aws_iam_role_policy" "lambda" {
  for_each = local.functions

  name   = "rotator"
  role   = aws_iam_role.lambda[each.key].id
  policy = data.aws_iam_policy_document.lambda[each.key].json
}

# What every function needs: write to its own log group (created by Terraform, so no
# logs:CreateLogGroup), and send traces when tracing is on.
data "aws_iam_policy_document" "lambda_common" {
  for_each = local.steps

  statement {
    sid       = "WriteOwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arns[each.key]}:*"]
  }

  # X-Ray's write actions support no resource-level permissions.
  dynamic "statement" {
    for_each = var.tracing_enabled ? [true] : []
    content {
      sid       = "XRayWrite"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }
}

data "aws_iam_policy_document" "trigger" {
  source_policy_documents = [data.aws_iam_policy_document.lambda_common["trigger"].json]

  statement {
    sid       = "StartRotation"
    actions   = ["states:StartExecution"]
    resources = [local.state_machine_arn]
  }

  # AWS Backup's record of every job an event names (the trust rule: the record, not
  # the event, says what is restored, of which table, under which name): the backup
  # job (DescribeBackupJob), a copy job (DescribeCopyJob) and the copy's recovery point
  # (DescribeRecoveryPoint, in this account's vaults). The two job Describe actions
  # have no resource type in IAM: "*" is the only form.
  statement {
    sid       = "DescribeAwsBackupJobs"
    actions   = concat(["backup:DescribeBackupJob"], var.restore_copies ? ["backup:DescribeCopyJob"] : [])
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.restore_copies ? [true] : []
    content {
      sid       = "DescribeCopiedRecoveryPoint"
      actions   = ["backup:DescribeRecoveryPoint"]
      resources = [local.recovery_point_arns]
    }
  }

}

# Lambda sends an event the trigger failed on to its dead-letter target with the
# function's role. Apart from the trigger's document: the target may be given by an ARN
# that depends on the roles (boundary.tf).
data "aws_iam_policy_document" "trigger_dead_letter" {
  dynamic "statement" {
    for_each = local.dead_letter_target_arn == null ? [] : [local.dead_letter_target_arn]
    content {
      sid       = "SendToDeadLetterTarget"
      actions   = [split(":", statement.value)[2] == "sqs" ? "sqs:SendMessage" : "sns:Publish"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "start_restore" {
  source_policy_documents = [
    data.aws_iam_policy_document.lambda_common["start_restore"].json,
    data.aws_iam_policy_document.ledger_access["start_restore"].json,
  ]

  # The execution input is held to AWS's records before anything is restored: the job
  # (DescribeBackupJob, DescribeCopyJob: no resource type in IAM, "*" only) and its
  # recovery point (DescribeBackup, DescribeRecoveryPoint).
  statement {
    sid       = "DescribeAwsBackupJobs"
    actions   = concat(["backup:DescribeBackupJob"], var.restore_copies ? ["backup:DescribeCopyJob"] : [])
    resources = ["*"]
  }

  statement {
    sid       = "DescribeRecoveryPoint"
    actions   = ["backup:DescribeRecoveryPoint"]
    resources = [local.recovery_point_arns]
  }

  statement {
    sid       = "DescribeBackup"
    actions   = ["dynamodb:DescribeBackup"]
    resources = [local.dynamodb_backup_arns]
  }

  # DynamoDB authorizes RestoreTableFromBackup against the backup (of any source
  # table) and the new table (a copy's name).
  statement {
    sid       = "RestoreFromBackup"
    actions   = ["dynamodb:RestoreTableFromBackup"]
    resources = [local.dynamodb_backup_arns, local.copy_table_arns]
  }

  # A restore writes the items into the new table with the caller's permissions
  # (AWS docs: "DynamoDB read and write permissions on the target table are necessary
  # for restore functionality"). DescribeTable confirms that an existing target was
  # restored from the same backup (a repeated execution).
  statement {
    sid = "WriteRestoredTable"
    actions = [
      "dynamodb:BatchWriteItem",
      "dynamodb:DeleteItem",
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:Scan",
      "dynamodb:UpdateItem",
    ]
    resources = [local.copy_table_arns]
  }

  # AWS Backup (advanced) recovery points are restored by AWS Backup with the restore
  # role; the function starts the job and may hand over that role alone, to AWS
  # Backup alone.
  statement {
    sid       = "StartAwsBackupRestore"
    actions   = ["backup:StartRestoreJob"]
    resources = [local.recovery_point_arns]
  }

  # A target that exists already (a re-run) is adopted only if a restore job of the
  # same recovery point made it. Neither action has a resource type in IAM.
  statement {
    sid       = "FindOwnAwsBackupRestore"
    actions   = ["backup:GetRestoreJobMetadata", "backup:ListRestoreJobs"]
    resources = ["*"]
  }

  statement {
    sid       = "PassRestoreRoleToAwsBackup"
    actions   = ["iam:PassRole"]
    resources = [local.restore_role_arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["backup.amazonaws.com"]
    }
  }

}

# Customer managed keys: the key usage DynamoDB performs on the caller's behalf for a
# table encrypted with one (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html),
# only through DynamoDB in this Region: the keys of the source tables (restoring from
# their backups) and restore_settings.kms_key_arn (encrypting the copies). Granted to
# the start-restore function (RestoreTableFromBackup) and to the restore role that the
# module creates (StartRestoreJob).
locals {
  # Decided by the encryption (known at plan time), not by the key's ARN, which may be
  # known only after apply.
  copies_use_customer_key = var.restore_settings.encryption == "CUSTOMER_MANAGED"
}

data "aws_iam_policy_document" "restore_keys" {
  count = length(var.restore_kms_key_arns) > 0 || local.copies_use_customer_key ? 1 : 0

  dynamic "statement" {
    for_each = length(var.restore_kms_key_arns) > 0 ? [var.restore_kms_key_arns] : []
    content {
      sid = "UseSourceTableKeysThroughDynamoDB"
      actions = [
        "kms:CreateGrant",
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
      ]
      resources = statement.value

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [data.aws_service.dynamodb.dns_name]
      }
    }
  }

  dynamic "statement" {
    for_each = local.copies_use_customer_key ? [var.restore_settings.kms_key_arn] : []
    content {
      sid = "EncryptCopiesThroughDynamoDB"
      actions = [
        "kms:CreateGrant",
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
      ]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [data.aws_service.dynamodb.dns_name]
      }
    }
  }
}

data "aws_iam_policy_document" "check_restore" {
  source_policy_documents = [data.aws_iam_policy_document.lambda_common["check_restore"].json]

  statement {
    sid       = "DescribeRestoredTable"
    actions   = ["dynamodb:DescribeTable"]
    resources = [local.copy_table_arns]
  }

  # DescribeRestoreJob has no resource type of its own in IAM: "*" is the only form.
  statement {
    sid       = "DescribeAwsBackupRestoreJob"
    actions   = ["backup:DescribeRestoreJob"]
    resources = ["*"]
  }
}

# The event-driven wait (restore_job_wait = "event"). states:SendTaskSuccess is
# granted on this rotator's state machine alone, not on "*". The Service Authorization
# Reference lists no resource type for it (normally meaning "*" only), and AWS
# documents nothing else; the evidence that Step Functions evaluates it against the
# state machine the token's task belongs to:
# - an AccessDeniedException for SendTaskFailure, a sibling action, whose resource is
#   a state machine ARN ("... is not authorized to perform: states:SendTaskFailure on
#   resource: arn:aws:states:us-east-1:<account>:stateMachine:..."), NOAA-OWP/hydrovis
#   issue 837 (2024-08-22; a callback from an SSM command);
# - aws/aws-cdk pull request 8486 (2020-06-11): the IAM Policy Simulator says the three
#   SendTask* actions take "*" only, but a test found them working when granted on the
#   state machine for a Lambda callback (as here, lambda:invoke.waitForTaskToken), and,
#   for an activity, only when granted on the activity, not on the state machine.
# Not verified against AWS here. A wrong guess does not stall rotations silently:
# wake() logs an ERROR (action wake_denied, naming states:SendTaskSuccess) and raises
# WakeDenied; AwaitRestoreJob catches it and goes on to WaitForRestore, so a rotation
# is late by at most restore_event_timeout_seconds, and the restore-events function
# fails, which the restore_event_errors alarm (alarms.tf) reports.
data "aws_iam_policy_document" "await_restore" {
  source_policy_documents = [data.aws_iam_policy_document.lambda_common["await_restore"].json]

  statement {
    sid       = "FileTaskToken"
    actions   = ["dynamodb:PutItem"]
    resources = [local.waits_table_arn]
  }

  statement {
    sid       = "DescribeAwsBackupRestoreJob"
    actions   = ["backup:DescribeRestoreJob"]
    resources = ["*"]
  }

  statement {
    sid       = "WakeOwnRotation"
    actions   = ["states:SendTaskSuccess"]
    resources = [local.state_machine_arn]
  }
}

data "aws_iam_policy_document" "restore_events" {
  source_policy_documents = [data.aws_iam_policy_document.lambda_common["restore_events"].json]

  statement {
    sid       = "UseTaskToken"
    actions   = ["dynamodb:GetItem", "dynamodb:DeleteItem"]
    resources = [local.waits_table_arn]
  }

  statement {
    sid       = "WakeOwnRotation"
    actions   = ["states:SendTaskSuccess"]
    resources = [local.state_machine_arn]
  }
}

# Configure: the copy's settings and tags, and its built-in check. Source tables are
# read (their metadata only) for what copy_source_tags and copy_settings copy; any
# table of the account, as the copy's source can be any table source_pattern matches.
locals {
  configure_updates_table = (
    var.copy_settings.deletion_protection || var.copy_settings.copy_source_streams ||
    var.restore_settings.billing_mode != null || var.restore_settings.exclude_global_secondary_indexes ||
    var.restore_settings.global_secondary_indexes != null || var.restore_settings.index_capacity != null ||
    var.copy_settings.table_class != null || var.copy_settings.on_demand_throughput != null ||
    var.copy_settings.warm_throughput != null || var.copy_settings.auto_scaling != null
  )
  # The copy_settings given "as the source" (try: a setting that is off is null).
  copies_from_source = [
    for name, from_source in {
      table_class                   = var.copy_settings.table_class == "SOURCE"
      on_demand_throughput          = try(var.copy_settings.on_demand_throughput.from_source, false)
      warm_throughput               = try(var.copy_settings.warm_throughput.from_source, false)
      point_in_time_recovery_period = try(var.copy_settings.point_in_time_recovery_period.from_source, false)
      resource_policy               = try(var.copy_settings.resource_policy.from_source, false)
      auto_scaling                  = try(var.copy_settings.auto_scaling.from_source, false)
      contributor_insights          = var.copy_settings.contributor_insights == "SOURCE"
    } : name if from_source
  ]
  configure_source_reads = concat(
    var.copy_source_tags ? ["dynamodb:ListTagsOfResource"] : [],
    var.copy_settings.copy_source_ttl ? ["dynamodb:DescribeTimeToLive"] : [],
    var.copy_settings.copy_source_streams || length(local.copies_from_source) > 0 ? ["dynamodb:DescribeTable"] : [],
    contains(local.copies_from_source, "point_in_time_recovery_period") ? ["dynamodb:DescribeContinuousBackups"] : [],
    contains(local.copies_from_source, "resource_policy") ? ["dynamodb:GetResourcePolicy"] : [],
    contains(local.copies_from_source, "contributor_insights") ? ["dynamodb:DescribeContributorInsights"] : [],
  )

  # Application Auto Scaling (copy_settings.auto_scaling). Its scalable targets have
  # ARNs of their own (scalable-target/<id assigned by the service>) and its only
  # condition keys are the service namespace and the scalable dimension: no grant can
  # name a table, so these are DynamoDB's targets of any table in this account and
  # Region (https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_service-with-iam.html).
  # The namespace "dynamodb" has the table's and the global indexes' read and write
  # capacity as its only dimensions, so a condition on the dimension would narrow
  # nothing further.
  scalable_targets = "${format(local.arn_prefix, "application-autoscaling")}:scalable-target/*"
  # The service-linked roles DynamoDB and Application Auto Scaling create the first time
  # a setting is switched on in the account, if the caller may create them; by service
  # principal (iam:AWSServiceName), to the role's name.
  configure_service_linked_roles = merge(
    var.copy_settings.auto_scaling == null ? {} : { "dynamodb.application-autoscaling.amazonaws.com" = "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable" },
    var.copy_settings.contributor_insights == null ? {} : { "contributorinsights.dynamodb.amazonaws.com" = "AWSServiceRoleForDynamoDBCloudWatchContributorInsights" },
    var.copy_settings.kinesis_stream_arn == null ? {} : { "kinesisreplication.dynamodb.amazonaws.com" = "AWSServiceRoleForDynamoDBKinesisDataStreamsReplication" },
  )
}

data "aws_iam_policy_document" "configure" {
  source_policy_documents = [
    data.aws_iam_policy_document.lambda_common["configure"].json,
    data.aws_iam_policy_document.ledger_access["configure"].json,
  ]

  statement {
    sid       = "TagAndCheckCopy"
    actions   = ["dynamodb:DescribeTable", "dynamodb:ListTagsOfResource", "dynamodb:TagResource", "dynamodb:Scan"]
    resources = [local.copy_table_arns]
  }

  dynamic "statement" {
    for_each = var.copy_settings.copy_source_ttl ? [true] : []
    content {
      sid       = "CopyTimeToLive"
      actions   = ["dynamodb:DescribeTimeToLive", "dynamodb:UpdateTimeToLive"]
      resources = [local.copy_table_arns]
    }
  }

  dynamic "statement" {
    for_each = var.copy_settings.point_in_time_recovery ? [true] : []
    content {
      sid       = "CopyPointInTimeRecovery"
      actions   = ["dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups"]
      resources = [local.copy_table_arns]
    }
  }

  dynamic "statement" {
    for_each = length(local.configure_source_reads) > 0 ? [true] : []
    content {
      sid       = "ReadSourceTableSettings"
      actions   = local.configure_source_reads
      resources = ["${format(local.arn_prefix, "dynamodb")}:table/*"]
    }
  }

  # pass: FinishConfigure removes the policy PlanPass closed the copy with.
  dynamic "statement" {
    for_each = local.passes ? [true] : []
    content {
      sid       = "OpenCopyAfterPass"
      actions   = ["dynamodb:GetResourcePolicy", "dynamodb:DeleteResourcePolicy"]
      resources = [local.copy_table_arns]
    }
  }

  dynamic "statement" {
    for_each = var.copy_settings.resource_policy == null ? [] : [true]
    content {
      sid       = "PutCopyResourcePolicy"
      actions   = ["dynamodb:GetResourcePolicy", "dynamodb:PutResourcePolicy"]
      resources = [local.copy_table_arns]
    }
  }

  # auto_scaling: the copy's (and its global indexes') read and write capacity as
  # scalable targets with target tracking policies, in DynamoDB's namespace only (see
  # local.scalable_targets: no grant can name the copy).
  dynamic "statement" {
    for_each = var.copy_settings.auto_scaling == null ? [] : [true]
    content {
      sid       = "ScaleCopies"
      actions   = ["application-autoscaling:PutScalingPolicy", "application-autoscaling:RegisterScalableTarget"]
      resources = [local.scalable_targets]

      condition {
        test     = "StringEquals"
        variable = "application-autoscaling:service-namespace"
        values   = ["dynamodb"]
      }
    }
  }

  # The Describe actions of Application Auto Scaling have no resource type in IAM: "*"
  # is the only form. They read the source's scaling too (from_source).
  dynamic "statement" {
    for_each = var.copy_settings.auto_scaling == null ? [] : [true]
    content {
      sid       = "DescribeScaling"
      actions   = ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies"]
      resources = ["*"]
    }
  }

  # A target tracking policy's alarms, which Application Auto Scaling names
  # TargetTracking-table/<table>[/index/<index>]-Alarm... AWS's examples of the
  # permissions a caller needs for it grant these actions on "*"; the grant here names
  # the copies' alarms only, which is not verified against AWS: a refusal fails the
  # rotation unless copy_settings.best_effort names auto_scaling (variables.tf).
  dynamic "statement" {
    for_each = var.copy_settings.auto_scaling == null ? [] : [true]
    content {
      sid       = "CopyScalingAlarms"
      actions   = ["cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm"]
      resources = ["${format(local.arn_prefix, "cloudwatch")}:alarm:TargetTracking-table/${local.copy_name_pattern}*"]
    }
  }

  # contributor_insights: on the copy and each of its indexes.
  dynamic "statement" {
    for_each = var.copy_settings.contributor_insights == null ? [] : [true]
    content {
      sid       = "CopyContributorInsights"
      actions   = ["dynamodb:DescribeContributorInsights", "dynamodb:UpdateContributorInsights"]
      resources = [local.copy_table_arns, "${local.copy_table_arns}/index/*"]
    }
  }

  # kinesis_stream_arn: besides the DynamoDB actions, AWS lists what the caller needs
  # of Kinesis (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/kds_iam.html):
  # PutRecords, DescribeStream and ListStreams to enable a destination, DescribeStream
  # and DescribeStreamSummary to describe it. ListStreams names no stream (an account's
  # list): "*" is the only form.
  dynamic "statement" {
    for_each = var.copy_settings.kinesis_stream_arn == null ? [] : [true]
    content {
      sid       = "StreamCopyChanges"
      actions   = ["dynamodb:DescribeKinesisStreamingDestination", "dynamodb:EnableKinesisStreamingDestination"]
      resources = [local.copy_table_arns]
    }
  }

  dynamic "statement" {
    for_each = var.copy_settings.kinesis_stream_arn == null ? [] : [var.copy_settings.kinesis_stream_arn]
    content {
      sid       = "WriteToKinesisStream"
      actions   = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:PutRecords"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.copy_settings.kinesis_stream_arn == null ? [] : [true]
    content {
      sid       = "ListKinesisStreams"
      actions   = ["kinesis:ListStreams"]
      resources = ["*"]
    }
  }

  # The service-linked roles of auto_scaling, contributor_insights and
  # kinesis_stream_arn (local.configure_service_linked_roles), each only for its
  # service.
  dynamic "statement" {
    for_each = length(local.configure_service_linked_roles) == 0 ? [] : [local.configure_service_linked_roles]
    content {
      sid       = "CreateServiceLinkedRoles"
      actions   = ["iam:CreateServiceLinkedRole"]
      resources = [for service, role in statement.value : "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/${service}/${role}"]

      condition {
        test     = "StringEquals"
        variable = "iam:AWSServiceName"
        values   = keys(statement.value)
      }
    }
  }

  # The built-in check compares the copy with its backup's size.
  statement {
    sid       = "DescribeBackup"
    actions   = ["dynamodb:DescribeBackup"]
    resources = [local.dynamodb_backup_arns]
  }

  statement {
    sid       = "DescribeAwsBackupRestoreJob"
    actions   = ["backup:DescribeRestoreJob"]
    resources = ["*"]
  }
}

# Whether Configure updates the copy depends on restore_settings, which may name a key
# whose policy names the roles: apart from its document (boundary.tf).
data "aws_iam_policy_document" "configure_updates" {
  dynamic "statement" {
    for_each = local.configure_updates_table ? [true] : []
    content {
      sid       = "UpdateCopy"
      actions   = ["dynamodb:UpdateTable"]
      resources = [local.copy_table_arns]
    }
  }
}

data "aws_iam_policy_document" "publish" {
  source_policy_documents = [
    data.aws_iam_policy_document.lambda_common["publish"].json,
    data.aws_iam_policy_document.ledger_access["publish"].json,
  ]

  statement {
    sid       = "DescribeRestoredTable"
    actions   = ["dynamodb:DescribeTable"]
    resources = [local.copy_table_arns]
  }

  # The copy of an AWS Backup recovery point is checked against its restore job.
  statement {
    sid       = "DescribeAwsBackupRestoreJob"
    actions   = ["backup:DescribeRestoreJob"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = local.ssm_parameter_arn == null ? [] : [local.ssm_parameter_arn]
    content {
      sid       = "PublishTableArn"
      actions   = concat(["ssm:GetParameter", "ssm:PutParameter"], length(var.ssm_parameter_tags) > 0 ? ["ssm:AddTagsToResource"] : [])
      resources = [statement.value]
    }
  }
}

# Deleting this rotator's own copies: the Cleanup step (keep_last) and DiscardRefusedCopy
# (delete_copy_on_hook_failure) share these statements. Their code deletes only the
# tables the ledger of copies (ledger.tf) records as this rotator's, whose TableId is the
# ledger's; IAM narrows it to the copies' names. There is no condition on the tables'
# tags: anyone allowed to tag a table could set them, and a copy whose rotation failed
# before it was tagged must still be deletable (the ledger decides, not the tags).
data "aws_iam_policy_document" "delete_own_copies" {
  statement {
    sid       = "ReadCopies"
    actions   = ["dynamodb:DescribeTable"]
    resources = [local.copy_table_arns]
  }

  statement {
    sid       = "DeleteOwnCopies"
    actions   = ["dynamodb:DeleteTable"]
    resources = [local.copy_table_arns]
  }

  # The parameter's value: the table it names is never deleted.
  dynamic "statement" {
    for_each = local.ssm_parameter_arn == null ? [] : [local.ssm_parameter_arn]
    content {
      sid       = "ReadPublishedTableArn"
      actions   = ["ssm:GetParameter"]
      resources = [statement.value]
    }
  }
}

# The Cleanup step (keep_last) finds old copies in the ledger (its Scan), not among the
# account's tables.
data "aws_iam_policy_document" "cleanup" {
  source_policy_documents = [
    data.aws_iam_policy_document.lambda_common["cleanup"].json,
    data.aws_iam_policy_document.ledger_access["cleanup"].json,
    data.aws_iam_policy_document.delete_own_copies.json,
    data.aws_iam_policy_document.deregister_copy_scaling.json,
  ]

  # A copy of an AWS Backup restore whose rotation ended before its TableId was recorded
  # is matched by what its restore job created. No resource type in IAM: "*" only.
  statement {
    sid       = "DescribeAwsBackupRestoreJob"
    actions   = ["backup:DescribeRestoreJob"]
    resources = ["*"]
  }
}

# The DiscardRefusedCopy step (delete_copy_on_hook_failure) looks at the rotation's own
# copy only.
data "aws_iam_policy_document" "discard_copy" {
  source_policy_documents = [
    data.aws_iam_policy_document.lambda_common["discard_copy"].json,
    data.aws_iam_policy_document.ledger_access["discard_copy"].json,
    data.aws_iam_policy_document.delete_own_copies.json,
    data.aws_iam_policy_document.deregister_copy_scaling.json,
  ]
}

# copy_settings.auto_scaling: the scalable targets of a copy Cleanup or
# DiscardRefusedCopy deletes (DeleteTable leaves them). Deregistering a target deletes
# its scaling policies, and a target tracking policy's alarms go with it. The same
# reach as Configure's ScaleCopies and DescribeScaling (local.scalable_targets). Empty
# without auto_scaling.
data "aws_iam_policy_document" "deregister_copy_scaling" {
  dynamic "statement" {
    for_each = var.copy_settings.auto_scaling == null ? [] : [true]
    content {
      sid       = "DeregisterCopyScaling"
      actions   = ["application-autoscaling:DeregisterScalableTarget"]
      resources = [local.scalable_targets]

      condition {
        test     = "StringEquals"
        variable = "application-autoscaling:service-namespace"
        values   = ["dynamodb"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.copy_settings.auto_scaling == null ? [] : [true]
    content {
      sid       = "DescribeScaling"
      actions   = ["application-autoscaling:DescribeScalableTargets"]
      resources = ["*"]
    }
  }
}

# pass: the key of hash and fake_* rules, read by PlanPass (to fail before any write if
# it cannot be) and by each worker invocation: the SSM parameter or the Secrets Manager
# secret pass names. An SSM parameter encrypted with a customer managed key also needs
# that key's policy to let the roles decrypt.
data "aws_iam_policy_document" "mask_key" {
  dynamic "statement" {
    for_each = local.passes && try(var.pass.secret_ssm_parameter_name != null, false) ? [var.pass.secret_ssm_parameter_name] : []
    content {
      sid       = "ReadMaskKeyParameter"
      actions   = ["ssm:GetParameter"]
      resources = ["arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${trimprefix(statement.value, "/")}"]
    }
  }

  dynamic "statement" {
    for_each = local.passes && try(var.pass.secret_arn != null, false) ? [var.pass.secret_arn] : []
    content {
      sid       = "ReadMaskKeySecret"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "plan_pass" {
  source_policy_documents = [
    data.aws_iam_policy_document.lambda_common["plan_pass"].json,
    data.aws_iam_policy_document.ledger_access["plan_pass"].json,
    data.aws_iam_policy_document.mask_key.json,
  ]

  # The copy's key schema, size and TableId; the policy that closes it during the pass.
  statement {
    sid       = "PlanPassOverCopy"
    actions   = ["dynamodb:DescribeTable", "dynamodb:PutResourcePolicy"]
    resources = [local.copy_table_arns]
  }

  # What AWS recorded for the backup: its size (the segments) and item count (the check).
  statement {
    sid       = "DescribeBackup"
    actions   = ["dynamodb:DescribeBackup"]
    resources = [local.dynamodb_backup_arns]
  }

  statement {
    sid       = "DescribeAwsBackupRestoreJob"
    actions   = ["backup:DescribeRestoreJob"]
    resources = ["*"]
  }

}

data "aws_iam_policy_document" "walk_segment" {
  source_policy_documents = [
    data.aws_iam_policy_document.lambda_common["walk_segment"].json,
    data.aws_iam_policy_document.mask_key.json,
  ]

  # Reads every item of its segment (consistent reads) and writes back the masked ones.
  statement {
    sid       = "WalkCopySegment"
    actions   = ["dynamodb:DescribeTable", "dynamodb:Scan", "dynamodb:BatchWriteItem"]
    resources = [local.copy_table_arns]
  }

  # pass.transform_function_arn, exactly as given (Lambda checks the ARN a call names,
  # qualifier included).
  dynamic "statement" {
    for_each = local.passes && try(var.pass.transform_function_arn != null, false) ? [var.pass.transform_function_arn] : []
    content {
      sid       = "InvokeTransform"
      actions   = ["lambda:InvokeFunction"]
      resources = [statement.value]
    }
  }

}

# CheckPass adds up what the workers and PlanPass handed it and records the figures
# in the ledger of copies.
data "aws_iam_policy_document" "check_pass" {
  source_policy_documents = [
    data.aws_iam_policy_document.lambda_common["check_pass"].json,
    data.aws_iam_policy_document.ledger_access["check_pass"].json,
  ]
}

################################################################################
# State machine
################################################################################

data "aws_iam_policy_document" "state_machine_assume_role" {
  statement {
    sid     = "StepFunctionsAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "state_machine" {
  name                 = "${var.name}-state-machine"
  description          = "Execution role of the ${var.name} state machine (DynamoDB Backup Rotator)."
  path                 = var.role_path
  permissions_boundary = var.role_permissions_boundary
  assume_role_policy   = data.aws_iam_policy_document.state_machine_assume_role.json

  tags = var.tags
}

resource "aws_iam_role_policy" "state_machine" {
  name   = "rotator"
  role   = aws_iam_role.state_machine.id
  policy = data.aws_iam_policy_document.state_machine_role.json
}

data "aws_iam_policy_document" "state_machine" {
  statement {
    sid     = "InvokeWorkflowFunctions"
    actions = ["lambda:InvokeFunction"]
    resources = flatten([
      for key in local.workflow_steps : [
        local.function_arns[key],
        "${local.function_arns[key]}:*",
      ]
    ])
  }

  # RunHooks invokes the hooks, each exactly as given. Lambda checks the ARN a call
  # names, qualifier included, so an unqualified ARN here allows $LATEST only and a
  # qualified one that version or alias only.
  dynamic "statement" {
    for_each = length(var.hooks) > 0 ? [distinct(var.hooks)] : []
    content {
      sid       = "InvokeHooks"
      actions   = ["lambda:InvokeFunction"]
      resources = statement.value
    }
  }

  # Vended log delivery to CloudWatch Logs. The *LogDelivery actions support no
  # resource-level permissions and AWS documents the whole set on "*"
  # (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy).
  statement {
    sid = "DeliverExecutionLogs"
    actions = [
      "logs:CreateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:DescribeLogGroups",
      "logs:DescribeResourcePolicies",
      "logs:GetLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:UpdateLogDelivery",
    ]
    resources = ["*"]
  }

  # X-Ray tracing of the workflow (no resource-level permissions either).
  dynamic "statement" {
    for_each = var.tracing_enabled ? [true] : []
    content {
      sid = "XRayWrite"
      actions = [
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:PutTelemetryRecords",
        "xray:PutTraceSegments",
      ]
      resources = ["*"]
    }
  }

  # pass: WalkSegments, a Distributed Map, runs each segment as a child execution of
  # this state machine (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html).
  dynamic "statement" {
    for_each = local.passes ? [true] : []
    content {
      sid       = "RunPassChildExecutions"
      actions   = ["states:StartExecution"]
      resources = [local.state_machine_arn]
    }
  }

  dynamic "statement" {
    for_each = local.passes ? [true] : []
    content {
      sid       = "WatchPassChildExecutions"
      actions   = ["states:DescribeExecution", "states:StopExecution"]
      resources = ["${format(local.arn_prefix, "states")}:execution:${var.name}/*"]
    }
  }

  # NotifyFailure publishes a failed rotation to notification_topic_arn, and only there.
  dynamic "statement" {
    for_each = var.notification_topic_arn == null ? [] : [var.notification_topic_arn]
    content {
      sid       = "PublishFailureNotifications"
      actions   = ["sns:Publish"]
      resources = [statement.value]
    }
  }

}

# An encrypted topic: SNS uses the key on the publisher's behalf
# (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html), so the role may
# use it through SNS in this Region only. Apart from the state machine's document: the
# key's policy may name the roles (boundary.tf).
data "aws_iam_policy_document" "state_machine_topic_key" {
  dynamic "statement" {
    for_each = var.notification_topic_arn == null || var.notification_topic_kms_key_arn == null ? [] : [var.notification_topic_kms_key_arn]
    content {
      sid       = "EncryptFailureNotifications"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [data.aws_service.sns.dns_name]
      }
    }
  }
}

data "aws_iam_policy_document" "state_machine_role" {
  source_policy_documents = [
    data.aws_iam_policy_document.state_machine.json,
    data.aws_iam_policy_document.state_machine_topic_key.json,
  ]
}

# SNS's endpoint host in this Region (sns.<region>.amazonaws.com[.cn]), the value of
# kms:ViaService for the notification topic's key.
data "aws_service" "sns" {
  service_id = "sns"
}

################################################################################
# AWS Backup restore role (advanced recovery points), unless restore_role_arn
################################################################################

data "aws_iam_policy_document" "restore_assume_role" {
  statement {
    sid     = "AwsBackupAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "restore" {
  count = var.restore_role_arn == null ? 1 : 0

  name                 = local.restore_role_name
  description          = "Role AWS Backup restores recovery points with for the ${var.name} rotator (DynamoDB Backup Rotator)."
  path                 = var.role_path
  permissions_boundary = var.role_permissions_boundary
  assume_role_policy   = data.aws_iam_policy_document.restore_assume_role.json

  tags = var.tags

  lifecycle {
    postcondition {
      condition     = self.arn == local.restore_role_arn
      error_message = "The restore role's ARN ${self.arn} differs from ${local.restore_role_arn}, which the start-restore function was given."
    }
  }
}

# AWS's managed policy for restores (its DynamoDB statements are what a restore of a
# DynamoDB recovery point needs). Attached with a non-exclusive attachment.
resource "aws_iam_role_policy_attachment" "restore" {
  count = var.restore_role_arn == null ? 1 : 0

  role       = aws_iam_role.restore[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
}

# Customer managed keys of the source tables and of the copies, through DynamoDB only.
resource "aws_iam_role_policy" "restore_keys" {
  count = var.restore_role_arn == null ? length(data.aws_iam_policy_document.restore_keys) : 0

  name   = "restore-keys"
  role   = aws_iam_role.restore[0].id
  policy = data.aws_iam_policy_document.restore_keys[0].json
}

# copy_source_tags: AWS Backup tags the copy with the restore role, on the copies'
# names only.
data "aws_iam_policy_document" "restore_tags" {
  count = var.copy_source_tags ? 1 : 0

  statement {
    sid       = "TagRestoredCopies"
    actions   = ["dynamodb:TagResource"]
    resources = [local.copy_table_arns]
  }
}

resource "aws_iam_role_policy" "restore_tags" {
  count = var.restore_role_arn == null ? length(data.aws_iam_policy_document.restore_tags) : 0

  name   = "restore-tags"
  role   = aws_iam_role.restore[0].id
  policy = data.aws_iam_policy_document.restore_tags[0].json
}

# AWS's managed restore policy allows DynamoDB item reads and writes on every table of
# the account (it is written for every kind of restore). An explicit deny keeps the
# restore role the module creates to the copies' names (and the backups it may restore
# from), so it cannot touch a source table whatever that policy allows.
data "aws_iam_policy_document" "restore_scope" {
  statement {
    sid           = "OnlyCopiesAndBackups"
    effect        = "Deny"
    actions       = ["dynamodb:*"]
    not_resources = [local.copy_table_arns, "${local.copy_table_arns}/*", local.dynamodb_backup_arns]
  }
}

resource "aws_iam_role_policy" "restore_scope" {
  count = var.restore_role_arn == null ? 1 : 0

  name   = "restore-scope"
  role   = aws_iam_role.restore[0].id
  policy = data.aws_iam_policy_document.restore_scope.json
}
