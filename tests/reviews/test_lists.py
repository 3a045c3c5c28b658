"""The lists every user opens (hồ sơ sửa đổi, the API's amendments, việc cần làm, the header's counts):
for each person, exactly the rows the access rules give them, through every way of reaching a dossier.

The scene: A's QCLV at consultation (asking member_a and A's đảng bộ cơ sở), a second text of A adopted
(waiting for the office's number), a third at Thường trực's review; the đảng bộ cơ sở's own dossier
being drafted (its office chairs; the outsider joined its working group); B's dossier being drafted by
a superuser, with office_a in its working group and member_a added then removed.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from organizations.models import BodyKind, Role
from reviews import services
from reviews.models import Amendment, StageKind
from tests import factories
from tests.amendments import act, at_stage, edit_meetings_article, meeting, refresh
from tests.regulations import texts

TEXT = [texts.ARTICLES[name] for name in ("scope", "principles", "btv", "meetings", "implementation")]

# Who sees which dossier, and what awaits whom (dossiers, then consultation requests).
VISIBLE = {
    "admin": {"a", "a_adopted", "a_review", "child", "b"},
    "office_a": {"a", "a_adopted", "a_review", "child", "b"},
    "btv_a": {"a", "a_adopted", "a_review", "child"},
    "member_a": {"a", "a_adopted", "a_review"},
    "superior_btv": {"a", "a_adopted", "a_review", "child", "b"},
    "outsider": {"child", "b"},
    "bithu_a": {"a", "a_adopted", "a_review", "child"},
    "office_child": {"a", "child"},
}
AWAITING = {
    "admin": ({"b"}, set()),
    "office_a": ({"a", "a_adopted", "b"}, set()),
    "btv_a": (set(), set()),
    "member_a": (set(), {"a"}),
    "superior_btv": (set(), set()),
    "outsider": ({"child"}, set()),
    "bithu_a": ({"a_review"}, set()),
    "office_child": ({"child"}, {"a"}),
}


@pytest.fixture
def scene(people, amendment, import_text):
    admin = get_user_model().objects.create_superuser("admin", password="mat-khau-thu-nghiem")
    people.admin = admin
    in_week = timezone.localdate() + datetime.timedelta(days=7)

    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    services.requests_create(
        amendment=refresh(amendment), user=people.office_a, due=in_week, users=[people.member_a],
        organizations=[people.a_child],
    )  # fmt: skip

    second = import_text(texts.regulation_text(TEXT, number="02-QC/ĐUK"))
    adopted = services.amendment_start(regulation=second.regulation, user=people.office_a, title="Hồ sơ thông qua")
    adopted = at_stage(adopted, people, (StageKind.DECISION, BodyKind.EXECUTIVE))
    act(adopted, people.bithu_a, **meeting(present=6, votes_for=6, votes_against=0, votes_abstain=0))

    third = import_text(texts.regulation_text(TEXT, number="03-QC/ĐUK"))
    review = services.amendment_start(regulation=third.regulation, user=people.office_a, title="Hồ sơ chờ Thường trực")
    edit_meetings_article(review, people.office_a)
    act(review, people.office_a, "submit")

    child_text = import_text(texts.regulation_text(TEXT, number="01-QC/ĐU"), organization=people.a_child)
    child = services.amendment_start(regulation=child_text.regulation, user=people.office_child, title="Hồ sơ cơ sở")
    services.working_group_add(amendment=refresh(child), user=people.office_child, member=people.outsider)

    b_text = import_text(texts.regulation_text(TEXT, number="01-QC/QU"), organization=people.b)
    b = services.amendment_start(regulation=b_text.regulation, user=admin, title="Hồ sơ của B")
    services.working_group_add(amendment=refresh(b), user=admin, member=people.office_a)
    services.working_group_add(amendment=refresh(b), user=admin, member=people.member_a)
    services.working_group_remove(amendment=refresh(b), user=admin, member=people.member_a)

    ids = {"a": amendment.pk, "a_adopted": adopted.pk, "a_review": review.pk, "child": child.pk, "b": b.pk}
    assert refresh(adopted).status == "adopted" and refresh(review).stage.kind == StageKind.REVIEW
    return people, ids


def names(ids, pks):
    by_pk = {pk: name for name, pk in ids.items()}
    return [by_pk[pk] for pk in pks]


def linked(page: str, name: str) -> list[int]:
    pattern = re.escape(reverse(name, args=[987654321])).replace("987654321", r"(\d+)")
    return [int(pk) for pk in re.findall(f'href="{pattern}"', page)]


@pytest.mark.parametrize("person", sorted(VISIBLE))
def test_it_lists_exactly_the_dossiers_each_person_may_see_newest_first(login, scene, person):
    people, ids = scene
    page = login(getattr(people, person)).get(reverse("reviews:list")).content.decode()
    shown = names(ids, linked(page, "reviews:detail"))
    assert set(shown) == VISIBLE[person] and len(shown) == len(set(shown))
    newest_first = sorted(VISIBLE[person], key=lambda name: -ids[name])
    assert shown == newest_first


def test_a_new_dossier_shows_at_once_to_whoever_may_read_it_and_to_no_one_else(login, scene, import_text):
    """The lists are read afresh, with the person's seats kept (organizations.access.seats): a new dossier
    and a new seat show on the next request; another committee's drafts never do."""
    people, ids = scene
    for person in ("office_a", "btv_a", "outsider"):
        login(getattr(people, person)).get(reverse("reviews:list"))
    text = import_text(texts.regulation_text(TEXT, number="04-QC/ĐUK"))
    new = services.amendment_start(regulation=text.regulation, user=people.office_a, title="Hồ sơ mới")
    ids = {**ids, "new": new.pk}
    for person in ("office_a", "btv_a"):
        page = login(getattr(people, person)).get(reverse("reviews:list")).content.decode()
        assert names(ids, linked(page, "reviews:detail"))[0] == "new", person
    outsider = login(people.outsider)
    assert set(names(ids, linked(outsider.get(reverse("reviews:list")).content.decode(), "reviews:detail"))) == {
        "child",
        "b",
    }
    assert outsider.get(reverse("reviews:detail", args=[new.pk])).status_code == 404
    factories.seat(people.outsider, people.a, BodyKind.STANDING, Role.STANDING_MEMBER)
    page = outsider.get(reverse("reviews:list")).content.decode()
    assert "new" in names(ids, linked(page, "reviews:detail"))


