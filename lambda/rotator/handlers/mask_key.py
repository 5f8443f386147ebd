"""The key of the pass's hash and fake_* rules: read from the SSM parameter or the
Secrets Manager secret ``pass`` names, once per invocation (PlanPass, to fail before
any write; each worker invocation, for its pages)."""

from __future__ import annotations

from botocore.exceptions import ClientError

from rotator.aws import TRANSIENT_CODES, client, error_code
from rotator.errors import PassRefused, TransientAwsError
from rotator.settings import MaskSettings

# A shorter key could be guessed, and with it every hashed value.
MIN_KEY_BYTES = 16


def read_mask_key(settings: MaskSettings) -> bytes | None:
    """The key's bytes (the text as UTF-8, or a secret's binary); ``None`` when no rule
    needs one. Raises ``PassRefused`` if it cannot be read or is shorter than
    ``MIN_KEY_BYTES``: nothing is written without it; ``TransientAwsError`` when the
    read was throttled, which the state's Retry repeats."""
    try:
        if settings.secret_parameter is not None:
            where = f"SSM parameter {settings.secret_parameter}"
            value = client("ssm").get_parameter(
                Name=settings.secret_parameter, WithDecryption=True
            )["Parameter"]["Value"]
            key = str(value).encode()
        elif settings.secret_arn is not None:
            where = f"Secrets Manager secret {settings.secret_arn}"
            secret = client("secretsmanager").get_secret_value(SecretId=settings.secret_arn)
            binary = secret.get("SecretBinary")
            key = (
                bytes(binary)
                if binary is not None
                else str(secret.get("SecretString", "")).encode()
            )
        else:
            return None
    except ClientError as err:
        if error_code(err) in TRANSIENT_CODES:  # throttled: the state's Retry reads again
            raise TransientAwsError(f"reading {where} failed: {error_code(err)}") from err
        raise PassRefused(
            f"the key of the mask rules, {where}, cannot be read ({error_code(err)}: "
            f"{err.response.get('Error', {}).get('Message', err)}); expected a readable "
            "parameter or secret holding the HMAC key. Nothing was written"
        ) from None
    if len(key) < MIN_KEY_BYTES:
        raise PassRefused(
            f"the key of the mask rules, {where}, is {len(key)} bytes; expected at least "
            f"{MIN_KEY_BYTES} (e.g. 32 random bytes, base64-encoded). Nothing was written"
        )
    return key
