# Plan-mode tests of the module, run by `python -m tools.fakeprovider validate` (and so by
# `make test`) with mock providers on top of the fake providers' schemas (tools/README.md).
#
# The fake providers serve every optional argument as optional+computed, so mocks fill
# in the ones the module leaves unset: assert only on values the module sets itself.

mock_provider "aws" {
  source = "./tests/mocks/aws"
}

mock_provider "archive" {}

variables {
  name                 = "rotator"
  backup_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:backup-events"
}

run "defaults" {
  command = plan

  assert {
    condition     = aws_sfn_state_machine.this.type == "STANDARD" && aws_sfn_state_machine.this.name == "rotator"
    error_message = "The module must create one STANDARD state machine named after var.name."
  }

  assert {
    condition     = toset(keys(aws_lambda_function.this)) == toset(["trigger", "start_restore", "check_restore", "await_restore", "restore_events", "configure", "publish"])
    error_message = "By default (restore_job_wait = \"event\") the module must create exactly the seven functions trigger, start_restore, check_restore, await_restore, restore_events, configure and publish."
  }

  assert {
    condition     = aws_dynamodb_table.ledger.name == "rotator-copies" && aws_dynamodb_table.ledger.hash_key == "copy" && aws_dynamodb_table.ledger.billing_mode == "PAY_PER_REQUEST" && aws_dynamodb_table.ledger.ttl[0].attribute_name == "expires_at"
    error_message = "The ledger of copies must be the on-demand table <name>-copies keyed by copy, expiring items by expires_at."
  }

  assert {
    condition = alltrue([for key in ["start_restore", "configure", "publish"] : aws_lambda_function.this[key].environment[0].variables.LEDGER_TABLE_NAME == "rotator-copies"]) && alltrue([
      for key in ["trigger", "check_restore", "await_restore", "restore_events"] : !contains(keys(try(aws_lambda_function.this[key].environment[0].variables, {})), "LEDGER_TABLE_NAME")
    ])
    error_message = "The functions that keep the ledger (start_restore, configure, publish) must get LEDGER_TABLE_NAME, and no other function."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.ledger.statement :
      statement.effect == "Deny" && statement.resources == toset(["arn:aws:dynamodb:us-east-1:123456789012:table/rotator-copies"]) &&
      statement.actions == toset(["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PutItem", "dynamodb:UpdateItem"]) &&
      anytrue([for principal in statement.principals : principal.type == "*" && principal.identifiers == toset(["*"])]) &&
      anytrue([for condition in statement.condition : condition.test == "ArnNotEquals" && condition.variable == "aws:PrincipalArn" && toset(condition.values) == toset([
        "arn:aws:iam::123456789012:role/rotator-start-restore",
        "arn:aws:iam::123456789012:role/rotator-configure",
        "arn:aws:iam::123456789012:role/rotator-publish",
      ])])
    ])
    error_message = "The ledger's resource policy must deny every write to every principal but the roles of the functions that keep it (start_restore, configure, publish by default)."
  }

  assert {
    condition = alltrue([
      for key, document in data.aws_iam_policy_document.ledger_access : alltrue([
        for statement in document.statement : statement.resources == toset(["arn:aws:dynamodb:us-east-1:123456789012:table/rotator-copies"])
      ])
    ]) && data.aws_iam_policy_document.ledger_access["cleanup"].statement[0].actions == toset(["dynamodb:PutItem", "dynamodb:Scan"]) && data.aws_iam_policy_document.ledger_access["publish"].statement[0].actions == toset(["dynamodb:GetItem", "dynamodb:PutItem"])
    error_message = "The functions that keep the ledger may read and write it, on the ledger's ARN only (Cleanup: Scan and PutItem; the others GetItem and PutItem)."
  }

  assert {
    condition     = alltrue([for key, function in aws_lambda_function.this : function.handler == "rotator.handlers.${key}.handler"])
    error_message = "Each function's handler must be rotator.handlers.<key>.handler."
  }

  assert {
    condition     = alltrue([for key, function in aws_lambda_function.this : function.function_name == "rotator-${replace(key, "_", "-")}"])
    error_message = "Each function must be named <name>-<key with dashes>."
  }

  assert {
    condition     = aws_sns_topic_subscription.this[0].protocol == "lambda" && aws_sns_topic_subscription.this[0].topic_arn == var.backup_sns_topic_arn
    error_message = "The trigger function must subscribe to the backup topic."
  }

  assert {
    condition     = aws_sns_topic_subscription.this[0].filter_policy_scope == "MessageAttributes"
    error_message = "The subscription must filter on message attributes."
  }

  assert {
    condition     = jsondecode(aws_sns_topic_subscription.this[0].filter_policy) == { EventType = ["BACKUP_JOB"], State = ["COMPLETED"] }
    error_message = "Only completed backup jobs may reach the trigger function."
  }

  assert {
    condition     = aws_lambda_function.this["trigger"].environment[0].variables.SOURCE_PATTERN == "(?i)-production$" && aws_lambda_function.this["start_restore"].environment[0].variables.SOURCE_PATTERN == "(?i)-production$"
    error_message = "The trigger and the start-restore function must get source_pattern."
  }

  assert {
    condition     = aws_lambda_function.this["publish"].environment[0].variables.SSM_PARAMETER_NAME == ""
    error_message = "With ssm_parameter_name = null the publish function must get an empty SSM_PARAMETER_NAME."
  }

  assert {
    condition     = !contains(flatten([for statement in data.aws_iam_policy_document.publish.statement : statement.actions]), "ssm:PutParameter")
    error_message = "With ssm_parameter_name = null the publish role must not be allowed ssm:PutParameter."
  }
}

run "ssm_parameter" {
  command = plan

  variables {
    ssm_parameter_name = "/staging/database-arn"
  }

  assert {
    condition     = aws_lambda_function.this["publish"].environment[0].variables.SSM_PARAMETER_NAME == "/staging/database-arn"
    error_message = "The publish function must be given the parameter's name."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.publish.statement :
      contains(statement.actions, "ssm:PutParameter") && statement.resources == toset(["arn:aws:ssm:us-east-1:123456789012:parameter/staging/database-arn"])
    ])
    error_message = "The publish role must be allowed ssm:PutParameter on exactly that parameter."
  }
}

