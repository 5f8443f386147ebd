"""Properties of the masking engine over random DynamoDB items and random valid rules:
deterministic, idempotent, keys untouched, each rule applied exactly where its path
reaches and nothing else changed, and the types the actions keep.

The expected output is computed by a reference written here from the documented
behaviour (a deep copy, every location a path reaches, ``hmac.new`` for the hashes),
not by the module. Generated rules have paths that do not overlap (no path reaches a
location another reaches or one inside it), so the order the rules apply in does not
matter to the reference.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from collections.abc import Callable
from decimal import Context, Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rotator import masking
from rotator.masking import (
    ACTIONS,
    MARKER_ATTRIBUTE,
    Masker,
    Rule,
    key_conflicts,
    marker_value,
    parse_rules,
)
from tests.fuzzing import examples

Step = str | int | None  # a name, a list position, every element
MARKER = marker_value("table-id-of-the-copy", ())

# ---- random items ----------------------------------------------------------------------

NAMES = st.sampled_from(["a", "b", "c", "d", "é", "k 1"])
KEY_NAMES = ("pk", "sk")
TEXT = st.text(max_size=6)
NUMBER_TEXT = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.decimals(
        min_value=-(10**6), max_value=10**6, places=3, allow_nan=False, allow_infinity=False
    ).map(str),
    st.builds(
        lambda digits, exponent: f"{digits}E{exponent:+d}",
        st.integers(1, 999),
        st.integers(-40, 40),
    ),
)
SCALARS = st.one_of(
    TEXT.map(lambda text: {"S": text}),
    NUMBER_TEXT.map(lambda number: {"N": number}),
    st.binary(max_size=6).map(lambda data: {"B": data}),
    st.booleans().map(lambda flag: {"BOOL": flag}),
    st.just({"NULL": True}),
    st.lists(TEXT, min_size=1, max_size=4, unique=True).map(lambda members: {"SS": members}),
    st.lists(NUMBER_TEXT, min_size=1, max_size=4, unique_by=Decimal).map(
        lambda members: {"NS": members}
    ),
    st.lists(st.binary(max_size=4), min_size=1, max_size=4, unique=True).map(
        lambda members: {"BS": members}
    ),
)


def values(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    """Attribute values with maps and lists nested up to ``depth`` levels; below the
    last level, two values in three are a list or a map, so paths reach into them."""
    if depth == 0:
        return SCALARS
    inner = values(depth - 1)
    kinds = {
        "scalar": SCALARS,
        "L": st.lists(inner, max_size=4).map(lambda elements: {"L": elements}),
        "M": st.dictionaries(NAMES, inner, max_size=4).map(lambda entries: {"M": entries}),
    }
    return st.sampled_from(["L", "M", "scalar"]).flatmap(kinds.__getitem__)


VALUES = values(3)
KEY_VALUES = st.one_of(
    st.text(min_size=1, max_size=6).map(lambda text: {"S": text}),
    NUMBER_TEXT.map(lambda number: {"N": number}),
    st.binary(min_size=1, max_size=6).map(lambda data: {"B": data}),
)


def only(value: dict[str, Any]) -> tuple[str, Any]:
    ((tag, inner),) = value.items()
    return tag, inner


def locations(item: dict[str, Any]) -> list[list[Step]]:
    """Every location in the item: the steps from an attribute to a value in it."""
    found: list[list[Step]] = []

    def walk(steps: list[Step], value: dict[str, Any]) -> None:
        found.append(steps)
        tag, inner = only(value)
        if tag == "M":
            for name, child in inner.items():
                walk([*steps, name], child)
        elif tag == "L":
            for position, child in enumerate(inner):
                walk([*steps, position], child)

    for name, value in item.items():
        walk([name], value)
    return found


def render(steps: list[Step]) -> str:
    text = ""
    for step in steps:
        if isinstance(step, str):
            text += f".{step}" if text else step
        else:
            text += "[*]" if step is None else f"[{step}]"
    return text


def overlap(one: list[Step], other: list[Step]) -> bool:
    """True when a location one path reaches is, or is inside, one the other reaches."""
    for a, b in zip(one, other, strict=False):
        if isinstance(a, str) or isinstance(b, str):
            if a != b:
                return False
        elif a is not None and b is not None and a != b:
            return False
    return True


RANDOM_STEPS = st.tuples(
    st.one_of(NAMES, st.just("zz")),
    st.lists(st.one_of(NAMES, st.integers(0, 3), st.none()), max_size=3),
).map(lambda parts: [parts[0], *parts[1]])


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], tuple[Rule, ...]]:
    """(item, its key attributes, rules): one to five rules with paths that do not
    overlap, mostly to locations the item has, none to a key attribute."""
    keys = draw(st.dictionaries(st.sampled_from(KEY_NAMES), KEY_VALUES, min_size=1))
    attributes = draw(st.dictionaries(NAMES, VALUES, min_size=1, max_size=5))
    found = locations(attributes)
    chosen: list[list[Step]] = []
    for _ in range(draw(st.integers(1, 5))):
        to_a_location = draw(st.integers(0, 3)) > 0  # mostly
        if found and to_a_location:
            location = draw(st.sampled_from(found))
            steps = [
                None if isinstance(step, int) and draw(st.booleans()) else step for step in location
            ]
        else:
            steps = draw(RANDOM_STEPS)
        if not any(overlap(steps, other) for other in chosen):
            chosen.append(steps)
    raw = []
    for steps in chosen:
        action = draw(st.sampled_from(ACTIONS))
        if action == "remove" and not isinstance(steps[-1], str):
            action = draw(st.sampled_from(["null", "redact"]))
        rule: dict[str, Any] = {"path": render(steps), "action": action}
        if action == "set":
            rule["value"] = draw(TEXT)
        raw.append(rule)
    return {**attributes, **keys}, keys, parse_rules(raw)


SECRETS = st.binary(min_size=1, max_size=80)

# ---- the reference ---------------------------------------------------------------------


def canonical_number(text: str) -> str:
    number = Decimal(text)
    if number.is_zero():
        return "0e0"
    sign, digits, exponent = number.normalize(Context(prec=100)).as_tuple()
    return f"{'-' if sign else ''}{''.join(map(str, digits))}e{exponent}"


def canonical(value: dict[str, Any]) -> dict[str, Any]:
    """The value in the documented canonical form: its type tag around a JSON form."""
    tag, inner = only(value)
    b64 = base64.b64encode
    forms: dict[str, Callable[[], Any]] = {
        "S": lambda: inner,
        "N": lambda: canonical_number(inner),
        "B": lambda: b64(inner).decode(),
        "BOOL": lambda: inner,
        "NULL": lambda: inner,
        "SS": lambda: sorted(set(inner)),
        "NS": lambda: sorted({canonical_number(member) for member in inner}),
        "BS": lambda: sorted({b64(member).decode() for member in inner}),
        "L": lambda: [canonical(element) for element in inner],
        "M": lambda: {name: canonical(element) for name, element in inner.items()},
    }
    return {tag: forms[tag]()}


def mac(secret: bytes, tag: str, payload: bytes) -> bytes:
    return hmac.new(secret, tag.encode() + b":" + payload, hashlib.sha256).digest()


def hashed_number(secret: bytes, text: str) -> str:
    return str(int(mac(secret, "N", canonical_number(text).encode()).hex()[:13], 16))


def hashed(secret: bytes, value: dict[str, Any]) -> dict[str, Any]:
    tag, inner = only(value)
    if tag == "S":
        return {"S": mac(secret, "S", inner.encode()).hex()}
    if tag == "N":
        return {"N": hashed_number(secret, inner)}
    if tag == "B":
        return {"B": mac(secret, "B", inner)}
    if tag == "SS":
        return {"SS": sorted({mac(secret, "S", member.encode()).hex() for member in inner})}
    if tag == "NS":
        return {"NS": sorted({hashed_number(secret, member) for member in inner}, key=int)}
    if tag == "BS":
        return {"BS": sorted({mac(secret, "B", member) for member in inner})}
    if tag in ("L", "M"):
        text = json.dumps(canonical(value)[tag], sort_keys=True, separators=(",", ":"))
        return {"S": mac(secret, tag, text.encode()).hex()}
    return value


def fake(action: str, digest: bytes) -> str:
    if action == "fake_email":
        return f"user-{digest.hex()[:12]}@example.invalid"
    if action == "fake_phone":
        return f"+1555{int(digest[:8].hex(), 16) % 10**7:07d}"
    return f"{masking._FIRST_NAMES[digest[0] % 64]} {masking._LAST_NAMES[digest[1] % 64]}"


REDACTED: dict[str, dict[str, Any]] = {
    "S": {"S": "***"},
    "N": {"N": "0"},
    "B": {"B": b""},
    "BOOL": {"BOOL": False},
    "NULL": {"NULL": True},
    "SS": {"SS": ["***"]},
    "NS": {"NS": ["0"]},
    "BS": {"BS": [b""]},
    "L": {"L": []},
    "M": {"M": {}},
}


def expected_value(rule: Rule, secret: bytes, value: dict[str, Any]) -> dict[str, Any]:
    tag, inner = only(value)
    if rule.action == "set":
        return {"S": rule.value}
    if rule.action == "null":
        return {"NULL": True}
    if rule.action == "redact":
        return REDACTED[tag]
    if rule.action == "hash":
        return hashed(secret, value)
    if tag == "S":
        return {"S": fake(rule.action, mac(secret, "S", inner.encode()))}
    if tag == "SS":
        return {"SS": sorted({fake(rule.action, mac(secret, "S", m.encode())) for m in inner})}
    return hashed(secret, value)


def steps_of(path: str) -> list[Step]:
    steps: list[Step] = []
    for part in path.replace("[", ".[").split("."):
        if part.startswith("["):
            steps.append(None if part == "[*]" else int(part[1:-1]))
        elif part:
            steps.append(part)
    return steps


def reached(item: dict[str, Any], steps: list[Step]) -> list[tuple[list[Step], Any]]:
    """Every (location, value) the path's steps reach in the item."""
    first = steps[0]
    assert isinstance(first, str)
    if first not in item:
        return []
    frontier: list[tuple[list[Step], Any]] = [([first], item[first])]
    for step in steps[1:]:
        following = []
        for location, value in frontier:
            tag, inner = only(value)
            if isinstance(step, str):
                if tag == "M" and step in inner:
                    following.append(([*location, step], inner[step]))
            elif tag == "L":
                positions = (
                    range(len(inner)) if step is None else range(step, min(step + 1, len(inner)))
                )
                following += [([*location, position], inner[position]) for position in positions]
        frontier = following
    return frontier


