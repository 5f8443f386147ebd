data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

# The provider's Region, read the same way on hashicorp/aws 5.x and 6.x: 6.x deprecates
# data.aws_region's `name`, and 5.x has no `region` there. `dns_name` is DynamoDB's
# endpoint host (dynamodb.<region>.amazonaws.com[.cn]), the value of kms:ViaService.
data "aws_service" "dynamodb" {
  service_id = "dynamodb"
}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_service.dynamodb.region
  account_id = data.aws_caller_identity.current.account_id

  # The functions, by key: the trigger and the steps of the workflow, in order. A new
  # step is one entry here (its environment; the state machine may invoke it and
  # statemachine.json.tpl gets ${<key>_function_arn}), its handler module
  # lambda/rotator/handlers/<key>.py, its package's files in local.package_files, and
  # its policy document in iam.tf's lambda_policies. The keys are static, so for_each
  # never depends on apply-time values; they also name the handler module and the
  # function ("-" for "_").
  # Environment values are strings only (Lambda's environment variables are).
  all_functions = {
    trigger = {
      description = "Starts one rotation per completed DynamoDB backup or copy job announced by AWS Backup (SNS, EventBridge)."
      step        = false
      enabled     = true
      environment = {
        STATE_MACHINE_ARN = local.state_machine_arn
        SOURCE_PATTERN    = var.source_pattern
        RESTORE_COPIES    = tostring(var.restore_copies)
      }
    }
    start_restore = {
      description = "Names the copy and restores the recovery point into it (RestoreTableFromBackup or AWS Backup StartRestoreJob)."
      step        = true
      enabled     = true
      environment = {
        SOURCE_PATTERN          = var.source_pattern
        REPLACEMENT_PATTERN     = var.replacement_pattern
        RESTORE_TIMEOUT_SECONDS = tostring(var.restore_timeout_seconds)
        RESTORE_ROLE_ARN        = local.restore_role_arn
        COPY_SOURCE_TAGS        = tostring(var.copy_source_tags)
        STATE_MACHINE_ARN       = local.state_machine_arn
        RESTORE_COPIES          = tostring(var.restore_copies)
        LEDGER_TABLE_NAME       = local.ledger_table_name
      }
    }
    check_restore = {
      description = "Reports whether the restored copy is ready (DescribeTable, DescribeRestoreJob)."
      step        = true
      enabled     = true
      environment = {}
    }
    await_restore = {
      description = "Files the wait's task token under the AWS Backup restore job and wakes it at once if the job is finished (DescribeRestoreJob)."
      step        = true
      enabled     = local.awaits_events
      environment = {
        WAITS_TABLE_NAME = local.waits_table_name
      }
    }
    restore_events = {
      description = "Wakes the rotation waiting for an AWS Backup restore job when the job's Restore Job State Change arrives."
      step        = false
      enabled     = local.awaits_events
      environment = {
        WAITS_TABLE_NAME = local.waits_table_name
      }
    }
    configure = {
      description = "Makes the restored table a usable copy (settings, tags) and checks it holds data."
      step        = true
      enabled     = true
      environment = {
        ROTATOR_NAME           = var.name
        COPY_TAGS              = jsonencode(var.tags)
        COPY_SOURCE_TAGS       = tostring(var.copy_source_tags)
        COPY_SOURCE_TTL        = tostring(var.copy_settings.copy_source_ttl)
        COPY_SOURCE_STREAMS    = tostring(var.copy_settings.copy_source_streams)
        POINT_IN_TIME_RECOVERY = tostring(var.copy_settings.point_in_time_recovery)
        DELETION_PROTECTION    = tostring(var.copy_settings.deletion_protection)
        LEDGER_TABLE_NAME      = local.ledger_table_name
      }
    }
    publish = {
      description = "Checks the finished copy and points the SSM parameter at it."
      step        = true
      enabled     = true
      environment = {
        SSM_PARAMETER_NAME        = var.ssm_parameter_name == null ? "" : var.ssm_parameter_name
        SSM_PARAMETER_TIER        = var.ssm_parameter_tier == null ? "" : var.ssm_parameter_tier
        SSM_PARAMETER_DESCRIPTION = var.ssm_parameter_description == null ? "" : var.ssm_parameter_description
        SSM_PARAMETER_TAGS        = jsonencode(var.ssm_parameter_tags)
        LEDGER_TABLE_NAME         = local.ledger_table_name
      }
    }
    discard_copy = {
      description = "Deletes the copy a hook refused (delete_copy_on_hook_failure), if the ledger records it as this rotation's copy and the parameter does not name it."
      step        = true
      enabled     = local.discards_refused
      environment = {
        ROTATOR_NAME       = var.name
        SSM_PARAMETER_NAME = var.ssm_parameter_name == null ? "" : var.ssm_parameter_name
        LEDGER_TABLE_NAME  = local.ledger_table_name
      }
    }
    cleanup = {
      description = "Deletes this rotator's old copies of the rotated table beyond the newest keep_last, and the copies of rotations that never published, as the ledger records them (Scan, DescribeTable, DeleteTable)."
      step        = true
      enabled     = local.cleans_up
      environment = {
        ROTATOR_NAME      = var.name
        KEEP_LAST         = var.keep_last == null ? "" : tostring(var.keep_last)
        MAX_AGE_DAYS      = var.max_age_days == null ? "" : tostring(var.max_age_days)
        COPY_NAME_LITERAL = local.copy_name_literal
        LEDGER_TABLE_NAME = local.ledger_table_name
        # unpublished copies are deleted once their rotation is over (restore timeout
        # plus a day)
        RESTORE_TIMEOUT_SECONDS = tostring(var.restore_timeout_seconds)
      }
    }
  }
  # Those deployed with these inputs. The template's ${<key>_function_arn} exist for
  # every step, deployed or not; main.tf removes the states of those that are not.
  functions      = { for key, function in local.all_functions : key => function if function.enabled }
  workflow_steps = [for key, function in local.functions : key if function.step]

  function_names = { for key in keys(local.all_functions) : key => "${var.name}-${replace(key, "_", "-")}" }

  # keep_last: the Cleanup step after Publish (its function, states and role). Without
  # it Publish ends the execution, as it did before.
  cleans_up      = var.keep_last != null
  cleanup_states = ["Cleanup", "CleanupFailed"]

  # restore_job_wait = "event": AwaitRestoreJob, the restore-events function, its rule
  # and the waits table (wait.tf).
  awaits_events    = var.restore_job_wait == "event"
  waits_table_name = "${var.name}-restore-waits"
  waits_table_arn  = "${format(local.arn_prefix, "dynamodb")}:table/${local.waits_table_name}"

  # The ledger of copies (ledger.tf), and the functions that write it: only their
  # roles may (its resource policy).
  ledger_table_name = "${var.name}-copies"
  ledger_table_arn  = "${format(local.arn_prefix, "dynamodb")}:table/${local.ledger_table_name}"
  ledger_writers    = [for key in ["start_restore", "configure", "publish", "discard_copy", "cleanup"] : key if contains(keys(local.functions), key)]

  # restore_settings, as rotator.settings.restore_options reads them ("": not set), for
  # the functions that apply them, on top of their environment above. Not part of
  # local.functions: the roles are made from that map, and restore_settings may name a
  # key whose policy names those roles (as examples/complete's does), a cycle.
  restore_settings_functions = ["start_restore", "configure"]
  restore_settings_environment = {
    RESTORE_BILLING_MODE                     = var.restore_settings.billing_mode == null ? "" : var.restore_settings.billing_mode
    RESTORE_READ_CAPACITY                    = var.restore_settings.read_capacity == null ? "" : tostring(var.restore_settings.read_capacity)
    RESTORE_WRITE_CAPACITY                   = var.restore_settings.write_capacity == null ? "" : tostring(var.restore_settings.write_capacity)
    RESTORE_ENCRYPTION                       = var.restore_settings.encryption == null ? "" : var.restore_settings.encryption
    RESTORE_KMS_KEY_ARN                      = var.restore_settings.kms_key_arn == null ? "" : var.restore_settings.kms_key_arn
    RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES = tostring(var.restore_settings.exclude_global_secondary_indexes)
  }
  function_environments = {
    for key, function in local.functions : key => merge(
      function.environment,
      contains(local.restore_settings_functions, key) ? local.restore_settings_environment : {},
    )
  }


  # ARNs built from names rather than read from the resources, so the whole plan is
  # known before apply (the state machine definition and every policy document show
  # in full in `terraform plan`), and so the trigger function can be given the state
  # machine's ARN although the state machine is created after it. Postconditions on
  # the functions and the state machine check that AWS gave them these ARNs.
  arn_prefix        = "arn:${local.partition}:%s:${local.region}:${local.account_id}"
  state_machine_arn = "${format(local.arn_prefix, "states")}:stateMachine:${var.name}"
  function_arns     = { for key, name in local.function_names : key => "${format(local.arn_prefix, "lambda")}:function:${name}" }
  log_group_arns    = { for key, name in local.function_names : key => "${format(local.arn_prefix, "logs")}:log-group:/aws/lambda/${name}" }
  lambda_role_arns  = { for key, name in local.function_names : key => "arn:${local.partition}:iam::${local.account_id}:role${var.role_path}${name}" }

  state_machine_log_group_name = "/aws/vendedlogs/states/${var.name}"

  # The trigger's dead-letter target: the queue created below (its ARN built from the
  # name, so plans show it), or the one given.
  dead_letter_queue_name = "${var.name}-trigger-dlq"
  dead_letter_target_arn = var.create_trigger_dead_letter_queue ? "${format(local.arn_prefix, "sqs")}:${local.dead_letter_queue_name}" : var.trigger_dead_letter_target_arn

  # The template is valid JSON with template variables in strings only (Workflow
  # Studio opens it); the numbers of the wait come from inputs here. WaitForRestore's
  # first Retry repeats the check while the copy is still restoring (RestoreNotReady):
  # first after poll_interval_seconds, then twice as long each time up to
  # max_poll_interval_seconds. Its attempts are bounded as if the interval never grew;
  # the check itself ends the rotation at restore_timeout_seconds.
  definition_template = jsondecode(templatefile(
    "${path.module}/statemachine.json.tpl",
    merge(
      { for key, function in local.all_functions : "${key}_function_arn" => local.function_arns[key] if function.step },
      {
        partition = local.partition
        # Only read by NotifyFailure, which is removed below when there is no topic.
        notification_topic_arn = var.notification_topic_arn == null ? "" : var.notification_topic_arn
        # The failure notification's copy_fate: what becomes of a failed rotation's copy
        # (the ledger of copies records it from its first moment; README: Security model).
        failed_copy_fate = local.cleans_up ? "Any copy named in target_table is kept for inspection and recorded in the ledger ${local.ledger_table_name}; a later rotation of the same table deletes it (Cleanup, keep_last) once ${var.restore_timeout_seconds} s plus a day have passed since its restore was asked for." : "Any copy named in target_table is kept and recorded in the ledger ${local.ledger_table_name}; nothing deletes it, since keep_last is not set: delete it by hand once inspected."
      },
    ),
  ))

  # The failure notification's states (the template's Catches lead through them to
  # RotationFailed). Without notification_topic_arn they are left out and every Catch
  # goes to RotationFailed directly, so the definition holds no publish at all.
  notification_states = ["StartRestoreFailed", "AwaitRestoreJobFailed", "WaitForRestoreFailed", "ConfigureFailed", "RunHooksFailed", "PublishFailed", "CleanupFailed", "DescribeFailure", "NotifyFailure"]
  notifies            = var.notification_topic_arn != null
  # The event-driven wait's states. With restore_job_wait = "poll" they are left out
  # and StartRestore goes on to WaitForRestore.
  event_wait_states = ["ChooseWait", "AwaitRestoreJob", "AwaitRestoreJobFailed"]
  # The hooks' states. With no hooks they are left out and WaitForRestore goes on to
  # Publish.
  hook_states = ["ListHooks", "RunHooks", "RunHooksFailed"]
  runs_hooks  = length(var.hooks) > 0
  # delete_copy_on_hook_failure: DiscardRefusedCopy between RunHooks' Catch and
  # RunHooksFailed (its function and role too). Not read from hooks, which may name a
  # function whose policy names the module's roles (examples/complete's does): a cycle.
  # The state machine's precondition refuses it without hooks.
  discards_refused = var.delete_copy_on_hook_failure
  discard_states   = ["DiscardRefusedCopy"]
  removed_states = concat(
    local.notifies ? [] : local.notification_states,
    local.awaits_events ? [] : local.event_wait_states,
    local.cleans_up ? [] : local.cleanup_states,
    local.runs_hooks ? [] : local.hook_states,
    local.discards_refused && local.runs_hooks ? [] : local.discard_states,
  )
  # Where a state whose Next was removed goes instead: the state after the optional ones.
  next_when_removed = {
    ChooseWait     = "WaitForRestore"
    ListHooks      = "Publish"
    RunHooksFailed = "RotationFailed"
  }
  # Where a Catch whose Next was removed goes instead (else RotationFailed).
  catch_next_when_removed = {
    DiscardRefusedCopy = local.notifies ? "RunHooksFailed" : "RotationFailed"
  }
  states = {
    for name, state in local.definition_template.States : name => merge(
      state,
      try({
        Catch = [for catcher in state.Catch : merge(catcher, {
          Next = contains(local.removed_states, catcher.Next) ? lookup(local.catch_next_when_removed, catcher.Next, "RotationFailed") : catcher.Next
        })]
      }, {}),
      try({ Next = contains(local.removed_states, state.Next) ? local.next_when_removed[state.Next] : state.Next }, {}),
    ) if !contains(local.removed_states, name)
  }

  # Without keep_last the state whose Next is Cleanup (Publish) ends the execution.
  cleanup_removed_ends = {
    for name, state in local.states : name => merge(
      { for key, value in state : key => value if key != "Next" },
      { End = true },
    ) if !local.cleans_up && try(state.Next, null) == "Cleanup"
  }

  wait_state  = local.states.WaitForRestore
  await_state = try(local.states.AwaitRestoreJob, local.definition_template.States.AwaitRestoreJob)
  start_state = local.states.StartRestore
  definition = merge(local.definition_template, {
    States = merge(local.states, local.cleanup_removed_ends, {
      # A look at the restore job every restore_event_timeout_seconds while no event
      # came, for as long as the restore may take.
      for name in local.awaits_events ? ["AwaitRestoreJob"] : [] : name => merge(local.await_state, {
        # The Retry's IntervalSeconds (1) completes the cycle of one look.
        TimeoutSeconds = var.restore_event_timeout_seconds - local.await_state.Retry[0].IntervalSeconds
        Retry = concat(
          [merge(local.await_state.Retry[0], {
            MaxAttempts = ceil(var.restore_timeout_seconds / var.restore_event_timeout_seconds) + 1
          })],
          slice(local.await_state.Retry, 1, length(local.await_state.Retry)),
        )
      })
      }, {
      # The hooks, in the order given: ListHooks hands them to RunHooks (a Map state
      # iterates over a list in its input).
      for name in local.runs_hooks ? ["ListHooks"] : [] : name => merge(local.definition_template.States.ListHooks, {
        Result = var.hooks
      })
      }, {
      # A start refused by DynamoDB's restore limits (RestoreLimitExceeded) is retried
      # for about restore_timeout_seconds: full jitter draws each wait between 0 and
      # its cap, MaxDelaySeconds once grown, so an attempt waits half of it on average.
      StartRestore = merge(local.start_state, {
        Retry = concat(
          [merge(local.start_state.Retry[0], {
            MaxAttempts = ceil(2 * var.restore_timeout_seconds / local.start_state.Retry[0].MaxDelaySeconds)
          })],
          slice(local.start_state.Retry, 1, length(local.start_state.Retry)),
        )
      })
      WaitForRestore = merge(local.wait_state, {
        Retry = concat(
          [merge(local.wait_state.Retry[0], {
            IntervalSeconds = var.poll_interval_seconds
            MaxDelaySeconds = var.max_poll_interval_seconds
            MaxAttempts     = ceil(var.restore_timeout_seconds / var.poll_interval_seconds) + 1
          })],
          slice(local.wait_state.Retry, 1, length(local.wait_state.Retry)),
        )
      })
    })
  })
}