run "invalid_name_is_rejected" {
  command = plan

  variables {
    name = "not a valid name!"
  }

  expect_failures = [var.name]
}

run "restore_timeout_shorter_than_poll_interval_is_rejected" {
  command = plan

  variables {
    poll_interval_seconds   = 600
    restore_timeout_seconds = 300
  }

  expect_failures = [aws_sfn_state_machine.this]
}

run "more_than_8000_checks_are_rejected" {
  command = plan

  variables {
    max_poll_interval_seconds = 5
    poll_interval_seconds     = 5
    restore_timeout_seconds   = 40005 # 8,001 checks at the longest interval
  }

  expect_failures = [aws_sfn_state_machine.this]
}

run "exactly_8000_checks_are_accepted" {
  command = plan

  variables {
    max_poll_interval_seconds = 5
    poll_interval_seconds     = 5
    restore_timeout_seconds   = 40000
  }

  assert {
    condition     = aws_sfn_state_machine.this.type == "STANDARD"
    error_message = "8,000 checks are allowed."
  }
}

run "a_longest_interval_shorter_than_the_first_is_rejected" {
  command = plan

  variables {
    poll_interval_seconds     = 600
    max_poll_interval_seconds = 300
  }

  expect_failures = [aws_sfn_state_machine.this]
}

run "the_wait_takes_its_numbers_from_the_inputs" {
  command = plan

  variables {
    poll_interval_seconds     = 30
    max_poll_interval_seconds = 120
    restore_timeout_seconds   = 3600
  }

  assert {
    condition = jsondecode(aws_sfn_state_machine.this.definition).States.WaitForRestore.Retry[0] == {
      ErrorEquals     = ["RestoreNotReady"]
      IntervalSeconds = 30
      BackoffRate     = 2
      MaxDelaySeconds = 120
      MaxAttempts     = 121
    }
    error_message = "WaitForRestore's not-ready Retry must start at poll_interval_seconds, grow to max_poll_interval_seconds, and allow enough attempts for restore_timeout_seconds."
  }
}

run "a_refused_restore_is_retried_for_about_the_restore_timeout" {
  command = plan

  variables {
    restore_timeout_seconds = 3600
  }

  assert {
    condition = jsondecode(aws_sfn_state_machine.this.definition).States.StartRestore.Retry[0] == {
      ErrorEquals     = ["RestoreLimitExceeded"]
      IntervalSeconds = 60
      BackoffRate     = 2
      MaxAttempts     = 24
      MaxDelaySeconds = 300
      JitterStrategy  = "FULL"
    }
    error_message = "StartRestore's RestoreLimitExceeded Retry must grow from 60 s to 300 s with full jitter, for 2 x restore_timeout_seconds / 300 attempts (about restore_timeout_seconds on average)."
  }
}

run "the_event_wait_takes_its_numbers_from_the_inputs" {
  command = plan

  variables {
    restore_event_timeout_seconds = 600
    restore_timeout_seconds       = 7200
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.AwaitRestoreJob.TimeoutSeconds == 599
    error_message = "AwaitRestoreJob must time out 1 s (its Retry's interval) before restore_event_timeout_seconds, so a look comes every restore_event_timeout_seconds."
  }

  assert {
    condition = jsondecode(aws_sfn_state_machine.this.definition).States.AwaitRestoreJob.Retry[0] == {
      ErrorEquals     = ["States.Timeout"]
      IntervalSeconds = 1
      BackoffRate     = 1
      MaxAttempts     = 13
    }
    error_message = "AwaitRestoreJob's timeout Retry must allow a look every restore_event_timeout_seconds for restore_timeout_seconds."
  }

  assert {
    condition     = aws_dynamodb_table.restore_waits[0].name == "rotator-restore-waits" && aws_dynamodb_table.restore_waits[0].ttl[0].attribute_name == "expires_at"
    error_message = "The waits table must be named <name>-restore-waits and expire items by expires_at."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.restore_jobs[0].event_pattern)["detail-type"] == ["Restore Job State Change"] && jsondecode(aws_cloudwatch_event_rule.restore_jobs[0].event_pattern).detail.status == ["COMPLETED", "ABORTED", "FAILED"]
    error_message = "The restore-jobs rule must match finished Restore Job State Change events only."
  }

  assert {
    condition     = aws_cloudwatch_event_target.restore_jobs[0].arn == "arn:aws:lambda:us-east-1:123456789012:function:rotator-restore-events"
    error_message = "The restore-jobs rule must target the restore-events function."
  }
}

run "polling_restore_jobs_adds_no_event_wait" {
  command = plan

  variables {
    restore_job_wait = "poll"
  }

  assert {
    condition     = toset(keys(aws_lambda_function.this)) == toset(["trigger", "start_restore", "check_restore", "configure", "publish"])
    error_message = "With restore_job_wait = \"poll\" there must be no await_restore or restore_events function."
  }

  assert {
    condition     = length(aws_dynamodb_table.restore_waits) == 0 && length(aws_cloudwatch_event_rule.restore_jobs) == 0
    error_message = "With restore_job_wait = \"poll\" there must be no waits table and no restore-jobs rule."
  }

  assert {
    condition     = !contains(keys(jsondecode(aws_sfn_state_machine.this.definition).States), "AwaitRestoreJob") && jsondecode(aws_sfn_state_machine.this.definition).States.StartRestore.Next == "WaitForRestore"
    error_message = "With restore_job_wait = \"poll\" StartRestore must go straight to WaitForRestore."
  }
}

run "an_unknown_restore_job_wait_is_rejected" {
  command = plan

  variables {
    restore_job_wait = "sleep"
  }

  expect_failures = [var.restore_job_wait]
}

run "a_restore_event_timeout_under_a_minute_is_rejected" {
  command = plan

  variables {
    restore_event_timeout_seconds = 30
  }

  expect_failures = [var.restore_event_timeout_seconds]
}

