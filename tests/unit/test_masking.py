"""The masking engine by example: every action on every type it names, paths into maps
and lists, the marker, the rules' checks, item sizes and key checks. Expected hashes are
computed here with ``hmac.new``, never by the module."""

from __future__ import annotations

import copy
import hashlib
import hmac
import re
from typing import Any

import pytest

from bench import masking as bench
from rotator import masking
from rotator.masking import (
    ACTIONS,
    MARKER_ATTRIBUTE,
    Masker,
    Rule,
    RuleError,
    item_size,
    key_conflicts,
    key_problem,
    marker_value,
    parse_rules,
    rules_digest,
)

SECRET = b"a test secret, not a real one"
MARKER = "0123456789abcdef0123456789abcdef"


def masker(*rules: dict[str, Any], secret: bytes | None = SECRET, marker: str = MARKER) -> Masker:
    return Masker(parse_rules(rules), secret, marker)


def mask(rule: dict[str, Any], item: dict[str, Any]) -> dict[str, Any] | None:
    return masker(rule).mask(item)


def masked(rule: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """The item masked by one rule, without the marker (which must be there)."""
    out = mask(rule, item)
    assert out is not None
    assert out.pop(MARKER_ATTRIBUTE) == {"S": MARKER}
    return out


def mac(tag: str, payload: bytes, secret: bytes = SECRET) -> bytes:
    """HMAC-SHA-256 over the type tag, ':' and the payload, as the module documents it."""
    return hmac.new(secret, tag.encode() + b":" + payload, hashlib.sha256).digest()


# ---- remove, set, null -----------------------------------------------------------------


def test_remove_deletes_a_top_level_attribute() -> None:
    item = {"pk": {"S": "1"}, "ssn": {"S": "123-45-6789"}}
    assert masked({"path": "ssn", "action": "remove"}, item) == {"pk": {"S": "1"}}


def test_remove_deletes_a_nested_map_entry() -> None:
    item = {"address": {"M": {"street": {"S": "1 Main St"}, "city": {"S": "Springfield"}}}}
    assert masked({"path": "address.street", "action": "remove"}, item) == {
        "address": {"M": {"city": {"S": "Springfield"}}}
    }


def test_remove_deletes_the_entry_in_every_list_element_that_has_it() -> None:
    item = {
        "contacts": {
            "L": [
                {"M": {"phone": {"S": "+1"}, "kind": {"S": "home"}}},
                {"M": {"kind": {"S": "work"}}},
                {"S": "not a map"},
            ]
        }
    }
    assert masked({"path": "contacts[*].phone", "action": "remove"}, item) == {
        "contacts": {
            "L": [
                {"M": {"kind": {"S": "home"}}},
                {"M": {"kind": {"S": "work"}}},
                {"S": "not a map"},
            ]
        }
    }


@pytest.mark.parametrize(
    "value",
    [{"S": "x"}, {"N": "12.5"}, {"B": b"\x01"}, {"M": {"a": {"S": "b"}}}, {"NULL": True}],
    ids=["S", "N", "B", "M", "NULL"],
)
def test_set_replaces_any_value_with_the_string(value: dict[str, Any]) -> None:
    assert masked({"path": "a", "action": "set", "value": "REMOVED"}, {"a": value}) == {
        "a": {"S": "REMOVED"}
    }


def test_set_to_the_value_already_there_changes_nothing() -> None:
    assert mask({"path": "a", "action": "set", "value": "x"}, {"a": {"S": "x"}}) is None


def test_set_of_an_empty_string_is_a_value() -> None:
    assert masked({"path": "a", "action": "set", "value": ""}, {"a": {"S": "x"}}) == {
        "a": {"S": ""}
    }


@pytest.mark.parametrize(
    "value", [{"S": "x"}, {"L": [{"N": "1"}]}, {"BOOL": True}], ids=["S", "L", "BOOL"]
)
def test_null_replaces_any_value_with_null(value: dict[str, Any]) -> None:
    assert masked({"path": "a", "action": "null"}, {"a": value}) == {"a": {"NULL": True}}


def test_null_of_a_null_changes_nothing() -> None:
    assert mask({"path": "a", "action": "null"}, {"a": {"NULL": True}}) is None


# ---- redact ----------------------------------------------------------------------------

REDACTED: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"S": "secret"}, {"S": "***"}),
    ({"N": "-12.5"}, {"N": "0"}),
    ({"B": b"\x00\xff"}, {"B": b""}),
    ({"BOOL": True}, {"BOOL": False}),
    ({"SS": ["a", "b"]}, {"SS": ["***"]}),
    ({"NS": ["1", "2"]}, {"NS": ["0"]}),
    ({"BS": [b"a", b"b"]}, {"BS": [b""]}),
    ({"L": [{"S": "a"}]}, {"L": []}),
    ({"M": {"a": {"S": "b"}}}, {"M": {}}),
]


