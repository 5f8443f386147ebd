"""The rule engine of the masking pass: which attributes of a copy's items are replaced,
and with what. Pure: no AWS calls. Items are DynamoDB attribute values as boto3's
low-level client gives them (``{"S": "x"}``, ``{"M": {...}}``), never deserialized.

``Masker.mask`` returns the item to write back, carrying ``MARKER_ATTRIBUTE``, or None
when there is nothing to write. An item that already carries the pass's marker is
returned as None, so a page scanned twice is not masked twice: the pass is idempotent
because every item it writes carries the marker.

``hash`` and the ``fake_*`` actions are keyed HMAC-SHA-256: equal inputs give equal
outputs with the same secret, so frequencies and joins between attributes and tables
stay visible, and a short or low-entropy value (a year of birth, a yes/no) is only as
safe as the secret. ``fake_name`` draws from 64 first and 64 last names: 4,096
combinations, so different names collide.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

MARKER_ATTRIBUTE = "rotator:masked"
ACTIONS = ("remove", "set", "null", "redact", "hash", "fake_email", "fake_phone", "fake_name")
_KEYED_ACTIONS = frozenset({"hash", "fake_email", "fake_phone", "fake_name"})
_TYPES = ("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL")

_NAME = r"[^.\[\]]+"
_POSITION = r"\[(?:0|[1-9][0-9]*|\*)\]"
_PATH = re.compile(rf"{_NAME}(?:{_POSITION})*(?:\.{_NAME}(?:{_POSITION})*)*")
_STEP = re.compile(rf"\.?({_NAME})|\[([0-9]+|\*)\]")
_PATH_EXPECTED = (
    "expected names separated by '.', each followed by any number of list positions "
    "'[n]' (n a non-negative integer without leading zeros) or '[*]', "
    "e.g. 'email', 'address.street' or 'contacts[*].phone'"
)
_RULE_KEYS = frozenset({"path", "action", "value"})

# fake_name: two words chosen by the HMAC's first two bytes (64 x 64 = 4,096 names).
_FIRST_NAMES = (
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
    "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
    "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy",
    "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra", "Donald", "Ashley",
    "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
    "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Dorothy", "George", "Melissa",
    "Timothy", "Deborah", "Ronald", "Stephanie", "Edward", "Rebecca", "Jason", "Sharon",
    "Jeffrey", "Laura", "Ryan", "Cynthia", "Jacob", "Kathleen", "Gary", "Amy",
)  # fmt: skip
_LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
    "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
    "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
    "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker",
    "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy",
)  # fmt: skip

# An attribute value in, the same object out when nothing changes, else its replacement.
_Step = Callable[[Any], Any]


class RuleError(ValueError):
    """A masking rule that cannot be applied; the message names the rule (its 1-based
    position and its path) and says what is expected."""


@dataclass(frozen=True)
class Rule:
    """One masking rule: the action applied at every location ``path`` reaches."""

    path: str
    action: str
    value: str | None = None


# ---- rules ---------------------------------------------------------------------------


def _label(position: int, path: object) -> str:
    return f"masking rule {position} (path {path!r})"


def _steps(position: int, rule: Rule) -> list[str | int | None]:
    """The path's steps: a name (str), a list position (int) or every element (None)."""
    if not rule.path:
        raise RuleError(f"{_label(position, rule.path)}: the path is empty; {_PATH_EXPECTED}")
    if _PATH.fullmatch(rule.path) is None:
        raise RuleError(f"{_label(position, rule.path)}: not a valid path; {_PATH_EXPECTED}")
    steps: list[str | int | None] = []
    for match in _STEP.finditer(rule.path):
        name, index = match.groups()
        if name is not None:
            steps.append(name)
        else:
            steps.append(None if index == "*" else int(index))
    return steps