################################################################################
# Lambda packages: one zip per function, of the modules its handler imports
################################################################################

locals {
  # The files of each function's package, paths under lambda/: its handler module and
  # every rotator module that imports, transitively, with the packages' __init__.py
  # (run on the import of a submodule). Each zip stays well under the 50 KB one zip of
  # all of lambda/ exceeded (sizes: README, "Lambda packages"), and a change to a module
  # redeploys only the functions that import it. tests/terraform/test_packages.py
  # computes these lists from the imports and names the file a new import adds to a list.
  package_files = {
    trigger = [
      "rotator/__init__.py",
      "rotator/aws.py",
      "rotator/configure.py",
      "rotator/errors.py",
      "rotator/handlers/__init__.py",
      "rotator/handlers/trigger.py",
      "rotator/logcontext.py",
      "rotator/model.py",
      "rotator/naming.py",
      "rotator/pointer.py",
      "rotator/records.py",
      "rotator/restore_options.py",
      "rotator/settings.py",
      "rotator/sources/__init__.py",
      "rotator/sources/eventbridge.py",
      "rotator/sources/lookups.py",
      "rotator/sources/sns.py",
    ]
    start_restore = [
      "rotator/__init__.py",
      "rotator/aws.py",
      "rotator/clock.py",
      "rotator/configure.py",
      "rotator/errors.py",
      "rotator/handlers/__init__.py",
      "rotator/handlers/ledger_table.py",
      "rotator/handlers/start_restore.py",
      "rotator/ledger.py",
      "rotator/logcontext.py",
      "rotator/model.py",
      "rotator/naming.py",
      "rotator/pointer.py",
      "rotator/progress.py",
      "rotator/records.py",
      "rotator/restore_options.py",
      "rotator/settings.py",
      "rotator/sources/__init__.py",
      "rotator/sources/eventbridge.py",
      "rotator/sources/lookups.py",
      "rotator/sources/sns.py",
    ]
    check_restore = [
      "rotator/__init__.py",
      "rotator/aws.py",
      "rotator/clock.py",
      "rotator/errors.py",
      "rotator/handlers/__init__.py",
      "rotator/handlers/check_restore.py",
      "rotator/logcontext.py",
      "rotator/model.py",
      "rotator/progress.py",
    ]
    await_restore = [
      "rotator/__init__.py",
      "rotator/aws.py",
      "rotator/clock.py",
      "rotator/configure.py",
      "rotator/errors.py",
      "rotator/handlers/__init__.py",
      "rotator/handlers/await_restore.py",
      "rotator/logcontext.py",
      "rotator/model.py",
      "rotator/naming.py",
      "rotator/pointer.py",
      "rotator/progress.py",
      "rotator/restore_options.py",
      "rotator/settings.py",
    ]
    restore_events = [
      "rotator/__init__.py",
      "rotator/aws.py",
      "rotator/configure.py",
      "rotator/errors.py",
      "rotator/handlers/__init__.py",
      "rotator/handlers/restore_events.py",
      "rotator/logcontext.py",
      "rotator/model.py",
      "rotator/naming.py",
      "rotator/pointer.py",
      "rotator/restore_options.py",
      "rotator/settings.py",
      "rotator/sources/__init__.py",
      "rotator/sources/eventbridge.py",
      "rotator/sources/restore_jobs.py",
      "rotator/sources/sns.py",
    ]
    configure = [
      "rotator/__init__.py",
      "rotator/aws.py",
      "rotator/cleanup.py",
      "rotator/clock.py",
      "rotator/configure.py",
      "rotator/errors.py",
      "rotator/handlers/__init__.py",
      "rotator/handlers/configure.py",
      "rotator/handlers/ledger_table.py",
      "rotator/ledger.py",
      "rotator/logcontext.py",
      "rotator/model.py",
      "rotator/naming.py",
      "rotator/pointer.py",
      "rotator/restore_options.py",
      "rotator/settings.py",
    ]
    publish = [
      "rotator/__init__.py",
      "rotator/aws.py",
      "rotator/clock.py",
      "rotator/configure.py",
      "rotator/errors.py",
      "rotator/handlers/__init__.py",
      "rotator/handlers/ledger_table.py",
      "rotator/handlers/publish.py",
      "rotator/ledger.py",
      "rotator/logcontext.py",
      "rotator/model.py",
      "rotator/naming.py",
      "rotator/pointer.py",
      "rotator/progress.py",
      "rotator/restore_options.py",
      "rotator/settings.py",
    ]
    discard_copy = [
      "rotator/__init__.py",
      "rotator/aws.py",
      "rotator/cleanup.py",
      "rotator/clock.py",
      "rotator/configure.py",
      "rotator/errors.py",
      "rotator/handlers/__init__.py",
      "rotator/handlers/discard_copy.py",
      "rotator/handlers/ledger_table.py",
      "rotator/ledger.py",
      "rotator/logcontext.py",
      "rotator/model.py",
      "rotator/naming.py",
      "rotator/pointer.py",
      "rotator/restore_options.py",
      "rotator/settings.py",
    ]
    cleanup = [
      "rotator/__init__.py",
      "rotator/aws.py",
      "rotator/cleanup.py",
      "rotator/clock.py",
      "rotator/configure.py",
      "rotator/errors.py",
      "rotator/handlers/__init__.py",
      "rotator/handlers/cleanup.py",
      "rotator/handlers/ledger_table.py",
      "rotator/ledger.py",
      "rotator/logcontext.py",
      "rotator/model.py",
      "rotator/naming.py",
      "rotator/pointer.py",
      "rotator/restore_options.py",
      "rotator/settings.py",
    ]
  }
}