@pytest.mark.parametrize(
    ("value", "expected"), REDACTED, ids=[next(iter(value)) for value, _ in REDACTED]
)
def test_redact_keeps_the_type(value: dict[str, Any], expected: dict[str, Any]) -> None:
    assert masked({"path": "a", "action": "redact"}, {"a": value}) == {"a": expected}


@pytest.mark.parametrize(
    "value", [expected for _, expected in REDACTED] + [{"NULL": True}], ids=lambda v: next(iter(v))
)
def test_redacting_a_redacted_value_or_a_null_changes_nothing(value: dict[str, Any]) -> None:
    assert mask({"path": "a", "action": "redact"}, {"a": value}) is None


# ---- hash ------------------------------------------------------------------------------


def test_hash_of_a_string_is_the_hex_hmac_of_its_utf8() -> None:
    out = masked({"path": "email", "action": "hash"}, {"email": {"S": "ada@example.com"}})
    expected = hmac.new(SECRET, b"S:ada@example.com", hashlib.sha256).hexdigest()
    assert out == {"email": {"S": expected}}
    assert len(expected) == 64


def test_hash_of_a_non_ascii_string() -> None:
    out = masked({"path": "a", "action": "hash"}, {"a": {"S": "Zoë €"}})
    assert out == {"a": {"S": mac("S", "Zoë €".encode()).hex()}}


def test_hash_of_a_number_is_the_integer_of_the_hmacs_first_13_hex_digits() -> None:
    out = masked({"path": "n", "action": "hash"}, {"n": {"N": "12.5"}})
    expected = int(mac("N", b"125e-1").hex()[:13], 16)
    assert out == {"n": {"N": str(expected)}}
    assert expected < 2**52


@pytest.mark.parametrize(
    ("number", "canonical"),
    [
        ("12.50", b"125e-1"),
        ("1.25E1", b"125e-1"),
        ("0012.5", b"125e-1"),
        ("100", b"1e2"),
        ("-0.00300", b"-3e-3"),
        ("0", b"0e0"),
        ("-0.0", b"0e0"),
        ("12345678901234567890123456789012345678", b"12345678901234567890123456789012345678e0"),
    ],
)
def test_equal_numbers_however_written_hash_alike(number: str, canonical: bytes) -> None:
    out = masked({"path": "n", "action": "hash"}, {"n": {"N": number}})
    assert out == {"n": {"N": str(int(mac("N", canonical).hex()[:13], 16))}}


def test_a_string_and_a_number_with_the_same_text_hash_differently() -> None:
    rule = {"path": "a", "action": "hash"}
    as_string = masked(rule, {"a": {"S": "1"}})["a"]["S"]
    as_number = masked(rule, {"a": {"N": "1"}})["a"]["N"]
    assert as_string == mac("S", b"1").hex()
    assert as_number == str(int(mac("N", b"1e0").hex()[:13], 16))
    assert int(as_string[:13], 16) != int(as_number)


def test_hash_of_a_binary_is_the_32_byte_hmac() -> None:
    out = masked({"path": "b", "action": "hash"}, {"b": {"B": b"\x00\x01\x02"}})
    assert out == {"b": {"B": mac("B", b"\x00\x01\x02")}}
    assert len(out["b"]["B"]) == 32


def test_hash_of_sets_hashes_each_member_sorted() -> None:
    item = {
        "ss": {"SS": ["b", "a"]},
        "ns": {"NS": ["2", "1.0", "1"]},
        "bs": {"BS": [b"y", b"x"]},
    }
    out = masker(
        {"path": "ss", "action": "hash"},
        {"path": "ns", "action": "hash"},
        {"path": "bs", "action": "hash"},
    ).mask(item)
    assert out is not None
    assert out["ss"] == {"SS": sorted([mac("S", b"a").hex(), mac("S", b"b").hex()])}
    numbers = {int(mac("N", canonical).hex()[:13], 16) for canonical in (b"1e0", b"2e0")}
    # "1.0" and "1" are the same number: one member
    assert out["ns"] == {"NS": [str(n) for n in sorted(numbers)]}
    assert out["bs"] == {"BS": sorted([mac("B", b"x"), mac("B", b"y")])}


def test_a_hashed_number_set_is_sorted_by_value() -> None:
    members = [str(n) for n in range(12)]
    out = masked({"path": "ns", "action": "hash"}, {"ns": {"NS": members}})
    canonical = [b"0e0", *(f"{n}e0".encode() for n in range(1, 10)), b"1e1", b"11e0"]
    hashed = [int(mac("N", number).hex()[:13], 16) for number in canonical]
    assert out == {"ns": {"NS": [str(n) for n in sorted(hashed)]}}
    # the hashes here have different numbers of digits: sorted as text they would differ
    assert sorted(out["ns"]["NS"]) != out["ns"]["NS"]