def _check(position: int, rule: Rule) -> list[str | int | None]:
    """``rule``'s steps, or RuleError when the rule cannot be applied."""
    label = _label(position, rule.path)
    if not isinstance(rule.path, str):
        raise RuleError(f"{label}: the path is a {type(rule.path).__name__}; expected a string")
    if rule.action not in ACTIONS:
        raise RuleError(
            f"{label}: unknown action {rule.action!r}; expected one of {', '.join(ACTIONS)}"
        )
    steps = _steps(position, rule)
    if rule.action == "set":
        if rule.value is None:
            raise RuleError(f'{label}: action "set" needs a value; expected a string value')
        if not isinstance(rule.value, str):
            raise RuleError(
                f"{label}: the value is a {type(rule.value).__name__}; expected a string"
            )
    elif rule.value is not None:
        raise RuleError(
            f'{label}: action "{rule.action}" takes no value; expected a value only with "set"'
        )
    if rule.action == "remove" and not isinstance(steps[-1], str):
        raise RuleError(
            f'{label}: "remove" needs a path that ends in a name, not a list position; '
            "to clear a list element use null or redact"
        )
    if steps[0] == MARKER_ATTRIBUTE:
        raise RuleError(
            f"{label}: {MARKER_ATTRIBUTE!r} is the attribute the masking pass writes; "
            "expected a path to an attribute of the table's items"
        )
    return steps


def _check_all(rules: Sequence[Rule]) -> list[list[str | int | None]]:
    seen: dict[str, int] = {}
    steps = []
    for position, rule in enumerate(rules, start=1):
        steps.append(_check(position, rule))
        if rule.path in seen:
            raise RuleError(
                f"{_label(position, rule.path)}: the same path as masking rule "
                f"{seen[rule.path]}; expected one rule per path"
            )
        seen[rule.path] = position
    return steps


def parse_rules(raw: Sequence[Mapping[str, Any]]) -> tuple[Rule, ...]:
    """The rules of the module input's list of ``{"path", "action", "value"}`` objects
    (``value`` optional or None), checked: RuleError names the first rule that cannot
    be applied and says what is expected."""
    if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, Sequence):
        raise RuleError(
            f"the masking rules are a {type(raw).__name__}; expected a list of objects "
            "with path, action and optional value"
        )
    rules = []
    for position, entry in enumerate(raw, start=1):
        if not isinstance(entry, Mapping):
            raise RuleError(
                f"masking rule {position} is a {type(entry).__name__}; expected an object "
                "with path, action and optional value"
            )
        path = entry.get("path")
        unknown = sorted(str(key) for key in entry if key not in _RULE_KEYS)
        if unknown:
            raise RuleError(
                f"{_label(position, path)}: unknown field(s) {', '.join(unknown)}; "
                "expected only path, action and value"
            )
        if path is None:
            raise RuleError(f"masking rule {position} has no path; {_PATH_EXPECTED}")
        action = entry.get("action")
        if action is None:
            raise RuleError(
                f"{_label(position, path)}: no action; expected one of {', '.join(ACTIONS)}"
            )
        rules.append(Rule(path=path, action=action, value=entry.get("value")))
    _check_all(rules)
    return tuple(rules)


def key_conflicts(rules: Sequence[Rule], key_attributes: Collection[str]) -> list[str]:
    """One message per rule whose path starts with a key attribute of the table (a key
    cannot be masked in place: DynamoDB identifies an item by its key, so an item with a
    rewritten key is a new item); empty when there is none."""
    if isinstance(key_attributes, str):
        raise ValueError(
            f"key_attributes is the string {key_attributes!r}; expected a collection of "
            "attribute names, such as ['pk', 'sk']"
        )
    keys = ", ".join(sorted(key_attributes))
    messages = []
    for position, rule in enumerate(rules, start=1):
        first = _steps(position, rule)[0]
        if first in key_attributes:
            messages.append(
                f"{_label(position, rule.path)}: {first!r} is a key attribute of the table, "
                "which cannot be masked in place (DynamoDB identifies an item by its key: "
                f"an item with a rewritten key is a new item); expected a path outside the "
                f"key attributes ({keys})"
            )
    return messages


def _canonical_json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True, sort_keys=True).encode()


def rules_digest(rules: Sequence[Rule]) -> str:
    """Hex SHA-256 of the rules' canonical form, the JSON list of their
    ``[path, action, value]`` in order: reordered rules give another digest."""
    canonical = [[rule.path, rule.action, rule.value] for rule in rules]
    return hashlib.sha256(_canonical_json(canonical)).hexdigest()


