"""Visit reports from a phone (issue 10, points 1, 2 and 8): the device's order decides, never
arrival; a field the phone did not change is never a conflict; a conflict links to the page
where a person decides."""

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.casework.models import VisitOutcome, VisitReport
from app.extensions import db
from app.sync.models import SyncConflict
from tests.test_visits import edited_on_server, new_report_op, op, reports, sync, wire, world

__all__ = ["world"]  # the fixture


def conflicts() -> int:
    return db.session.scalar(select(func.count()).select_from(SyncConflict))


def test_an_edit_arriving_before_its_creation_ends_with_the_newer_values(client, auth, world):
    record_id = uuid.uuid4()
    created = new_report_op(world.child, record_id, seq=1, present="Grandmother")
    edited = new_report_op(
        world.child, record_id, seq=2, present="Grandmother, aunt", health_note="A cough"
    )
    (first,) = sync(client, auth, edited)  # the edit reaches the server first, on its own
    (second,) = sync(client, auth, created)
    assert (first["result"], second["result"]) == ("applied", "superseded")
    assert second["status"] == 200
    (report,) = reports()
    assert (report.present, report.health_note) == ("Grandmother, aunt", "A cough")
    # Sent again, in any order, they answer the same and change nothing.
    replayed = sync(client, auth, edited, created)
    assert [r["result"] for r in replayed] == ["duplicate", "superseded"]
    (report,) = reports()
    assert (report.present, report.health_note) == ("Grandmother, aunt", "A cough")
    assert conflicts() == 0


def test_a_new_report_saved_twice_on_the_phone_ends_as_last_saved(client, auth, world):
    """The phone sends a new report's fields that differ from blank; a note typed and then
    removed again is blank in the end."""
    record_id = uuid.uuid4()
    first = wire(health_note="A cough")
    second = _differing_from_blank(wire())
    sync(client, auth, op(world.child, record_id, _new(first), seq=1))
    (answer,) = sync(client, auth, op(world.child, record_id, _new(second), seq=2))
    assert answer["result"] == "applied"
    (report,) = reports()
    assert report.health_note == ""
    assert conflicts() == 0


def _new(values: dict) -> dict:
    return {
        name: {"base": [] if name == "actions" else "", "value": v} for name, v in values.items()
    }


def test_a_phones_second_offline_edit_continues_its_first(client, auth, world):
    report = edited_on_server(world)
    base = report.version
    earlier = {"outcome": {"base": "no_concerns", "value": "follow_up"}}
    later = {  # every field changed since the form was loaded, as the phone sends it
        "outcome": {"base": "no_concerns", "value": "urgent"},
        "needs_note": {"base": "", "value": "Winter clothes"},
    }
    sync(client, auth, op(world.child, report.id, earlier, base_version=base, seq=1))
    (answer,) = sync(client, auth, op(world.child, report.id, later, base_version=base, seq=2))
    assert answer["result"] == "applied"
    (saved,) = reports()
    assert (saved.outcome, saved.needs_note) == (VisitOutcome.URGENT, "Winter clothes")
    assert conflicts() == 0


def test_the_same_edits_arriving_in_reverse_end_the_same(client, auth, world):
    report = edited_on_server(world)
    base = report.version
    earlier = {"outcome": {"base": "no_concerns", "value": "follow_up"}}
    later = {"outcome": {"base": "no_concerns", "value": "urgent"}}
    sync(client, auth, op(world.child, report.id, later, base_version=base, seq=2))
    (answer,) = sync(client, auth, op(world.child, report.id, earlier, base_version=base, seq=1))
    assert answer["result"] == "superseded"
    assert reports()[0].outcome is VisitOutcome.URGENT


def test_another_phones_edit_is_merged_not_continued(client, auth, world):
    """Only the same device continues its own state: another one is merged three ways."""
    report = edited_on_server(world)
    base = report.version
    mine = {"outcome": {"base": "no_concerns", "value": "follow_up"}}
    theirs = {"outcome": {"base": "no_concerns", "value": "urgent"}}
    sync(client, auth, op(world.child, report.id, mine, base_version=base, seq=1))
    other_phone = str(uuid.uuid4())
    (answer,) = sync(
        client,
        auth,
        op(world.child, report.id, theirs, base_version=base, seq=2),
        device=other_phone,
    )
    assert answer["result"] == "conflict"
    assert reports()[0].outcome is VisitOutcome.FOLLOW_UP


def test_a_phone_edit_of_one_field_and_a_server_edit_of_another_merge(client, auth, world):
    report = edited_on_server(world)
    base = report.version
    report.present = "Grandmother, aunt"  # changed on the server meanwhile
    db.session.commit()
    fields = {name: {"base": value, "value": value} for name, value in wire().items()}
    fields["health_note"] = {"base": "", "value": "A cough"}  # the one field the phone changed
    (answer,) = sync(client, auth, op(world.child, report.id, fields, base_version=base))
    assert answer["result"] == "applied"
    (saved,) = reports()
    assert (saved.present, saved.health_note) == ("Grandmother, aunt", "A cough")
    assert conflicts() == 0


def test_a_conflict_answer_links_to_where_a_person_decides(client, auth, world):
    report = edited_on_server(world)
    base = report.version
    report.outcome = VisitOutcome.FOLLOW_UP
    db.session.commit()
    entry = op(
        world.child, report.id, {"outcome": {"base": "no_concerns", "value": "urgent"}}, base
    )
    (answer,) = sync(client, auth, entry)
    assert answer["result"] == "conflict"
    assert answer["link"] == f"/visits/{report.id}/conflicts"
    assert client.get(answer["link"]).status_code == 200
    (replayed,) = sync(client, auth, entry)
    assert (replayed["result"], replayed["link"]) == ("duplicate", answer["link"])


saves = st.lists(
    st.fixed_dictionaries(
        {
            "present": st.sampled_from(["Grandmother", "Grandmother, aunt", "Both"]),
            "health_note": st.sampled_from(["", "A cough", "Seen by a doctor"]),
            "outcome": st.sampled_from(["no_concerns", "follow_up", "urgent"]),
        }
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), values=saves)
def test_a_new_reports_saves_converge_to_the_last_whatever_their_arrival(
    client, auth, world, data, values
):
    """A report saved several times on one phone, each save sent in a request of its own in
    any order: the report ends as it was last saved, with no conflict."""
    record_id = uuid.uuid4()
    entries = [
        op(world.child, record_id, _new(_differing_from_blank(wire(**save))), seq=n + 1)
        for n, save in enumerate(values)
    ]
    arrival = data.draw(st.permutations(entries))
    answers = [sync(client, auth, entry)[0]["result"] for entry in arrival]
    assert set(answers) <= {"applied", "superseded"}
    report = db.session.get(VisitReport, record_id)
    db.session.refresh(report)
    last = values[-1]
    assert (report.present, report.health_note, report.outcome.value) == (
        last["present"],
        last["health_note"],
        last["outcome"],
    )


def _differing_from_blank(values: dict) -> dict:
    return {name: value for name, value in values.items() if value not in ("", [])}
