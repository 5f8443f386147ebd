################################################################################
# Required
################################################################################

variable "name" {
  description = "Name of the rotator. Used as the state machine name and as the prefix of every function, role and log group (\"<name>-trigger\", \"<name>-start-restore\", ...). Must be unique per account and Region."
  type        = string

  validation {
    # The longest derived name is "<name>-state-machine" (role) / "<name>-check-restore"
    # (function and role): 40 + 14 characters stays within IAM's 64-character role limit.
    condition     = can(regex("^[a-zA-Z0-9_-]{1,40}$", var.name))
    error_message = "name must be 1 to 40 characters of letters, digits, hyphens and underscores, so that the derived role and function names stay within 64 characters."
  }
}

variable "backup_sns_topic_arn" {
  description = "ARN of the existing standard SNS topic that AWS Backup publishes vault events to (put-backup-vault-notifications with BACKUP_JOB_COMPLETED, and COPY_JOB_SUCCESSFUL for restore_copies). Required when trigger is \"sns\" or \"both\". It must be in this module's account and Region, since a DynamoDB backup can only be restored in its own Region."
  type        = string
  default     = null

  validation {
    condition     = var.backup_sns_topic_arn == null || can(regex("^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.backup_sns_topic_arn))
    error_message = "backup_sns_topic_arn must be the ARN of a standard (not FIFO) SNS topic, e.g. arn:aws:sns:us-east-1:123456789012:backup-events."
  }
}

################################################################################
# Triggers
################################################################################

variable "trigger" {
  description = "What starts a rotation: \"sns\" (AWS Backup's vault notifications on backup_sns_topic_arn), \"eventbridge\" (a rule on AWS Backup's events on the default event bus; no topic needed) or \"both\" (one execution per job, whichever arrives first; EventBridge delivery is best effort, so both is the most robust)."
  type        = string
  default     = "sns"
  nullable    = false

  validation {
    condition     = contains(["sns", "eventbridge", "both"], var.trigger)
    error_message = "trigger must be \"sns\", \"eventbridge\" or \"both\"."
  }
}

variable "restore_copies" {
  description = "Whether recovery points copied into this account and Region are rotated too: COPY_JOB notifications on SNS, Copy Job State Change COMPLETED on EventBridge. A copy is restored from the destination recovery point and named by its source table and its recovery point's creation date (which AWS Backup keeps from the source)."
  type        = bool
  default     = false
  nullable    = false
}

variable "copy_source_account_ids" {
  description = "Accounts that copy recovery points into this one and forward their Copy Job State Change events here (AWS Backup emits a cross-account copy's events in the source account only; modules/copy-event-forwarder sets up the forwarding there, to the copy_events_bus_arn output). The module creates that bus, lets these accounts put on it only AWS Backup's Copy Job State Change events, and its forwarded-copies rule takes their copies whose destination vault is in this account. Needs trigger \"eventbridge\" or \"both\" and restore_copies."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.copy_source_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "copy_source_account_ids must be 12-digit AWS account IDs."
  }
}

################################################################################
# Rotation behaviour (the original SAR application's parameters)
################################################################################

variable "source_pattern" {
  description = "Regular expression (RE2/Go syntax, as in the original application) matched against the backed-up table's name; only matching tables are restored."
  type        = string
  default     = "(?i)-production$"
  nullable    = false

  validation {
    # regexall() uses Go's regexp package, the same RE2 dialect the original used.
    condition     = length(var.source_pattern) > 0 && can(regexall(var.source_pattern, ""))
    error_message = "source_pattern must be a non-empty, valid RE2 regular expression."
  }
}

variable "replacement_pattern" {
  description = "Replacement applied to every match of source_pattern in the table name (Go regexp.ReplaceAllString semantics: $1, $${name}, $0, $$). The backup job's start time is appended as -YYYYMMDD-HH-MM-SS."
  type        = string
  default     = "-staging"
  nullable    = false

  validation {
    # Group references expand to parts of the table name; any other character must be
    # one DynamoDB allows in a table name, or every copy's name would be rejected.
    condition     = can(regex("^[A-Za-z0-9_.{}$-]*$", var.replacement_pattern))
    error_message = "replacement_pattern may contain only the characters DynamoDB allows in table names (a-z, A-Z, 0-9, _, -, .) and group references ($1, $${1}, $name, $${name}, $$)."
  }
}

variable "ssm_parameter_name" {
  description = "SSM parameter (type String) to set to the new table's ARN once the copy is checked, e.g. \"/staging/database-arn\". It may hold placeholders, so one rotator serves many tables, each with its own parameter: {source_table} (the source table's name) and {target_base} (the copy's name without its time suffix), e.g. \"/staging/{source_table}/table-arn\". The parameter never moves back to an older copy of the same table. null: no parameter is written and the function gets no SSM permission."
  type        = string
  default     = null

  validation {
    condition = var.ssm_parameter_name == null ? true : (
      length(replace(replace(var.ssm_parameter_name, "{source_table}", "x"), "{target_base}", "x")) <= 1011 &&
      can(regex("^[a-zA-Z0-9_./-]+$", replace(replace(var.ssm_parameter_name, "{source_table}", "x"), "{target_base}", "x"))) &&
      !can(regex("^/?(?i:aws|ssm)", var.ssm_parameter_name)) &&
      (!strcontains(var.ssm_parameter_name, "/") || startswith(var.ssm_parameter_name, "/")) &&
      !strcontains(var.ssm_parameter_name, "//") &&
      !endswith(var.ssm_parameter_name, "/") &&
      length(regexall("/", var.ssm_parameter_name)) <= 15
    )
    error_message = "ssm_parameter_name must follow SSM's naming rules: 1 to 1011 characters of a-zA-Z0-9_.-/ (besides the placeholders {source_table} and {target_base}; no other braces), not starting with \"aws\" or \"ssm\" (with or without a leading /), a leading / when it has a hierarchy, no empty or trailing path segment, at most 15 levels."
  }
}

variable "ssm_parameter_tier" {
  description = "Tier of the SSM parameter: \"Standard\", \"Advanced\" or \"Intelligent-Tiering\". null leaves it to SSM (Standard for a new parameter)."
  type        = string
  default     = null

  validation {
    condition     = var.ssm_parameter_tier == null || contains(["Standard", "Advanced", "Intelligent-Tiering"], coalesce(var.ssm_parameter_tier, "Standard"))
    error_message = "ssm_parameter_tier must be \"Standard\", \"Advanced\" or \"Intelligent-Tiering\"."
  }
}

variable "ssm_parameter_tags" {
  description = "Tags put on the SSM parameter each time it moves (AddTagsToResource; PutParameter cannot tag a parameter it overwrites). {}: none, and the publish function gets no tagging permission."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(var.ssm_parameter_tags) <= 50 && alltrue([for key, value in var.ssm_parameter_tags : length(key) >= 1 && length(key) <= 128 && length(value) <= 256 && !startswith(lower(key), "aws:")])
    error_message = "ssm_parameter_tags: at most 50 tags, keys of 1 to 128 characters not starting with \"aws:\", values of at most 256 characters."
  }
}