def marker_value(table_id: str, rules: Sequence[Rule], has_transform: bool = False) -> str:
    """The marker the pass writes: the first 32 hex digits of the SHA-256 of the JSON
    ``[table_id, rules_digest(rules), has_transform]``. ``table_id`` is the copy's
    TableId, made when the copy was restored, after the backup was taken: an item of the
    backup cannot carry the marker, by chance or by design."""
    if not isinstance(table_id, str) or not table_id:
        raise ValueError(
            f"table_id is {table_id!r}; expected the copy's TableId (DescribeTable's "
            "Table.TableId), a non-empty string"
        )
    canonical = [table_id, rules_digest(rules), bool(has_transform)]
    return hashlib.sha256(_canonical_json(canonical)).hexdigest()[:32]


# ---- values --------------------------------------------------------------------------


def _number_digits(number: str) -> tuple[int, str, int]:
    """(sign, significant digits without leading or trailing zeros, exponent) of a
    DynamoDB number: its value is sign * digits * 10**exponent; zero is (0, "", 0)."""
    try:
        parsed = Decimal(number)
    except (InvalidOperation, TypeError):
        parsed = Decimal("NaN")
    if not parsed.is_finite():
        raise ValueError(
            "an N attribute value is not a decimal number; expected a number as DynamoDB "
            "stores it, such as '12.5'"
        )
    sign, digit_tuple, exponent = parsed.as_tuple()
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    if not digits:
        return 0, "", 0
    stripped = digits.rstrip("0")
    return sign, stripped, int(exponent) + len(digits) - len(stripped)


def _canonical_number(number: str) -> str:
    """``[-]<digits>e<exponent>``: equal numbers, however written, give the same text
    ("12.50" and "1.25E1" give "125e-1"; zero gives "0e0")."""
    sign, digits, exponent = _number_digits(number)
    return f"{'-' if sign else ''}{digits or '0'}e{exponent}"


def _canonical_value(value: Mapping[str, Any]) -> object:
    """A JSON-serializable form of an attribute value in which equal values are equal:
    numbers canonical, binary as base64, set members deduplicated and sorted."""
    ((tag, inner),) = value.items()
    if tag == "N":
        return {"N": _canonical_number(inner)}
    if tag == "B":
        return {"B": base64.b64encode(inner).decode()}
    if tag == "SS":
        return {"SS": sorted(set(inner))}
    if tag == "NS":
        return {"NS": sorted({_canonical_number(member) for member in inner})}
    if tag == "BS":
        return {"BS": sorted({base64.b64encode(member).decode() for member in inner})}
    if tag == "L":
        return {"L": [_canonical_value(element) for element in inner]}
    if tag == "M":
        return {"M": {name: _canonical_value(element) for name, element in inner.items()}}
    if tag in ("S", "BOOL", "NULL"):
        return {tag: inner}
    raise ValueError(f"an attribute value of type {tag!r}; expected one of {', '.join(_TYPES)}")


def _tag_of(value: object) -> str:
    """The value's DynamoDB type, or ValueError when it is not an attribute value."""
    if isinstance(value, Mapping) and len(value) == 1:
        tag = next(iter(value))
        if tag in _TYPES:
            return str(tag)
        raise ValueError(f"an attribute value of type {tag!r}; expected one of {', '.join(_TYPES)}")
    raise ValueError(
        f"an attribute value that is {_described(value)}; expected an object with one "
        "key, its type, such as {'S': 'text'}"
    )


def _described(value: object) -> str:
    if isinstance(value, Mapping):
        return f"an object with {len(value)} keys"
    return f"a {type(value).__name__}"


_REDACTED: dict[str, Callable[[], dict[str, Any]]] = {
    "S": lambda: {"S": "***"},
    "N": lambda: {"N": "0"},
    "B": lambda: {"B": b""},
    "BOOL": lambda: {"BOOL": False},
    "NULL": lambda: {"NULL": True},
    "SS": lambda: {"SS": ["***"]},
    "NS": lambda: {"NS": ["0"]},
    # DynamoDB allows empty binary (and string) values within a set.
    "BS": lambda: {"BS": [b""]},
    "L": lambda: {"L": []},
    "M": lambda: {"M": {}},
}


def _redact(value: dict[str, Any]) -> dict[str, Any]:
    replaced = _REDACTED[_tag_of(value)]()
    return value if replaced == value else replaced


_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))


class _Sha256(Protocol):
    def update(self, data: bytes, /) -> None: ...
    def digest(self) -> bytes: ...
    def hexdigest(self) -> str: ...


