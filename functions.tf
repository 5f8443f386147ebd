################################################################################
# Lambda functions: one per key of local.functions (steps.tf), all from one package
################################################################################

locals {
  # restore_settings, as rotator.settings.restore_options reads them ("": not set), for
  # the functions that apply them, on top of their environment in steps.tf. Not part of
  # local.steps: the roles are made from that map, and restore_settings may name a
  # key whose policy names those roles (as examples/complete's does), a cycle.
  restore_settings_functions = ["start_restore", "configure"]
  restore_settings_environment = {
    RESTORE_BILLING_MODE                     = var.restore_settings.billing_mode == null ? "" : var.restore_settings.billing_mode
    RESTORE_READ_CAPACITY                    = var.restore_settings.read_capacity == null ? "" : tostring(var.restore_settings.read_capacity)
    RESTORE_WRITE_CAPACITY                   = var.restore_settings.write_capacity == null ? "" : tostring(var.restore_settings.write_capacity)
    RESTORE_ENCRYPTION                       = var.restore_settings.encryption == null ? "" : var.restore_settings.encryption
    RESTORE_KMS_KEY_ARN                      = var.restore_settings.kms_key_arn == null ? "" : var.restore_settings.kms_key_arn
    RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES = tostring(var.restore_settings.exclude_global_secondary_indexes)
    # JSON of the input: "null" when not set.
    RESTORE_GLOBAL_SECONDARY_INDEXES = jsonencode(var.restore_settings.global_secondary_indexes)
    RESTORE_LOCAL_SECONDARY_INDEXES  = jsonencode(var.restore_settings.local_secondary_indexes)
    RESTORE_INDEX_CAPACITY           = jsonencode(var.restore_settings.index_capacity)
  }
  # The pass's worker runs as long as Lambda allows and hands its segment on before
  # its time runs out (rotator.passes.HAND_OVER_SECONDS before); the others need
  # lambda_timeout.
  function_timeouts = { walk_segment = 900 }
  # The worker is CPU-bound (botocore's handling of each page), and Lambda gives CPU in
  # proportion to memory: pass.worker_memory_size.
  function_memory = local.passes ? { walk_segment = var.pass.worker_memory_size } : {}
  function_environments = {
    for key, function in local.functions : key => merge(
      function.environment,
      contains(local.restore_settings_functions, key) ? local.restore_settings_environment : {},
    )
  }
}

# One zip of lambda/ (the rotator package) for every function, each with its own
# handler (rotator.handlers.<key>.handler): a handler loads only the modules it
# imports, so the others cost no import time. output_file_mode fixes the entries'
# permissions, so the hash is the same on every machine; excludes leave out Python's
# caches and hidden files.
data "archive_file" "lambda" {
  type             = "zip"
  source_dir       = "${path.module}/lambda"
  excludes         = ["**/__pycache__", "**/*.pyc", "**/.*"]
  output_path      = "${path.root}/.terraform/tmp/${var.name}-lambda.zip"
  output_file_mode = "0666"
}

resource "aws_cloudwatch_log_group" "lambda" {
  for_each = local.functions

  name              = "/aws/lambda/${local.function_names[each.key]}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

resource "aws_lambda_function" "this" {
  for_each = local.functions

  function_name = local.function_names[each.key]
  description   = each.value.description
  role          = aws_iam_role.lambda[each.key].arn

  filename         = data.archive_file.lambda.output_path
  source_code_hash = data.archive_file.lambda.output_base64sha256
  handler          = "rotator.handlers.${each.key}.handler"
  runtime          = var.lambda_runtime
  architectures    = [var.lambda_architecture]
  memory_size      = lookup(local.function_memory, each.key, var.lambda_memory_size)
  timeout          = lookup(local.function_timeouts, each.key, var.lambda_timeout)

  kms_key_arn = var.lambda_kms_key_arn

  # check_restore reads no settings; an empty environment block would not round-trip.
  dynamic "environment" {
    for_each = length(local.function_environments[each.key]) > 0 ? [local.function_environments[each.key]] : []
    content {
      variables = environment.value
    }
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.lambda[each.key].name
    application_log_level = var.lambda_log_level
    system_log_level      = "INFO"
  }

  tracing_config {
    mode = var.tracing_enabled ? "Active" : "PassThrough"
  }

  # Only the trigger is invoked asynchronously (by SNS, EventBridge); the others are called
  # synchronously by the state machine, whose Retry/Catch handle their failures.
  dynamic "dead_letter_config" {
    for_each = each.key == "trigger" && local.dead_letter_target_arn != null ? [local.dead_letter_target_arn] : []
    content {
      target_arn = dead_letter_config.value
    }
  }

  tags = var.tags

  # The log group must exist before the function can log to it, and the role's
  # permissions (logs, X-Ray, dead-letter target) and the queue before the first
  # invocation.
  depends_on = [
    aws_cloudwatch_log_group.lambda,
    aws_iam_role_policy.lambda,
    aws_sqs_queue.trigger_dead_letter,
  ]

  lifecycle {
    precondition {
      condition     = !local.sns_trigger || var.backup_sns_topic_arn != null
      error_message = "trigger is \"${var.trigger}\", which subscribes to AWS Backup's SNS topic, but backup_sns_topic_arn is not set; set it, or use trigger = \"eventbridge\"."
    }
    precondition {
      condition     = !(var.create_trigger_dead_letter_queue && var.trigger_dead_letter_target_arn != null)
      error_message = "trigger_dead_letter_target_arn is set while create_trigger_dead_letter_queue is true; set create_trigger_dead_letter_queue = false to use your own target."
    }
    precondition {
      # A DynamoDB table can only be encrypted with a key of its own Region.
      condition     = var.restore_settings.kms_key_arn == null || try(split(":", var.restore_settings.kms_key_arn)[1] == local.partition && split(":", var.restore_settings.kms_key_arn)[3] == local.region, false)
      error_message = "restore_settings.kms_key_arn is a key in ${try(join("/", [split(":", var.restore_settings.kms_key_arn)[1], split(":", var.restore_settings.kms_key_arn)[3]]), "?")}, but the copies are made in ${local.partition}/${local.region}; DynamoDB encrypts a table only with a key of its own Region."
    }
    precondition {
      # Lambda refuses a function whose environment variables take more than 4 KB in
      # all (measured as their JSON); copy_settings.resource_policy.policy and tags are
      # the inputs that can grow that large.
      condition     = length(jsonencode(local.function_environments[each.key])) <= 4096
      error_message = "The ${local.function_names[each.key]} function's environment variables take ${length(jsonencode(local.function_environments[each.key]))} characters as JSON; Lambda accepts at most 4 KB. Those over 256 characters: ${join(", ", [for name, value in local.function_environments[each.key] : "${name} (${length(value)})" if length(value) > 256])}."
    }
    postcondition {
      condition     = self.arn == local.function_arns[each.key]
      error_message = "The function's ARN ${self.arn} differs from ${local.function_arns[each.key]}, which the state machine definition and its role were given."
    }
  }

  # checkov:skip=CKV_AWS_117: The functions only call public AWS APIs (DynamoDB, SSM, Step Functions) and reach no private resource, so a VPC would only add NAT or endpoint cost.
  # checkov:skip=CKV_AWS_115: A low-volume workflow (one execution per backup job); reserving concurrency would take it from the account's unreserved pool for no benefit.
  # checkov:skip=CKV_AWS_272: The package is built locally by archive_file from this module's source; code signing needs a signing profile and a signed package in S3, which this module does not use.
}
