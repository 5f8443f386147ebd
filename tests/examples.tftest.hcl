# Plan-mode runs of each example (with its default inputs) on mock providers, run by
# `python -m tools.fakeprovider validate`; see tests/module.tftest.hcl.

mock_provider "aws" {
  source = "./tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "production"
  source = "./tests/mocks/aws"

  mock_data "aws_caller_identity" {
    defaults = { account_id = "210987654321" }
  }

  mock_data "aws_service" {
    defaults = { region = "us-east-1", dns_name = "events.us-east-1.amazonaws.com" }
  }
}

mock_provider "archive" {}

run "example_basic" {
  command = plan

  module {
    source = "./examples/basic"
  }

  assert {
    condition     = output.state_machine_name == "ddb-rotator"
    error_message = "The basic example must plan the rotator named after its var.name."
  }

  assert {
    condition     = length(output.function_names) == 7
    error_message = "The basic example must plan the module's seven functions (restore_job_wait = \"event\" by default)."
  }
}

run "example_complete" {
  command = plan

  module {
    source = "./examples/complete"
  }

  assert {
    condition     = output.state_machine_name == "ddb-rotator"
    error_message = "The complete example must plan the rotator named after its var.name."
  }

  assert {
    condition     = output.backup_vault_name == "dynamodb-production"
    error_message = "The complete example must plan its backup vault."
  }

  assert {
    condition     = contains(keys(output.function_names), "cleanup")
    error_message = "The complete example uses every option: keep_last adds the cleanup function."
  }
}

run "example_sns_existing_topic" {
  command = plan

  module {
    source = "./examples/sns-existing-topic"
  }

  variables {
    backup_sns_topic_arn = "arn:aws:sns:us-east-1:123456789012:backup-events"
  }

  assert {
    condition     = output.state_machine_name == "ddb-rotator"
    error_message = "The sns-existing-topic example must plan the rotator named after its var.name."
  }

  assert {
    condition     = length(output.function_names) == 7
    error_message = "The sns-existing-topic example must plan the module's seven functions (restore_job_wait = \"event\" by default)."
  }
}

run "example_eventbridge" {
  command = plan

  module {
    source = "./examples/eventbridge"
  }

  assert {
    condition     = toset(keys(output.event_rule_arns)) == toset(["backup-jobs", "copy-jobs"])
    error_message = "The eventbridge example must plan the rules on backup and copy jobs."
  }

  assert {
    condition     = output.state_machine_name == "ddb-rotator"
    error_message = "The eventbridge example must plan the rotator named after its var.name."
  }
}

run "example_cross_account_copies" {
  command = plan

  module {
    source = "./examples/cross-account-copies"
  }

  assert {
    condition     = toset(keys(output.event_rule_arns)) == toset(["backup-jobs", "copy-jobs", "forwarded-copies"])
    error_message = "The cross-account example must plan the rotator's rule for forwarded copies."
  }

  assert {
    condition     = module.copy_event_forwarder.destination_event_bus_arn == "arn:aws:events:us-east-1:123456789012:event-bus/ddb-rotator-copy-events"
    error_message = "The production account must forward copy events to the rotator's copy events bus in staging."
  }
}