def _hmac_states(secret: bytes) -> tuple[Callable[[], _Sha256], Callable[[], _Sha256]]:
    """HMAC-SHA-256 keyed by ``secret`` (RFC 2104) as two functions, each giving a fresh
    copy of a SHA-256 state: the inner one, already fed the key xor 0x36 padded to a
    block, and the outer one, fed the key xor 0x5c. The digest of a message is
    ``outer.update(inner.update(message).digest()).digest()``: the same as
    ``hmac.digest(secret, message, "sha256")``, which with this Python's OpenSSL 3.0
    took 2.2 µs a call against 0.8 µs for this when it was written. CPython's
    ``hmac.HMAC`` does the same without OpenSSL."""
    key = hashlib.sha256(secret).digest() if len(secret) > 64 else secret
    key = key.ljust(64, b"\0")
    return (
        hashlib.sha256(key.translate(_INNER_PAD)).copy,
        hashlib.sha256(key.translate(_OUTER_PAD)).copy,
    )


def _hmac_sha256(secret: bytes) -> Callable[[bytes], bytes]:
    """``hmac.digest(secret, message, "sha256")`` from ``_hmac_states``."""
    inner_copy, outer_copy = _hmac_states(secret)

    def mac(message: bytes) -> bytes:
        inner = inner_copy()
        inner.update(message)
        outer = outer_copy()
        outer.update(inner.digest())
        return outer.digest()

    return mac


class _Keyed:
    """The hash and fake_* actions with one secret. Each HMAC-SHA-256 is over a type
    tag, ":" and the value's canonical bytes: a string's UTF-8, a number's
    ``_canonical_number``, a binary's bytes, a list's or map's ``_canonical_json``."""

    def __init__(self, secret: bytes) -> None:
        self.states = _hmac_states(secret)
        self.digest = _hmac_sha256(secret)

    def mac(self, tag: bytes, payload: bytes) -> bytes:
        return self.digest(tag + b":" + payload)

    def n_value(self, number: str) -> str:
        # the first 13 hex digits (52 bits) of the digest, as an integer
        digest = self.mac(b"N", _canonical_number(number).encode())
        return str(int.from_bytes(digest[:7], "big") >> 4)

    def hash(self, value: dict[str, Any]) -> dict[str, Any]:
        tag = _tag_of(value)
        inner = value[tag]
        mac = self.mac
        if tag == "S":
            return {"S": mac(b"S", inner.encode()).hex()}
        if tag == "N":
            return {"N": self.n_value(inner)}
        if tag == "B":
            return {"B": mac(b"B", inner)}
        if tag == "SS":
            return {"SS": sorted({mac(b"S", member.encode()).hex() for member in inner})}
        if tag == "NS":
            return {"NS": sorted({self.n_value(member) for member in inner}, key=int)}
        if tag == "BS":
            return {"BS": sorted({mac(b"B", member) for member in inner})}
        if tag == "L":
            elements = [_canonical_value(element) for element in inner]
            return {"S": mac(b"L", _canonical_json(elements)).hex()}
        if tag == "M":
            entries = {name: _canonical_value(element) for name, element in inner.items()}
            return {"S": mac(b"M", _canonical_json(entries)).hex()}
        return value  # BOOL and NULL

    def step(self, action: str) -> _Step:
        """The action as a step: a string (and a string set's members, for fake_*) on
        the fast path, any other value through ``hash``."""
        digest, slow = self.digest, self.hash
        inner_copy, outer_copy = self.states
        make = _FAKES.get(action)
        # A string's HMAC is _hmac_sha256's, written out: a call fewer for each.

        if make is None:

            def act(value: Any) -> Any:
                text = value.get("S")
                if text is not None and len(value) == 1:
                    inner = inner_copy()
                    inner.update(b"S:" + text.encode())
                    outer = outer_copy()
                    outer.update(inner.digest())
                    hashed = outer.hexdigest()
                    return value if hashed == text else {"S": hashed}
                replaced = slow(value)
                return value if replaced == value else replaced

            return act

        def fake(value: Any) -> Any:
            replaced: dict[str, Any]
            text = value.get("S")
            if text is not None and len(value) == 1:
                inner = inner_copy()
                inner.update(b"S:" + text.encode())
                outer = outer_copy()
                outer.update(inner.digest())
                faked = make(outer.digest())
                return value if faked == text else {"S": faked}
            if "SS" in value and len(value) == 1:
                members = {make(digest(b"S:" + m.encode())) for m in value["SS"]}
                replaced = {"SS": sorted(members)}
            else:
                replaced = slow(value)
            return value if replaced == value else replaced

        return fake


