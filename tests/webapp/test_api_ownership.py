"""Teachers and clients reach only their own rows through the API."""

from __future__ import annotations

from scheduling.booking import Actor, book
from scheduling.models import BOOKED, Booking
from tests.webapp.api_helpers import (
    CLIENT_LOGIN,
    ApiCaller,
    add_client_login,
    link_login,
)
from tests.webapp.conftest import TEACHER_LOGIN
from tests.webapp.helpers import days_ahead_at

STAFF = Actor("staff", 1)


def test_client_sees_and_changes_only_own_bookings(app, session, factory):
    teacher = factory.teacher()
    mine_slot = factory.slot(teacher, days_ahead_at(2, 9))
    other_slot = factory.slot(teacher, days_ahead_at(2, 11))
    free_slot = factory.slot(teacher, days_ahead_at(2, 13))
    me, other = factory.client("Я"), factory.client("Другой")
    mine = book(session, slot_id=mine_slot.id, client_id=me.id, actor=STAFF)
    theirs = book(session, slot_id=other_slot.id, client_id=other.id, actor=STAFF)
    session.commit()
    add_client_login(app, session, me)
    api = ApiCaller(app, CLIENT_LOGIN)

    listed = api.get("/api/v1/bookings/").get_json()
    assert [row["id"] for row in listed["result"]] == [mine.id]
    assert api.get(f"/api/v1/bookings/{theirs.id}").status_code == 404
    refused = api.post(f"/api/v1/bookings/{theirs.id}/cancel")
    assert refused.status_code == 403
    assert refused.get_json()["message"] == "У вас нет доступа к этой записи."
    assert session.get(Booking, theirs.id).status == BOOKED
    for_other = api.post(
        "/api/v1/bookings/", json={"slot_id": free_slot.id, "client_id": other.id}
    )
    assert for_other.status_code == 403

    own = api.post("/api/v1/bookings/", json={"slot_id": free_slot.id})
    assert own.status_code == 201, own.get_json()
    assert own.get_json()["result"]["client_id"] == me.id
    assert api.post(f"/api/v1/bookings/{mine.id}/cancel").status_code == 200


def test_client_reaches_no_other_resource(app, session, factory):
    add_client_login(app, session, factory.client())
    api = ApiCaller(app, CLIENT_LOGIN)
    for url in ("/api/v1/slots/", "/api/v1/clients/", "/api/v1/teachers/"):
        assert api.get(url).status_code == 403, url


def test_client_login_linked_to_no_client_sees_nothing(app, session, factory):
    teacher = factory.teacher()
    slot = factory.slot(teacher, days_ahead_at(2, 9))
    book(session, slot_id=slot.id, client_id=factory.client().id, actor=STAFF)
    session.commit()
    add_client_login(app, session)
    api = ApiCaller(app, CLIENT_LOGIN)
    assert api.get("/api/v1/bookings/").get_json()["count"] == 0
    assert api.post("/api/v1/bookings/", json={"slot_id": slot.id}).status_code == 403


def test_teacher_reads_own_slots_and_bookings_only(app, session, factory):
    me = factory.teacher("Я")
    other = factory.teacher("Другая")
    my_slot = factory.slot(me, days_ahead_at(2, 9))
    other_slot = factory.slot(other, days_ahead_at(2, 9))
    client = factory.client()
    mine = book(session, slot_id=my_slot.id, client_id=client.id, actor=STAFF)
    theirs = book(
        session,
        slot_id=other_slot.id,
        client_id=factory.client("Б").id,
        actor=STAFF,
    )
    session.commit()
    link_login(app, session, me, TEACHER_LOGIN[0])
    api = ApiCaller(app, TEACHER_LOGIN)

    slots = api.get("/api/v1/slots/").get_json()["result"]
    assert [row["id"] for row in slots] == [my_slot.id]
    assert api.get(f"/api/v1/slots/{other_slot.id}").status_code == 404
    bookings = api.get("/api/v1/bookings/").get_json()["result"]
    assert [row["id"] for row in bookings] == [mine.id]
    teachers = api.get("/api/v1/teachers/").get_json()["result"]
    assert [row["id"] for row in teachers] == [me.id]
    # Attendance of another teacher's lesson is refused by the domain call.
    refused = api.post(
        f"/api/v1/bookings/{theirs.id}/attendance", json={"attended": True}
    )
    assert refused.status_code == 403
    assert (
        api.post("/api/v1/bookings/", json={"slot_id": my_slot.id}).status_code == 403
    )