def test_hash_of_a_map_is_the_hex_hmac_of_its_canonical_json() -> None:
    value = {
        "M": {
            "b": {"N": "1.50"},
            "a": {"S": "x"},
            "c": {"BS": [b"\x01", b"\x00"]},
            "d": {"NULL": True},
            "e": {"BOOL": False},
        }
    }
    out = masked({"path": "m", "action": "hash"}, {"m": value})
    canonical = (
        b'{"a":{"S":"x"},"b":{"N":"15e-1"},"c":{"BS":["AA==","AQ=="]},'
        b'"d":{"NULL":true},"e":{"BOOL":false}}'
    )
    assert out == {"m": {"S": mac("M", canonical).hex()}}


def test_hash_of_a_list_is_the_hex_hmac_of_its_canonical_json() -> None:
    value = {
        "L": [
            {"B": b"\x00\x01"},
            {"SS": ["b", "a"]},
            {"NS": ["10", "2"]},
            {"M": {"z": {"S": "é"}, "y": {"L": []}}},
        ]
    }
    out = masked({"path": "l", "action": "hash"}, {"l": value})
    canonical = (
        b'[{"B":"AAE="},{"SS":["a","b"]},{"NS":["1e1","2e0"]},'
        b'{"M":{"y":{"L":[]},"z":{"S":"\\u00e9"}}}]'
    )
    assert out == {"l": {"S": mac("L", canonical).hex()}}


def test_equal_maps_hash_alike_whatever_their_order_and_number_spelling() -> None:
    rule = {"path": "m", "action": "hash"}
    first = {"M": {"a": {"N": "1.0"}, "s": {"SS": ["x", "y"]}}}
    second = {"M": {"s": {"SS": ["y", "x"]}, "a": {"N": "1"}}}
    assert masked(rule, {"m": first}) == masked(rule, {"m": second})


@pytest.mark.parametrize("value", [{"BOOL": True}, {"NULL": True}], ids=["BOOL", "NULL"])
def test_hash_leaves_booleans_and_nulls(value: dict[str, Any]) -> None:
    assert mask({"path": "a", "action": "hash"}, {"a": value}) is None


def test_hash_is_the_same_across_tables_and_differs_with_the_secret() -> None:
    rule = {"path": "a", "action": "hash"}
    item = {"a": {"S": "ada@example.com"}}
    one = masker(rule, marker="a" * 32).mask(item)
    other = masker(rule, marker="b" * 32).mask(item)
    rekeyed = masker(rule, secret=b"another secret").mask(item)
    assert one is not None and other is not None and rekeyed is not None
    assert one["a"] == other["a"]
    assert rekeyed["a"] != one["a"]


@pytest.mark.parametrize("length", [1, 63, 64, 65, 200])
def test_hash_with_secrets_shorter_and_longer_than_the_hash_block(length: int) -> None:
    secret = bytes(range(256))[:length]
    out = masker({"path": "a", "action": "hash"}, secret=secret).mask({"a": {"S": "v"}})
    assert out is not None
    assert out["a"] == {"S": hmac.new(secret, b"S:v", hashlib.sha256).hexdigest()}


# ---- fake_email, fake_phone, fake_name -------------------------------------------------


def test_fake_email_is_user_and_12_hex_digits_of_the_hmac() -> None:
    out = masked({"path": "email", "action": "fake_email"}, {"email": {"S": "ada@example.com"}})
    assert out == {
        "email": {"S": f"user-{mac('S', b'ada@example.com').hex()[:12]}@example.invalid"}
    }


def test_fake_phone_is_plus_1555_and_7_digits_of_the_hmac() -> None:
    out = masked({"path": "phone", "action": "fake_phone"}, {"phone": {"S": "+12065550100"}})
    digest = mac("S", b"+12065550100")
    assert out == {"phone": {"S": f"+1555{int.from_bytes(digest[:8], 'big') % 10**7:07d}"}}
    assert re.fullmatch(r"\+1555[0-9]{7}", out["phone"]["S"])


def test_fake_name_picks_a_first_and_a_last_name_by_the_hmacs_first_bytes() -> None:
    out = masked({"path": "name", "action": "fake_name"}, {"name": {"S": "Ada Lovelace"}})
    digest = mac("S", b"Ada Lovelace")
    first, last = out["name"]["S"].split(" ")
    assert first == masking._FIRST_NAMES[digest[0] % 64]
    assert last == masking._LAST_NAMES[digest[1] % 64]


def test_the_name_lists_hold_64_distinct_names_each() -> None:
    for names in (masking._FIRST_NAMES, masking._LAST_NAMES):
        assert len(names) == len(set(names)) == 64
        assert all(re.fullmatch(r"[A-Z][a-z]+", name) for name in names)


def test_a_fake_name_equal_to_the_name_it_replaces_changes_nothing() -> None:
    """With 4,096 names, some name is its own fake under most secrets: find one."""
    names = [f"{first} {last}" for first in masking._FIRST_NAMES for last in masking._LAST_NAMES]

    def fake_name(name: str, secret: bytes) -> str:
        digest = mac("S", name.encode(), secret)
        return f"{masking._FIRST_NAMES[digest[0] % 64]} {masking._LAST_NAMES[digest[1] % 64]}"

    for number in range(100):
        secret = f"secret {number}".encode()
        fixed = [name for name in names if fake_name(name, secret) == name]
        if fixed:
            break
    assert fixed, "no name is its own fake under 100 secrets"
    one = masker({"path": "name", "action": "fake_name"}, secret=secret)
    assert one.mask({"name": {"S": fixed[0]}}) is None
    other = next(name for name in names if name not in fixed)
    assert one.mask({"name": {"S": other}}) == {
        "name": {"S": fake_name(other, secret)},
        MARKER_ATTRIBUTE: {"S": MARKER},
    }