run "more_than_6000_looks_at_a_restore_job_are_rejected" {
  command = plan

  variables {
    restore_event_timeout_seconds = 60
    restore_timeout_seconds       = 360060
  }

  expect_failures = [aws_sfn_state_machine.this]
}

run "a_topic_in_another_account_is_rejected" {
  command = plan

  variables {
    backup_sns_topic_arn = "arn:aws:sns:us-east-1:999999999999:backup-events"
  }

  expect_failures = [aws_sns_topic_subscription.this]
}

run "a_topic_in_another_region_is_rejected" {
  command = plan

  variables {
    backup_sns_topic_arn = "arn:aws:sns:eu-west-1:123456789012:backup-events"
  }

  expect_failures = [aws_sns_topic_subscription.this]
}

run "the_trigger_gets_a_dead_letter_queue_by_default" {
  command = plan

  assert {
    condition     = length(aws_sqs_queue.trigger_dead_letter) == 1 && aws_sqs_queue.trigger_dead_letter[0].name == "rotator-trigger-dlq" && aws_sqs_queue.trigger_dead_letter[0].sqs_managed_sse_enabled
    error_message = "Without trigger_dead_letter_target_arn the module must create an encrypted queue <name>-trigger-dlq."
  }

  assert {
    condition     = aws_lambda_function.this["trigger"].dead_letter_config[0].target_arn == "arn:aws:sqs:us-east-1:123456789012:rotator-trigger-dlq"
    error_message = "The trigger's dead-letter target must be the module's queue."
  }
}

run "a_given_dead_letter_target_replaces_the_queue" {
  command = plan

  variables {
    create_trigger_dead_letter_queue = false
    trigger_dead_letter_target_arn   = "arn:aws:sns:us-east-1:123456789012:failures"
  }

  assert {
    condition     = length(aws_sqs_queue.trigger_dead_letter) == 0 && aws_lambda_function.this["trigger"].dead_letter_config[0].target_arn == "arn:aws:sns:us-east-1:123456789012:failures"
    error_message = "A given dead-letter target must be used, and no queue created."
  }
}

run "a_target_given_beside_the_modules_queue_is_rejected" {
  command = plan

  variables {
    trigger_dead_letter_target_arn = "arn:aws:sns:us-east-1:123456789012:failures"
  }

  expect_failures = [aws_lambda_function.this]
}

run "alarms_are_off_by_default" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 0
    error_message = "No alarm may be created unless alarms.enabled."
  }
}

run "alarms_watch_failures_and_the_dead_letter_queue" {
  command = plan

  variables {
    alarms = {
      enabled       = true
      alarm_actions = ["arn:aws:sns:us-east-1:123456789012:on-call"]
    }
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.this)) == toset(["failed_rotations", "timed_out_rotations", "aborted_rotations", "dead_letter_messages", "restore_event_errors"])
    error_message = "Enabled alarms must watch failed, timed-out and aborted executions, the dead-letter queue and the restore-events function's errors."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["restore_event_errors"].namespace == "AWS/Lambda" && aws_cloudwatch_metric_alarm.this["restore_event_errors"].metric_name == "Errors" && aws_cloudwatch_metric_alarm.this["restore_event_errors"].dimensions.FunctionName == "rotator-restore-events" && aws_cloudwatch_metric_alarm.this["restore_event_errors"].statistic == "Sum" && aws_cloudwatch_metric_alarm.this["restore_event_errors"].threshold == 0
    error_message = "The restore-events alarm must fire on any error of the module's restore-events function (a denied SendTaskSuccess among them)."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["failed_rotations"].dimensions.StateMachineArn == "arn:aws:states:us-east-1:123456789012:stateMachine:rotator" && aws_cloudwatch_metric_alarm.this["failed_rotations"].alarm_actions == toset(["arn:aws:sns:us-east-1:123456789012:on-call"])
    error_message = "The failure alarm must watch this state machine and notify alarm_actions."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["dead_letter_messages"].dimensions.QueueName == "rotator-trigger-dlq"
    error_message = "The dead-letter alarm must watch the module's queue."
  }
}

run "without_the_event_wait_there_is_no_restore_events_alarm" {
  command = plan

  variables {
    restore_job_wait = "poll"
    alarms = {
      enabled = true
    }
  }

  assert {
    condition     = !contains(keys(aws_cloudwatch_metric_alarm.this), "restore_event_errors") && contains(keys(aws_cloudwatch_metric_alarm.this), "failed_rotations")
    error_message = "With restore_job_wait = \"poll\" there is no restore-events function, so no alarm on it."
  }
}

run "eventbridge_alone_needs_no_topic" {
  command = plan

  variables {
    trigger              = "eventbridge"
    backup_sns_topic_arn = null
  }

  assert {
    condition     = length(aws_sns_topic_subscription.this) == 0 && length(aws_lambda_permission.this) == 0
    error_message = "trigger = \"eventbridge\" must not subscribe to a topic."
  }

  assert {
    condition     = keys(aws_cloudwatch_event_rule.this) == ["backup-jobs"] && jsondecode(aws_cloudwatch_event_rule.this["backup-jobs"].event_pattern) == { source = ["aws.backup"], account = ["123456789012"], "detail-type" = ["Backup Job State Change"], detail = { state = ["COMPLETED"], resourceType = ["DynamoDB"] } }
    error_message = "trigger = \"eventbridge\" must create one rule on completed DynamoDB backup jobs of this account."
  }

  assert {
    condition     = aws_cloudwatch_event_target.this["backup-jobs"].arn == "arn:aws:lambda:us-east-1:123456789012:function:rotator-trigger" && aws_lambda_permission.events["backup-jobs"].principal == "events.amazonaws.com"
    error_message = "The rule must target the trigger function, which EventBridge may invoke."
  }
}

