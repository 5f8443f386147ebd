{
  "Comment": "DynamoDB Backup Rotator: restore a finished backup into a new table, wait until it is ready, check it, then point the SSM parameter at it and, with keep_last, delete old copies. Input: {\"backup\": {...}} as started by the trigger function. Each step writes its own path ($.restore, $.wake, $.progress, $.configuration, $.publish, $.cleanup) and reads those before it. Each check of the restore costs one state transition and one Lambda invocation; an AWS Backup restore job is awaited through its own event (AwaitRestoreJob) and checked once it wakes. A failure is caught into $.error and, with notification_topic_arn, published (the *Failed states, DescribeFailure and NotifyFailure write $.failure, $.notification and, if publishing fails, $.notification_error) before RotationFailed ends the execution.",
  "StartAt": "StartRestore",
  "States": {
    "StartRestore": {
      "Type": "Task",
      "Comment": "Name the copy and call RestoreTableFromBackup (or, for an AWS Backup recovery point, StartRestoreJob). DynamoDB's restore limits (50 in progress, 10 calls a second) refuse a start with RestoreLimitExceeded, which the first Retry repeats: from 60 s doubling to 300 s, each wait drawn between 0 and its cap (full jitter) so that waiting rotations take freed slots one by one, for about restore_timeout_seconds on average (definition.tf: MaxAttempts = 2 x restore_timeout_seconds / MaxDelaySeconds; 576 by default). A slot frees when another restore ends, so a burst of N jobs over the limit needs about ceil(N / 50) restore durations. One state transition a retry; none without contention.",
      "Resource": "${start_restore_function_arn}",
      "Parameters": {
        "backup.$": "$.backup",
        "execution.$": "$$.Execution.Name"
      },
      "ResultPath": "$.restore",
      "Retry": [
        {
          "ErrorEquals": ["RestoreLimitExceeded"],
          "IntervalSeconds": 60,
          "BackoffRate": 2,
          "MaxAttempts": 576,
          "MaxDelaySeconds": 300,
          "JitterStrategy": "FULL"
        },
        {
          "ErrorEquals": ["TransientAwsError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException", "Sandbox.Timedout"],
          "IntervalSeconds": 2,
          "BackoffRate": 2,
          "MaxAttempts": 6,
          "MaxDelaySeconds": 60,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "StartRestoreFailed"
        }
      ],
      "Next": "ChooseWait"
    },
    "ChooseWait": {
      "Type": "Choice",
      "Comment": "An AWS Backup restore (StartRestore wrote a restore_job_id; a DynamoDB restore writes none) waits for its restore job's event; a DynamoDB restore has none and is polled. With restore_job_wait = \"poll\" definition.tf removes this state and AwaitRestoreJob, and StartRestore goes on to WaitForRestore.",
      "Choices": [
        {
          "Variable": "$.restore.restore_job_id",
          "IsPresent": true,
          "Next": "AwaitRestoreJob"
        }
      ],
      "Default": "WaitForRestore"
    },
    "AwaitRestoreJob": {
      "Type": "Task",
      "Comment": "Files this task's token under the restore job and sleeps until the job's Restore Job State Change wakes it (the restore-events function), or until TimeoutSeconds (definition.tf: restore_event_timeout_seconds less the Retry's 1 s), after which the first Retry looks again: one state transition and one Lambda invocation a look, so a lost event costs at most restore_event_timeout_seconds. A job already finished or past the restore timeout wakes it at once. Attempts run out only after restore_timeout_seconds; then, as for any wake, WaitForRestore judges the restore. WakeDenied (SendTaskSuccess refused to the function's role, logged as an ERROR) goes on to WaitForRestore too, so a missing permission costs a rotation at most one look interval.",
      "Resource": "arn:${partition}:states:::lambda:invoke.waitForTaskToken",
      "Parameters": {
        "FunctionName": "${await_restore_function_arn}",
        "Payload": {
          "backup.$": "$.backup",
          "restore.$": "$.restore",
          "execution.$": "$$.Execution.Name",
          "task_token.$": "$$.Task.Token"
        }
      },
      "TimeoutSeconds": 300,
      "ResultPath": "$.wake",
      "Retry": [
        {
          "ErrorEquals": ["States.Timeout"],
          "IntervalSeconds": 1,
          "BackoffRate": 1,
          "MaxAttempts": 289
        },
        {
          "ErrorEquals": ["TransientAwsError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException", "Sandbox.Timedout"],
          "IntervalSeconds": 2,
          "BackoffRate": 2,
          "MaxAttempts": 6,
          "MaxDelaySeconds": 60,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.Timeout", "WakeDenied"],
          "ResultPath": "$.wake",
          "Next": "WaitForRestore"
        },
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "AwaitRestoreJobFailed"
        }
      ],
      "Next": "WaitForRestore"
    },
    "ListHooks": {
      "Type": "Pass",
      "Comment": "Puts the hooks (definition.tf: the hooks input, in order) where RunHooks can iterate over them: a Map state reads its items from its input. One state transition. With no hooks definition.tf removes this state, RunHooks and RunHooksFailed, and WaitForRestore goes on to Publish.",
      "Result": [],
      "ResultPath": "$.hook_functions",
      "Next": "RunHooks"
    },
    "RunHooks": {
      "Type": "Map",
      "Comment": "Invokes each hook function in the order given, one at a time (MaxConcurrency 1), with payload version 1 (docs/hooks.md), once the copy is ready and before Publish moves the parameter. Each hook's returned payload is kept at $.hooks, in order. A hook whose function raises (or times out) fails this state and so the rotation, with the function's error; later hooks do not run and the parameter is unchanged. One state transition plus one per hook.",
      "ItemsPath": "$.hook_functions",
      "MaxConcurrency": 1,
      "ItemSelector": {
        "function.$": "$$.Map.Item.Value",
        "index.$": "$$.Map.Item.Index",
        "backup.$": "$.backup",
        "restore.$": "$.restore"
      },
      "ItemProcessor": {
        "ProcessorConfig": {
          "Mode": "INLINE"
        },
        "StartAt": "RunHook",
        "States": {
          "RunHook": {
            "Type": "Task",
            "Comment": "Step Functions' optimized Lambda integration, synchronous. Only Lambda's own service errors are retried: the hook may have done part of its work before it failed.",
            "Resource": "arn:${partition}:states:::lambda:invoke",
            "Parameters": {
              "FunctionName.$": "$.function",
              "Payload": {
                "version": "1",
                "rotator.$": "$$.StateMachine.Name",
                "execution.$": "$$.Execution.Name",
                "execution_arn.$": "$$.Execution.Id",
                "hook_index.$": "$.index",
                "table_name.$": "$.restore.target_table_name",
                "table_arn.$": "$.restore.target_table_arn",
                "source_table.$": "States.ArrayGetItem(States.StringSplit($.backup.source_table_arn, '/'), 1)",
                "source_table_arn.$": "$.backup.source_table_arn",
                "recovery_point_arn.$": "$.backup.recovery_point_arn",
                "backup_job_id.$": "$.backup.job_id"
              }
            },
            "ResultSelector": {
              "result.$": "$.Payload"
            },
            "Retry": [
              {
                "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
                "IntervalSeconds": 2,
                "BackoffRate": 2,
                "MaxAttempts": 6,
                "MaxDelaySeconds": 60,
                "JitterStrategy": "FULL"
              }
            ],
            "End": true
          }
        }
      },
      "ResultPath": "$.hooks",
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "DiscardRefusedCopy"
        }
      ],
      "Next": "Publish"
    },
    "DiscardRefusedCopy": {
      "Type": "Task",
      "Comment": "delete_copy_on_hook_failure: a hook refused the copy, so delete it, if its tags say this rotator made it from this rotation's recovery point, the parameter does not name it and it has no deletion protection (else it is left, and $.discard says why). The rotation then fails with the hook's error ($.error) either way; a failure here is kept at $.discard_error. Without the input definition.tf removes this state and RunHooks' Catch goes to RunHooksFailed.",
      "Resource": "${discard_copy_function_arn}",
      "Parameters": {
        "backup.$": "$.backup",
        "restore.$": "$.restore",
        "execution.$": "$$.Execution.Name"
      },
      "ResultPath": "$.discard",
      "Retry": [
        {
          "ErrorEquals": ["TransientAwsError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException", "Sandbox.Timedout"],
          "IntervalSeconds": 2,
          "BackoffRate": 2,
          "MaxAttempts": 6,
          "MaxDelaySeconds": 60,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.discard_error",
          "Next": "RunHooksFailed"
        }
      ],
      "Next": "RunHooksFailed"
    },
    "WaitForRestore": {
      "Type": "Task",
      "Comment": "DescribeTable. A copy still restoring fails the check with RestoreNotReady, which the first Retry repeats with a growing interval (definition.tf sets its numbers from the inputs): one state transition and one Lambda invocation a check. A ready copy goes on to Publish (through the hooks first, if any); RestoreFailed and RestoreTimedOut end the rotation.",
      "Resource": "${check_restore_function_arn}",
      "Parameters": {
        "backup.$": "$.backup",
        "restore.$": "$.restore",
        "execution.$": "$$.Execution.Name"
      },
      "ResultPath": "$.progress",
      "Retry": [
        {
          "ErrorEquals": ["RestoreNotReady"],
          "IntervalSeconds": 60,
          "BackoffRate": 2,
          "MaxDelaySeconds": 300,
          "MaxAttempts": 1441
        },
        {
          "ErrorEquals": ["TransientAwsError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException", "Sandbox.Timedout"],
          "IntervalSeconds": 2,
          "BackoffRate": 2,
          "MaxAttempts": 6,
          "MaxDelaySeconds": 60,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "WaitForRestoreFailed"
        }
      ],
      "Next": "Configure"
    },
    "Configure": {
      "Type": "Task",
      "Comment": "Applies what a restore does not carry (copy_settings, the tags, the restore settings an AWS Backup restore could not set), one UpdateTable at a time: after each, or while the copy is not ACTIVE, CopyNotSettled, which the first Retry repeats. Then the built-in check: a copy of a backup that held data must hold some (CopyNotVerified).",
      "Resource": "${configure_function_arn}",
      "Parameters": {
        "backup.$": "$.backup",
        "restore.$": "$.restore",
        "execution.$": "$$.Execution.Name"
      },
      "ResultPath": "$.configuration",
      "Retry": [
        {
          "ErrorEquals": ["CopyNotSettled"],
          "IntervalSeconds": 10,
          "BackoffRate": 2,
          "MaxDelaySeconds": 120,
          "MaxAttempts": 60
        },
        {
          "ErrorEquals": ["TransientAwsError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException", "Sandbox.Timedout"],
          "IntervalSeconds": 2,
          "BackoffRate": 2,
          "MaxAttempts": 6,
          "MaxDelaySeconds": 60,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "ConfigureFailed"
        }
      ],
      "Next": "PlanPass"
    },
    "PlanPass": {
      "Type": "Task",
      "Comment": "pass: plans the pass over every item of the copy. The Scan's TotalSegments (pass.segments, or one per 256 MiB of the backup's recorded size), the mask rules checked against the copy's own key schema, the HMAC key read once (a key that cannot be read fails the rotation here, before any write); then closes the copy to every principal but the rotator's roles with a resource-based policy, removed by FinishConfigure. Without pass definition.tf removes this state, WalkSegments, CheckPass, FinishConfigure and their failure states, and Configure goes on to the hooks or Publish.",
      "Resource": "${plan_pass_function_arn}",
      "Parameters": {
        "backup.$": "$.backup",
        "restore.$": "$.restore",
        "execution.$": "$$.Execution.Name"
      },
      "ResultPath": "$.pass_plan",
      "Retry": [
        {
          "ErrorEquals": ["TransientAwsError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException", "Sandbox.Timedout"],
          "IntervalSeconds": 2,
          "BackoffRate": 2,
          "MaxAttempts": 6,
          "MaxDelaySeconds": 60,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "PlanPassFailed"
        }
      ],
      "Next": "WalkSegments"
    },
    "WalkSegments": {
      "Type": "Map",
      "Comment": "A Distributed Map over the Scan's segments, at most pass.max_concurrency at once (definition.tf sets MaxConcurrency): each segment is a child execution that invokes the walk-segment function until its segment is done; each invocation hands its position (LastEvaluatedKey) and counts on before its time runs out, so a segment of any size finishes and no item is counted twice or skipped. Each child's output is its segment's counts; the Map's result, one entry a segment, is $.pass until CheckPass replaces it with the totals. A child that fails after its Retry fails the Map Run and so the rotation.",
      "ItemsPath": "$.pass_plan.segments",
      "MaxConcurrency": 16,
      "ItemSelector": {
        "table.$": "$.restore.target_table_name",
        "segment.$": "$$.Map.Item.Value",
        "total_segments.$": "$.pass_plan.total_segments",
        "execution.$": "$$.Execution.Name"
      },
      "ItemProcessor": {
        "ProcessorConfig": {
          "Mode": "DISTRIBUTED",
          "ExecutionType": "STANDARD"
        },
        "StartAt": "WalkSegment",
        "States": {
          "WalkSegment": {
            "Type": "Task",
            "Comment": "One invocation of the worker: pages through the segment from $.position, writes back what the mask rules change, and returns the segment's state with done, the new position and the counts so far. A failed invocation is retried from the position it was given: what it wrote carries the pass's mark, so nothing is masked twice, and its counts were not handed on, so nothing is counted twice.",
            "Resource": "${walk_segment_function_arn}",
            "Retry": [
              {
                "ErrorEquals": ["TransientAwsError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException", "Sandbox.Timedout"],
                "IntervalSeconds": 2,
                "BackoffRate": 2,
                "MaxAttempts": 6,
                "MaxDelaySeconds": 60,
                "JitterStrategy": "FULL"
              }
            ],
            "Next": "SegmentWalked"
          },
          "SegmentWalked": {
            "Type": "Choice",
            "Comment": "A segment not done yet goes on from the position handed back: one state transition and one invocation per hand-over.",
            "Choices": [
              {
                "Variable": "$.done",
                "BooleanEquals": false,
                "Next": "WalkSegment"
              }
            ],
            "Default": "SegmentCounted"
          },
          "SegmentCounted": {
            "Type": "Pass",
            "Comment": "The segment's counts, its entry in the Map's result.",
            "Parameters": {
              "segment.$": "$.segment",
              "counts.$": "$.counts"
            },
            "End": true
          }
        }
      },
      "ResultPath": "$.pass",
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "WalkSegmentsFailed"
        }
      ],
      "Next": "CheckPass"
    },
    "CheckPass": {
      "Type": "Task",
      "Comment": "Adds up the segments' counts and checks them: every segment counted, no item without its key attributes, at least pass.min_items, and no fewer than the item count AWS recorded for the backup less pass.item_count_tolerance_percent. A failed check raises CopyNotVerified with the figures: nothing after this state runs. Its result, the totals, replaces the segments' entries at $.pass.",
      "Resource": "${check_pass_function_arn}",
      "Parameters": {
        "backup.$": "$.backup",
        "restore.$": "$.restore",
        "plan.$": "$.pass_plan",
        "segments.$": "$.pass",
        "execution.$": "$$.Execution.Name"
      },
      "ResultPath": "$.pass",
      "Retry": [
        {
          "ErrorEquals": ["TransientAwsError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException", "Sandbox.Timedout"],
          "IntervalSeconds": 2,
          "BackoffRate": 2,
          "MaxAttempts": 6,
          "MaxDelaySeconds": 60,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "CheckPassFailed"
        }
      ],
      "Next": "FinishConfigure"
    },
    "FinishConfigure": {
      "Type": "Task",
      "Comment": "The configure function again, once the pass is over: switches on what waited for it (point-in-time recovery and Streams, which would keep the unmasked items' history) and removes the policy PlanPass put on the copy, then goes on to the hooks or Publish. As in Configure, CopyNotSettled after each UpdateTable is repeated by the first Retry.",
      "Resource": "${configure_function_arn}",
      "Parameters": {
        "backup.$": "$.backup",
        "restore.$": "$.restore",
        "pass.$": "$.pass",
        "execution.$": "$$.Execution.Name"
      },
      "ResultPath": "$.configuration",
      "Retry": [
        {
          "ErrorEquals": ["CopyNotSettled"],
          "IntervalSeconds": 10,
          "BackoffRate": 2,
          "MaxDelaySeconds": 120,
          "MaxAttempts": 60
        },
        {
          "ErrorEquals": ["TransientAwsError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException", "Sandbox.Timedout"],
          "IntervalSeconds": 2,
          "BackoffRate": 2,
          "MaxAttempts": 6,
          "MaxDelaySeconds": 60,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "FinishConfigureFailed"
        }
      ],
      "Next": "ListHooks"
    },
    "Publish": {
      "Type": "Task",
      "Comment": "Check the copy (ACTIVE, loaded, restored from this backup), then PutParameter if one is configured.",
      "Resource": "${publish_function_arn}",
      "Parameters": {
        "backup.$": "$.backup",
        "restore.$": "$.restore",
        "execution.$": "$$.Execution.Name"
      },
      "ResultPath": "$.publish",
      "Retry": [
        {
          "ErrorEquals": ["TransientAwsError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException", "Sandbox.Timedout"],
          "IntervalSeconds": 2,
          "BackoffRate": 2,
          "MaxAttempts": 6,
          "MaxDelaySeconds": 60,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "PublishFailed"
        }
      ],
      "Next": "Cleanup"
    },
    "Cleanup": {
      "Type": "Task",
      "Comment": "keep_last: delete this rotator's older copies of the source table beyond the newest keep_last, as their tags record them; never the source, the parameter's table, the copy just published or one with deletion protection. The pointer has moved already: a failure (CleanupIncomplete) leaves the copy and the parameter as Publish left them. Without keep_last definition.tf removes this state and CleanupFailed, and Publish ends the execution.",
      "Resource": "${cleanup_function_arn}",
      "Parameters": {
        "backup.$": "$.backup",
        "publish.$": "$.publish",
        "execution.$": "$$.Execution.Name"
      },
      "ResultPath": "$.cleanup",
      "Retry": [
        {
          "ErrorEquals": ["TransientAwsError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException", "Sandbox.Timedout"],
          "IntervalSeconds": 2,
          "BackoffRate": 2,
          "MaxAttempts": 6,
          "MaxDelaySeconds": 60,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "CleanupFailed"
        }
      ],
      "End": true
    },
    "StartRestoreFailed": {
      "Type": "Pass",
      "Comment": "Notes the step that broke for the failure notification. StartRestore wrote no $.restore: no copy is known yet. This and the four states after it exist only with notification_topic_arn; without it definition.tf removes them and the Catches go to RotationFailed.",
      "Parameters": {
        "state": "StartRestore",
        "target_table": null,
        "restore": null
      },
      "ResultPath": "$.failure",
      "Next": "DescribeFailure"
    },
    "AwaitRestoreJobFailed": {
      "Type": "Pass",
      "Comment": "Notes the step that broke and the copy StartRestore named ($.restore, which it always writes).",
      "Parameters": {
        "state": "AwaitRestoreJob",
        "target_table.$": "$.restore.target_table_name",
        "restore.$": "$.restore"
      },
      "ResultPath": "$.failure",
      "Next": "DescribeFailure"
    },
    "RunHooksFailed": {
      "Type": "Pass",
      "Comment": "Notes the step that broke and the copy StartRestore named ($.restore, which it always writes). Exists only with hooks and notification_topic_arn.",
      "Parameters": {
        "state": "RunHooks",
        "target_table.$": "$.restore.target_table_name",
        "restore.$": "$.restore"
      },
      "ResultPath": "$.failure",
      "Next": "DescribeFailure"
    },
    "WaitForRestoreFailed": {
      "Type": "Pass",
      "Comment": "Notes the step that broke and the copy StartRestore named ($.restore, which it always writes).",
      "Parameters": {
        "state": "WaitForRestore",
        "target_table.$": "$.restore.target_table_name",
        "restore.$": "$.restore"
      },
      "ResultPath": "$.failure",
      "Next": "DescribeFailure"
    },
    "ConfigureFailed": {
      "Type": "Pass",
      "Comment": "Notes the step that broke and the copy StartRestore named ($.restore, which it always writes).",
      "Parameters": {
        "state": "Configure",
        "target_table.$": "$.restore.target_table_name",
        "restore.$": "$.restore"
      },
      "ResultPath": "$.failure",
      "Next": "DescribeFailure"
    },
    "PlanPassFailed": {
      "Type": "Pass",
      "Comment": "Notes the step that broke and the copy StartRestore named ($.restore, which it always writes). Exists only with pass.",
      "Parameters": {
        "state": "PlanPass",
        "target_table.$": "$.restore.target_table_name",
        "restore.$": "$.restore"
      },
      "ResultPath": "$.failure",
      "Next": "DescribeFailure"
    },
    "WalkSegmentsFailed": {
      "Type": "Pass",
      "Comment": "Notes the step that broke and the copy StartRestore named. The copy stays closed by PlanPass's policy to all but the rotator's roles: it may hold items not masked yet. Exists only with pass.",
      "Parameters": {
        "state": "WalkSegments",
        "target_table.$": "$.restore.target_table_name",
        "restore.$": "$.restore"
      },
      "ResultPath": "$.failure",
      "Next": "DescribeFailure"
    },
    "CheckPassFailed": {
      "Type": "Pass",
      "Comment": "Notes the step that broke and the copy StartRestore named. The copy stays closed by PlanPass's policy. Exists only with pass.",
      "Parameters": {
        "state": "CheckPass",
        "target_table.$": "$.restore.target_table_name",
        "restore.$": "$.restore"
      },
      "ResultPath": "$.failure",
      "Next": "DescribeFailure"
    },
    "FinishConfigureFailed": {
      "Type": "Pass",
      "Comment": "Notes the step that broke and the copy StartRestore named. Exists only with pass.",
      "Parameters": {
        "state": "FinishConfigure",
        "target_table.$": "$.restore.target_table_name",
        "restore.$": "$.restore"
      },
      "ResultPath": "$.failure",
      "Next": "DescribeFailure"
    },
    "PublishFailed": {
      "Type": "Pass",
      "Comment": "Notes the step that broke and the copy StartRestore named ($.restore, which it always writes).",
      "Parameters": {
        "state": "Publish",
        "target_table.$": "$.restore.target_table_name",
        "restore.$": "$.restore"
      },
      "ResultPath": "$.failure",
      "Next": "DescribeFailure"
    },
    "CleanupFailed": {
      "Type": "Pass",
      "Comment": "Notes the step that broke and the copy StartRestore named ($.restore, which it always writes). The copy is published: only old copies may be left behind.",
      "Parameters": {
        "state": "Cleanup",
        "target_table.$": "$.restore.target_table_name",
        "restore.$": "$.restore"
      },
      "ResultPath": "$.failure",
      "Next": "DescribeFailure"
    },
    "DescribeFailure": {
      "Type": "Pass",
      "Comment": "The failure notification (docs/how-a-rotation-works.md: When a rotation fails). Only paths every caught failure has: the Catch's $.error, the $.failure just written, and $.backup, which every step reads (an execution without it fails in StartRestore with States.Runtime, which no Catch sees). $.backup is copied as the execution input has it, so an input that is not what the trigger writes cannot make this state fail.",
      "Parameters": {
        "rotator.$": "$$.StateMachine.Name",
        "execution_arn.$": "$$.Execution.Id",
        "failed_state.$": "$.failure.state",
        "error.$": "$.error.Error",
        "cause.$": "$.error.Cause",
        "target_table.$": "$.failure.target_table",
        "copy_fate": "${failed_copy_fate}",
        "backup.$": "$.backup",
        "restore.$": "$.failure.restore"
      },
      "ResultPath": "$.notification",
      "Next": "NotifyFailure"
    },
    "NotifyFailure": {
      "Type": "Task",
      "Comment": "Publishes the notification as JSON to notification_topic_arn (Step Functions' optimized SNS integration). Any error is retried; if publishing still fails, the rotation fails all the same with its own Error and Cause ($.error is left alone).",
      "Resource": "arn:${partition}:states:::sns:publish",
      "Parameters": {
        "TopicArn": "${notification_topic_arn}",
        "Subject.$": "States.Format('DynamoDB Backup Rotator {}: a rotation failed', $$.StateMachine.Name)",
        "Message.$": "States.JsonToString($.notification)"
      },
      "ResultPath": null,
      "Retry": [
        {
          "ErrorEquals": ["States.ALL"],
          "IntervalSeconds": 2,
          "BackoffRate": 2,
          "MaxAttempts": 3,
          "MaxDelaySeconds": 30,
          "JitterStrategy": "FULL"
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.notification_error",
          "Next": "RotationFailed"
        }
      ],
      "Next": "RotationFailed"
    },
    "RotationFailed": {
      "Type": "Fail",
      "Comment": "Error and Cause are those of the step that broke (the execution history, or the notification's failed_state, says which).",
      "ErrorPath": "$.error.Error",
      "CausePath": "$.error.Cause"
    }
  }
}
