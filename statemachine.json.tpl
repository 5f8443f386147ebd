{
  "Comment": "DynamoDB Backup Rotator: restore a finished backup into a new table, wait until it is ready, check it, then point the SSM parameter at it. Input: {\"backup\": {...}} as started by the trigger function. Each poll costs three state transitions (Wait, CheckRestore, IsRestoreReady) and one Lambda invocation.",
  "StartAt": "StartRestore",
  "States": {
    "StartRestore": {
      "Type": "Task",
      "Comment": "Name the copy and call RestoreTableFromBackup.",
      "Resource": "${start_restore_function_arn}",
      "Parameters": {
        "backup.$": "$.backup"
      },
      "ResultPath": "$.restore",
      "Retry": [
        {
          "ErrorEquals": ["RestoreLimitExceeded"],
          "IntervalSeconds": 60,
          "BackoffRate": 2,
          "MaxAttempts": 8,
          "MaxDelaySeconds": 900,
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
          "Next": "RotationFailed"
        }
      ],
      "Next": "WaitForRestore"
    },
    "WaitForRestore": {
      "Type": "Wait",
      "SecondsPath": "$.restore.wait_seconds",
      "Next": "CheckRestore"
    },
    "CheckRestore": {
      "Type": "Task",
      "Comment": "DescribeTable; fails with RestoreFailed or RestoreTimedOut, otherwise reports whether the copy is ready.",
      "Resource": "${check_restore_function_arn}",
      "Parameters": {
        "backup.$": "$.backup",
        "restore.$": "$.restore"
      },
      "ResultPath": "$.restore",
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
          "Next": "RotationFailed"
        }
      ],
      "Next": "IsRestoreReady"
    },
    "IsRestoreReady": {
      "Type": "Choice",
      "Choices": [
        {
          "Variable": "$.restore.ready",
          "BooleanEquals": true,
          "Next": "Publish"
        }
      ],
      "Default": "WaitForRestore"
    },
    "Publish": {
      "Type": "Task",
      "Comment": "Check the copy (ACTIVE, loaded, restored from this backup), then PutParameter if one is configured.",
      "Resource": "${publish_function_arn}",
      "Parameters": {
        "backup.$": "$.backup",
        "restore.$": "$.restore"
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
          "Next": "RotationFailed"
        }
      ],
      "End": true
    },
    "RotationFailed": {
      "Type": "Fail",
      "Comment": "Error and Cause are those of the step that broke (see the execution history for which).",
      "ErrorPath": "$.error.Error",
      "CausePath": "$.error.Cause"
    }
  }
}