variable "ssm_parameter_description" {
  description = "Description written with the SSM parameter each time it moves (up to 1,024 characters). null: none."
  type        = string
  default     = null

  validation {
    condition     = var.ssm_parameter_description == null || length(coalesce(var.ssm_parameter_description, "x")) <= 1024
    error_message = "ssm_parameter_description must be at most 1,024 characters."
  }
}

variable "keep_last" {
  description = "How many copies of each source table the rotator keeps: after Publish, the Cleanup step deletes this rotator's older copies of the rotation's source table beyond the newest keep_last (docs/lifecycle-and-cleanup.md: Cleanup). Only tables the rotator's ledger of copies records as its copies of that table (and whose DynamoDB TableId is the one recorded) are ever deleted, whatever their tags; copies of rotations that never published are deleted once restore_timeout_seconds plus a day have passed; never the source table, the table the parameter names, the copy just published (which counts as one of the keep_last) or a table with deletion protection. null (the default): nothing is ever deleted, and the module has no Cleanup state or function."
  type        = number
  default     = null

  validation {
    condition     = var.keep_last == null ? true : var.keep_last >= 1 && floor(var.keep_last) == var.keep_last
    error_message = "keep_last must be a whole number of copies, at least 1 (the copy just published is one of them), or null to delete nothing."
  }
}

variable "max_age_days" {
  description = "With keep_last: copies older than this many days (by their restored-at tag) are deleted too, even among the newest keep_last; the newest copy, the copy just published and the table the parameter names stay whatever their age, so a table whose backups stopped keeps one copy. null (the default): only keep_last counts. Requires keep_last."
  type        = number
  default     = null

  validation {
    condition     = var.max_age_days == null ? true : var.max_age_days >= 1 && floor(var.max_age_days) == var.max_age_days
    error_message = "max_age_days must be a whole number of days, at least 1, or null for no age limit."
  }
}

variable "poll_interval_seconds" {
  description = "Seconds between the first two checks of a restore (the first is made as soon as it starts); each later wait is twice as long as the one before, up to max_poll_interval_seconds. Each check costs one state transition and one Lambda invocation."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.poll_interval_seconds >= 5 && var.poll_interval_seconds <= 3600 && floor(var.poll_interval_seconds) == var.poll_interval_seconds
    error_message = "poll_interval_seconds must be a whole number from 5 to 3600."
  }
}

variable "max_poll_interval_seconds" {
  description = "Longest wait between two checks of a restore in progress, so the most a finished copy waits to be noticed. Must be at least poll_interval_seconds."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = var.max_poll_interval_seconds >= 5 && var.max_poll_interval_seconds <= 3600 && floor(var.max_poll_interval_seconds) == var.max_poll_interval_seconds
    error_message = "max_poll_interval_seconds must be a whole number from 5 to 3600."
  }
}

variable "restore_job_wait" {
  description = "How a rotation waits for an AWS Backup restore job (advanced recovery points and copies): \"event\" (the default) sleeps until the job's Restore Job State Change wakes it, with a look at the job every restore_event_timeout_seconds in case the best-effort event is lost; this adds a DynamoDB table of waiting task tokens, a function and an EventBridge rule. \"poll\" checks it like a DynamoDB restore. DynamoDB restores are always polled (they send no event)."
  type        = string
  default     = "event"
  nullable    = false

  validation {
    condition     = contains(["event", "poll"], var.restore_job_wait)
    error_message = "restore_job_wait must be \"event\" or \"poll\"."
  }
}

variable "restore_event_timeout_seconds" {
  description = "With restore_job_wait = \"event\": how long a rotation sleeps waiting for its restore job's event before it looks at the job itself, and again after each look. EventBridge delivery is best effort, so this is how late a finished copy can be noticed if its event is lost; each look costs one state transition and one Lambda invocation."
  type        = number
  default     = 900
  nullable    = false

  validation {
    condition     = var.restore_event_timeout_seconds >= 60 && var.restore_event_timeout_seconds <= 86400 && floor(var.restore_event_timeout_seconds) == var.restore_event_timeout_seconds
    error_message = "restore_event_timeout_seconds must be a whole number from 60 to 86400 (one day)."
  }
}

variable "restore_timeout_seconds" {
  description = "Seconds after the restore started at which the rotation gives up waiting for the copy (the execution fails with RestoreTimedOut). The default, 24 hours, covers large tables. Must be at least poll_interval_seconds, and at most 8,000 times max_poll_interval_seconds so the execution history stays under its 25,000-event cap."
  type        = number
  default     = 86400
  nullable    = false

  validation {
    # 31536000 s (one year) is the longest a Standard workflow execution may run.
    condition     = var.restore_timeout_seconds >= 60 && var.restore_timeout_seconds <= 31536000 && floor(var.restore_timeout_seconds) == var.restore_timeout_seconds
    error_message = "restore_timeout_seconds must be a whole number from 60 to 31536000 (one year, the longest a Standard workflow can run)."
  }
}

variable "restore_kms_key_arns" {
  description = "ARNs of customer managed KMS keys that encrypt source tables (and so their backups). The start-restore function gets the key usage DynamoDB needs for a restore, limited to calls made through DynamoDB in this Region. Leave empty for tables using AWS owned or AWS managed keys."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.restore_kms_key_arns : can(regex("^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", arn))])
    error_message = "Each restore_kms_key_arns entry must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), not an alias."
  }
}

variable "restore_role_arn" {
  description = "ARN of the IAM role AWS Backup uses to restore an AWS Backup (advanced) recovery point (StartRestoreJob's IamRoleArn); it must trust backup.amazonaws.com. null: the module creates \"<name>-restore\" with AWS's managed policy AWSBackupServiceRolePolicyForRestores (and, with restore_kms_key_arns, the use of those keys through DynamoDB). The start-restore function may pass only this role, and only to AWS Backup."
  type        = string
  default     = null

  validation {
    condition     = var.restore_role_arn == null || can(regex("^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/.+$", var.restore_role_arn))
    error_message = "restore_role_arn must be an IAM role ARN (arn:<partition>:iam::<account>:role/<path><name>)."
  }
}

variable "copy_source_tags" {
  description = "Whether a restore through AWS Backup (StartRestoreJob) copies the tags included in the recovery point to the copy (CopySourceTagsToRestoredResource). The restore role the module creates then also gets dynamodb:TagResource on the copies' names, which AWS's managed restore policy lacks; a restore_role_arn of your own needs it too. RestoreTableFromBackup (classic backups) copies no tags."
  type        = bool
  default     = false
  nullable    = false
}

