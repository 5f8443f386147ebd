"""The ledger of copies (rotator.ledger): entries, their states, claiming a copy name,
whether a table is the rotator's copy, and which unpublished entries are stale."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from rotator import ledger
from rotator.ledger import (
    CLAIM,
    CONFLICT,
    DELETED,
    DELETED_KEPT_FOR,
    FAILED,
    PUBLISHED,
    READY,
    REFUSED,
    RESTORING,
    RETRY,
    STALE_GRACE,
    Entry,
    LedgerError,
    check_transition,
    claim_verdict,
    new_entry,
    ownership,
    stale,
)
from tests.fuzzing import examples

SOURCE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production"
BACKUP = SOURCE_ARN + "/backup/01724750400000-a1b2c3d4"
OTHER_BACKUP = SOURCE_ARN + "/backup/01724750400000-ffffffff"
POINT = "arn:aws:backup:us-east-1:123456789012:recovery-point:0C9A4E1B-1111-2222-3333-444455556666"
COPY = "Orders-staging-20240827-09-20-00"
COPY_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/" + COPY
ASKED = datetime(2024, 8, 27, 9, 40, tzinfo=UTC)
TIMEOUT = timedelta(hours=4)


def entry(recovery_point: str = BACKUP, job_id: str = "job-1", **changes: Any) -> Entry:
    made = new_entry(
        copy=COPY,
        source_table_arn=SOURCE_ARN,
        recovery_point_arn=recovery_point,
        job_id=job_id,
        execution="exec-1",
        now=ASKED,
    )
    return replace(made, **changes)


def table(
    table_id: str = "tid-1",
    source: str | None = BACKUP,
    created: datetime = ASKED + timedelta(seconds=1),
) -> dict[str, Any]:
    return {
        "TableName": COPY,
        "TableArn": COPY_ARN,
        "TableId": table_id,
        "CreationDateTime": created,
        "RestoreSummary": {"SourceBackupArn": source} if source else None,
    }


# -- entries --------------------------------------------------------------------------


def test_a_new_entry_is_restoring_with_the_backup_time_of_its_name() -> None:
    made = entry()
    assert (made.state, made.source_table, made.backup_time) == (
        RESTORING,
        "Orders-Production",
        datetime(2024, 8, 27, 9, 20, tzinfo=UTC),
    )
    assert made.requested_at == made.updated_at == ASKED


def test_an_entry_round_trips_through_a_dynamodb_item() -> None:
    full = entry(
        POINT, table_id="tid-1", restore_job_id="rj-1", expires_at=ASKED + DELETED_KEPT_FOR
    )
    item = full.to_item()
    assert item["copy"] == {"S": COPY}
    assert item["expires_at"] == {"N": str(int((ASKED + DELETED_KEPT_FOR).timestamp()))}
    assert Entry.from_item(item) == full
    bare = entry()
    assert {"table_id", "restore_job_id", "expires_at"}.isdisjoint(bare.to_item())
    assert Entry.from_item(bare.to_item()) == bare


@pytest.mark.parametrize(
    ("attribute", "value", "says"),
    [
        ("state", {"S": "gone"}, "state is 'gone'; expected one of"),
        ("requested_at", {"S": "yesterday"}, "attribute 'requested_at'"),
        ("job_id", {"N": "1"}, "attribute 'job_id' is {'N': '1'}; expected a string"),
        ("expires_at", {"S": "soon"}, "attribute 'expires_at'"),
        ("backup_time", {"S": "2024-08-28T09:20:00Z"}, "is not the time in the copy's name"),
        ("source_table", {"S": "Users"}, "is not the DynamoDB ARN of source_table 'Users'"),
        ("copy", {"S": "Orders-staging"}, "does not end in a -YYYYMMDD-HH-MM-SS time"),
        ("recovery_point_arn", {"S": "arn:x"}, "neither a DynamoDB backup"),
        ("table_id", {"S": ""}, "table_id is empty"),
    ],
)
def test_a_malformed_item_is_refused_saying_what_is_wrong(
    attribute: str, value: Any, says: str
) -> None:
    item: dict[str, Any] = entry().to_item()
    item[attribute] = value
    with pytest.raises(LedgerError, match="ledger entry") as raised:
        Entry.from_item(item)
    assert says in str(raised.value)


def test_an_item_missing_an_attribute_is_refused() -> None:
    item = entry().to_item()
    del item["execution"]
    with pytest.raises(LedgerError, match="attribute 'execution' is None; expected a string"):
        Entry.from_item(item)


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(LedgerError, match="requested_at has no time zone"):
        entry(requested_at=datetime(2024, 8, 27, 9, 40))


# -- states ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (RESTORING, READY),
        (RESTORING, FAILED),
        (RESTORING, DELETED),
        (READY, PUBLISHED),
        (READY, REFUSED),
        (READY, FAILED),
        (PUBLISHED, DELETED),
        (REFUSED, DELETED),
        (FAILED, DELETED),
        (READY, READY),
    ],
)
def test_allowed_transitions(old: str, new: str) -> None:
    check_transition(COPY, old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (DELETED, DELETED),
        (DELETED, RESTORING),
        (PUBLISHED, READY),
        (RESTORING, PUBLISHED),
        (FAILED, READY),
        (REFUSED, PUBLISHED),
    ],
)
def test_other_transitions_raise_naming_both_states(old: str, new: str) -> None:
    with pytest.raises(LedgerError, match=f"is {old}; it cannot become {new}"):
        check_transition(COPY, old, new)


def test_an_unknown_state_is_refused() -> None:
    with pytest.raises(LedgerError, match="'gone' is not a state"):
        check_transition(COPY, READY, "gone")


def test_a_deleted_entry_expires_90_days_after_its_deletion() -> None:
    now = ASKED + timedelta(days=3)
    gone = entry().moved_to(DELETED, now)
    assert (gone.state, gone.updated_at, gone.expires_at) == (
        DELETED,
        now,
        now + timedelta(days=90),
    )


# -- claiming a name ------------------------------------------------------------------


def test_a_name_without_an_entry_is_claimed() -> None:
    assert claim_verdict(None, BACKUP, "job-1").verdict == CLAIM


def test_the_same_recovery_point_and_job_is_a_retry() -> None:
    assert claim_verdict(entry(), BACKUP, "job-1").verdict == RETRY


def test_the_same_recovery_point_under_another_job_id_is_a_re_run() -> None:
    # a manual re-run of the same recovery point names its own job id
    verdict = claim_verdict(entry(), BACKUP, "job-2")
    assert verdict.verdict == RETRY
    assert "job job-1, now job-2" in verdict.message


@pytest.mark.parametrize(("point", "job"), [(OTHER_BACKUP, "job-1"), (OTHER_BACKUP, "job-2")])
def test_another_recovery_point_is_a_conflict(point: str, job: str) -> None:
    verdict = claim_verdict(entry(), point, job)
    assert verdict.verdict == CONFLICT
    assert "belongs to backup job job-1" in verdict.message


def test_a_deleted_entry_is_a_conflict_even_for_its_own_job() -> None:
    gone = entry().moved_to(DELETED, ASKED)
    assert claim_verdict(gone, BACKUP, "job-1").verdict == CONFLICT


# -- ownership ------------------------------------------------------------------------


def test_a_table_not_in_the_ledger_is_not_owned() -> None:
    verdict = ownership(None, table())
    assert not verdict.owned and "not in the ledger" in verdict.message


def test_a_table_whose_id_is_the_ledgers_is_owned() -> None:
    assert ownership(entry(table_id="tid-1"), table("tid-1")).owned


def test_a_table_with_another_id_is_not_owned_whatever_its_backup() -> None:
    verdict = ownership(entry(table_id="tid-1"), table("tid-2"))
    assert not verdict.owned and "not the ledger's tid-1" in verdict.message


def test_a_deleted_entry_owns_nothing() -> None:
    assert not ownership(entry(table_id="tid-1").moved_to(DELETED, ASKED), table("tid-1")).owned


def test_no_table_is_not_owned() -> None:
    assert not ownership(entry(), None).owned


def test_a_classic_copy_without_an_id_yet_is_matched_by_backup_and_time() -> None:
    verdict = ownership(entry(), table("tid-9"))
    assert (verdict.owned, verdict.record_table_id) == (True, "tid-9")


def test_a_classic_copy_made_before_it_was_asked_for_is_someone_elses() -> None:
    verdict = ownership(entry(), table(created=ASKED - timedelta(seconds=1)))
    assert not verdict.owned and "someone else's restore" in verdict.message
    assert verdict.record_table_id is None


def test_a_classic_copy_made_long_after_it_was_asked_for_is_not_matched() -> None:
    late = ASKED + ledger.REQUEST_WINDOW + timedelta(seconds=1)
    verdict = ownership(entry(), table(created=late))
    assert not verdict.owned and "more than 0:15:00 after" in verdict.message
    assert ownership(entry(), table(created=late - timedelta(seconds=1))).owned


def test_a_classic_copy_of_another_backup_is_not_owned() -> None:
    assert not ownership(entry(), table(source=OTHER_BACKUP)).owned
    assert not ownership(entry(), table(source=None)).owned


def test_an_aws_backup_copy_is_matched_by_its_restore_jobs_created_resource() -> None:
    asked = entry(POINT, restore_job_id="rj-1")
    job = {"RestoreJobId": "rj-1", "CreatedResourceArn": COPY_ARN}
    assert ownership(asked, table(source=None), job).record_table_id == "tid-1"
    assert not ownership(asked, table(source=None), {**job, "CreatedResourceArn": "arn:x"}).owned
    assert not ownership(asked, table(source=None), {**job, "RestoreJobId": "rj-2"}).owned
    assert not ownership(asked, table(source=None), None).owned
    assert not ownership(entry(POINT), table(source=None), job).owned
    done = {**job, "CompletionDate": ASKED}  # the table below was created a second later
    verdict = ownership(asked, table(source=None), done)
    assert not verdict.owned and "after restore job rj-1 completed" in verdict.message


def test_a_table_of_another_name_is_not_the_entrys() -> None:
    assert not ownership(entry(table_id="tid-1"), {**table(), "TableName": "Other-x"}).owned


# -- stale entries --------------------------------------------------------------------


@pytest.mark.parametrize("state", [RESTORING, READY, REFUSED, FAILED])
def test_an_unpublished_entry_is_stale_after_the_timeout_and_the_grace(state: str) -> None:
    made = entry(state=state)
    limit = ASKED + TIMEOUT + STALE_GRACE
    assert not stale(made, limit, TIMEOUT)
    assert stale(made, limit + timedelta(seconds=1), TIMEOUT)


@pytest.mark.parametrize("state", [PUBLISHED, DELETED])
def test_a_published_or_deleted_entry_is_never_stale(state: str) -> None:
    assert not stale(entry(state=state), ASKED + timedelta(days=999), TIMEOUT)


# -- a model: rotations, retries, failures, refusals and cleanups, in any order -------


class _Account:
    """Tables by name (name -> TableId) and a ledger, driven by the ledger's rules the
    way the handlers use them."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Any]] = {}
        self.ledger: dict[str, Entry] = {}
        self.created_by_rotator: set[str] = set()  # TableIds
        self.foreign: set[str] = set()  # TableIds of tables someone else made
        self.deleted: set[str] = set()
        self.adopted: set[str] = set()
        self.now = ASKED
        self.ids = 0

    def new_id(self) -> str:
        self.ids += 1
        return f"tid-{self.ids}"