@pytest.mark.parametrize("action", ["fake_email", "fake_phone", "fake_name"])
def test_fakes_of_a_string_set_fake_each_member(action: str) -> None:
    out = masked({"path": "a", "action": action}, {"a": {"SS": ["x", "y", "z"]}})
    one = masker({"path": "a", "action": action})
    each = set()
    for member in ("x", "y", "z"):
        single = one.mask({"a": {"S": member}})
        assert single is not None
        each.add(single["a"]["S"])
    assert out == {"a": {"SS": sorted(each)}}


@pytest.mark.parametrize("action", ["fake_email", "fake_phone", "fake_name"])
@pytest.mark.parametrize(
    "value",
    [{"N": "42"}, {"B": b"\x07"}, {"NS": ["1", "2"]}, {"M": {"a": {"S": "b"}}}, {"L": []}],
    ids=["N", "B", "NS", "M", "L"],
)
def test_fakes_hash_what_is_not_a_string(action: str, value: dict[str, Any]) -> None:
    assert masked({"path": "a", "action": action}, {"a": value}) == masked(
        {"path": "a", "action": "hash"}, {"a": value}
    )


def test_fakes_are_deterministic_and_differ_for_different_values() -> None:
    rules = (
        {"path": "e", "action": "fake_email"},
        {"path": "p", "action": "fake_phone"},
        {"path": "n", "action": "fake_name"},
    )
    item = {"e": {"S": "a@example.com"}, "p": {"S": "+1"}, "n": {"S": "Ada"}}
    other = {"e": {"S": "b@example.com"}, "p": {"S": "+2"}, "n": {"S": "Bob"}}
    assert masker(*rules).mask(item) == masker(*rules).mask(item)
    first, second = masker(*rules).mask(item), masker(*rules).mask(other)
    assert first is not None and second is not None
    assert first["e"] != second["e"] and first["p"] != second["p"]


# ---- paths -----------------------------------------------------------------------------

CUSTOMER: dict[str, Any] = {
    "pk": {"S": "CUST-1"},
    "address": {"M": {"street": {"S": "1 Main St"}, "city": {"S": "Springfield"}}},
    "contacts": {
        "L": [
            {"M": {"phone": {"S": "+1"}}},
            {"M": {"phone": {"S": "+2"}}},
            {"M": {"email": {"S": "x@example.com"}}},
        ]
    },
    "matrix": {"L": [{"L": [{"N": "1"}, {"N": "2"}]}, {"L": [{"N": "3"}]}, {"N": "4"}]},
    "tags": {"L": [{"S": "a"}, {"S": "b"}]},
    "set": {"SS": ["a", "b"]},
}


def test_a_nested_map_path_masks_only_its_entry() -> None:
    out = masked({"path": "address.street", "action": "redact"}, CUSTOMER)
    assert out == {
        **CUSTOMER,
        "address": {"M": {"street": {"S": "***"}, "city": {"S": "Springfield"}}},
    }


def test_a_list_position_masks_only_that_element() -> None:
    out = masked({"path": "contacts[1].phone", "action": "null"}, CUSTOMER)
    contacts = copy.deepcopy(CUSTOMER["contacts"])
    contacts["L"][1]["M"]["phone"] = {"NULL": True}
    assert out == {**CUSTOMER, "contacts": contacts}


def test_every_element_that_has_the_rest_of_the_path_is_masked() -> None:
    out = masked({"path": "contacts[*].phone", "action": "redact"}, CUSTOMER)
    contacts = copy.deepcopy(CUSTOMER["contacts"])
    contacts["L"][0]["M"]["phone"] = {"S": "***"}
    contacts["L"][1]["M"]["phone"] = {"S": "***"}
    assert out == {**CUSTOMER, "contacts": contacts}


def test_nested_lists() -> None:
    first_row = masked({"path": "matrix[0][*]", "action": "redact"}, CUSTOMER)
    assert first_row["matrix"] == {
        "L": [{"L": [{"N": "0"}, {"N": "0"}]}, {"L": [{"N": "3"}]}, {"N": "4"}]
    }
    second_column = masked({"path": "matrix[*][1]", "action": "null"}, CUSTOMER)
    assert second_column["matrix"] == {
        "L": [{"L": [{"N": "1"}, {"NULL": True}]}, {"L": [{"N": "3"}]}, {"N": "4"}]
    }


def test_every_element_of_a_list() -> None:
    out = masked({"path": "tags[*]", "action": "hash"}, CUSTOMER)
    assert out["tags"] == {"L": [{"S": mac("S", b"a").hex()}, {"S": mac("S", b"b").hex()}]}