def container(item: dict[str, Any], location: list[Step]) -> Any:
    """The dict or list that holds the location's value."""
    holder: Any = item
    for step in location[:-1]:
        holder = holder[step]
        holder = holder["M"] if "M" in holder else holder["L"]
    return holder


def reference(item: dict[str, Any], rules: tuple[Rule, ...], secret: bytes) -> dict[str, Any]:
    """The item with every rule applied at each location its path reaches."""
    expected = copy.deepcopy(item)
    for rule in rules:
        for location, value in reached(item, steps_of(rule.path)):
            holder = container(expected, location)
            if rule.action == "remove":
                del holder[location[-1]]
            else:
                holder[location[-1]] = expected_value(rule, secret, value)
    return expected


def test_the_references_path_reading_agrees_with_the_rules() -> None:
    assert steps_of("a.b[0][*].k 1") == ["a", "b", 0, None, "k 1"]
    assert render(["a", "b", 0, None, "k 1"]) == "a.b[0][*].k 1"


# ---- the properties --------------------------------------------------------------------


@settings(max_examples=examples(600), deadline=None)
@given(case=cases(), secret=SECRETS)
def test_every_rule_is_applied_where_its_path_reaches_and_nothing_else_changes(
    case: tuple[dict[str, Any], dict[str, Any], tuple[Rule, ...]], secret: bytes
) -> None:
    item, _, rules = case
    original = copy.deepcopy(item)
    out = Masker(rules, secret, MARKER).mask(item)
    expected = reference(original, rules, secret)
    if expected == original:
        assert out is None
    else:
        assert out == {**expected, MARKER_ATTRIBUTE: {"S": MARKER}}
    assert item == original  # the argument is never changed