@pytest.mark.parametrize("person", sorted(VISIBLE))
def test_the_api_lists_exactly_the_same_dossiers_by_number(scene, person):
    people, ids = scene
    client = APIClient()
    client.force_authenticate(getattr(people, person))
    rows = client.get("/api/amendments/").json()["results"]
    assert names(ids, [row["id"] for row in rows]) == sorted(VISIBLE[person], key=lambda name: ids[name])
    assert all(row["stage"] and row["title"] for row in rows)


@pytest.mark.parametrize("person", sorted(AWAITING))
def test_it_shows_what_awaits_each_person_and_counts_it_in_the_header(login, scene, person):
    people, ids = scene
    page = login(getattr(people, person)).get(reverse("reviews:todo")).content.decode()
    amendments, requests = AWAITING[person]
    assert set(names(ids, linked(page, "reviews:detail"))) == amendments
    assert set(names(ids, linked(page, "reviews:draft"))) == requests
    count = len(amendments) + len(requests)
    badge = f'aria-label="{count} việc"'
    assert (badge in page) if count else ("việc</span>" not in page)


def badge(client) -> str:
    """The header's Việc cần làm badge, as the person sees it on any page."""
    page = client.get(reverse("organizations:tree")).content.decode()
    found = re.search(r'aria-label="(\d+) việc"', page)
    return found.group(1) if found else "0"


def test_the_header_count_follows_every_event_at_once(login, scene):
    people, ids = scene
    newcomer = get_user_model().objects.get(username="bch_a_0")
    client = login(newcomer)
    assert badge(client) == "0"
    due = timezone.localdate() + datetime.timedelta(days=3)
    services.requests_create(amendment=_amendment(ids["a"]), user=people.office_a, due=due, users=[newcomer])
    assert badge(client) == "1"  # a consultation sent
    services.request_answer(amendment=_amendment(ids["a"]), user=newcomer, no_comment=True)
    assert badge(client) == "0"  # answered
    factories.seat(newcomer, people.a, BodyKind.STANDING_OFFICE, Role.DEPUTY_SECRETARY)
    assert badge(client) == "1"  # a seat in Thường trực: the dossier at its review
    services.working_group_add(amendment=_amendment(ids["child"]), user=people.office_child, member=newcomer)
    assert badge(client) == "2"  # joined a working group at its drafting stage
    act(_amendment(ids["a_review"]), people.bithu_a, "return", comment="Cần chỉnh sửa thêm.")
    assert badge(client) == "1"  # the review is over: the dossier went back to the working group
    assert badge(login(people.bithu_a)) == "0" and badge(login(people.office_a)) == "4"


