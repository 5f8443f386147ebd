terraform {
  # Language features used: `nullable = false` (1.1), lifecycle pre/postconditions
  # (1.2), and in variable validations startswith()/endswith() (1.3) and strcontains()
  # (1.5). The one cross-variable rule (restore_timeout_seconds >=
  # poll_interval_seconds) is a precondition, so 1.9's cross-variable validation is
  # not needed.
  required_version = ">= 1.5"

  required_providers {
    # hashicorp/aws 6.0 is the floor because the module reads the current Region from
    # `data.aws_region.current.region`: 6.0 deprecated that data source's `name` and
    # `id` in favour of `region`, so the spelling that 5.x understands would warn on
    # every plan with a current provider. Apart from that, the newest argument used
    # is aws_lambda_function's `logging_config` block (log_format, log_group,
    # application_log_level, system_log_level), added in 5.32.0 (CHANGELOG, #35050);
    # the runtime python3.13 (Nov 2024) is only accepted by later 5.x releases.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.32.0"
    }
    # 2.5.0 added glob matching to archive_file `excludes` (needed for "**/__pycache__"
    # and "**/*.pyc"); `output_file_mode` dates from 2.2.0.
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.5.0"
    }
  }
}
