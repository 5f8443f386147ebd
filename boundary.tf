################################################################################
# A permissions boundary the module's roles fit under (output
# permissions_boundary_policy), for accounts that require one on every role
################################################################################

# Derived from the roles' own documents (iam.tf): every Allow statement of the
# functions' policies (those these inputs deploy), of the state machine's and of the
# restore role's, merged by resource and condition. Grants on what is given by an ARN
# that may depend on the roles (a key whose policy names a role, a queue encrypted with
# such a key) are not read: a boundary built from them would be a dependency cycle once
# the roles carry it. For those the boundary allows the same actions on that kind of
# resource in this account and Region (boundary_inputs below). hooks and
# notification_topic_arn are read as given: pass them as ARNs built from names when
# the hooks' roles or the topic depend on the roles that carry this boundary.
data "aws_iam_policy_document" "boundary_inputs" {
  # restore_settings.kms_key_arn and restore_kms_key_arns (start_restore and the restore
  # role, iam.tf's restore_keys), and what AWS Backup's managed restore policy lets the
  # restore role do with a key: through DynamoDB in this Region only.
  statement {
    sid = "UseKeysThroughDynamoDB"
    actions = [
      "kms:CreateGrant",
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey*",
      "kms:ReEncrypt*",
    ]
    resources = ["arn:${local.partition}:kms:${local.region}:*:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [data.aws_service.dynamodb.dns_name]
    }
  }

  # Configure's updates of the copy, which restore_settings may call for (iam.tf's
  # configure_updates).
  statement {
    sid       = "UpdateCopies"
    actions   = ["dynamodb:UpdateTable"]
    resources = [local.copy_table_arns]
  }

  # The trigger's dead-letter target: the queue the module creates, or a queue or topic
  # of this account and Region given by trigger_dead_letter_target_arn.
  dynamic "statement" {
    for_each = var.create_trigger_dead_letter_queue ? [] : [true]
    content {
      sid       = "SendToGivenDeadLetterTarget"
      actions   = ["sns:Publish", "sqs:SendMessage"]
      resources = ["${format(local.arn_prefix, "sqs")}:*", "${format(local.arn_prefix, "sns")}:*"]
    }
  }

  dynamic "statement" {
    for_each = var.create_trigger_dead_letter_queue ? [true] : []
    content {
      sid       = "SendToDeadLetterQueue"
      actions   = ["sqs:SendMessage"]
      resources = ["${format(local.arn_prefix, "sqs")}:${local.dead_letter_queue_name}"]
    }
  }

  # notification_topic_kms_key_arn (iam.tf's state_machine_topic_key): a key of this
  # Region, through SNS only.
  dynamic "statement" {
    for_each = var.notification_topic_arn == null ? [] : [true]
    content {
      sid       = "EncryptFailureNotifications"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
      resources = ["arn:${local.partition}:kms:${local.region}:*:key/*"]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = [data.aws_service.sns.dns_name]
      }
    }
  }

  # The restore role's AWS managed policy (iam.tf) restores AWS Backup recovery points
  # into the copies.
  dynamic "statement" {
    for_each = var.restore_role_arn == null ? [true] : []
    content {
      sid       = "RestoreAwsBackupIntoCopies"
      actions   = ["dynamodb:RestoreTableFromAwsBackup"]
      resources = [local.copy_table_arns]
    }
  }
}

locals {
  boundary_documents = concat(
    [for key in keys(local.functions) : local.lambda_policies[key]],
    [data.aws_iam_policy_document.state_machine.json],
    var.restore_role_arn == null ? data.aws_iam_policy_document.restore_tags[*].json : [],
    [data.aws_iam_policy_document.boundary_inputs.json],
  )
  # The rotator's own functions and their log groups, one ARN each in the roles'
  # documents, are one name prefix here (<name>-*): a boundary is a ceiling, and a list
  # of every function twice would not fit IAM's 6,144 characters of a managed policy.
  # So are the service-linked roles Configure may create (still only for the services
  # the grant's iam:AWSServiceName condition names) and copy_settings.kinesis_stream_arn
  # (any stream of this account and Region, whatever the length of its name).
  boundary_name_prefixes = {
    "${format(local.arn_prefix, "lambda")}:function:${var.name}-"            = "${format(local.arn_prefix, "lambda")}:function:${var.name}-*"
    "${format(local.arn_prefix, "logs")}:log-group:/aws/lambda/${var.name}-" = "${format(local.arn_prefix, "logs")}:log-group:/aws/lambda/${var.name}-*"
    "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/" = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/*"
    "${format(local.arn_prefix, "kinesis")}:stream/"                         = "${format(local.arn_prefix, "kinesis")}:stream/*"
  }
  # Each Allow statement as (resource, condition) -> actions; then the resources with
  # the same actions and condition as one statement.
  boundary_grants = flatten([
    for document in local.boundary_documents : [
      # try: the tests' mock documents are "{}"
      for statement in try(jsondecode(document).Statement, []) : [
        for resource in flatten([try(statement.Resource, [])]) : {
          key     = jsonencode([try([for prefix, wide in local.boundary_name_prefixes : wide if startswith(resource, prefix)][0], resource), try(statement.Condition, {})])
          actions = flatten([statement.Action])
        }
      ] if statement.Effect == "Allow"
    ]
  ])
  boundary_actions_by_resource = {
    for key, actions in { for grant in local.boundary_grants : grant.key => grant.actions... } :
    key => sort(distinct(flatten(actions)))
  }
  boundary_resources_by_actions = {
    for key, actions in local.boundary_actions_by_resource :
    jsonencode([actions, jsondecode(key)[1]]) => jsondecode(key)[0]...
  }
  permissions_boundary_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      for key, resources in local.boundary_resources_by_actions : merge(
        {
          Effect   = "Allow"
          Action   = jsondecode(key)[0]
          Resource = sort(distinct(resources))
        },
        { for name, condition in { Condition = jsondecode(key)[1] } : name => condition if length(condition) > 0 },
      )
    ]
  })
}
