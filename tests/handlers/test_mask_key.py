"""The key of the mask rules: read once, refused when unreadable or short, and a
throttled read left to the state's Retry."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from rotator.errors import PassRefused, TransientAwsError
from rotator.handlers import mask_key
from rotator.masking import Rule
from rotator.settings import MaskSettings

SETTINGS = MaskSettings(rules=(Rule("email", "hash"),), secret_parameter="/rotator/key")


class Ssm:
    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.calls = 0

    def get_parameter(self, **_: Any) -> Any:
        self.calls += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return {"Parameter": {"Value": self.answer}}


def refused(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "no"}}, "GetParameter")


def read(monkeypatch: pytest.MonkeyPatch, answer: Any) -> bytes | None:
    ssm = Ssm(answer)
    monkeypatch.setattr(mask_key, "client", lambda service: ssm)
    try:
        return mask_key.read_mask_key(SETTINGS)
    finally:
        assert ssm.calls == 1


def test_the_key_is_read_once_as_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    assert read(monkeypatch, "k" * 32) == b"k" * 32


def test_no_key_is_read_without_a_rule_that_needs_one() -> None:
    assert mask_key.read_mask_key(MaskSettings(rules=())) is None


def test_a_key_that_cannot_be_read_refuses_the_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(PassRefused, match=r"/rotator/key, cannot be read \(AccessDeniedException"):
        read(monkeypatch, refused("AccessDeniedException"))


def test_a_short_key_refuses_the_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(PassRefused, match="is 5 bytes; expected at least 16"):
        read(monkeypatch, "unset")


def test_a_throttled_read_is_left_to_the_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(TransientAwsError, match="ThrottlingException"):
        read(monkeypatch, refused("ThrottlingException"))
