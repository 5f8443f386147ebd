################################################################################
# State machine: statemachine.json.tpl, less the states of what these inputs leave out
################################################################################

locals {
  # The template is valid JSON with template variables in strings only (Workflow
  # Studio opens it); the numbers of the wait come from inputs here. WaitForRestore's
  # first Retry repeats the check while the copy is still restoring (RestoreNotReady):
  # first after poll_interval_seconds, then twice as long each time up to
  # max_poll_interval_seconds. Its attempts are bounded as if the interval never grew;
  # the check itself ends the rotation at restore_timeout_seconds.
  definition_template = jsondecode(templatefile(
    "${path.module}/statemachine.json.tpl",
    merge(
      { for key, step in local.steps : "${key}_function_arn" => local.function_arns[key] if step.state != null },
      {
        partition = local.partition
        # Only read by NotifyFailure, which is removed below when there is no topic.
        notification_topic_arn = var.notification_topic_arn == null ? "" : var.notification_topic_arn
        # The failure notification's copy_fate: what becomes of a failed rotation's copy
        # (the ledger of copies records it from its first moment; docs/permissions-and-security.md).
        failed_copy_fate = local.cleans_up ? "Any copy named in target_table is kept for inspection and recorded in the ledger ${local.ledger_table_name}; a later rotation of the same table deletes it (Cleanup, keep_last) once ${var.restore_timeout_seconds} s plus a day have passed since its restore was asked for." : "Any copy named in target_table is kept and recorded in the ledger ${local.ledger_table_name}; nothing deletes it, since keep_last is not set: delete it by hand once inspected."
      },
    ),
  ))

  # The failure notification's states: each step's failure_state (steps.tf), RunHooks'
  # and the two that describe and publish it (the template's Catches lead through them
  # to RotationFailed). Without notification_topic_arn they are left out and every
  # Catch goes to RotationFailed directly, so the definition holds no publish at all.
  notification_states = concat(
    [for step in local.steps : step.failure_state if step.failure_state != null],
    ["RunHooksFailed", "FinishConfigureFailed", "DescribeFailure", "NotifyFailure"],
  )
  notifies = var.notification_topic_arn != null
  # The hooks' states. With no hooks they are left out and Configure goes on to Publish.
  hook_states = ["ListHooks", "RunHooks", "RunHooksFailed"]
  runs_hooks  = length(var.hooks) > 0

  # The parts of the template these inputs may leave out: each step's `states` while
  # it is off (steps.tf), the hooks' and the notification's. A Next or Catch that led
  # into a removed part goes to its bypass (a Next to null: End).
  optional_parts = concat(
    [for key, step in local.steps : { removed = !step.enabled, states = step.states, bypass = step.bypass } if length(step.states) > 0],
    [
      { removed = !local.runs_hooks, states = local.hook_states, bypass = "Publish" },
      # last, so that RunHooksFailed, in both, goes to RotationFailed when both are out
      { removed = !local.notifies, states = local.notification_states, bypass = "RotationFailed" },
    ],
  )
  removed_states = distinct(flatten([for part in local.optional_parts : part.states if part.removed]))
  bypasses       = merge([for part in local.optional_parts : { for name in part.states : name => part.bypass } if part.removed]...)
  # Where a transition to each state of the template goes: the state itself, or, if it
  # is removed, its part's bypass, followed while that is removed too (DiscardRefusedCopy
  # -> RunHooksFailed -> RotationFailed is the longest chain). A precondition checks that
  # none ends at a removed state.
  via_bypass   = { for name in keys(local.definition_template.States) : name => lookup(local.bypasses, name, name) }
  via_bypass_2 = { for name, next in local.via_bypass : name => next == null ? null : lookup(local.bypasses, next, next) }
  transitions  = { for name, next in local.via_bypass_2 : name => next == null ? null : lookup(local.bypasses, next, next) }

  states = {
    for name, state in local.definition_template.States : name => merge(
      { for key, value in state : key => value if key != "Next" },
      try({
        Catch = [for catcher in state.Catch : merge(catcher, {
          Next = coalesce(lookup(local.transitions, catcher.Next, catcher.Next), "RotationFailed")
        })]
      }, {}),
      # A state whose successor is removed with nothing after it (Publish without
      # Cleanup) ends the execution. A Next to a state the template does not define is
      # kept as written (the ASL check of the template reports it).
      try({ for key, value in { Next = lookup(local.transitions, state.Next, state.Next), End = true } : key => value if(key == "End") == (lookup(local.transitions, state.Next, state.Next) == null) }, {}),
    ) if !contains(local.removed_states, name)
  }

  wait_state  = local.states.WaitForRestore
  await_state = try(local.states.AwaitRestoreJob, local.definition_template.States.AwaitRestoreJob)
  start_state = local.states.StartRestore
  definition = merge(local.definition_template, {
    States = merge(local.states, {
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
      # pass: the hooks get its totals (the payload's "pass", docs/hooks.md).
      for name in local.runs_hooks && local.passes ? ["RunHooks"] : [] : name => merge(local.states.RunHooks, {
        ItemSelector = merge(local.states.RunHooks.ItemSelector, { "pass.$" = "$.pass" })
        ItemProcessor = merge(local.states.RunHooks.ItemProcessor, {
          States = { for key, state in local.states.RunHooks.ItemProcessor.States : key => merge(state, {
            Parameters = merge(state.Parameters, {
              Payload = merge(state.Parameters.Payload, { "pass.$" = "$.pass" })
            })
          }) }
        })
      })
      }, {
      # pass: segments walked at once.
      for name in local.passes ? ["WalkSegments"] : [] : name => merge(local.states.WalkSegments, {
        MaxConcurrency = var.pass.max_concurrency
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
      condition     = length(setsubtract(concat(compact(flatten([for step in local.steps : [step.state, step.failure_state, step.states]])), local.hook_states, local.notification_states), keys(local.definition_template.States))) == 0
      error_message = "statemachine.json.tpl must define every state steps.tf names (state, failure_state, states), the hooks' ${join(", ", local.hook_states)} and the failure notification's ${join(", ", local.notification_states)}; definition.tf removes those of the parts these inputs leave out."
    }
    precondition {
      condition     = alltrue([for name, next in local.transitions : !contains(local.removed_states, next == null ? "" : next)])
      error_message = "A transition of the definition leads to a removed state (${join(", ", [for name, next in local.transitions : "${name} -> ${next}" if contains(local.removed_states, next == null ? "" : next)])}): give the part that holds it a bypass that stays (steps.tf)."
    }
    precondition {
      condition     = var.max_age_days == null || var.keep_last != null
      error_message = "max_age_days is set but keep_last is not; the age limit applies only to the copies a cleanup may delete. Set keep_last (at least 1), or remove max_age_days."
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
      error_message = "statemachine.json.tpl: AwaitRestoreJob's first Retry must be the one for States.Timeout; definition.tf sets its attempts from the inputs."
    }
    precondition {
      condition     = local.start_state.Retry[0].ErrorEquals == ["RestoreLimitExceeded"]
      error_message = "statemachine.json.tpl: StartRestore's first Retry must be the one for RestoreLimitExceeded; definition.tf sets its attempts from restore_timeout_seconds."
    }
    precondition {
      condition     = local.wait_state.Retry[0].ErrorEquals == ["RestoreNotReady"]
      error_message = "statemachine.json.tpl: WaitForRestore's first Retry must be the one for RestoreNotReady; definition.tf sets its interval from the inputs."
    }
    postcondition {
      condition     = self.arn == local.state_machine_arn
      error_message = "The state machine's ARN ${self.arn} differs from ${local.state_machine_arn}, which the trigger function and its role were given."
    }
  }
}
