locals {
  # The rotator's functions, declared once: the steps of the workflow, in order, and the
  # two functions outside it (trigger, restore_events: state = null). Everything else
  # follows from this map: the functions, their roles and log groups (functions.tf,
  # iam.tf), the template variables ${<key>_function_arn} and the states removed with a
  # step that is off (definition.tf), the state machine's permission to invoke the steps
  # (iam.tf), the ASL check's variables (tools/tfcheck/asl.py) and the tests. Adding a
  # step: docs/extending.md.
  #
  # The keys are static, so for_each never depends on apply-time values; a key names
  # the handler module lambda/rotator/handlers/<key>.py and the function
  # ("<name>-<key>", "-" for "_").
  #
  # - enabled: whether these inputs deploy it.
  # - state: the Task state of statemachine.json.tpl that invokes it (null: none).
  # - failure_state: the Pass state its Catch goes to, which notes the failure for the
  #   notification; removed, with DescribeFailure and NotifyFailure, without
  #   notification_topic_arn (null: none).
  # - states: the states that exist only while it is enabled, the state the workflow
  #   enters them by first; removed when it is off, and a Next or Catch that led to one
  #   goes to `bypass` instead (a Next to null: the state before ends the execution).
  # - environment: its Lambda environment, strings only (Lambda's environment variables
  #   are); restore_settings' variables are added in functions.tf.
  steps = {
    trigger = {
      description   = "Starts one rotation per completed DynamoDB backup or copy job announced by AWS Backup (SNS, EventBridge)."
      enabled       = true
      state         = null
      failure_state = null
      states        = []
      bypass        = null
      environment = {
        STATE_MACHINE_ARN = local.state_machine_arn
        SOURCE_PATTERN    = var.source_pattern
        RESTORE_COPIES    = tostring(var.restore_copies)
      }
    }
    start_restore = {
      description   = "Names the copy and restores the recovery point into it (RestoreTableFromBackup or AWS Backup StartRestoreJob)."
      enabled       = true
      state         = "StartRestore"
      failure_state = "StartRestoreFailed"
      states        = []
      bypass        = null
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
    # restore_job_wait = "event": an AWS Backup restore waits for its job's event; with
    # "poll" StartRestore goes on to WaitForRestore.
    await_restore = {
      description   = "Files the wait's task token under the AWS Backup restore job and wakes it at once if the job is finished (DescribeRestoreJob)."
      enabled       = local.awaits_events
      state         = "AwaitRestoreJob"
      failure_state = "AwaitRestoreJobFailed"
      states        = ["ChooseWait", "AwaitRestoreJob", "AwaitRestoreJobFailed"]
      bypass        = "WaitForRestore"
      environment = {
        WAITS_TABLE_NAME = local.waits_table_name
      }
    }
    restore_events = {
      description   = "Wakes the rotation waiting for an AWS Backup restore job when the job's Restore Job State Change arrives."
      enabled       = local.awaits_events
      state         = null
      failure_state = null
      states        = []
      bypass        = null
      environment = {
        WAITS_TABLE_NAME = local.waits_table_name
      }
    }
    check_restore = {
      description   = "Reports whether the restored copy is ready (DescribeTable, DescribeRestoreJob)."
      enabled       = true
      state         = "WaitForRestore"
      failure_state = "WaitForRestoreFailed"
      states        = []
      bypass        = null
      environment   = {}
    }
    configure = {
      description   = "Makes the restored table a usable copy (settings, tags) and checks it holds data."
      enabled       = true
      state         = "Configure"
      failure_state = "ConfigureFailed"
      states        = []
      bypass        = null
      environment = {
        ROTATOR_NAME           = var.name
        COPY_TAGS              = jsonencode(var.tags)
        COPY_SOURCE_TAGS       = tostring(var.copy_source_tags)
        COPY_SOURCE_TTL        = tostring(var.copy_settings.copy_source_ttl)
        COPY_SOURCE_STREAMS    = tostring(var.copy_settings.copy_source_streams)
        POINT_IN_TIME_RECOVERY = tostring(var.copy_settings.point_in_time_recovery)
        DELETION_PROTECTION    = tostring(var.copy_settings.deletion_protection)
        LEDGER_TABLE_NAME      = local.ledger_table_name
        PASS                   = tostring(local.passes)
        # JSON of the input: "null" when the setting is off.
        COPY_TABLE_CLASS          = jsonencode(var.copy_settings.table_class)
        COPY_ON_DEMAND_THROUGHPUT = jsonencode(var.copy_settings.on_demand_throughput)
        COPY_WARM_THROUGHPUT      = jsonencode(var.copy_settings.warm_throughput)
        COPY_PITR_PERIOD          = jsonencode(var.copy_settings.point_in_time_recovery_period)
        COPY_RESOURCE_POLICY      = jsonencode(var.copy_settings.resource_policy)
        COPY_AUTO_SCALING         = jsonencode(var.copy_settings.auto_scaling)
        COPY_CONTRIBUTOR_INSIGHTS = jsonencode(var.copy_settings.contributor_insights)
        COPY_KINESIS_STREAM_ARN   = jsonencode(var.copy_settings.kinesis_stream_arn)
        COPY_BEST_EFFORT          = jsonencode(var.copy_settings.best_effort)
      }
    }
    # pass: after Configure, PlanPass, the Distributed Map WalkSegments (whose item
    # processor invokes walk_segment, once per segment and hand-over) and CheckPass; then
    # FinishConfigure (the configure function again) switches on what waited for the
    # pass. Without it Configure goes on to the hooks or Publish.
    plan_pass = {
      description   = "Plans the pass over the copy: its Scan segments (from the backup's recorded size), the mask rules checked against the copy's key schema and the key secret read; then closes the copy to all but the rotator's roles (PutResourcePolicy)."
      enabled       = local.passes
      state         = "PlanPass"
      failure_state = "PlanPassFailed"
      states        = ["PlanPass", "PlanPassFailed", "FinishConfigure", "FinishConfigureFailed"]
      bypass        = "ListHooks"
      environment = {
        PASS_SEGMENTS         = local.passes ? (var.pass.segments == null ? "" : tostring(var.pass.segments)) : ""
        PASS_MASK             = local.passes ? jsonencode(var.pass.mask) : "[]"
        PASS_SECRET_PARAMETER = local.passes ? (var.pass.secret_ssm_parameter_name == null ? "" : var.pass.secret_ssm_parameter_name) : ""
        PASS_SECRET_ARN       = local.passes ? (var.pass.secret_arn == null ? "" : var.pass.secret_arn) : ""
        PASS_ROLE_ARNS        = jsonencode(local.pass_role_arns)
        LEDGER_TABLE_NAME     = local.ledger_table_name
      }
    }
    walk_segment = {
      description   = "Walks one Scan segment of the copy: counts its items and bytes, checks their keys, writes back the items the mask rules change, and hands its position on before its time runs out."
      enabled       = local.passes
      state         = "WalkSegments"
      failure_state = "WalkSegmentsFailed"
      states        = ["WalkSegments", "WalkSegmentsFailed"]
      bypass        = "ListHooks"
      environment = {
        PASS_MASK               = local.passes ? jsonencode(var.pass.mask) : "[]"
        PASS_SECRET_PARAMETER   = local.passes ? (var.pass.secret_ssm_parameter_name == null ? "" : var.pass.secret_ssm_parameter_name) : ""
        PASS_SECRET_ARN         = local.passes ? (var.pass.secret_arn == null ? "" : var.pass.secret_arn) : ""
        PASS_TRANSFORM_FUNCTION = local.passes ? (var.pass.transform_function_arn == null ? "" : var.pass.transform_function_arn) : ""
      }
    }
    check_pass = {
      description   = "Adds up the segments' counts and checks them against what AWS recorded for the backup (CopyNotVerified with the figures)."
      enabled       = local.passes
      state         = "CheckPass"
      failure_state = "CheckPassFailed"
      states        = ["CheckPass", "CheckPassFailed"]
      bypass        = "ListHooks"
      environment = {
        PASS_ITEM_COUNT_TOLERANCE = local.passes ? tostring(var.pass.item_count_tolerance_percent) : "0"
        PASS_MIN_ITEMS            = local.passes ? tostring(var.pass.min_items) : "0"
        LEDGER_TABLE_NAME         = local.ledger_table_name
      }
    }
    # delete_copy_on_hook_failure: between RunHooks' Catch and RunHooksFailed. Not read
    # from hooks, which may name a function whose policy names the module's roles
    # (examples/complete's does): a cycle. The state machine's precondition refuses it
    # without hooks.
    discard_copy = {
      description   = "Deletes the copy a hook refused (delete_copy_on_hook_failure), if the ledger records it as this rotation's copy and the parameter does not name it."
      enabled       = local.discards_refused
      state         = "DiscardRefusedCopy"
      failure_state = null
      states        = ["DiscardRefusedCopy"]
      bypass        = "RunHooksFailed"
      environment = {
        ROTATOR_NAME       = var.name
        SSM_PARAMETER_NAME = var.ssm_parameter_name == null ? "" : var.ssm_parameter_name
        LEDGER_TABLE_NAME  = local.ledger_table_name
        # set: the deleted copy's scalable targets are deregistered
        COPY_AUTO_SCALING = jsonencode(var.copy_settings.auto_scaling)
      }
    }
    publish = {
      description   = "Checks the finished copy and points the SSM parameter at it."
      enabled       = true
      state         = "Publish"
      failure_state = "PublishFailed"
      states        = []
      bypass        = null
      environment = {
        SSM_PARAMETER_NAME        = var.ssm_parameter_name == null ? "" : var.ssm_parameter_name
        SSM_PARAMETER_TIER        = var.ssm_parameter_tier == null ? "" : var.ssm_parameter_tier
        SSM_PARAMETER_DESCRIPTION = var.ssm_parameter_description == null ? "" : var.ssm_parameter_description
        SSM_PARAMETER_TAGS        = jsonencode(var.ssm_parameter_tags)
        LEDGER_TABLE_NAME         = local.ledger_table_name
      }
    }
    # keep_last: after Publish; without it Publish ends the execution.
    cleanup = {
      description   = "Deletes this rotator's old copies of the rotated table beyond the newest keep_last, and the copies of rotations that never published, as the ledger records them (Scan, DescribeTable, DeleteTable)."
      enabled       = local.cleans_up
      state         = "Cleanup"
      failure_state = "CleanupFailed"
      states        = ["Cleanup", "CleanupFailed"]
      bypass        = null
      environment = {
        ROTATOR_NAME      = var.name
        KEEP_LAST         = var.keep_last == null ? "" : tostring(var.keep_last)
        MAX_AGE_DAYS      = var.max_age_days == null ? "" : tostring(var.max_age_days)
        COPY_NAME_LITERAL = local.copy_name_literal
        LEDGER_TABLE_NAME = local.ledger_table_name
        # unpublished copies are deleted once their rotation is over (restore timeout
        # plus a day)
        RESTORE_TIMEOUT_SECONDS = tostring(var.restore_timeout_seconds)
        # set: a deleted copy's scalable targets are deregistered
        COPY_AUTO_SCALING = jsonencode(var.copy_settings.auto_scaling)
      }
    }
  }
}
