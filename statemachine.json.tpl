{
  "Comment": "DynamoDB Backup Rotator: restore a finished backup into a new table, wait until it is ready, check it, then point the SSM parameter at it. Input: {\"backup\": {...}} as started by the trigger function. Each step writes its own path ($.restore, $.progress, $.publish) and reads those before it. Each check of the restore costs one state transition and one Lambda invocation.",
  "StartAt": "StartRestore",
  "States": {
    "StartRestore": {
      "Type": "Task",
      "Comment": "Name the copy and call RestoreTableFromBackup.",
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
      "Type": "Task",
      "Comment": "DescribeTable. A copy still restoring fails the check with RestoreNotReady, which the first Retry repeats with a growing interval (main.tf sets its numbers from the inputs): one state transition and one Lambda invocation a check. A ready copy goes on to Publish; RestoreFailed and RestoreTimedOut end the rotation.",
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
          "Next": "RotationFailed"
        }
      ],
      "Next": "Publish"
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