def _fake_email(digest: bytes) -> str:
    return f"user-{digest[:6].hex()}@example.invalid"


def _fake_phone(digest: bytes) -> str:
    # the first 8 bytes as an integer, modulo 10**7, as 7 digits (leading zeros kept)
    return "+1555" + str(10_000_000 + int.from_bytes(digest[:8], "big") % 10_000_000)[1:]


def _fake_name(digest: bytes) -> str:
    return _FIRST_NAMES[digest[0] & 63] + " " + _LAST_NAMES[digest[1] & 63]


_FAKES: dict[str, Callable[[bytes], str]] = {
    "fake_email": _fake_email,
    "fake_phone": _fake_phone,
    "fake_name": _fake_name,
}


# ---- walking paths -------------------------------------------------------------------


def _into_name(name: str, then: _Step) -> _Step:
    def step(value: Any) -> Any:
        entries = value.get("M")
        if entries is None:
            return value
        child = entries.get(name)
        if child is None:
            return value
        replaced = then(child)
        if replaced is child:
            return value
        entries = entries.copy()
        entries[name] = replaced
        return {"M": entries}

    return step


def _remove_name(name: str) -> _Step:
    def step(value: Any) -> Any:
        entries = value.get("M")
        if entries is None or name not in entries:
            return value
        entries = entries.copy()
        del entries[name]
        return {"M": entries}

    return step


def _into_position(position: int, then: _Step) -> _Step:
    def step(value: Any) -> Any:
        elements = value.get("L")
        if elements is None or position >= len(elements):
            return value
        child = elements[position]
        replaced = then(child)
        if replaced is child:
            return value
        elements = list(elements)
        elements[position] = replaced
        return {"L": elements}

    return step


def _into_every(then: _Step) -> _Step:
    def step(value: Any) -> Any:
        elements = value.get("L")
        if not elements:
            return value
        copied = None
        for position, child in enumerate(elements):
            replaced = then(child)
            if replaced is not child:
                if copied is None:
                    copied = list(elements)
                copied[position] = replaced
        return value if copied is None else {"L": copied}

    return step