run "both_triggers_with_copies" {
  command = plan

  variables {
    trigger                 = "both"
    restore_copies          = true
    copy_source_account_ids = ["210987654321"]
  }

  assert {
    condition     = jsondecode(aws_sns_topic_subscription.this[0].filter_policy) == { EventType = ["BACKUP_JOB", "COPY_JOB"], State = ["COMPLETED", "SUCCESSFUL"] }
    error_message = "With restore_copies the subscription must let completed copy jobs through."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["copy-jobs"].event_pattern).account == ["123456789012"] && jsondecode(aws_cloudwatch_event_rule.this["copy-jobs"].event_pattern).detail.destinationBackupVaultArn == [{ prefix = "arn:aws:backup:us-east-1:123456789012:backup-vault:" }]
    error_message = "The default bus's copy rule must take the copies this account runs into its own vaults."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["forwarded-copies"].event_pattern).account == ["210987654321"] && jsondecode(aws_cloudwatch_event_rule.this["forwarded-copies"].event_pattern).detail.destinationBackupVaultArn == [{ prefix = "arn:aws:backup:us-east-1:123456789012:backup-vault:" }] && aws_cloudwatch_event_rule.this["forwarded-copies"].event_bus_name == "rotator-copy-events"
    error_message = "The copy events bus's rule must take the copy source accounts' copies into this account's vaults."
  }

  assert {
    condition     = aws_cloudwatch_event_bus.copy_events[0].name == "rotator-copy-events" && aws_cloudwatch_event_bus_policy.copy_events[0].event_bus_name == "rotator-copy-events" && output.copy_events_bus_arn == "arn:aws:events:us-east-1:123456789012:event-bus/rotator-copy-events"
    error_message = "Copy source accounts must forward to a bus of the module's own, whose policy the module writes."
  }

  assert {
    condition     = aws_cloudwatch_event_target.this["forwarded-copies"].arn == "arn:aws:lambda:us-east-1:123456789012:function:rotator-trigger" && aws_lambda_permission.events["forwarded-copies"].principal == "events.amazonaws.com"
    error_message = "The forwarded copies' rule must target the trigger function, which EventBridge may invoke."
  }

  assert {
    condition     = aws_lambda_function.this["trigger"].environment[0].variables.RESTORE_COPIES == "true"
    error_message = "The trigger must be told that copies are rotated."
  }
}

run "sns_without_a_topic_is_rejected" {
  command = plan

  variables {
    backup_sns_topic_arn = null
  }

  expect_failures = [aws_lambda_function.this]
}

run "copy_source_accounts_without_the_copy_rule_are_rejected" {
  command = plan

  variables {
    copy_source_account_ids = ["210987654321"]
  }

  expect_failures = [aws_cloudwatch_event_bus.copy_events]
}

run "failure_notifications_are_off_by_default" {
  command = plan

  assert {
    condition     = keys(jsondecode(aws_sfn_state_machine.this.definition).States) == ["AwaitRestoreJob", "ChooseWait", "Configure", "Publish", "RotationFailed", "StartRestore", "WaitForRestore"]
    error_message = "Without notification_topic_arn the definition must hold no notification state."
  }

  assert {
    # AwaitRestoreJob's timeout and a denied wake fall back to polling (WaitForRestore);
    # every failure ends.
    condition     = alltrue([for state in values(jsondecode(aws_sfn_state_machine.this.definition).States) : alltrue([for catcher in try(state.Catch, []) : catcher.Next == (catcher.ErrorEquals == ["States.Timeout", "WakeDenied"] ? "WaitForRestore" : "RotationFailed")])])
    error_message = "Without notification_topic_arn every Catch of a failure must go to RotationFailed."
  }

  assert {
    condition     = !contains(flatten([for statement in data.aws_iam_policy_document.state_machine.statement : statement.actions]), "sns:Publish")
    error_message = "Without notification_topic_arn the state machine role must not be allowed sns:Publish."
  }
}

run "failure_notifications_publish_to_the_topic_with_its_key" {
  command = plan

  variables {
    notification_topic_arn         = "arn:aws:sns:us-east-1:123456789012:rotation-failures"
    notification_topic_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  # The shared mock gives every aws_service DynamoDB's host.
  override_data {
    target = data.aws_service.sns
    values = { region = "us-east-1", dns_name = "sns.us-east-1.amazonaws.com" }
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.NotifyFailure.Resource == "arn:aws:states:::sns:publish" && jsondecode(aws_sfn_state_machine.this.definition).States.NotifyFailure.Parameters.TopicArn == "arn:aws:sns:us-east-1:123456789012:rotation-failures"
    error_message = "NotifyFailure must publish to notification_topic_arn with the SNS integration."
  }

  assert {
    condition     = [for name in ["StartRestore", "WaitForRestore", "Publish"] : jsondecode(aws_sfn_state_machine.this.definition).States[name].Catch[0].Next] == ["StartRestoreFailed", "WaitForRestoreFailed", "PublishFailed"]
    error_message = "With notification_topic_arn each step's Catch must go through its notification state."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.state_machine.statement :
      statement.actions == toset(["sns:Publish"]) && statement.resources == toset(["arn:aws:sns:us-east-1:123456789012:rotation-failures"])
    ])
    error_message = "The state machine role must be allowed sns:Publish on exactly notification_topic_arn."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.state_machine_topic_key.statement :
      contains(statement.actions, "kms:GenerateDataKey*") && statement.resources == toset(["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]) &&
      anytrue([for condition in statement.condition : condition.variable == "kms:ViaService" && contains(condition.values, "sns.us-east-1.amazonaws.com")])
    ])
    error_message = "The state machine role must use the topic's key through SNS only."
  }
}

run "a_fifo_notification_topic_is_rejected" {
  command = plan

  variables {
    notification_topic_arn = "arn:aws:sns:us-east-1:123456789012:rotation-failures.fifo"
  }

  expect_failures = [var.notification_topic_arn]
}

