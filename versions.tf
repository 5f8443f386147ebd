terraform {
  # Language features used: `nullable = false` (1.1), lifecycle pre/postconditions
  # (1.2), and in variable validations startswith()/endswith() (1.3) and strcontains()
  # (1.5). The one cross-variable rule (restore_timeout_seconds >=
  # poll_interval_seconds) is a precondition, so 1.9's cross-variable validation is
  # not needed.
  required_version = ">= 1.5"

  required_providers {
    # hashicorp/aws 5.43.0 is the floor: it added aws_dynamodb_resource_policy (the
    # ledger of copies, ledger.tf), the newest resource the module uses (5.32.0 added
    # aws_lambda_function's `logging_config` block). The current Region is
    # read from `data.aws_service` because data.aws_region has no spelling that suits
    # both majors: its `name` is deprecated in 6.x and its `region` is missing in 5.x.
    # The provider validates `runtime` against its SDK's list, so the lambda_runtime
    # value python3.13 needs a newer 5.x (5.75.1 still refused it).
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.43.0"
    }
    # archive_file's `output_file_mode` dates from 2.2.0 and its `source` blocks (one
    # per file of a function's package) are older; 2.5.0 stays the floor because it is
    # the oldest release `make tftest` validates against (its floor pin set).
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.5.0"
    }
  }
}