@settings(max_examples=examples(400), deadline=None)
@given(case=cases(), secret=SECRETS)
def test_masking_is_deterministic(
    case: tuple[dict[str, Any], dict[str, Any], tuple[Rule, ...]], secret: bytes
) -> None:
    item, _, rules = case
    first = Masker(rules, secret, MARKER).mask(item)
    again = Masker(tuple(rules), bytes(secret), MARKER).mask(copy.deepcopy(item))
    assert first == again


@settings(max_examples=examples(400), deadline=None)
@given(case=cases(), secret=SECRETS)
def test_masking_is_idempotent(
    case: tuple[dict[str, Any], dict[str, Any], tuple[Rule, ...]], secret: bytes
) -> None:
    item, _, rules = case
    masker = Masker(rules, secret, MARKER)
    once = masker.mask(item)
    # an item the pass did not write is one it may meet again with the marker already on
    written = once if once is not None else {**item, MARKER_ATTRIBUTE: {"S": MARKER}}
    assert masker.mask(written) is None
    assert Masker(rules, secret, MARKER).mask(written) is None


@settings(max_examples=examples(400), deadline=None)
@given(case=cases(), secret=SECRETS)
def test_key_attributes_are_untouched(
    case: tuple[dict[str, Any], dict[str, Any], tuple[Rule, ...]], secret: bytes
) -> None:
    item, keys, rules = case
    assert key_conflicts(rules, keys) == []
    out = Masker(rules, secret, MARKER).mask(item)
    if out is not None:
        for name, value in keys.items():
            tag, inner = only(value)
            assert out[name] == {tag: inner}
            assert type(only(out[name])[1]) is type(inner)