run "a_notification_key_without_a_topic_is_rejected" {
  command = plan

  variables {
    notification_topic_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  expect_failures = [aws_sfn_state_machine.this]
}

run "a_notification_topic_in_another_region_is_rejected" {
  command = plan

  variables {
    notification_topic_arn = "arn:aws:sns:eu-west-1:123456789012:rotation-failures"
  }

  expect_failures = [aws_sfn_state_machine.this]
}

run "restore_settings_keep_the_backups_by_default" {
  command = plan

  assert {
    condition = {
      for name, value in aws_lambda_function.this["start_restore"].environment[0].variables : name => value
      if contains(["RESTORE_BILLING_MODE", "RESTORE_READ_CAPACITY", "RESTORE_WRITE_CAPACITY", "RESTORE_ENCRYPTION", "RESTORE_KMS_KEY_ARN", "RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES", "RESTORE_GLOBAL_SECONDARY_INDEXES", "RESTORE_LOCAL_SECONDARY_INDEXES", "RESTORE_INDEX_CAPACITY"], name)
      } == {
      RESTORE_BILLING_MODE                     = ""
      RESTORE_READ_CAPACITY                    = ""
      RESTORE_WRITE_CAPACITY                   = ""
      RESTORE_ENCRYPTION                       = ""
      RESTORE_KMS_KEY_ARN                      = ""
      RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES = "false"
      RESTORE_GLOBAL_SECONDARY_INDEXES         = "null"
      RESTORE_LOCAL_SECONDARY_INDEXES          = "null"
      RESTORE_INDEX_CAPACITY                   = "null"
    }
    error_message = "Without restore_settings the start-restore function must get empty RESTORE_* settings (keep the backup's), exclude no index and pick none."
  }

  assert {
    condition = {
      for name, value in aws_lambda_function.this["configure"].environment[0].variables : name => value
      if contains(["COPY_TABLE_CLASS", "COPY_ON_DEMAND_THROUGHPUT", "COPY_WARM_THROUGHPUT", "COPY_PITR_PERIOD", "COPY_RESOURCE_POLICY", "COPY_AUTO_SCALING", "COPY_CONTRIBUTOR_INSIGHTS", "COPY_KINESIS_STREAM_ARN", "COPY_BEST_EFFORT"], name)
      } == {
      COPY_TABLE_CLASS          = "null"
      COPY_ON_DEMAND_THROUGHPUT = "null"
      COPY_WARM_THROUGHPUT      = "null"
      COPY_PITR_PERIOD          = "null"
      COPY_RESOURCE_POLICY      = "null"
      COPY_AUTO_SCALING         = "null"
      COPY_CONTRIBUTOR_INSIGHTS = "null"
      COPY_KINESIS_STREAM_ARN   = "null"
      COPY_BEST_EFFORT          = "[]"
    }
    error_message = "Without copy_settings the configure function must get every copy setting off (\"null\") and nothing best effort."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.restore_keys) == 0 && length(aws_iam_role_policy.restore_keys) == 0
    error_message = "Without customer managed keys no role may be given key usage."
  }
}

run "restore_settings_reach_the_function_and_the_key_its_roles" {
  command = plan

  variables {
    restore_settings = {
      billing_mode                     = "PROVISIONED"
      read_capacity                    = 5
      write_capacity                   = 10
      encryption                       = "CUSTOMER_MANAGED"
      kms_key_arn                      = "arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-12ab-34cd-56ef-1234567890ab"
      exclude_global_secondary_indexes = true
      local_secondary_indexes          = ["byDate", "by?ser*"]
      index_capacity                   = { "by*" = { read_capacity = 2, write_capacity = 3 } }
    }
  }

  assert {
    condition = alltrue([
      for key in ["start_restore", "configure"] : {
        for name, value in aws_lambda_function.this[key].environment[0].variables : name => value
        if startswith(name, "RESTORE_") && !contains(["RESTORE_ROLE_ARN", "RESTORE_TIMEOUT_SECONDS", "RESTORE_COPIES"], name)
        } == {
        RESTORE_BILLING_MODE                     = "PROVISIONED"
        RESTORE_READ_CAPACITY                    = "5"
        RESTORE_WRITE_CAPACITY                   = "10"
        RESTORE_ENCRYPTION                       = "CUSTOMER_MANAGED"
        RESTORE_KMS_KEY_ARN                      = "arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-12ab-34cd-56ef-1234567890ab"
        RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES = "true"
        RESTORE_GLOBAL_SECONDARY_INDEXES         = "null"
        RESTORE_LOCAL_SECONDARY_INDEXES          = "[\"byDate\",\"by?ser*\"]"
        RESTORE_INDEX_CAPACITY                   = "{\"by*\":{\"read_capacity\":2,\"write_capacity\":3}}"
      }
    ])
    error_message = "The start-restore and configure functions must get every restore setting, the index choices as JSON."
  }

  assert {
    condition = [
      for statement in data.aws_iam_policy_document.restore_keys[0].statement : statement.resources
      if statement.sid == "EncryptCopiesThroughDynamoDB"
    ] == [toset(["arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-12ab-34cd-56ef-1234567890ab"])]
    error_message = "The copies' key must be granted on that key alone."
  }

  assert {
    condition     = length(aws_iam_role_policy.restore_keys) == 1
    error_message = "The restore role the module creates must get the copies' key (AWS Backup restores with it)."
  }
}

run "an_unknown_billing_mode_is_rejected" {
  command = plan

  variables {
    restore_settings = { billing_mode = "ON_DEMAND" }
  }

  expect_failures = [var.restore_settings]
}

run "provisioned_copies_need_their_capacity" {
  command = plan

  variables {
    restore_settings = { billing_mode = "PROVISIONED", read_capacity = 5 }
  }

  expect_failures = [var.restore_settings]
}

run "capacity_without_provisioned_is_rejected" {
  command = plan

  variables {
    restore_settings = { billing_mode = "PAY_PER_REQUEST", read_capacity = 5, write_capacity = 5 }
  }

  expect_failures = [var.restore_settings]
}

run "fractional_capacity_is_rejected" {
  command = plan

  variables {
    restore_settings = { billing_mode = "PROVISIONED", read_capacity = 2.5, write_capacity = 5 }
  }

  expect_failures = [var.restore_settings]
}

run "an_unknown_encryption_is_rejected" {
  command = plan

  variables {
    restore_settings = { encryption = "KMS" }
  }

  expect_failures = [var.restore_settings]
}

run "a_customer_managed_encryption_needs_its_key" {
  command = plan

  variables {
    restore_settings = { encryption = "CUSTOMER_MANAGED" }
  }

  expect_failures = [var.restore_settings]
}