def test_a_whole_list_or_map() -> None:
    assert masked({"path": "contacts", "action": "redact"}, CUSTOMER)["contacts"] == {"L": []}
    assert masked({"path": "address", "action": "remove"}, CUSTOMER).keys() == (
        CUSTOMER.keys() - {"address"}
    )


@pytest.mark.parametrize(
    "path",
    [
        "missing",
        "address.missing",
        "address.street.deeper",  # a step into a string
        "contacts[3].phone",  # beyond the list
        "contacts[0].missing",
        "contacts.phone",  # a name step into a list
        "address[0]",  # a position step into a map
        "address[*]",
        "set[*]",  # a set is not a list
        "tags[*].x",  # elements that are strings
        "matrix[2][0]",  # element 2 is a number
    ],
)
def test_a_path_the_item_does_not_have_leaves_it_as_it_is(path: str) -> None:
    for action in ("redact", "hash", "null", "remove"):
        if action == "remove" and path.endswith("]"):
            continue
        assert mask({"path": path, "action": action}, CUSTOMER) is None, action


def test_an_empty_list_with_every_element() -> None:
    assert mask({"path": "l[*]", "action": "redact"}, {"l": {"L": []}}) is None


def test_attribute_names_with_spaces_and_other_characters() -> None:
    item = {"first name": {"S": "Ada"}, "e-mail:primary": {"M": {"@v": {"S": "a@example.com"}}}}
    out = masker(
        {"path": "first name", "action": "redact"},
        {"path": "e-mail:primary.@v", "action": "redact"},
    ).mask(item)
    assert out == {
        "first name": {"S": "***"},
        "e-mail:primary": {"M": {"@v": {"S": "***"}}},
        MARKER_ATTRIBUTE: {"S": MARKER},
    }


def test_rules_apply_in_order_each_to_the_result_of_those_before() -> None:
    item = {"profile": {"M": {"email": {"S": "a@example.com"}, "age": {"N": "42"}}}}
    out = masker(
        {"path": "profile.email", "action": "set", "value": "x"},
        {"path": "profile", "action": "hash"},
    ).mask(item)
    assert out is not None
    assert out["profile"] == {"S": mac("M", b'{"age":{"N":"42e0"},"email":{"S":"x"}}').hex()}


# ---- the marker, no mutation -----------------------------------------------------------


def test_the_marker_is_added_to_a_changed_item() -> None:
    out = mask({"path": "address.street", "action": "redact"}, CUSTOMER)
    assert out is not None
    assert out[MARKER_ATTRIBUTE] == {"S": MARKER}


def test_an_item_that_carries_the_marker_is_not_masked_again() -> None:
    item = {**CUSTOMER, MARKER_ATTRIBUTE: {"S": MARKER}}
    assert mask({"path": "address.street", "action": "redact"}, item) is None


def test_masking_the_masked_item_gives_nothing_to_write() -> None:
    rules = (
        {"path": "pk", "action": "hash"},
        {"path": "contacts[*].phone", "action": "fake_phone"},
    )
    once = masker(*rules).mask(CUSTOMER)
    assert once is not None
    assert masker(*rules).mask(once) is None


def test_an_item_with_another_marker_is_masked_and_carries_this_one() -> None:
    item = {"a": {"S": "x"}, MARKER_ATTRIBUTE: {"S": "f" * 32}}
    out = mask({"path": "a", "action": "redact"}, item)
    assert out == {"a": {"S": "***"}, MARKER_ATTRIBUTE: {"S": MARKER}}


def test_an_item_no_rule_changes_gives_nothing_to_write() -> None:
    assert mask({"path": "missing", "action": "redact"}, CUSTOMER) is None


def test_no_rules_give_nothing_to_write() -> None:
    assert Masker((), None, MARKER).mask(CUSTOMER) is None


def test_masking_never_changes_its_argument() -> None:
    item = copy.deepcopy(CUSTOMER)
    rules = [{"path": path, "action": "redact"} for path in ("address.street", "matrix[*][0]")]
    rules += [
        {"path": "contacts[*].phone", "action": "remove"},
        {"path": "tags", "action": "hash"},
        {"path": "pk", "action": "remove"},
    ]
    out = masker(*rules).mask(item)
    assert out is not None and out != CUSTOMER
    assert item == CUSTOMER


def test_the_result_shares_only_what_no_rule_changed() -> None:
    out = mask({"path": "contacts[0].phone", "action": "redact"}, CUSTOMER)
    assert out is not None
    assert out["address"] is CUSTOMER["address"]
    assert out["contacts"] is not CUSTOMER["contacts"]
    assert out["contacts"]["L"][1] is CUSTOMER["contacts"]["L"][1]
    assert out["contacts"]["L"][0] is not CUSTOMER["contacts"]["L"][0]