@settings(max_examples=examples(400), deadline=None)
@given(case=cases(), key=st.sampled_from(KEY_NAMES))
def test_key_conflicts_names_exactly_the_rules_on_a_key(
    case: tuple[dict[str, Any], dict[str, Any], tuple[Rule, ...]], key: str
) -> None:
    _, _, rules = case
    # the rules with their first name changed to the key, every other one
    moved = []
    for position, rule in enumerate(rules):
        first = steps_of(rule.path)[0]
        assert isinstance(first, str)
        on_key = Rule(key + rule.path[len(first) :], rule.action, rule.value)
        moved.append(on_key if position % 2 == 0 else rule)
    messages = key_conflicts(moved, [key])
    positions = [position for position in range(1, len(moved) + 1) if position % 2 == 1]
    assert len(messages) == len(positions)
    for position, message in zip(positions, messages, strict=True):
        assert message.startswith(f"masking rule {position} (path {moved[position - 1].path!r})")


KEPT_BY_HASH = {
    "S": "S",
    "N": "N",
    "B": "B",
    "SS": "SS",
    "NS": "NS",
    "BS": "BS",
    "L": "S",
    "M": "S",
}


@settings(max_examples=examples(600), deadline=None)
@given(value=VALUES, action=st.sampled_from(["redact", "hash"]), secret=SECRETS)
def test_redact_and_hash_keep_the_types_they_document(
    value: dict[str, Any], action: str, secret: bytes
) -> None:
    tag, _ = only(value)
    out = Masker([Rule("a", action)], secret, MARKER).mask({"a": value})
    result = value if out is None else out["a"]
    kept = tag if action == "redact" else KEPT_BY_HASH.get(tag, tag)
    assert only(result)[0] == kept
    if action == "redact":
        assert result == REDACTED[tag]
    if tag in ("SS", "NS", "BS"):  # a set stays a non-empty set without duplicates
        members = only(result)[1]
        assert members and len(set(members)) == len(members)


@settings(max_examples=examples(400), deadline=None)
@given(secret=st.binary(min_size=1, max_size=200), text=st.text(max_size=100))
def test_a_hashed_string_is_the_hmac_whatever_the_secrets_length(secret: bytes, text: str) -> None:
    out = Masker([Rule("a", "hash")], secret, MARKER).mask({"a": {"S": text}})
    assert out is not None
    assert out["a"] == {"S": hmac.new(secret, b"S:" + text.encode(), hashlib.sha256).hexdigest()}