NAMES = [f"Orders-staging-2024082{day}-09-20-00" for day in range(4)]
POINTS = [BACKUP, OTHER_BACKUP]


class LedgerModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.account = _Account()

    def _table(self, name: str, table_id: str, point: str | None) -> dict[str, Any]:
        return {
            "TableName": name,
            "TableArn": COPY_ARN.replace(COPY, name),
            "TableId": table_id,
            "CreationDateTime": self.account.now,
            "RestoreSummary": {"SourceBackupArn": point} if point else None,
        }

    @rule(name=st.sampled_from(NAMES), point=st.sampled_from(POINTS))
    def someone_else_makes_a_table(self, name: str, point: str) -> None:
        if name in self.account.tables:
            return
        table_id = self.account.new_id()
        self.account.tables[name] = self._table(name, table_id, point)
        self.account.foreign.add(table_id)

    @rule(name=st.sampled_from(NAMES), point=st.sampled_from(POINTS))
    def someone_replaces_a_table(self, name: str, point: str) -> None:
        """A person deletes the table by hand and restores their own under its name
        (later than ``REQUEST_WINDOW`` after the request: inside it, before the TableId
        is recorded, the first match cannot tell the tables apart; see the module)."""
        if name not in self.account.tables:
            return
        self.account.now += ledger.REQUEST_WINDOW + timedelta(seconds=1)
        table_id = self.account.new_id()
        self.account.tables[name] = self._table(name, table_id, point)
        self.account.foreign.add(table_id)

    @rule(
        name=st.sampled_from(NAMES),
        point=st.sampled_from(POINTS),
        job=st.sampled_from(["job-1", "job-2"]),
        answer_lost=st.booleans(),
    )
    def start_restore(self, name: str, point: str, job: str, answer_lost: bool) -> None:
        """StartRestore as the handler runs it: claim, then restore or adopt."""
        account = self.account
        account.now += timedelta(minutes=1)
        existing = account.ledger.get(name)
        verdict = claim_verdict(existing, point, job)
        if verdict.verdict == CONFLICT:
            return
        if verdict.verdict == CLAIM:
            claimed = new_entry(
                copy=name,
                source_table_arn=SOURCE_ARN,
                recovery_point_arn=point,
                job_id=job,
                execution=f"exec-{job}",
                now=account.now,
            )
            account.ledger[name] = claimed
            if name in account.tables:  # claimed now, yet the name is taken: not ours
                account.ledger[name] = claimed.moved_to(FAILED, account.now)
                return
            table_id = account.new_id()
            account.tables[name] = self._table(name, table_id, point)
            account.created_by_rotator.add(table_id)
            if not answer_lost:
                account.ledger[name] = replace(claimed, table_id=table_id)
            return
        assert existing is not None
        current = account.tables.get(name)
        if current is None:
            return
        owned = ownership(existing, current)
        if owned.owned:
            account.adopted.add(current["TableId"])
            if owned.record_table_id is not None:
                account.ledger[name] = replace(existing, table_id=owned.record_table_id)

    @rule(name=st.sampled_from(NAMES), outcome=st.sampled_from([READY, FAILED]))
    def configure(self, name: str, outcome: str) -> None:
        found = self.account.ledger.get(name)
        if found is None or found.state != RESTORING:
            return
        owned = ownership(found, self.account.tables.get(name))
        if not owned.owned:
            self.account.ledger[name] = found.moved_to(FAILED, self.account.now)
            return
        changes = {} if owned.record_table_id is None else {"table_id": owned.record_table_id}
        self.account.ledger[name] = found.moved_to(outcome, self.account.now, **changes)

    @rule(name=st.sampled_from(NAMES), outcome=st.sampled_from([PUBLISHED, REFUSED]))
    def publish_or_refuse(self, name: str, outcome: str) -> None:
        found = self.account.ledger.get(name)
        if found is not None and found.state == READY:
            self.account.ledger[name] = found.moved_to(outcome, self.account.now)

    @rule(name=st.sampled_from(NAMES))
    def discard_refused(self, name: str) -> None:
        found = self.account.ledger.get(name)
        if found is None or found.state != REFUSED:
            return
        self._delete_if_owned(found)

    @rule(hours=st.integers(min_value=0, max_value=72))
    def cleanup(self, hours: int) -> None:
        account = self.account
        account.now += timedelta(hours=hours)
        for found in list(account.ledger.values()):
            if stale(found, account.now, TIMEOUT) or (
                found.state == PUBLISHED and hours > 48  # beyond keep_last, say
            ):
                self._delete_if_owned(found)

    def _delete_if_owned(self, found: Entry) -> None:
        account = self.account
        current = account.tables.get(found.copy)
        owned = ownership(found, current)
        if owned.owned and current is not None:
            account.deleted.add(current["TableId"])
            del account.tables[found.copy]
        account.ledger[found.copy] = found.moved_to(DELETED, account.now)

    @invariant()
    def no_table_outside_the_ledger_is_deleted_or_adopted(self) -> None:
        assert self.account.deleted <= self.account.created_by_rotator
        assert self.account.adopted <= self.account.created_by_rotator
        assert not (self.account.deleted | self.account.adopted) & self.account.foreign

    @invariant()
    def every_table_the_rotator_made_is_in_the_ledger_until_deleted(self) -> None:
        # (a table replaced by hand is gone, and not deleted by the rotator)
        for name, current in self.account.tables.items():
            if current["TableId"] in self.account.created_by_rotator:
                found = self.account.ledger.get(name)
                assert found is not None and found.state != DELETED, name


LedgerModel.TestCase.settings = settings(
    max_examples=examples(400), stateful_step_count=40, deadline=None
)
TestLedgerModel = LedgerModel.TestCase


def test_the_module_lists_every_state_in_its_transitions() -> None:
    assert set(ledger.TRANSITIONS) == set(ledger.STATES)