run "a_key_without_customer_managed_encryption_is_rejected" {
  command = plan

  variables {
    restore_settings = { encryption = "AWS_MANAGED", kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-12ab-34cd-56ef-1234567890ab" }
  }

  expect_failures = [var.restore_settings]
}

run "a_key_alias_is_rejected" {
  command = plan

  variables {
    restore_settings = { encryption = "CUSTOMER_MANAGED", kms_key_arn = "arn:aws:kms:us-east-1:123456789012:alias/staging" }
  }

  expect_failures = [var.restore_settings]
}

run "a_copy_key_in_another_region_is_rejected" {
  command = plan

  variables {
    restore_settings = { encryption = "CUSTOMER_MANAGED", kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0c0ffee0-12ab-34cd-56ef-1234567890ab" }
  }

  expect_failures = [aws_lambda_function.this]
}

run "an_environment_lambda_refuses_is_rejected_at_plan" {
  command = plan

  variables {
    copy_settings = {
      resource_policy = { policy = jsonencode({ Version = "2012-10-17", Statement = [{ Sid = join("", [for i in range(1000) : "xxxxx"]) }] }) }
    }
  }

  expect_failures = [aws_lambda_function.this]
}

run "cleanup_is_off_by_default" {
  command = plan

  assert {
    condition     = !contains(keys(aws_lambda_function.this), "cleanup") && !contains(keys(aws_iam_role.lambda), "cleanup") && !contains(keys(aws_cloudwatch_log_group.lambda), "cleanup")
    error_message = "Without keep_last there must be no cleanup function, role or log group."
  }

  assert {
    condition     = length(setintersection(keys(jsondecode(aws_sfn_state_machine.this.definition).States), ["Cleanup", "CleanupFailed"])) == 0
    error_message = "Without keep_last the definition must hold no Cleanup or CleanupFailed state."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.Publish.End == true && !contains(keys(jsondecode(aws_sfn_state_machine.this.definition).States.Publish), "Next")
    error_message = "Without keep_last Publish must end the execution (End, and no Next)."
  }

  assert {
    condition     = !contains(flatten([for statement in data.aws_iam_policy_document.state_machine.statement : statement.resources]), "arn:aws:lambda:us-east-1:123456789012:function:rotator-cleanup")
    error_message = "Without keep_last the state machine role must not be allowed to invoke a cleanup function."
  }
}

run "keep_last_adds_the_cleanup_step_after_publish" {
  command = plan

  variables {
    keep_last              = 3
    max_age_days           = 30
    ssm_parameter_name     = "/staging/database-arn"
    notification_topic_arn = "arn:aws:sns:us-east-1:123456789012:rotation-failures"
  }

  assert {
    condition     = aws_lambda_function.this["cleanup"].handler == "rotator.handlers.cleanup.handler" && aws_lambda_function.this["cleanup"].function_name == "rotator-cleanup"
    error_message = "keep_last must add the cleanup function, rotator-cleanup, with the handler rotator.handlers.cleanup.handler."
  }

  assert {
    condition = aws_lambda_function.this["cleanup"].environment[0].variables == tomap({
      ROTATOR_NAME            = "rotator"
      KEEP_LAST               = "3"
      MAX_AGE_DAYS            = "30"
      COPY_NAME_LITERAL       = "-staging"
      LEDGER_TABLE_NAME       = "rotator-copies"
      RESTORE_TIMEOUT_SECONDS = "86400"
      COPY_AUTO_SCALING       = "null"
    })
    error_message = "The cleanup function must get the rotator's name, keep_last, max_age_days, the literal part of the copies' names, the ledger's name, the restore timeout and copy_settings.auto_scaling (null: off)."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.Publish.Next == "Cleanup" && !contains(keys(jsondecode(aws_sfn_state_machine.this.definition).States.Publish), "End")
    error_message = "With keep_last Publish must go on to Cleanup."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.Cleanup.Resource == "arn:aws:lambda:us-east-1:123456789012:function:rotator-cleanup" && jsondecode(aws_sfn_state_machine.this.definition).States.Cleanup.End == true
    error_message = "Cleanup must invoke the cleanup function and end the execution."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.Cleanup.Catch[0].Next == "CleanupFailed" && jsondecode(aws_sfn_state_machine.this.definition).States.CleanupFailed.Next == "DescribeFailure"
    error_message = "With notification_topic_arn a failed cleanup must be notified through CleanupFailed."
  }

  assert {
    condition     = contains(flatten([for statement in data.aws_iam_policy_document.state_machine.statement : statement.resources]), "arn:aws:lambda:us-east-1:123456789012:function:rotator-cleanup")
    error_message = "The state machine role must be allowed to invoke the cleanup function."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.delete_own_copies.statement :
      statement.actions == toset(["dynamodb:DeleteTable"]) && statement.resources == toset(["arn:aws:dynamodb:us-east-1:123456789012:table/*-staging*-????????-??-??-??"]) &&
      length(statement.condition) == 0
    ])
    error_message = "The cleanup role may delete only copies' names, whatever their tags (the ledger of copies decides which)."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.delete_own_copies.statement :
      statement.actions == toset(["ssm:GetParameter"]) && statement.resources == toset(["arn:aws:ssm:us-east-1:123456789012:parameter/staging/database-arn"])
    ])
    error_message = "The cleanup role must be allowed ssm:GetParameter on exactly the parameter."
  }
}

# What the zip holds is checked by tests/terraform/test_packages.py (the archive as
# written); these check that every function deploys it with its own handler.
run "every_function_deploys_the_one_package_with_its_own_handler" {
  command = plan

  variables {
    keep_last = 3
  }

  assert {
    condition     = alltrue([for key, function in aws_lambda_function.this : function.filename == data.archive_file.lambda.output_path && function.source_code_hash == data.archive_file.lambda.output_base64sha256])
    error_message = "Every function must deploy the one archive: its output_path and output_base64sha256."
  }

  assert {
    condition     = alltrue([for key, function in aws_lambda_function.this : function.handler == "rotator.handlers.${key}.handler"])
    error_message = "Each function must run its own handler, rotator.handlers.<key>.handler."
  }

  assert {
    condition     = endswith(data.archive_file.lambda.output_path, "/.terraform/tmp/rotator-lambda.zip")
    error_message = "The archive must be written to .terraform/tmp/<name>-lambda.zip, a path of this module instance's own."
  }

  assert {
    condition     = data.archive_file.lambda.source_dir == "${path.module}/lambda" && data.archive_file.lambda.type == "zip" && data.archive_file.lambda.output_file_mode == "0666"
    error_message = "The archive must be a zip of lambda/ with fixed file modes (0666), so its hash is the same on every machine."
  }

  assert {
    condition     = toset(data.archive_file.lambda.excludes) == toset(["**/__pycache__", "**/*.pyc", "**/.*"])
    error_message = "The archive must leave out Python's caches and hidden files."
  }
}