def test_masking_is_deterministic() -> None:
    rules = (
        {"path": "pk", "action": "fake_name"},
        {"path": "matrix", "action": "hash"},
        {"path": "set", "action": "fake_email"},
    )
    assert masker(*rules).mask(CUSTOMER) == masker(*rules).mask(CUSTOMER)


def test_a_value_that_is_not_an_attribute_value_is_refused_without_showing_it() -> None:
    with pytest.raises(ValueError, match=r"type 'X'; expected one of S, N, B") as raised:
        mask({"path": "a", "action": "redact"}, {"a": {"X": "hidden-1"}})
    assert "hidden-1" not in str(raised.value)
    with pytest.raises(ValueError, match="N attribute value is not a decimal number") as raised:
        mask({"path": "a", "action": "hash"}, {"a": {"N": "hidden-2"}})
    assert "hidden-2" not in str(raised.value)
    with pytest.raises(ValueError, match="an object with 2 keys; expected an object with one"):
        mask({"path": "a", "action": "redact"}, {"a": {"S": "x", "N": "1"}})


# ---- the rules' checks -----------------------------------------------------------------


def test_rules_are_parsed_in_order() -> None:
    assert parse_rules(
        [
            {"path": "ssn", "action": "remove"},
            {"path": "note", "action": "set", "value": "n/a"},
            {"path": "email", "action": "hash", "value": None},
        ]
    ) == (Rule("ssn", "remove"), Rule("note", "set", "n/a"), Rule("email", "hash"))
    assert parse_rules([]) == ()


@pytest.mark.parametrize(
    "path",
    [
        "email",
        "a.b.c",
        "contacts[*].phone",
        "matrix[0][*]",
        "tags[*]",
        "a[10].b[0]",
        "first name",
        "a:b",
        "*",
    ],
)
def test_valid_paths(path: str) -> None:
    assert parse_rules([{"path": path, "action": "redact"}]) == (Rule(path, "redact"),)


def refused(rules: list[Any], *fragments: str) -> str:
    with pytest.raises(RuleError) as raised:
        parse_rules(rules)
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


OK = {"path": "ok", "action": "redact"}


def test_an_unknown_action_is_refused_with_the_list_of_actions() -> None:
    refused(
        [OK, {"path": "email", "action": "scramble"}],
        "masking rule 2 (path 'email')",
        "unknown action 'scramble'",
        "expected one of " + ", ".join(ACTIONS),
    )


def test_a_rule_without_an_action_is_refused() -> None:
    refused([{"path": "email"}], "masking rule 1 (path 'email')", "no action", "expected one of")


def test_an_empty_path_is_refused() -> None:
    refused([OK, OK | {"path": ""}], "masking rule 2 (path '')", "empty", "expected names")


def test_a_rule_without_a_path_is_refused() -> None:
    refused([{"action": "redact"}], "masking rule 1 has no path", "expected names")


@pytest.mark.parametrize(
    "path",
    [
        ".a",
        "a.",
        "a..b",
        "[0]",
        "a[",
        "a[]",
        "a[-1]",
        "a[01]",
        "a[x]",
        "a]b",
        "a[0]b",
        "a.[0]",
        "a[*",
    ],
)
def test_a_malformed_path_is_refused(path: str) -> None:
    refused(
        [OK, {"path": "ok2", "action": "null"}, {"path": path, "action": "redact"}],
        f"masking rule 3 (path {path!r})",
        "not a valid path",
        "expected names separated by '.'",
        "'[n]'",
        "'[*]'",
    )


def test_a_path_that_is_not_a_string_is_refused() -> None:
    refused([{"path": 5, "action": "redact"}], "masking rule 1 (path 5)", "expected a string")


def test_set_without_a_value_is_refused() -> None:
    for rule in ({"path": "a", "action": "set"}, {"path": "a", "action": "set", "value": None}):
        refused([rule], "masking rule 1 (path 'a')", '"set" needs a value', "expected a string")


def test_set_with_a_value_that_is_not_a_string_is_refused() -> None:
    refused(
        [{"path": "a", "action": "set", "value": 5}],
        "masking rule 1 (path 'a')",
        "the value is a int; expected a string",
    )


@pytest.mark.parametrize("action", [action for action in ACTIONS if action != "set"])
def test_a_value_on_another_action_is_refused(action: str) -> None:
    refused(
        [{"path": "a", "action": action, "value": "x"}],
        "masking rule 1 (path 'a')",
        f'action "{action}" takes no value',
        'expected a value only with "set"',
    )


@pytest.mark.parametrize("path", ["tags[0]", "tags[*]", "a.b[*][2]"])
def test_remove_of_a_list_position_is_refused(path: str) -> None:
    refused(
        [{"path": path, "action": "remove"}],
        f"masking rule 1 (path {path!r})",
        '"remove" needs a path that ends in a name',
        "use null or redact",
    )


@pytest.mark.parametrize(
    "path", [MARKER_ATTRIBUTE, MARKER_ATTRIBUTE + ".x", MARKER_ATTRIBUTE + "[0]"]
)
def test_a_rule_on_the_marker_attribute_is_refused(path: str) -> None:
    refused(
        [{"path": path, "action": "redact"}],
        f"masking rule 1 (path {path!r})",
        "the attribute the masking pass writes",
        "expected a path to an attribute",
    )