def _amendment(pk) -> Amendment:
    return refresh(Amendment(pk=pk))


# Session, user, the page's own reads (Việc cần làm: dossiers, consultations, and for an office its findings
# and its regulations due for review); the person's seats (read by the scene's services already) and the
# header's counts (those four for Việc cần làm, one for Thông báo) on the first page only, then from the cache.
# The list of dossiers, what awaits the person and their notifications are gathered once, then kept: session
# and user only.
LIST_QUERIES = {"reviews:list": (3, 2), "reviews:todo": (6, 2), "notifications:list": (3, 2)}
HEADER_QUERIES = 5


@pytest.mark.parametrize("name", sorted(LIST_QUERIES))
def test_the_lists_cost_a_fixed_number_of_queries_and_the_header_counts_once(
    login, scene, django_assert_num_queries, name
):
    people, _ids = scene
    client = login(people.office_a)
    first, again = LIST_QUERIES[name]
    with django_assert_num_queries(first + HEADER_QUERIES):
        client.get(reverse(name))
    with django_assert_num_queries(again):
        client.get(reverse(name))


def test_the_kept_list_of_dossiers_follows_each_step_and_answer(login, scene):
    """The drawn list is kept per reader, and drawn afresh after whatever changes a row (a step, a request, an
    answer); what they may read is followed too (test_a_new_dossier_shows_at_once_…)."""
    people, ids = scene
    client = login(people.btv_a)

    def row() -> str:
        page = client.get(reverse("reviews:list")).content.decode()
        return page.split(f'href="{reverse("reviews:detail", args=[ids["a"]])}"')[1].split("</tr>")[0]

    assert "2 nơi chưa trả lời" in row()
    services.request_answer(amendment=_amendment(ids["a"]), user=people.member_a, no_comment=True)
    assert "1 nơi chưa trả lời" in row()
    services.request_answer(amendment=_amendment(ids["a"]), user=people.office_child, no_comment=True)
    assert "Tổ công tác" in row()
    act(_amendment(ids["a"]), people.office_a, "submit")
    act(_amendment(ids["a"]), people.office_a, "submit")
    assert "Thường trực xem xét dự thảo đã tiếp thu" in row() and "Tổ công tác" not in row()


def test_the_api_lists_amendments_in_a_fixed_number_of_queries_then_keeps_the_answer(scene, django_assert_num_queries):
    people, ids = scene
    client = APIClient()
    client.force_authenticate(people.superior_btv)
    with django_assert_num_queries(3):  # seats, the count, the page
        assert len(client.get("/api/amendments/").json()["results"]) == 5
    with django_assert_num_queries(0):
        rows = client.get("/api/amendments/").json()["results"]
    assert {row["id"]: row["waiting_for"]["not_answered_count"] for row in rows}[ids["a"]] == 2
    # Kept per URL: another page or filter is its own answer; and an answer given is seen at once.
    assert len(client.get("/api/amendments/", {"limit": 2}).json()["results"]) == 2
    services.request_answer(amendment=_amendment(ids["a"]), user=people.member_a, no_comment=True)
    rows = client.get("/api/amendments/").json()["results"]
    assert {row["id"]: row["waiting_for"]["not_answered_count"] for row in rows}[ids["a"]] == 1


def test_every_dossier_is_reached_a_page_at_a_time(login, scene, monkeypatch):
    people, ids = scene
    monkeypatch.setattr("quyche.paging.PAGE_SIZE", 2)
    person = max(VISIBLE, key=lambda name: len(VISIBLE[name]))
    client = login(getattr(people, person))
    seen, number = [], 1
    while True:
        page = client.get(reverse("reviews:list"), {"trang": number}).content.decode()
        seen += names(ids, linked(page, "reviews:detail"))
        if "Trang sau" not in page:
            break
        number += 1
    assert seen == sorted(VISIBLE[person], key=lambda name: -ids[name]) and number == (len(seen) + 1) // 2


def test_a_person_made_superuser_reads_every_dossier_in_the_kept_list_at_once(login, scene):
    people, ids = scene
    client = login(people.member_a)
    assert (
        set(names(ids, linked(client.get(reverse("reviews:list")).content.decode(), "reviews:detail")))
        == VISIBLE["member_a"]
    )
    people.member_a.is_superuser = True
    people.member_a.save()
    assert (
        set(names(ids, linked(client.get(reverse("reviews:list")).content.decode(), "reviews:detail")))
        == VISIBLE["admin"]
    )