run "functions_not_deployed_are_left_out" {
  command = plan

  variables {
    restore_job_wait = "poll"
  }

  assert {
    condition     = length(setintersection(keys(aws_lambda_function.this), ["cleanup", "discard_copy", "await_restore", "restore_events"])) == 0 && length(setintersection(keys(aws_lambda_function.this), ["trigger", "start_restore", "check_restore", "configure", "publish"])) == 5
    error_message = "Without keep_last, delete_copy_on_hook_failure and the event wait there must be no function for cleanup, discard_copy, await_restore or restore_events, and the trigger and the four steps that always run must be there."
  }
}

run "keep_last_without_a_topic_fails_straight_into_rotation_failed" {
  command = plan

  variables {
    keep_last = 1
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.Cleanup.Catch[0].Next == "RotationFailed" && !contains(keys(jsondecode(aws_sfn_state_machine.this.definition).States), "CleanupFailed")
    error_message = "Without notification_topic_arn a failed cleanup must go to RotationFailed, and there must be no CleanupFailed state."
  }

  assert {
    condition     = aws_lambda_function.this["cleanup"].environment[0].variables.MAX_AGE_DAYS == ""
    error_message = "Without max_age_days the cleanup function must get an empty MAX_AGE_DAYS."
  }

  assert {
    condition     = !contains(flatten([for statement in data.aws_iam_policy_document.delete_own_copies.statement : statement.actions]), "ssm:GetParameter")
    error_message = "Without ssm_parameter_name the cleanup role must not be allowed ssm:GetParameter."
  }
}

run "keep_last_of_zero_is_rejected" {
  command = plan

  variables {
    keep_last = 0
  }

  expect_failures = [var.keep_last]
}

run "a_fractional_keep_last_is_rejected" {
  command = plan

  variables {
    keep_last = 1.5
  }

  expect_failures = [var.keep_last]
}

run "max_age_days_of_zero_is_rejected" {
  command = plan

  variables {
    keep_last    = 2
    max_age_days = 0
  }

  expect_failures = [var.max_age_days]
}

run "a_fractional_max_age_days_is_rejected" {
  command = plan

  variables {
    keep_last    = 2
    max_age_days = 2.5
  }

  expect_failures = [var.max_age_days]
}

run "max_age_days_without_keep_last_is_rejected" {
  command = plan

  variables {
    max_age_days = 30
  }

  expect_failures = [aws_sfn_state_machine.this]
}

run "hooks_are_off_by_default" {
  command = plan

  assert {
    condition     = length(setintersection(keys(jsondecode(aws_sfn_state_machine.this.definition).States), ["ListHooks", "RunHooks", "RunHooksFailed"])) == 0
    error_message = "Without hooks the definition must hold no hook state."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.Configure.Next == "Publish"
    error_message = "Without hooks Configure must go on to Publish."
  }

  assert {
    condition     = !contains([for statement in data.aws_iam_policy_document.state_machine.statement : statement.sid], "InvokeHooks")
    error_message = "Without hooks the state machine role must get no hook invocation grant."
  }
}

run "hooks_run_in_order_between_the_wait_and_publish" {
  command = plan

  variables {
    hooks = [
      "arn:aws:lambda:us-east-1:123456789012:function:check-copy",
      "arn:aws:lambda:us-east-1:123456789012:function:mask-data:live",
      "arn:aws:lambda:us-east-1:123456789012:function:seed-data:7",
      "arn:aws:lambda:us-east-1:123456789012:function:seed_data:$LATEST",
    ]
    notification_topic_arn = "arn:aws:sns:us-east-1:123456789012:rotation-failures"
  }

  assert {
    condition     = jsonencode(jsondecode(aws_sfn_state_machine.this.definition).States.ListHooks.Result) == jsonencode(var.hooks)
    error_message = "ListHooks must hand RunHooks the hooks in the order given."
  }

  assert {
    condition     = [for name in ["Configure", "ListHooks", "RunHooks"] : jsondecode(aws_sfn_state_machine.this.definition).States[name].Next] == ["ListHooks", "RunHooks", "Publish"]
    error_message = "The hooks must run between Configure and Publish."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.RunHooks.Type == "Map" && jsondecode(aws_sfn_state_machine.this.definition).States.RunHooks.MaxConcurrency == 1 && jsondecode(aws_sfn_state_machine.this.definition).States.RunHooks.ItemsPath == jsondecode(aws_sfn_state_machine.this.definition).States.ListHooks.ResultPath
    error_message = "RunHooks must be a Map over the hooks ListHooks wrote, one at a time."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.RunHooks.Catch[0].Next == "RunHooksFailed" && jsondecode(aws_sfn_state_machine.this.definition).States.RunHooksFailed.Next == "DescribeFailure"
    error_message = "With notification_topic_arn a failed hook must be notified through RunHooksFailed."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.state_machine.statement :
      statement.sid == "InvokeHooks" && statement.actions == toset(["lambda:InvokeFunction"]) && statement.resources == toset(var.hooks)
    ])
    error_message = "The state machine role must be allowed lambda:InvokeFunction on exactly the hooks, as given."
  }
}

run "a_hook_given_by_name_is_rejected" {
  command = plan

  variables {
    hooks = ["check-copy"]
  }

  expect_failures = [var.hooks]
}

run "a_hook_with_two_qualifiers_is_rejected" {
  command = plan

  variables {
    hooks = ["arn:aws:lambda:us-east-1:123456789012:function:check-copy:live:2"]
  }

  expect_failures = [var.hooks]
}