variable "restore_settings" {
  description = <<-EOT
    How each copy is restored (docs/lifecycle-and-cleanup.md: Restore settings). Every attribute is optional; unset keeps what the backup has.
    - billing_mode: "PAY_PER_REQUEST" (on demand) or "PROVISIONED"; null keeps the backup's (a provisioned table's copy keeps its capacity as of the backup).
    - read_capacity, write_capacity: capacity units of the copy, both required with billing_mode = "PROVISIONED" and only then.
    - encryption: "AWS_OWNED" (DynamoDB's own key), "AWS_MANAGED" (alias/aws/dynamodb) or "CUSTOMER_MANAGED" (kms_key_arn, a key of this Region, which the start-restore function and the restore role the module creates may then use through DynamoDB); null names none in the restore request (RestoreTableFromBackup keeps the backup's, AWS Backup chooses), except for a recovery point copied from another Region or account, which is restored with "AWS_OWNED".
    - exclude_global_secondary_indexes: restore without the source's global secondary indexes (default false).
    - global_secondary_indexes: the global secondary indexes the copy keeps, each by name or glob pattern ("*" any characters, "?" one); null (the default) keeps them all, [] none (as exclude_global_secondary_indexes = true, which is not given with it).
    - local_secondary_indexes: the local secondary indexes the copy keeps, the same way; null (the default) keeps them all. RestoreTableFromBackup leaves the others out; StartRestoreJob cannot, and UpdateTable cannot remove a local index, so a copy of an AWS Backup recovery point keeps them all, and the rotation fails before Publish unless copy_settings.best_effort names "local_secondary_indexes".
    - index_capacity: read_capacity and write_capacity of the copy's global secondary indexes, keyed by index name or glob pattern; an index takes the first key, in sorted order, that matches its name. Only with billing_mode = "PROVISIONED"; null (the default): none.
    RestoreTableFromBackup (classic backups) sets all of them at restore time. StartRestoreJob (AWS Backup recovery points) sets only the encryption: the billing mode, the capacity and leaving out the indexes are applied right after the restore with UpdateTable, by the Configure step (docs/lifecycle-and-cleanup.md: Restore settings).
  EOT
  type = object({
    billing_mode                     = optional(string)
    read_capacity                    = optional(number)
    write_capacity                   = optional(number)
    encryption                       = optional(string)
    kms_key_arn                      = optional(string)
    exclude_global_secondary_indexes = optional(bool, false)
    global_secondary_indexes         = optional(list(string))
    local_secondary_indexes          = optional(list(string))
    index_capacity = optional(map(object({
      read_capacity  = number
      write_capacity = number
    })))
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.restore_settings.billing_mode == null ? true : contains(["PROVISIONED", "PAY_PER_REQUEST"], var.restore_settings.billing_mode)
    error_message = "restore_settings.billing_mode must be \"PROVISIONED\" or \"PAY_PER_REQUEST\", or null to keep the backup's billing mode."
  }

  validation {
    condition = alltrue([
      for capacity in [var.restore_settings.read_capacity, var.restore_settings.write_capacity] :
      capacity == null ? true : capacity >= 1 && floor(capacity) == capacity
    ])
    error_message = "restore_settings.read_capacity and write_capacity must be whole numbers of capacity units, at least 1."
  }

  validation {
    condition     = var.restore_settings.billing_mode != "PROVISIONED" || (var.restore_settings.read_capacity != null && var.restore_settings.write_capacity != null)
    error_message = "restore_settings.billing_mode = \"PROVISIONED\" needs read_capacity and write_capacity (capacity units of the copy)."
  }

  validation {
    condition     = var.restore_settings.billing_mode == "PROVISIONED" || (var.restore_settings.read_capacity == null && var.restore_settings.write_capacity == null)
    error_message = "restore_settings.read_capacity and write_capacity are only given with billing_mode = \"PROVISIONED\" (an on-demand copy, or one that keeps the backup's billing mode, takes no capacity)."
  }

  validation {
    condition     = var.restore_settings.encryption == null ? true : contains(["AWS_OWNED", "AWS_MANAGED", "CUSTOMER_MANAGED"], var.restore_settings.encryption)
    error_message = "restore_settings.encryption must be \"AWS_OWNED\", \"AWS_MANAGED\" or \"CUSTOMER_MANAGED\" (with kms_key_arn), or null to keep the backup's."
  }

  validation {
    condition     = (var.restore_settings.encryption == "CUSTOMER_MANAGED") == (var.restore_settings.kms_key_arn != null)
    error_message = "restore_settings.kms_key_arn is required with encryption = \"CUSTOMER_MANAGED\" and only then; for the AWS managed key alias/aws/dynamodb use encryption = \"AWS_MANAGED\" without a key."
  }

  validation {
    condition     = var.restore_settings.kms_key_arn == null || can(regex("^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.restore_settings.kms_key_arn))
    error_message = "restore_settings.kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), not an alias or a key id: IAM grants key usage on key ARNs."
  }

  validation {
    condition     = var.restore_settings.global_secondary_indexes == null ? true : !var.restore_settings.exclude_global_secondary_indexes
    error_message = "restore_settings.global_secondary_indexes and exclude_global_secondary_indexes = true both say which global indexes the copy keeps: give one. global_secondary_indexes = [] keeps none, as exclude_global_secondary_indexes = true does."
  }

  validation {
    condition = alltrue([
      for pattern in concat(coalesce(var.restore_settings.global_secondary_indexes, []), coalesce(var.restore_settings.local_secondary_indexes, []), keys(coalesce(var.restore_settings.index_capacity, {}))) :
      can(regex("^[a-zA-Z0-9_.*?-]{1,255}$", pattern))
    ])
    error_message = "restore_settings.global_secondary_indexes, local_secondary_indexes and the keys of index_capacity must be index names (a-z, A-Z, 0-9, _ . -, at most 255 characters) or glob patterns of them (\"*\" any characters, \"?\" one). Not accepted: ${join(", ", [for pattern in concat(coalesce(var.restore_settings.global_secondary_indexes, []), coalesce(var.restore_settings.local_secondary_indexes, []), try(keys(var.restore_settings.index_capacity), [])) : jsonencode(pattern) if !can(regex("^[a-zA-Z0-9_.*?-]{1,255}$", pattern))])}."
  }

  validation {
    condition     = var.restore_settings.index_capacity == null ? true : (length(var.restore_settings.index_capacity) == 0 || var.restore_settings.billing_mode == "PROVISIONED")
    error_message = "restore_settings.index_capacity is given only with billing_mode = \"PROVISIONED\": an on-demand copy, or one that keeps the backup's billing mode, takes no capacity."
  }

  validation {
    condition = alltrue([
      for capacity in values(coalesce(var.restore_settings.index_capacity, {})) :
      alltrue([for units in [capacity.read_capacity, capacity.write_capacity] : units == null ? false : units >= 1 && floor(units) == units])
    ])
    error_message = "restore_settings.index_capacity's read_capacity and write_capacity must be whole numbers of capacity units, at least 1. Not accepted: ${try(join(", ", [for pattern, capacity in var.restore_settings.index_capacity : "${jsonencode(pattern)} (read_capacity = ${coalesce(capacity.read_capacity, "null")}, write_capacity = ${coalesce(capacity.write_capacity, "null")})" if !alltrue([for units in [capacity.read_capacity, capacity.write_capacity] : units == null ? false : units >= 1 && floor(units) == units])]), "")}."
  }
}

################################################################################
# Lambda functions
################################################################################

variable "copy_settings" {
  description = <<-EOT
    What each copy gets after its restore (a restore carries none of it), applied by the Configure step before the built-in check, the hooks and the pointer:
    - copy_source_ttl: the source table's TTL (attribute and status);
    - copy_source_streams: the source table's Streams setting (enabled, view type);
    - point_in_time_recovery: point-in-time recovery on the copy (billed per GB-month);
    - deletion_protection: deletion protection on the copy. Cleanup never turns it off, so protected copies are kept (and logged) whatever keep_last says.
    The settings below are off by default (null, best_effort []): the copy keeps what the restore gave it, which is what a staging copy usually wants, since each of them costs money or connects the copy to something else. All but kinesis_stream_arn are given either as the source has it ("SOURCE", or from_source = true: read from the source table when the rotation runs) or as a value of their own:
    - table_class: "SOURCE", "STANDARD" or "STANDARD_INFREQUENT_ACCESS".
    - on_demand_throughput: the most request units per second an on-demand copy may use: { from_source = true } or max_read_request_units and/or max_write_request_units (whole numbers, at least 1, or -1 for no maximum).
    - warm_throughput: the read and write units per second the copy is ready for at once (billed when raised): { from_source = true } (which also warms each global index the copy keeps as the source's is) or read_units_per_second and/or write_units_per_second (whole numbers, at least 1).
    - point_in_time_recovery_period: the recovery period of the copy's point-in-time recovery, with point_in_time_recovery = true only: { from_source = true } or days (1 to 35).
    - resource_policy: a resource-based policy on the copy: { from_source = true } (the source's, with the source table's ARN replaced by the copy's) or policy (a JSON policy document in which the text {copy_table_arn} stands for the copy's table ARN, at most 20,480 characters; it reaches the Configure function as an environment variable, and a plan refuses a function whose environment variables exceed Lambda's 4 KB in all).
    - auto_scaling: Application Auto Scaling of a provisioned copy's read and write capacity, for the table and each global index it keeps: { from_source = true } or all of min_capacity (at least 1), max_capacity (at least min_capacity) and target_utilization (20 to 90 percent). Application Auto Scaling's permissions cannot name a table, so the Configure function's role may then register scalable targets and scaling policies of any DynamoDB table in this account and Region (iam.tf), and the Cleanup and DiscardRefusedCopy functions' may deregister them (a deleted copy's targets are deregistered).
    - contributor_insights: CloudWatch Contributor Insights on the copy and its indexes (billed per event): "SOURCE" or "ENABLED".
    - kinesis_stream_arn: a Kinesis data stream the copy's item changes are sent to (Kinesis Data Streams for DynamoDB). There is no "as the source": the source's destination is production's stream.
    - best_effort: the names of settings that may fail without failing the rotation: table_class, on_demand_throughput, warm_throughput, point_in_time_recovery_period, resource_policy, auto_scaling, contributor_insights, kinesis_stream_arn and local_secondary_indexes (restore_settings). A setting named here that cannot be applied is logged as a WARNING and the rotation goes on; any other fails the rotation before Publish. [] (the default): every setting must be applied.
    Tags are always applied: the module's tags, the source table's with copy_source_tags, and the rotator's bookkeeping tags. Settings copied from the source are skipped (and logged) when the source cannot be read: deleted, or in another account (a cross-account copy).
  EOT
  type = object({
    copy_source_ttl        = optional(bool, false)
    copy_source_streams    = optional(bool, false)
    point_in_time_recovery = optional(bool, false)
    deletion_protection    = optional(bool, false)
    table_class            = optional(string)
    on_demand_throughput = optional(object({
      from_source             = optional(bool, false)
      max_read_request_units  = optional(number)
      max_write_request_units = optional(number)
    }))
    warm_throughput = optional(object({
      from_source            = optional(bool, false)
      read_units_per_second  = optional(number)
      write_units_per_second = optional(number)
    }))
    point_in_time_recovery_period = optional(object({
      from_source = optional(bool, false)
      days        = optional(number)
    }))
    resource_policy = optional(object({
      from_source = optional(bool, false)
      policy      = optional(string)
    }))
    auto_scaling = optional(object({
      from_source        = optional(bool, false)
      min_capacity       = optional(number)
      max_capacity       = optional(number)
      target_utilization = optional(number)
    }))
    contributor_insights = optional(string)
    kinesis_stream_arn   = optional(string)
    best_effort          = optional(list(string), [])
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.copy_settings.table_class == null ? true : contains(["SOURCE", "STANDARD", "STANDARD_INFREQUENT_ACCESS"], var.copy_settings.table_class)
    error_message = "copy_settings.table_class must be \"SOURCE\" (the source table's class), \"STANDARD\" or \"STANDARD_INFREQUENT_ACCESS\", or null to keep the restored copy's. Not accepted: ${jsonencode(var.copy_settings.table_class)}."
  }

  validation {
    condition     = var.copy_settings.on_demand_throughput == null ? true : var.copy_settings.on_demand_throughput.from_source != (var.copy_settings.on_demand_throughput.max_read_request_units != null || var.copy_settings.on_demand_throughput.max_write_request_units != null)
    error_message = "copy_settings.on_demand_throughput needs exactly one of from_source = true (the source table's maximums) or max_read_request_units and/or max_write_request_units (the copy's own); null leaves the restored copy's."
  }

  validation {
    condition = var.copy_settings.on_demand_throughput == null ? true : alltrue([
      for units in [var.copy_settings.on_demand_throughput.max_read_request_units, var.copy_settings.on_demand_throughput.max_write_request_units] :
      units == null ? true : floor(units) == units && (units >= 1 || units == -1)
    ])
    error_message = "copy_settings.on_demand_throughput.max_read_request_units and max_write_request_units must be whole numbers of request units, at least 1, or -1 for no maximum. Not accepted: ${try(join(", ", [for name, units in zipmap(["max_read_request_units", "max_write_request_units"], [var.copy_settings.on_demand_throughput.max_read_request_units, var.copy_settings.on_demand_throughput.max_write_request_units]) : "${name} = ${units}" if(units == null ? false : !(floor(units) == units && (units >= 1 || units == -1)))]), "")}."
  }

  validation {
    condition     = var.copy_settings.warm_throughput == null ? true : var.copy_settings.warm_throughput.from_source != (var.copy_settings.warm_throughput.read_units_per_second != null || var.copy_settings.warm_throughput.write_units_per_second != null)
    error_message = "copy_settings.warm_throughput needs exactly one of from_source = true (the source table's and its global indexes' warm throughput) or read_units_per_second and/or write_units_per_second (the copy's own); null leaves the restored copy's."
  }

  validation {
    condition = var.copy_settings.warm_throughput == null ? true : alltrue([
      for units in [var.copy_settings.warm_throughput.read_units_per_second, var.copy_settings.warm_throughput.write_units_per_second] :
      units == null ? true : floor(units) == units && units >= 1
    ])
    error_message = "copy_settings.warm_throughput.read_units_per_second and write_units_per_second must be whole numbers of units per second, at least 1. Not accepted: ${try(join(", ", [for name, units in zipmap(["read_units_per_second", "write_units_per_second"], [var.copy_settings.warm_throughput.read_units_per_second, var.copy_settings.warm_throughput.write_units_per_second]) : "${name} = ${units}" if(units == null ? false : !(floor(units) == units && units >= 1))]), "")}."
  }

  validation {
    condition     = var.copy_settings.point_in_time_recovery_period == null ? true : var.copy_settings.point_in_time_recovery_period.from_source != (var.copy_settings.point_in_time_recovery_period.days != null)
    error_message = "copy_settings.point_in_time_recovery_period needs exactly one of from_source = true (the source table's recovery period) or days (the copy's own); null leaves DynamoDB's default of 35 days."
  }

  validation {
    condition     = try(var.copy_settings.point_in_time_recovery_period.days, null) == null ? true : floor(var.copy_settings.point_in_time_recovery_period.days) == var.copy_settings.point_in_time_recovery_period.days && var.copy_settings.point_in_time_recovery_period.days >= 1 && var.copy_settings.point_in_time_recovery_period.days <= 35
    error_message = "copy_settings.point_in_time_recovery_period.days must be a whole number of days from 1 to 35. Not accepted: ${try(jsonencode(var.copy_settings.point_in_time_recovery_period.days), "null")}."
  }

  validation {
    condition     = var.copy_settings.point_in_time_recovery_period == null ? true : var.copy_settings.point_in_time_recovery
    error_message = "copy_settings.point_in_time_recovery_period is the recovery period of point-in-time recovery: give it with point_in_time_recovery = true, or leave it null."
  }

  validation {
    condition     = var.copy_settings.resource_policy == null ? true : var.copy_settings.resource_policy.from_source != (var.copy_settings.resource_policy.policy != null)
    error_message = "copy_settings.resource_policy needs exactly one of from_source = true (the source table's policy, naming the copy instead of the source) or policy (a JSON policy document of your own); null puts no policy on the copy."
  }

  validation {
    condition     = try(var.copy_settings.resource_policy.policy, null) == null ? true : can(keys(jsondecode(var.copy_settings.resource_policy.policy)))
    error_message = "copy_settings.resource_policy.policy must be a JSON policy document (an object, as jsonencode() or data.aws_iam_policy_document's json give it)."
  }

  validation {
    condition     = try(var.copy_settings.resource_policy.policy, null) == null ? true : length(var.copy_settings.resource_policy.policy) <= 20480
    error_message = "copy_settings.resource_policy.policy must be at most 20,480 characters, the largest resource-based policy DynamoDB accepts; it has ${try(length(var.copy_settings.resource_policy.policy), 0)}."
  }

  validation {
    condition = var.copy_settings.auto_scaling == null ? true : (
      var.copy_settings.auto_scaling.from_source
      ? var.copy_settings.auto_scaling.min_capacity == null && var.copy_settings.auto_scaling.max_capacity == null && var.copy_settings.auto_scaling.target_utilization == null
      : var.copy_settings.auto_scaling.min_capacity != null && var.copy_settings.auto_scaling.max_capacity != null && var.copy_settings.auto_scaling.target_utilization != null
    )
    error_message = "copy_settings.auto_scaling needs exactly one of from_source = true (the source table's scaling) or all three of min_capacity, max_capacity and target_utilization (the copy's own); null leaves the copy without auto scaling."
  }

  validation {
    condition = var.copy_settings.auto_scaling == null ? true : (
      var.copy_settings.auto_scaling.min_capacity == null || var.copy_settings.auto_scaling.max_capacity == null || var.copy_settings.auto_scaling.target_utilization == null ? true : (
        floor(var.copy_settings.auto_scaling.min_capacity) == var.copy_settings.auto_scaling.min_capacity && var.copy_settings.auto_scaling.min_capacity >= 1 &&
        floor(var.copy_settings.auto_scaling.max_capacity) == var.copy_settings.auto_scaling.max_capacity && var.copy_settings.auto_scaling.max_capacity >= var.copy_settings.auto_scaling.min_capacity &&
        var.copy_settings.auto_scaling.target_utilization >= 20 && var.copy_settings.auto_scaling.target_utilization <= 90
      )
    )
    error_message = "copy_settings.auto_scaling: min_capacity must be a whole number of capacity units, at least 1; max_capacity a whole number, at least min_capacity; target_utilization a percentage from 20 to 90 (DynamoDB's range). Given: min_capacity = ${try(jsonencode(var.copy_settings.auto_scaling.min_capacity), "null")}, max_capacity = ${try(jsonencode(var.copy_settings.auto_scaling.max_capacity), "null")}, target_utilization = ${try(jsonencode(var.copy_settings.auto_scaling.target_utilization), "null")}."
  }

  validation {
    condition     = var.copy_settings.contributor_insights == null ? true : contains(["SOURCE", "ENABLED"], var.copy_settings.contributor_insights)
    error_message = "copy_settings.contributor_insights must be \"SOURCE\" (as the source table and its indexes have it) or \"ENABLED\" (on the copy and its indexes), or null to leave it off. Not accepted: ${jsonencode(var.copy_settings.contributor_insights)}."
  }

  validation {
    condition     = var.copy_settings.kinesis_stream_arn == null ? true : can(regex("^arn:aws(-[a-z]+)*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[a-zA-Z0-9_.-]{1,128}$", var.copy_settings.kinesis_stream_arn))
    error_message = "copy_settings.kinesis_stream_arn must be a Kinesis data stream's ARN, arn:<partition>:kinesis:<region>:<account>:stream/<name>, e.g. arn:aws:kinesis:us-east-1:123456789012:stream/staging-changes; a stream name alone or a Firehose stream is not accepted. Not accepted: ${jsonencode(var.copy_settings.kinesis_stream_arn)}."
  }

  validation {
    condition     = alltrue([for name in var.copy_settings.best_effort : contains(["table_class", "on_demand_throughput", "warm_throughput", "point_in_time_recovery_period", "resource_policy", "auto_scaling", "contributor_insights", "kinesis_stream_arn", "local_secondary_indexes"], name)])
    error_message = "copy_settings.best_effort may name only table_class, on_demand_throughput, warm_throughput, point_in_time_recovery_period, resource_policy, auto_scaling, contributor_insights, kinesis_stream_arn and local_secondary_indexes. Not accepted: ${join(", ", [for name in var.copy_settings.best_effort : jsonencode(name) if !contains(["table_class", "on_demand_throughput", "warm_throughput", "point_in_time_recovery_period", "resource_policy", "auto_scaling", "contributor_insights", "kinesis_stream_arn", "local_secondary_indexes"], name)])}."
  }
}

variable "pass" {
  description = <<-EOT
    A pass over every item of each copy, after Configure and before the hooks and Publish; null (the default): no pass, and nothing of it is deployed. Step Functions' Distributed Map walks the copy's parallel Scan segments, one worker (the walk-segment function) per segment, which hands its position on before its time runs out, so a segment of any size finishes. Every item is counted (items and bytes), its key attributes checked, and, with mask rules, rewritten masked. A failed check stops the rotation before the pointer moves (CopyNotVerified, with the figures). Point-in-time recovery and Streams (copy_settings) are switched on only after the pass, and while it runs a resource-based policy closes the copy to every principal but the rotator's roles. README: "The pass".
    - segments: TotalSegments of the parallel Scan, 1 to 1,000; null: one per 256 MiB of the backup (its recorded size), at least 1.
    - max_concurrency: segments walked at once (MaxConcurrency), 1 to 10,000.
    - worker_memory_size: memory of the walk-segment function, in MB (128 to 10,240). The worker is CPU-bound and Lambda gives CPU in proportion to memory (a full vCPU at 1,769 MB), so more memory finishes sooner at about the same cost.
    - item_count_tolerance_percent: how far below the item count AWS recorded for the backup (DescribeBackup's ItemCount, refreshed by DynamoDB about every six hours) the copy's count may be, 0 to 100.
    - min_items: the fewest items a copy may hold.
    - key_attributes: the key attribute names of the tables rotated, so a plan refuses a rule that would mask one; the workers refuse such a rule against each copy's own key schema whatever this says.
    - mask: the rules, in order, each { path, action, value }. path: an attribute and, inside it, map keys after "." and list positions as [n] or [*] (every element), e.g. "address.street" or "contacts[*].phone". action: remove, set (the string value), null, redact (keeps the type), hash (HMAC-SHA-256 keyed by the secret), fake_email, fake_phone or fake_name (derived from that hash).
    - secret_ssm_parameter_name / secret_arn: the key of hash and fake_* rules: an SSM parameter (SecureString) or a Secrets Manager secret, read by each worker invocation once; exactly one is required with such a rule.
    - transform_function_arn: a Lambda function of yours the workers invoke with each page's items not yet passed, as the rules left them, for what rules cannot express; it answers with the items to write (docs/pass.md, Custom transforms). Pass an ARN built from names if the function's role depends on this module's roles.
  EOT
  type = object({
    segments                     = optional(number)
    max_concurrency              = optional(number, 32)
    worker_memory_size           = optional(number, 1769)
    item_count_tolerance_percent = optional(number, 10)
    min_items                    = optional(number, 0)
    key_attributes               = optional(list(string), [])
    mask = optional(list(object({
      path   = string
      action = string
      value  = optional(string)
    })), [])
    secret_ssm_parameter_name = optional(string)
    secret_arn                = optional(string)
    transform_function_arn    = optional(string)
  })
  default = null

  validation {
    condition     = var.pass == null ? true : var.pass.segments == null ? true : var.pass.segments >= 1 && var.pass.segments <= 1000 && floor(var.pass.segments) == var.pass.segments
    error_message = "pass.segments must be a whole number from 1 to 1,000 (each segment's totals come back in the Map state's result, which Step Functions caps at 256 KiB), or null to choose one segment per 256 MiB of the backup."
  }
  validation {
    condition     = var.pass == null ? true : var.pass.max_concurrency >= 1 && var.pass.max_concurrency <= 10000 && floor(var.pass.max_concurrency) == var.pass.max_concurrency
    error_message = "pass.max_concurrency must be a whole number from 1 to 10,000 (Step Functions runs at most 10,000 child executions of a Distributed Map at once)."
  }
  validation {
    condition     = var.pass == null ? true : var.pass.worker_memory_size >= 128 && var.pass.worker_memory_size <= 10240 && floor(var.pass.worker_memory_size) == var.pass.worker_memory_size
    error_message = "pass.worker_memory_size must be a whole number of MB from 128 to 10,240 (Lambda's limits)."
  }
  validation {
    condition     = var.pass == null ? true : var.pass.item_count_tolerance_percent >= 0 && var.pass.item_count_tolerance_percent <= 100
    error_message = "pass.item_count_tolerance_percent must be from 0 to 100: how far, in percent, the copy's item count may fall below the count AWS recorded for the backup."
  }
  validation {
    condition     = var.pass == null ? true : var.pass.min_items >= 0 && floor(var.pass.min_items) == var.pass.min_items
    error_message = "pass.min_items must be a whole number, at least 0."
  }
  validation {
    condition     = var.pass == null ? true : alltrue([for rule in var.pass.mask : contains(["remove", "set", "null", "redact", "hash", "fake_email", "fake_phone", "fake_name"], rule.action)])
    error_message = "Each pass.mask rule's action must be one of remove, set, null, redact, hash, fake_email, fake_phone, fake_name. Not accepted: ${try(join("; ", [for i, rule in var.pass.mask : "rule ${i + 1} (path ${jsonencode(rule.path)}): action ${jsonencode(rule.action)}" if !contains(["remove", "set", "null", "redact", "hash", "fake_email", "fake_phone", "fake_name"], rule.action)]), "")}."
  }
  validation {
    condition     = var.pass == null ? true : alltrue([for rule in var.pass.mask : can(regex("^[^.\\[\\]]+(\\.[^.\\[\\]]+|\\[([0-9]+|\\*)\\])*$", rule.path))])
    error_message = "Each pass.mask rule's path must be an attribute name followed by map keys (\".street\") and list positions (\"[0]\" or \"[*]\" for every element), e.g. \"address.street\" or \"contacts[*].phone\"; names may not be empty or hold \".\", \"[\" or \"]\". Not accepted: ${try(join("; ", [for i, rule in var.pass.mask : "rule ${i + 1}: path ${jsonencode(rule.path)}" if !can(regex("^[^.\\[\\]]+(\\.[^.\\[\\]]+|\\[([0-9]+|\\*)\\])*$", rule.path))]), "")}."
  }
  validation {
    condition     = var.pass == null ? true : alltrue([for rule in var.pass.mask : (rule.action == "set") == (rule.value != null)])
    error_message = "A pass.mask rule has a value if and only if its action is set (the string it writes). Not accepted: ${try(join("; ", [for i, rule in var.pass.mask : "rule ${i + 1} (path ${jsonencode(rule.path)}): action ${rule.action} ${rule.value == null ? "without" : "with"} a value" if(rule.action == "set") != (rule.value != null)]), "")}."
  }
  validation {
    condition     = var.pass == null ? true : alltrue([for rule in var.pass.mask : rule.action != "remove" || !endswith(rule.path, "]")])
    error_message = "A pass.mask rule that removes must name a map key or an attribute, not a list position (removing an element would move the ones after it); use null or redact for a list element. Not accepted: ${try(join("; ", [for i, rule in var.pass.mask : "rule ${i + 1}: path ${jsonencode(rule.path)}" if rule.action == "remove" && endswith(rule.path, "]")]), "")}."
  }
  validation {
    condition     = var.pass == null ? true : alltrue([for rule in var.pass.mask : !contains(concat(var.pass.key_attributes, ["rotator:masked"]), try(regex("^[^.\\[\\]]+", rule.path), rule.path))])
    error_message = "A pass.mask rule may not name a key attribute of the table (pass.key_attributes): DynamoDB identifies an item by its key, so a masked key would be a new item, not a masked one; nor rotator:masked, the mark the pass writes. Mask the key in the source, or leave it. Not accepted: ${try(join("; ", [for i, rule in var.pass.mask : "rule ${i + 1}: path ${jsonencode(rule.path)}" if contains(concat(var.pass.key_attributes, ["rotator:masked"]), try(regex("^[^.\\[\\]]+", rule.path), rule.path))]), "")}."
  }
  validation {
    condition     = var.pass == null ? true : length(distinct([for rule in var.pass.mask : rule.path])) == length(var.pass.mask)
    error_message = "Each pass.mask rule must have a path of its own; two rules on one path would mask a masked value. Repeated: ${try(join(", ", distinct([for rule in var.pass.mask : jsonencode(rule.path) if length([for other in var.pass.mask : other if other.path == rule.path]) > 1])), "")}."
  }
  validation {
    condition     = var.pass == null ? true : (length([for rule in var.pass.mask : rule if contains(["hash", "fake_email", "fake_phone", "fake_name"], rule.action)]) > 0) == ((var.pass.secret_ssm_parameter_name != null) || (var.pass.secret_arn != null))
    error_message = "pass: hash and fake_* rules need the key of their HMAC, and only they use one: name exactly one of secret_ssm_parameter_name or secret_arn with such a rule, and neither without one."
  }
  validation {
    condition     = var.pass == null ? true : !(var.pass.secret_ssm_parameter_name != null && var.pass.secret_arn != null)
    error_message = "pass: name the key's secret once, as secret_ssm_parameter_name (an SSM parameter) or secret_arn (a Secrets Manager secret), not both."
  }
  validation {
    condition     = var.pass == null ? true : var.pass.transform_function_arn == null ? true : can(regex("^arn:aws(-[a-z]+)*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:(\\$LATEST|[A-Za-z0-9_-]{1,128}))?$", var.pass.transform_function_arn))
    error_message = "pass.transform_function_arn must be a Lambda function ARN, arn:<partition>:lambda:<region>:<account>:function:<name>, optionally with a version or alias qualifier."
  }
  validation {
    condition     = var.pass == null ? true : var.pass.secret_arn == null ? true : can(regex("^arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$", var.pass.secret_arn))
    error_message = "pass.secret_arn must be a Secrets Manager secret's ARN, arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>."
  }
  validation {
    condition     = var.pass == null ? true : var.pass.secret_ssm_parameter_name == null ? true : can(regex("^/?[A-Za-z0-9_./-]+$", var.pass.secret_ssm_parameter_name)) && length(var.pass.secret_ssm_parameter_name) <= 2048 && !strcontains(var.pass.secret_ssm_parameter_name, "//")
    error_message = "pass.secret_ssm_parameter_name must be an SSM parameter name (a-z, A-Z, 0-9, _ . - /, e.g. /rotator/mask-key), not an ARN."
  }
}

variable "lambda_runtime" {
  description = "Python runtime of the functions."
  type        = string
  default     = "python3.12"
  nullable    = false

  validation {
    condition     = contains(["python3.11", "python3.12", "python3.13"], var.lambda_runtime)
    error_message = "lambda_runtime must be one of python3.11, python3.12, python3.13."
  }
}

variable "lambda_architecture" {
  description = "Instruction set of the functions. arm64 (Graviton) is cheaper per GB-second; the code is pure Python, so both work."
  type        = string
  default     = "arm64"
  nullable    = false

  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_architecture)
    error_message = "lambda_architecture must be arm64 or x86_64."
  }
}

variable "lambda_memory_size" {
  description = "Memory of each function, in MB."
  type        = number
  default     = 256
  nullable    = false

  validation {
    condition     = var.lambda_memory_size >= 128 && var.lambda_memory_size <= 10240 && floor(var.lambda_memory_size) == var.lambda_memory_size
    error_message = "lambda_memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "lambda_timeout" {
  description = "Timeout of each function, in seconds."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.lambda_timeout >= 1 && var.lambda_timeout <= 900 && floor(var.lambda_timeout) == var.lambda_timeout
    error_message = "lambda_timeout must be a whole number of seconds from 1 to 900."
  }
}

variable "lambda_log_level" {
  description = "Application log level of the functions (Lambda's advanced logging controls filter the JSON logs at this level)."
  type        = string
  default     = "INFO"
  nullable    = false

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.lambda_log_level)
    error_message = "lambda_log_level must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL."
  }
}

variable "lambda_kms_key_arn" {
  description = "ARN of a customer managed KMS key to encrypt the functions' environment variables at rest. null: Lambda's AWS managed key. The variables hold no secrets (ARNs, patterns, numbers)."
  type        = string
  default     = null

  validation {
    condition     = var.lambda_kms_key_arn == null || can(regex("^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.lambda_kms_key_arn))
    error_message = "lambda_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>)."
  }
}

variable "create_trigger_dead_letter_queue" {
  description = "Whether the module creates the trigger's dead-letter queue \"<name>-trigger-dlq\" (SQS-managed encryption, messages kept 14 days), so that a notification the trigger failed on is kept. Set false to give trigger_dead_letter_target_arn instead."
  type        = bool
  default     = true
  nullable    = false
}

variable "trigger_dead_letter_target_arn" {
  description = "ARN of an SQS queue or SNS topic that receives a notification the trigger function failed on after Lambda's two asynchronous retries. The trigger's role gets sqs:SendMessage or sns:Publish on it; an encrypted target also needs its key policy to allow that role. Give one only with create_trigger_dead_letter_queue = false; null with that: no dead-letter target, and such an event is dropped."
  type        = string
  default     = null

  validation {
    condition     = var.trigger_dead_letter_target_arn == null || (can(regex("^arn:aws(-[a-z]+)*:(sqs|sns):[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]+$", var.trigger_dead_letter_target_arn)) && !endswith(coalesce(var.trigger_dead_letter_target_arn, "-"), ".fifo"))
    error_message = "trigger_dead_letter_target_arn must be the ARN of a standard (not FIFO) SQS queue or SNS topic: Lambda's dead-letter target for asynchronous invocations cannot be FIFO."
  }
}

################################################################################
# Logging and tracing
################################################################################

variable "log_retention_in_days" {
  description = "Retention of the log groups (one per function, one for the state machine), in days. 0 keeps logs forever."
  type        = number
  default     = 365
  nullable    = false

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of CloudWatch Logs' values: 0 (never expire), 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of a customer managed KMS key to encrypt the log groups. Its key policy must allow the logs.<region>.amazonaws.com service principal. null: CloudWatch Logs' default encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>)."
  }
}

variable "tracing_enabled" {
  description = "Whether to enable AWS X-Ray active tracing on the functions and the state machine (and grant the X-Ray write permissions it needs)."
  type        = bool
  default     = true
  nullable    = false
}

variable "state_machine_log_level" {
  description = "Which execution history events the state machine sends to its log group."
  type        = string
  default     = "ERROR"
  nullable    = false

  validation {
    condition     = contains(["ALL", "ERROR", "FATAL", "OFF"], var.state_machine_log_level)
    error_message = "state_machine_log_level must be one of ALL, ERROR, FATAL, OFF."
  }
}

variable "state_machine_include_execution_data" {
  description = "Whether the state machine's log events include execution input and output (backup and table ARNs, no item data)."
  type        = bool
  default     = true
  nullable    = false
}

variable "alarms" {
  description = "CloudWatch alarms on failed rotations (the state machine's ExecutionsFailed), timed-out and aborted executions, on messages waiting in the module's dead-letter queue, and (with restore_job_wait = \"event\") on errors of the restore-events function, such as a refused states:SendTaskSuccess, each notifying alarm_actions. enabled = false creates none."
  type = object({
    enabled       = optional(bool, false)
    alarm_actions = optional(list(string), [])
    ok_actions    = optional(list(string), [])
  })
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for arn in concat(var.alarms.alarm_actions, var.alarms.ok_actions) : startswith(arn, "arn:")])
    error_message = "alarms.alarm_actions and alarms.ok_actions must be ARNs (an SNS topic, for example)."
  }
}