data "archive_file" "lambda" {
  for_each = local.functions

  type        = "zip"
  output_path = "${path.root}/.terraform/tmp/${local.function_names[each.key]}.zip"
  dynamic "source" {
    for_each = local.package_files[each.key]
    content {
      content  = file("${path.module}/lambda/${source.value}")
      filename = source.value
    }
  }
  # The same zip, and so the same hash, on every machine: hashicorp/archive writes
  # `source` entries sorted by name, with no file time; output_file_mode fixes the
  # permissions of the entries it gives a mode (up to 2.8.0 it gives these none).
  output_file_mode = "0666"
}

################################################################################
# Lambda functions
################################################################################

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

  filename         = data.archive_file.lambda[each.key].output_path
  source_code_hash = data.archive_file.lambda[each.key].output_base64sha256
  handler          = "rotator.handlers.${each.key}.handler"
  runtime          = var.lambda_runtime
  architectures    = [var.lambda_architecture]
  memory_size      = var.lambda_memory_size
  timeout          = var.lambda_timeout

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
    postcondition {
      condition     = self.arn == local.function_arns[each.key]
      error_message = "The function's ARN ${self.arn} differs from ${local.function_arns[each.key]}, which the state machine definition and its role were given."
    }
  }

  # checkov:skip=CKV_AWS_117: The functions only call public AWS APIs (DynamoDB, SSM, Step Functions) and reach no private resource, so a VPC would only add NAT or endpoint cost.
  # checkov:skip=CKV_AWS_115: A low-volume workflow (one execution per backup job); reserving concurrency would take it from the account's unreserved pool for no benefit.
  # checkov:skip=CKV_AWS_272: The package is built locally by archive_file from this module's source; code signing needs a signing profile and a signed package in S3, which this module does not use.
}