def test_a_nested_name_like_the_marker_is_a_path_like_any_other() -> None:
    assert parse_rules([{"path": "a." + MARKER_ATTRIBUTE, "action": "redact"}])


def test_two_rules_with_the_same_path_are_refused() -> None:
    refused(
        [{"path": "email", "action": "hash"}, OK, {"path": "email", "action": "redact"}],
        "masking rule 3 (path 'email')",
        "the same path as masking rule 1",
        "expected one rule per path",
    )


def test_unknown_fields_are_refused() -> None:
    refused(
        [{"path": "a", "action": "set", "valeu": "x"}],
        "masking rule 1 (path 'a')",
        "unknown field(s) valeu",
        "expected only path, action and value",
    )


def test_rules_that_are_not_a_list_of_objects_are_refused() -> None:
    refused({"path": "a", "action": "redact"}, "are a dict", "expected a list")  # type: ignore[arg-type]
    refused(["email"], "masking rule 1 is a str", "expected an object")


def test_masker_checks_rules_made_without_parse_rules() -> None:
    with pytest.raises(RuleError, match=r"masking rule 2 \(path 'a\.\.b'\): not a valid path"):
        Masker([Rule("ok", "redact"), Rule("a..b", "redact")], SECRET, MARKER)
    with pytest.raises(RuleError, match=r"masking rule 2 .*the same path as masking rule 1"):
        Masker([Rule("a", "redact"), Rule("a", "hash")], SECRET, MARKER)


@pytest.mark.parametrize("action", ["hash", "fake_email", "fake_phone", "fake_name"])
@pytest.mark.parametrize("secret", [None, b""], ids=["None", "empty"])
def test_masker_refuses_keyed_rules_without_a_secret(action: str, secret: bytes | None) -> None:
    with pytest.raises(
        RuleError,
        match=rf"^masking rule 2 \(path 'b'\): action '{action}' needs the masking secret "
        r".*expected a non-empty secret",
    ):
        masker({"path": "a", "action": "redact"}, {"path": "b", "action": action}, secret=secret)


def test_rules_without_keys_need_no_secret() -> None:
    rules = [{"path": "a", "action": action} for action in ("redact", "null", "remove")]
    rules = [rule | {"path": f"a{n}"} for n, rule in enumerate(rules)]
    assert masker(*rules, secret=None).mask({"a0": {"S": "x"}}) == {
        "a0": {"S": "***"},
        MARKER_ATTRIBUTE: {"S": MARKER},
    }


def test_masker_refuses_a_secret_that_is_not_bytes_and_an_empty_marker() -> None:
    with pytest.raises(ValueError, match="the masking secret is a str; expected bytes"):
        Masker([Rule("a", "hash")], "text", MARKER)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="marker is ''; expected marker_value"):
        Masker([Rule("a", "redact")], SECRET, "")


# ---- key conflicts, digest, marker -----------------------------------------------------


def test_key_conflicts_names_each_rule_on_a_key_attribute() -> None:
    rules = parse_rules(
        [
            {"path": "pk", "action": "hash"},
            {"path": "profile.pk", "action": "redact"},
            {"path": "sk[0]", "action": "null"},
            {"path": "email", "action": "hash"},
        ]
    )
    messages = key_conflicts(rules, {"pk", "sk"})
    assert len(messages) == 2
    assert messages[0].startswith("masking rule 1 (path 'pk'): 'pk' is a key attribute")
    assert messages[1].startswith("masking rule 3 (path 'sk[0]'): 'sk' is a key attribute")
    assert all("expected a path outside the key attributes (pk, sk)" in m for m in messages)


def test_no_key_conflicts() -> None:
    assert key_conflicts(parse_rules([{"path": "email", "action": "hash"}]), ["pk"]) == []
    assert key_conflicts((), ["pk"]) == []


def test_key_attributes_given_as_one_string_are_refused() -> None:
    with pytest.raises(ValueError, match="expected a collection of attribute names"):
        key_conflicts((), "pk")


def test_rules_digest_is_the_sha256_of_the_rules_canonical_json() -> None:
    rules = parse_rules(
        [{"path": "email", "action": "hash"}, {"path": "n", "action": "set", "value": "é"}]
    )
    canonical = b'[["email","hash",null],["n","set","\\u00e9"]]'
    assert rules_digest(rules) == hashlib.sha256(canonical).hexdigest()
    assert rules_digest(rules[::-1]) != rules_digest(rules)
    assert rules_digest(parse_rules([{"path": "n", "action": "set", "value": "x"}])) != (
        rules_digest(parse_rules([{"path": "n", "action": "set", "value": "y"}]))
    )


