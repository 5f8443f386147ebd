"""Errors the handlers raise on purpose.

Lambda reports an exception's class name as its error type, and the state machine's
Retry and Catch match on that name, so these names are part of the workflow's contract
(see ``statemachine.json.tpl``). Each message says what was wrong and what was expected.
"""


class RotatorError(Exception):
    """Base class; not retried by the state machine."""


class ConfigurationError(RotatorError):
    """A setting (environment variable) is missing or invalid."""


class InvalidInput(RotatorError):
    """The state handed to a step is not what the workflow passes."""


class InvalidTargetTableName(RotatorError):
    """The settings give the copy a name DynamoDB would reject."""


class TargetTableConflict(RotatorError):
    """A table with the copy's name exists and was not restored from this backup."""


class RestoreNotReady(RotatorError):
    """The copy is still restoring: not a failure. The state machine's first Retry on
    the check repeats it with a growing interval, one state transition a check."""


class RestoreFailed(RotatorError):
    """The restored table ended in a state it will not come back from."""


class RestoreTimedOut(RotatorError):
    """The restore did not finish within the configured restore timeout."""


class CopyNotSettled(RotatorError):
    """The copy is still UPDATING (its own, or the Configure step's last UpdateTable):
    not a failure. The Configure state's first Retry repeats the step."""


class CopyNotVerified(RotatorError):
    """The copy failed the checks made before the pointer moves."""


class CopyNotConfigured(RotatorError):
    """A copy_settings or restore_settings setting cannot be applied to the copy (and
    copy_settings.best_effort does not name it): the rotation stops before Publish."""


class CleanupIncomplete(RotatorError):
    """Deleting old copies (the Cleanup step, after Publish) failed. The rotation's copy
    is published and the parameter names it; only old copies may be left behind."""


class AwsRequestFailed(RotatorError):
    """An AWS call failed with an error that retrying will not fix."""


class WakeDenied(RotatorError):
    """Step Functions refused SendTaskSuccess (AccessDenied): the function's role lacks
    ``states:SendTaskSuccess`` for the token's state machine. AwaitRestoreJob catches
    it and goes on to WaitForRestore; the restore-events function fails with it, so its
    errors alarm fires."""


class TransientAwsError(RotatorError):
    """Throttling, a service-side fault or a network error; retried with backoff."""


class RestoreLimitExceeded(TransientAwsError):
    """DynamoDB's concurrent-restore limit; retried with a longer backoff.

    Step Functions matches error names exactly, so this has its own Retry entry
    (StartRestore's); the subclassing only says what kind of error it is.
    """


class UntrustedInput(RotatorError):
    """The execution input disagrees with AWS's own records of the job or its recovery
    point (or names one they do not know, or one this rotator may not restore): nothing
    is restored. Not retried: the records will not change their mind."""


class TransformFailed(RotatorError):
    """The pass's transform function (``pass.transform_function_arn``) raised, or
    answered with something that is not one entry per item sent, or changed an item's
    key. Not retried: what the function does with the same page is the same."""


class PassRefused(RotatorError):
    """The pass cannot start or go on: a mask rule names a key attribute of the copy,
    or the key of the hash rules cannot be read. Raised before any write of the step
    that raises it; not retried."""