################################################################################
# Dead-letter queue of the trigger, unless trigger_dead_letter_target_arn
################################################################################

# Receives a notification the trigger could not turn into an execution after Lambda's
# two asynchronous retries; the message body is the SNS event Lambda was invoked with.
resource "aws_sqs_queue" "trigger_dead_letter" {
  count = var.create_trigger_dead_letter_queue ? 1 : 0

  name                      = local.dead_letter_queue_name
  message_retention_seconds = 1209600 # 14 days, the longest SQS keeps a message
  sqs_managed_sse_enabled   = true

  tags = var.tags

  lifecycle {
    postcondition {
      condition     = self.arn == local.dead_letter_target_arn
      error_message = "The dead-letter queue's ARN ${self.arn} differs from ${local.dead_letter_target_arn}, which the trigger function and its role were given."
    }
  }
}

################################################################################
# State machine
################################################################################

resource "aws_cloudwatch_log_group" "state_machine" {
  name              = local.state_machine_log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

resource "aws_sfn_state_machine" "this" {
  name     = var.name
  type     = "STANDARD"
  role_arn = aws_iam_role.state_machine.arn

  definition = jsonencode(local.definition)

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.state_machine.arn}:*"
    level                  = var.state_machine_log_level
    include_execution_data = var.state_machine_include_execution_data
  }

  tracing_configuration {
    enabled = var.tracing_enabled
  }

  tags = var.tags

  # Step Functions checks at create time that the role may deliver to the log group;
  # the functions the definition names must exist before an execution can start.
  depends_on = [aws_iam_role_policy.state_machine, aws_lambda_function.this]

  lifecycle {
    precondition {
      condition     = var.restore_timeout_seconds >= var.poll_interval_seconds
      error_message = "restore_timeout_seconds (${var.restore_timeout_seconds}) must be at least poll_interval_seconds (${var.poll_interval_seconds}), or the copy is never checked before the rotation gives up."
    }
    precondition {
      condition     = alltrue([for arn in var.hooks : split(":", arn)[1] == local.partition])
      error_message = "hooks must be functions of this module's partition (${local.partition}); not: ${join(", ", [for arn in var.hooks : arn if split(":", arn)[1] != local.partition])}."
    }
    precondition {
      condition     = !var.delete_copy_on_hook_failure || local.runs_hooks
      error_message = "delete_copy_on_hook_failure deletes a copy a hook refused, but hooks is empty: add hooks, or leave delete_copy_on_hook_failure false."
    }
    precondition {
      condition     = var.max_poll_interval_seconds >= var.poll_interval_seconds
      error_message = "max_poll_interval_seconds (${var.max_poll_interval_seconds}) must be at least poll_interval_seconds (${var.poll_interval_seconds}), where the interval between checks starts."
    }
    precondition {
      # Each check adds 3 events to the execution history (the Lambda function
      # scheduled, started, failed or succeeded), which Step Functions caps at 25,000.
      # Once the interval has grown, checks come every max_poll_interval_seconds.
      condition     = var.restore_timeout_seconds / var.max_poll_interval_seconds <= 8000
      error_message = "restore_timeout_seconds / max_poll_interval_seconds allows ${floor(var.restore_timeout_seconds / var.max_poll_interval_seconds)} checks; each adds 3 events to the execution history, which Step Functions caps at 25,000 events. Keep it at most 8,000 (raise max_poll_interval_seconds)."
    }
    precondition {
      # Each look at a restore job adds 4 events (task scheduled, started, submitted,
      # timed out) to the execution history, which Step Functions caps at 25,000.
      condition     = !local.awaits_events || var.restore_timeout_seconds / var.restore_event_timeout_seconds <= 6000
      error_message = "restore_timeout_seconds / restore_event_timeout_seconds allows ${floor(var.restore_timeout_seconds / var.restore_event_timeout_seconds)} looks at a restore job; each adds 4 events to the execution history, which Step Functions caps at 25,000. Keep it at most 6,000 (raise restore_event_timeout_seconds)."
    }
    precondition {
      condition     = length(setsubtract(concat(local.notification_states, local.event_wait_states), keys(local.definition_template.States))) == 0
      error_message = "statemachine.json.tpl must define the failure notification's states ${join(", ", local.notification_states)} and the event-driven wait's ${join(", ", local.event_wait_states)}; main.tf removes them when notification_topic_arn is null or restore_job_wait is \"poll\"."
    }
    precondition {
      condition     = var.max_age_days == null || var.keep_last != null
      error_message = "max_age_days is set but keep_last is not; the age limit applies only to the copies a cleanup may delete. Set keep_last (at least 1), or remove max_age_days."
    }
    precondition {
      condition     = length(setsubtract(local.cleanup_states, keys(local.definition_template.States))) == 0 && try(local.definition_template.States.Publish.Next, null) == "Cleanup"
      error_message = "statemachine.json.tpl must define ${join(" and ", local.cleanup_states)}, with Publish going on to Cleanup; main.tf removes them and ends the execution at Publish when keep_last is null."
    }
    precondition {
      condition     = var.notification_topic_kms_key_arn == null || var.notification_topic_arn != null
      error_message = "notification_topic_kms_key_arn is set but notification_topic_arn is not; the key is only used to publish to that topic. Set notification_topic_arn, or remove the key."
    }
    precondition {
      condition     = var.notification_topic_arn == null || try(split(":", var.notification_topic_arn)[1] == local.partition && split(":", var.notification_topic_arn)[3] == local.region, false)
      error_message = "notification_topic_arn is in ${try(join("/", [split(":", var.notification_topic_arn)[1], split(":", var.notification_topic_arn)[3]]), "?")}, but this module is deployed in ${local.partition}/${local.region}; the state machine publishes to a topic in its own Region."
    }
    precondition {
      condition     = local.await_state.Retry[0].ErrorEquals == ["States.Timeout"]
      error_message = "statemachine.json.tpl: AwaitRestoreJob's first Retry must be the one for States.Timeout; main.tf sets its attempts from the inputs."
    }
    precondition {
      condition     = local.start_state.Retry[0].ErrorEquals == ["RestoreLimitExceeded"]
      error_message = "statemachine.json.tpl: StartRestore's first Retry must be the one for RestoreLimitExceeded; main.tf sets its attempts from restore_timeout_seconds."
    }
    precondition {
      condition     = local.wait_state.Retry[0].ErrorEquals == ["RestoreNotReady"]
      error_message = "statemachine.json.tpl: WaitForRestore's first Retry must be the one for RestoreNotReady; main.tf sets its interval from the inputs."
    }
    postcondition {
      condition     = self.arn == local.state_machine_arn
      error_message = "The state machine's ARN ${self.arn} differs from ${local.state_machine_arn}, which the trigger function and its role were given."
    }
  }
}