def test_marker_value_is_32_hex_digits_of_the_table_rules_and_transform() -> None:
    rules = parse_rules([{"path": "email", "action": "hash"}])
    digest = rules_digest(rules)
    expected = hashlib.sha256(f'["table-id-1","{digest}",false]'.encode()).hexdigest()[:32]
    assert marker_value("table-id-1", rules) == expected
    assert re.fullmatch("[0-9a-f]{32}", expected)
    assert marker_value("table-id-2", rules) != expected
    assert marker_value("table-id-1", rules, has_transform=True) != expected
    assert marker_value("table-id-1", ()) != expected


def test_marker_value_needs_a_table_id() -> None:
    with pytest.raises(ValueError, match="table_id is ''; expected the copy's TableId"):
        marker_value("", ())


# ---- item sizes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "size"),
    [
        ({"name": {"S": "Alice"}}, 4 + 5),
        ({"é": {"S": "ü€"}}, 2 + 2 + 3),  # UTF-8 bytes of the name and the string
        ({"n": {"N": "12345"}}, 1 + 3 + 1),  # 5 significant digits: 3 bytes, + 1
        ({"n": {"N": "1.50"}}, 1 + 1 + 1),  # "15"
        ({"n": {"N": "-0.000123"}}, 1 + 2 + 1),  # "123"
        ({"n": {"N": "100"}}, 1 + 1 + 1),  # "1"
        ({"n": {"N": "1E+5"}}, 1 + 1 + 1),
        ({"n": {"N": "0"}}, 1 + 0 + 1),
        ({"n": {"N": "9" * 38}}, 1 + 19 + 1),
        ({"b": {"B": b"\x00\x01\x02"}}, 1 + 3),
        ({"t": {"BOOL": True}, "z": {"NULL": True}}, 1 + 1 + 1 + 1),
        ({"l": {"L": []}, "m": {"M": {}}}, 1 + 3 + 1 + 3),
        ({"l": {"L": [{"S": "ab"}, {"N": "1"}]}}, 1 + 3 + 2 + 2 + 2),
        ({"m": {"M": {"k": {"S": "v"}}}}, 1 + 3 + 1 + (1 + 1)),
        ({"m": {"M": {"in": {"L": [{"NULL": True}]}}}}, 1 + 3 + 1 + 2 + (3 + 1 + 1)),
        ({"ss": {"SS": ["a", "bc"]}}, 2 + 3),
        ({"ns": {"NS": ["1", "22", "333"]}}, 2 + 2 + 2 + 3),
        ({"bs": {"BS": [b"x", b"yz"]}}, 2 + 3),
        ({}, 0),
    ],
)
def test_item_size(item: dict[str, Any], size: int) -> None:
    assert item_size(item) == size


def test_item_size_grows_with_the_marker() -> None:
    out = mask({"path": "address.street", "action": "redact"}, CUSTOMER)
    assert out is not None
    street = len("1 Main St") - len("***")
    assert item_size(out) == item_size(CUSTOMER) - street + len(MARKER_ATTRIBUTE) + len(MARKER)


# ---- key problems ----------------------------------------------------------------------

KEYS = {"pk": "S", "sk": "N"}


def test_an_item_with_its_keys_has_no_key_problem() -> None:
    assert key_problem({"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"NULL": True}}, KEYS) is None
    assert key_problem({"id": {"B": b"\x01"}}, {"id": "B"}) is None


def test_a_missing_key_attribute() -> None:
    assert key_problem({"pk": {"S": "a"}}, KEYS) == "key attribute 'sk' is missing; expected type N"


def test_a_key_attribute_of_another_type_is_named_without_its_value() -> None:
    problem = key_problem({"pk": {"N": "4111111111111111"}, "sk": {"N": "1"}}, KEYS)
    assert problem == "key attribute 'pk' has type N; expected type S"


def test_a_key_that_is_not_an_attribute_value() -> None:
    problem = key_problem({"pk": "plain-4111", "sk": {"N": "1", "S": "x"}}, KEYS)
    assert problem == (
        "key attribute 'pk' is a str, not an attribute value; expected type S; "
        "key attribute 'sk' is an object with 2 keys, not an attribute value; expected type N"
    )
    assert "4111" not in problem


def test_a_key_schema_with_a_type_keys_cannot_have_is_refused() -> None:
    with pytest.raises(
        ValueError, match="key attribute 'pk' is declared of type 'M'; expected S, N or B"
    ):
        key_problem({"pk": {"S": "a"}}, {"pk": "M"})


# ---- the benchmark's items -------------------------------------------------------------


def test_the_benchmarks_items_are_about_1_kb_and_every_rule_changes_each() -> None:
    """bench/masking.py measures what it says: about 1 KB, 20 attributes, five rules that
    each change every item."""
    items = [bench.item(number) for number in range(50)]
    sizes = [item_size(item) for item in items]
    assert min(sizes) >= 900 and max(sizes) <= 1100
    assert all(len(item) == 20 for item in items)
    assert len(bench.RULES) == 5
    for rule in bench.RULES:
        one = Masker([rule], bench.SECRET, MARKER)
        assert all(one.mask(item) is not None for item in items), rule
    assert MARKER_ATTRIBUTE not in items[0]