class Masker:
    """The rules compiled once, applied to item after item."""

    def __init__(self, rules: Sequence[Rule], secret: bytes | None, marker: str) -> None:
        """``secret``: the HMAC key of the hash and fake_* rules; RuleError when such a
        rule exists and the secret is None or empty."""
        all_steps = _check_all(rules)
        if not isinstance(marker, str) or not marker:
            raise ValueError(
                f"marker is {marker!r}; expected marker_value(...), a non-empty string"
            )
        if secret is not None and not isinstance(secret, bytes):
            raise ValueError(
                f"the masking secret is a {type(secret).__name__}; expected bytes (or None "
                "when no rule hashes or fakes)"
            )
        keyed = _Keyed(secret) if secret else None
        self._marker = marker
        self._carried = {"S": marker}  # compared with, never written
        self._compiled: list[tuple[str, _Step | None]] = []
        for position, (rule, steps) in enumerate(zip(rules, all_steps, strict=True), start=1):
            if rule.action in _KEYED_ACTIONS and keyed is None:
                raise RuleError(
                    f"{_label(position, rule.path)}: action {rule.action!r} needs the masking "
                    "secret (the HMAC key) and none was given; expected a non-empty secret"
                )
            first, rest = steps[0], steps[1:]
            assert isinstance(first, str)  # _steps: a path starts with a name
            self._compiled.append((first, self._walker(rule, rest, keyed)))

    @staticmethod
    def _walker(rule: Rule, rest: list[str | int | None], keyed: _Keyed | None) -> _Step | None:
        """The function from the first attribute's value to its replacement; None for
        "remove" of the first attribute itself."""
        if rule.action == "remove":
            last = rest.pop() if rest else None
            if last is None:
                return None
            assert isinstance(last, str)  # _check: "remove" ends in a name
            step = _remove_name(last)
        elif rule.action == "set":
            text = rule.value

            def step(value: Any) -> Any:
                return value if value == {"S": text} else {"S": text}

        elif rule.action == "null":

            def step(value: Any) -> Any:
                return value if value == {"NULL": True} else {"NULL": True}

        elif rule.action == "redact":
            step = _redact
        else:
            assert keyed is not None  # __init__ refuses keyed actions without a secret
            step = keyed.step(rule.action)
        for part in reversed(rest):
            if isinstance(part, str):
                step = _into_name(part, step)
            elif part is None:
                step = _into_every(step)
            else:
                step = _into_position(part, step)
        return step

    def marked(self, item: Mapping[str, Any]) -> bool:
        """Whether ``item`` carries this pass's marker: written by it already."""
        return item.get(MARKER_ATTRIBUTE) == self._carried

    def with_mark(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """``item`` with this pass's marker, to be written (a transform's result)."""
        return {**item, MARKER_ATTRIBUTE: {"S": self._marker}}

    def mask(self, item: Mapping[str, Any]) -> dict[str, Any] | None:
        """The item to write back, with ``MARKER_ATTRIBUTE`` = ``{"S": marker}``; None
        when there is nothing to write: the item carries this marker already (nothing is
        masked twice), or no rule changed anything. Rules apply in order, each to the
        result of those before it. The argument is never changed; the result shares the
        values no rule replaced with it."""
        carried = item.get(MARKER_ATTRIBUTE)
        if carried is not None and carried == self._carried:
            return None
        result: dict[str, Any] | None = None
        for first, walk in self._compiled:
            current = item if result is None else result
            value = current.get(first)
            if value is None:
                continue
            if walk is None:
                if result is None:
                    result = dict(item)
                del result[first]
                continue
            replaced = walk(value)
            if replaced is value:
                continue
            if result is None:
                result = dict(item)
            result[first] = replaced
        if result is None:
            return None
        result[MARKER_ATTRIBUTE] = {"S": self._marker}
        return result


# ---- sizes and keys ------------------------------------------------------------------


def _number_size(number: str) -> int:
    return (len(_number_digits(number)[1]) + 1) // 2 + 1


def _value_size(value: Mapping[str, Any]) -> int:
    ((tag, inner),) = value.items()
    if tag == "S":
        return len(inner.encode())
    if tag == "N":
        return _number_size(inner)
    if tag == "B":
        return len(inner)
    if tag in ("BOOL", "NULL"):
        return 1
    if tag == "SS":
        return sum(len(member.encode()) for member in inner)
    if tag == "NS":
        return sum(_number_size(member) for member in inner)
    if tag == "BS":
        return sum(len(member) for member in inner)
    if tag == "L":
        return 3 + len(inner) + sum(_value_size(element) for element in inner)
    if tag == "M":
        return 3 + len(inner) + sum(len(k.encode()) + _value_size(v) for k, v in inner.items())
    raise ValueError(f"an attribute value of type {tag!r}; expected one of {', '.join(_TYPES)}")


def item_size(item: Mapping[str, Any]) -> int:
    """The item's size in bytes as DynamoDB's "Item sizes and formats" page counts it:
    the UTF-8 length of each attribute name plus the size of its value. A string is its
    UTF-8 bytes, a binary its bytes, BOOL and NULL 1 byte; a list or map 3 bytes, 1 byte
    per element and its elements' sizes (a map's names included); a set the sum of its
    members' sizes. A number is the page's approximation, (significant digits, leading
    and trailing zeros trimmed, halved and rounded up) + 1 bytes, so this is an estimate:
    DynamoDB's own count of a number may differ. The per-item storage overhead (100
    bytes of indexing) is not part of it."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def key_problem(item: Mapping[str, Any], key_types: Mapping[str, str]) -> str | None:
    """None when the item has every attribute of ``key_types`` (name -> "S", "N" or
    "B", the table's key schema) with its declared type; otherwise a message naming each
    such attribute and the type found (never the value)."""
    problems = []
    for name, expected in key_types.items():
        if expected not in ("S", "N", "B"):
            raise ValueError(
                f"key attribute {name!r} is declared of type {expected!r}; expected S, N or B"
            )
        value = item.get(name)
        if value is None:
            problems.append(f"key attribute {name!r} is missing; expected type {expected}")
        elif not (isinstance(value, Mapping) and len(value) == 1):
            problems.append(
                f"key attribute {name!r} is {_described(value)}, not an attribute value; "
                f"expected type {expected}"
            )
        elif expected not in value:
            found = next(iter(value))
            problems.append(f"key attribute {name!r} has type {found!s}; expected type {expected}")
    return "; ".join(problems) or None