run "a_layer_as_a_hook_is_rejected" {
  command = plan

  variables {
    hooks = ["arn:aws:lambda:us-east-1:123456789012:layer:check-copy:1"]
  }

  expect_failures = [var.hooks]
}

run "a_hook_in_another_partition_is_rejected" {
  command = plan

  variables {
    hooks = ["arn:aws-cn:lambda:cn-north-1:123456789012:function:check-copy"]
  }

  expect_failures = [aws_sfn_state_machine.this]
}

run "a_refused_copy_is_left_by_default" {
  command = plan

  variables {
    hooks = ["arn:aws:lambda:us-east-1:123456789012:function:check-copy"]
  }

  assert {
    condition     = !contains(keys(aws_lambda_function.this), "discard_copy") && !contains(keys(jsondecode(aws_sfn_state_machine.this.definition).States), "DiscardRefusedCopy")
    error_message = "Without delete_copy_on_hook_failure there must be no discard function and no DiscardRefusedCopy state."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.RunHooks.Catch[0].Next == "RotationFailed"
    error_message = "Without delete_copy_on_hook_failure (and without a topic) a failed hook must go to RotationFailed."
  }
}

run "delete_copy_on_hook_failure_discards_the_refused_copy_before_the_failure_is_notified" {
  command = plan

  variables {
    hooks                       = ["arn:aws:lambda:us-east-1:123456789012:function:check-copy"]
    delete_copy_on_hook_failure = true
    ssm_parameter_name          = "/staging/{source_table}/table-arn"
    notification_topic_arn      = "arn:aws:sns:us-east-1:123456789012:rotation-failures"
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.RunHooks.Catch[0].Next == "DiscardRefusedCopy" && jsondecode(aws_sfn_state_machine.this.definition).States.DiscardRefusedCopy.Next == "RunHooksFailed" && jsondecode(aws_sfn_state_machine.this.definition).States.DiscardRefusedCopy.Catch[0].Next == "RunHooksFailed"
    error_message = "A failed hook must go through DiscardRefusedCopy to RunHooksFailed, whether the discard works or not."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.DiscardRefusedCopy.Resource == "arn:aws:lambda:us-east-1:123456789012:function:rotator-discard-copy" && aws_lambda_function.this["discard_copy"].handler == "rotator.handlers.discard_copy.handler"
    error_message = "DiscardRefusedCopy must invoke the rotator-discard-copy function (handler rotator.handlers.discard_copy.handler)."
  }

  assert {
    condition = aws_lambda_function.this["discard_copy"].environment[0].variables == tomap({
      ROTATOR_NAME       = "rotator"
      SSM_PARAMETER_NAME = "/staging/{source_table}/table-arn"
      LEDGER_TABLE_NAME  = "rotator-copies"
      COPY_AUTO_SCALING  = "null"
    })
    error_message = "The discard function must get the rotator's name, the parameter's name template, the ledger's name and copy_settings.auto_scaling (null: off)."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.delete_own_copies.statement :
      statement.actions == toset(["dynamodb:DeleteTable"]) && statement.resources == toset(["arn:aws:dynamodb:us-east-1:123456789012:table/*-staging*-????????-??-??-??"]) &&
      length(statement.condition) == 0
    ])
    error_message = "The discard role may delete only copies' names, whatever their tags (the ledger of copies decides which)."
  }

  assert {
    condition     = contains(flatten([for statement in data.aws_iam_policy_document.state_machine.statement : statement.resources]), "arn:aws:lambda:us-east-1:123456789012:function:rotator-discard-copy")
    error_message = "The state machine role must be allowed to invoke the discard function."
  }
}

run "delete_copy_on_hook_failure_without_a_topic_ends_in_rotation_failed" {
  command = plan

  variables {
    hooks                       = ["arn:aws:lambda:us-east-1:123456789012:function:check-copy"]
    delete_copy_on_hook_failure = true
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.DiscardRefusedCopy.Next == "RotationFailed" && jsondecode(aws_sfn_state_machine.this.definition).States.DiscardRefusedCopy.Catch[0].Next == "RotationFailed"
    error_message = "Without notification_topic_arn DiscardRefusedCopy must go on to RotationFailed."
  }

  assert {
    condition     = !contains(flatten([for statement in data.aws_iam_policy_document.delete_own_copies.statement : statement.actions]), "ssm:GetParameter")
    error_message = "Without ssm_parameter_name the discard role must not be allowed ssm:GetParameter."
  }
}

run "delete_copy_on_hook_failure_without_hooks_is_rejected" {
  command = plan

  variables {
    delete_copy_on_hook_failure = true
  }

  expect_failures = [aws_sfn_state_machine.this]
}

run "a_parameter_per_table_is_read_and_written_under_its_template" {
  command = plan

  variables {
    ssm_parameter_name = "/staging/{source_table}/table-arn"
    ssm_parameter_tier = "Advanced"
    ssm_parameter_tags = { team = "data" }
  }

  assert {
    condition     = aws_lambda_function.this["publish"].environment[0].variables["SSM_PARAMETER_NAME"] == "/staging/{source_table}/table-arn" && aws_lambda_function.this["publish"].environment[0].variables["SSM_PARAMETER_TIER"] == "Advanced"
    error_message = "The publish function must get the parameter's template and tier as given."
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.publish.statement :
      statement.actions == toset(["ssm:AddTagsToResource", "ssm:GetParameter", "ssm:PutParameter"]) && statement.resources == toset(["arn:aws:ssm:us-east-1:123456789012:parameter/staging/*/table-arn"])
    ])
    error_message = "The publish role may read, write and (with ssm_parameter_tags) tag exactly the parameters the template names (placeholders as *)."
  }
}

run "an_unknown_parameter_placeholder_is_rejected" {
  command = plan

  variables {
    ssm_parameter_name = "/staging/{table}/arn"
  }

  expect_failures = [var.ssm_parameter_name]
}

run "an_unknown_parameter_tier_is_rejected" {
  command = plan

  variables {
    ssm_parameter_tier = "Premium"
  }

  expect_failures = [var.ssm_parameter_tier]
}
