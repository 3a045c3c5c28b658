"""The dashboard's "Thuộc" field, an organization chooser (organizations/choosers.py): suggestions as the user
types, a typed name resolved on submit, and neither ever reaching an organization outside what the user audits.

Under A: Đảng bộ Sở Tư pháp (STP, with its Chi bộ Văn phòng Sở below), two cells whose names share
"Sở" with it, and thirty "Chi bộ Khu phố" to see the suggestions capped.
"""

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from organizations.models import BodyKind, OrganizationKind, Role
from quyche.choosers import SUGGESTIONS
from tests import factories
from tests.oversight.test_oversight import shown_rows

K = OrganizationKind
NOW = "2026-04-01 09:00 +07:00"


@pytest.fixture
def branches(cast):
    factories.organization(K.GRASSROOTS_CELL, parent=cast.a, name="Chi bộ Sở Ngoại vụ", code="SNV")
    factories.organization(K.GRASSROOTS_CELL, parent=cast.a, name="Chi bộ Sở Tư pháp cũ", code="STPC")
    for number in range(30):
        factories.organization(K.GRASSROOTS_CELL, parent=cast.a, name=f"Chi bộ Khu phố {number:02d}", term=False)


@pytest.fixture
def btv_b(cast):
    """An ủy viên BTV of B: audits B's subtree, nothing of A's."""
    user = factories.UserFactory(username="btv_b")
    factories.seat(user, cast.b, BodyKind.STANDING, Role.STANDING_MEMBER)
    return user


def suggestions_of(organization):
    return reverse("organizations:choose", args=[organization.pk, "truc-thuoc"])


def suggested(client, organization, typed) -> list[str]:
    response = client.get(suggestions_of(organization), {"q": typed})
    assert response.status_code == 200
    return [option.text for option in response.context["options"]]


def dashboard(client, organization, **params):
    with time_machine.travel(NOW, tick=False):
        return client.get(reverse("oversight:dashboard", args=[organization.pk]), params)


def exported(client, organization, **params) -> list[str]:
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("oversight:export", args=[organization.pk, "csv"]), params)
    return [line[0] for line in csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))][1:]


def test_it_suggests_the_branches_named_by_every_word_typed_with_or_without_diacritics(login, cast, branches):
    client = login(cast.superior_btv)
    assert suggested(client, cast.a, "tư pháp") == ["Chi bộ Sở Tư pháp cũ", "Đảng bộ Sở Tư pháp"]
    assert suggested(client, cast.a, "PHAP so tu") == ["Chi bộ Sở Tư pháp cũ", "Đảng bộ Sở Tư pháp"]
    assert suggested(client, cast.a, "snv") == ["Chi bộ Sở Ngoại vụ"]  # by code
    assert suggested(client, cast.a, "văn phòng") == []  # below a branch, not one: the filter takes branches
    assert len(suggested(client, cast.a, "khu pho")) == SUGGESTIONS
    assert suggested(client, cast.a, "   ") == []


def test_the_suggestions_say_when_nothing_matches(login, cast, branches):
    response = login(cast.superior_btv).get(suggestions_of(cast.a), {"q": "xyz"})
    page = response.content.decode()
    assert 'aria-disabled="true"' in page and "Không có tổ chức trực thuộc nào khớp “xyz”" in page


def test_a_name_typed_without_javascript_is_resolved_on_submit(login, cast, branches):
    client = login(cast.superior_btv)
    for typed in ("dang bo so tu phap", "STP", "Đảng bộ"):  # whole name, code, the only branch matching
        response = dashboard(client, cast.a, within_name=typed)
        assert shown_rows(response) == ["Đảng bộ Sở Tư pháp", "Chi bộ Văn phòng Sở"]
        assert response.context["branch"] == cast.a_child
        assert f'name="within" id="id_within" value="{cast.a_child.pk}"' in response.content.decode()
        assert exported(client, cast.a, within_name=typed) == ["Đảng bộ Sở Tư pháp", "Chi bộ Văn phòng Sở"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("tu phap", "Có nhiều tổ chức trực thuộc khớp “tu phap”, hãy gõ đầy đủ hơn hoặc chọn trong gợi ý."),
        ("Sở Xây dựng", "Không có tổ chức trực thuộc nào có tên hoặc mã “Sở Xây dựng”."),
        ("Quận ủy Bình Thủy", "Không có tổ chức trực thuộc nào có tên hoặc mã “Quận ủy Bình Thủy”."),
    ],
)
def test_a_name_naming_no_single_branch_filters_nothing_and_says_why(login, cast, branches, typed, message):
    response = dashboard(login(cast.superior_btv), cast.a, within_name=typed)
    assert response.context["form"].errors == {"within": [message]}
    assert len(shown_rows(response)) == 34 and response.context["branch"] is None
    assert 'value="' + typed + '"' in response.content.decode()  # what was typed stays, to be corrected


def test_the_text_typed_since_the_last_choice_wins_and_an_empty_field_means_every_branch(login, cast, branches):
    client = login(cast.superior_btv)
    response = dashboard(client, cast.a, within=cast.a_child.pk, within_name="Sở Ngoại vụ")
    assert shown_rows(response) == ["Chi bộ Sở Ngoại vụ"]
    response = dashboard(client, cast.a, within=cast.a_child.pk, within_name="")
    assert len(shown_rows(response)) == 34 and not response.context["form"].errors


def test_a_committee_elsewhere_gets_no_suggestion_and_no_row_outside_its_subtree(login, cast, branches, btv_b):
    client = login(btv_b)
    # A's dashboard and its suggestions do not exist for B's auditor, whatever id is guessed.
    assert client.get(suggestions_of(cast.a), {"q": "so"}).status_code == 404
    assert dashboard(client, cast.a, within=cast.a_child.pk).status_code == 404
    assert client.get(reverse("oversight:export", args=[cast.a.pk, "csv"])).status_code == 404
    # On B's own dashboard, A's branches are neither suggested nor accepted, by id or by name.
    assert suggested(client, cast.b, "so tu phap") == [] and suggested(client, cast.b, "STP") == []
    assert suggested(client, cast.b, "phuong") == ["Đảng bộ phường Bùi Hữu Nghĩa"]
    for params in ({"within": cast.a_child.pk}, {"within_name": "Đảng bộ Sở Tư pháp"}, {"within_name": "STP"}):
        response = dashboard(client, cast.b, **params)
        assert shown_rows(response) == ["Đảng bộ phường Bùi Hữu Nghĩa"]
        assert response.context["form"].errors
        assert exported(client, cast.b, **params) == ["Đảng bộ phường Bùi Hữu Nghĩa"]


def test_the_suggestions_cost_a_fixed_number_of_queries(login, cast, branches, django_assert_num_queries):
    client = login(cast.superior_btv)
    suggested(client, cast.a, "khu pho")
    # Session, user, A, the branches (the user's seats are kept).
    with django_assert_num_queries(4):
        suggested(client, cast.a, "khu pho")