variable "notification_topic_arn" {
  description = "ARN of a standard SNS topic, in this module's Region, to which every failed rotation publishes one JSON message: the step that failed, Error and Cause, the execution, the backup and the copy when one was named (docs/how-a-rotation-works.md: When a rotation fails). The state machine's role gets sns:Publish on this topic only. null: no notification, and the definition holds no publish state."
  type        = string
  default     = null

  validation {
    condition     = var.notification_topic_arn == null || (can(regex("^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.notification_topic_arn)))
    error_message = "notification_topic_arn must be the ARN of a standard SNS topic, arn:<partition>:sns:<region>:<account>:<topic name> (letters, digits, - and _), e.g. arn:aws:sns:us-east-1:123456789012:rotation-failures. A topic name alone, a subscription ARN or a FIFO topic (.fifo, which needs a message group) is not accepted."
  }
}

variable "notification_topic_kms_key_arn" {
  description = "ARN of the customer managed KMS key that encrypts notification_topic_arn, if it has one. The state machine's role gets kms:GenerateDataKey* and kms:Decrypt on it, only through SNS in this Region; the key policy must also allow that role (or delegate to IAM). null: the topic is unencrypted or uses the AWS managed key alias/aws/sns."
  type        = string
  default     = null

  validation {
    condition     = var.notification_topic_kms_key_arn == null || can(regex("^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.notification_topic_kms_key_arn))
    error_message = "notification_topic_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), not an alias or a key id: IAM grants key usage on key ARNs."
  }
}

################################################################################
# Hooks: functions of your own that check or prepare the copy before Publish
################################################################################

variable "hooks" {
  description = "ARNs of Lambda functions invoked one after the other, in this order, once the copy is ready and before the SSM parameter moves (docs/hooks.md), each with a versioned JSON payload naming the copy, its source table and the recovery point. A hook that raises fails the rotation: later hooks do not run and the parameter is left unchanged. Each is invoked as given (an unqualified ARN invokes $LATEST; a :version or :alias qualifier that version or alias), and the state machine's role may invoke exactly these ARNs. Each costs one state transition and one Lambda invocation per rotation, plus two transitions for the step itself. []: no hook, and the definition holds no hook state."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.hooks : can(regex("^arn:aws(-[a-z]+)*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:(\\$LATEST|[A-Za-z0-9_-]{1,128}))?$", arn))])
    error_message = "Each hooks entry must be a Lambda function ARN, arn:<partition>:lambda:<region>:<account>:function:<name>, optionally with a version or alias qualifier (:3, :live, :$LATEST), e.g. arn:aws:lambda:us-east-1:123456789012:function:check-copy; a function name alone, a partial ARN or a layer ARN is not accepted. Not accepted: ${join(", ", [for arn in var.hooks : jsonencode(arn) if !can(regex("^arn:aws(-[a-z]+)*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:(\\$LATEST|[A-Za-z0-9_-]{1,128}))?$", arn))])}."
  }
}

variable "delete_copy_on_hook_failure" {
  description = "Whether a copy that a hook refused is deleted (the DiscardRefusedCopy step, docs/hooks.md) rather than left for you to look at. It is deleted only if the rotator's ledger of copies records it as this rotation's copy (and its TableId is the one recorded), the parameter does not name it and it has no deletion protection; the rotation fails with the hook's error either way. Needs hooks. false (the default): the refused copy is left as it is, and the module has no such state or function."
  type        = bool
  default     = false
  nullable    = false
}

################################################################################
# IAM and tagging
################################################################################

variable "role_path" {
  description = "Path of the IAM roles (the functions, the state machine, and the restore role the module creates unless restore_role_arn is set)."
  type        = string
  default     = "/"
  nullable    = false

  validation {
    condition     = length(var.role_path) <= 512 && can(regex("^/([!-~]+/)?$", var.role_path))
    error_message = "role_path must start and end with / and contain only printable ASCII characters (at most 512)."
  }
}

variable "role_permissions_boundary" {
  description = "ARN of the managed policy set as permissions boundary on the IAM roles (those role_path names). null: no boundary."
  type        = string
  default     = null

  validation {
    condition     = var.role_permissions_boundary == null || can(regex("^arn:aws(-[a-z]+)*:iam::([0-9]{12}|aws):policy/.+$", var.role_permissions_boundary))
    error_message = "role_permissions_boundary must be an IAM managed policy ARN (arn:<partition>:iam::<account>:policy/<name>)."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource (functions, roles, log groups, state machine)."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition = length(var.tags) <= 50 && alltrue([
      for key, value in var.tags :
      length(key) >= 1 && length(key) <= 128 && length(value) <= 256 && !startswith(lower(key), "aws:")
    ])
    error_message = "tags: at most 50, keys of 1 to 128 characters not starting with \"aws:\", values of at most 256 characters (AWS tagging limits)."
  }
}
