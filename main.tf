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


  # The functions these inputs deploy (steps.tf declares them all). The template's
  # ${<key>_function_arn} exist for every step, deployed or not; definition.tf removes
  # the states of those that are not.
  functions      = { for key, step in local.steps : key => step if step.enabled }
  workflow_steps = [for key, step in local.functions : key if step.state != null]

  function_names = { for key in keys(local.steps) : key => "${var.name}-${replace(key, "_", "-")}" }

  # keep_last: the Cleanup step after Publish (its function, states and role). Without
  # it Publish ends the execution, as it did before.
  cleans_up = var.keep_last != null

  # restore_job_wait = "event": AwaitRestoreJob, the restore-events function, its rule
  # and the waits table (wait.tf).
  awaits_events    = var.restore_job_wait == "event"
  waits_table_name = "${var.name}-restore-waits"
  waits_table_arn  = "${format(local.arn_prefix, "dynamodb")}:table/${local.waits_table_name}"

  # The ledger of copies (ledger.tf), and the functions that write it (iam.tf's
  # ledger_actions): only their roles may (its resource policy).
  ledger_table_name = "${var.name}-copies"
  ledger_table_arn  = "${format(local.arn_prefix, "dynamodb")}:table/${local.ledger_table_name}"
  ledger_writers    = [for key in keys(local.ledger_actions) : key if contains(keys(local.functions), key)]

  # pass: PlanPass, WalkSegments, CheckPass and FinishConfigure (steps.tf's plan_pass,
  # walk_segment, check_pass). While it runs the copy's resource policy admits only
  # the roles of the functions that act on copies (and the restore role).
  passes = var.pass != null
  # (Built from var.name: local.lambda_role_arns comes from local.steps, which holds these.)
  pass_role_arns = [for key in ["plan-pass", "walk-segment", "check-pass", "configure", "publish", "cleanup", "discard-copy", "check-restore"] : "arn:${local.partition}:iam::${local.account_id}:role${var.role_path}${var.name}-${key}"]

  # delete_copy_on_hook_failure: DiscardRefusedCopy (steps.tf's discard_copy).
  discards_refused = var.delete_copy_on_hook_failure

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
