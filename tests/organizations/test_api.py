import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from organizations.models import OrganizationKind
from tests import factories


@pytest.fixture
def api():
    def _api(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _api


def test_it_refuses_anonymous_requests(cast):
    assert APIClient().get("/api/organizations/").status_code in (401, 403)


def test_it_lists_only_what_the_user_may_read(api, cast):
    names = {row["name"] for row in api(cast.outsider).get("/api/organizations/").json()["results"]}
    assert names == {"Quận ủy Bình Thủy"}
    names = {row["name"] for row in api(cast.btv_a).get("/api/organizations/").json()["results"]}
    assert names == {"Đảng ủy Khối Cơ quan thử nghiệm", "Đảng bộ Sở Tư pháp", "Chi bộ Văn phòng Sở"}


def test_it_filters_direct_children(api, cast):
    rows = api(cast.superior_btv).get("/api/organizations/", {"parent": cast.city.pk}).json()["results"]
    assert [row["code"] for row in rows] == ["KA", "QUBT"]
    rows = api(cast.outsider).get("/api/organizations/", {"parent": cast.city.pk}).json()["results"]
    assert [row["code"] for row in rows] == ["QUBT"]
    assert api(cast.outsider).get("/api/organizations/", {"parent": ""}).json()["count"] == 1  # filters nothing


@pytest.mark.parametrize("parent", ["abc", "1.5", "-1", "9" * 30])  # the last one past the database's integers
def test_it_answers_400_in_vietnamese_to_a_parent_that_is_not_an_id(api, cast, parent):
    response = api(cast.outsider).get("/api/organizations/", {"parent": parent})
    assert response.status_code == 400 and response.json() == {"parent": ["Mã tổ chức cấp trên phải là số."]}


def test_it_returns_an_organization_with_bodies_term_and_descendant_counts(api, cast):
    data = api(cast.superior_btv).get(f"/api/organizations/{cast.a.pk}/").json()
    assert data["kind"] == "bloc" and data["code"] == "KA" and data["symbol"] == "ĐUK"
    assert data["parent"] == cast.city.pk
    kinds = {body["kind"] for body in data["bodies"]}
    assert kinds == {"executive", "standing", "standing_office", "inspection", "office"}
    assert data["current_term"]["name"] == "Nhiệm kỳ 2025 - 2030"
    assert data["descendant_counts"] == {"grassroots_committee": 1, "cell": 1}


@pytest.mark.parametrize("name", ["a", "a_child", "a_cell"])
def test_it_gives_an_outsider_404_on_a_objects(api, cast, name):
    response = api(cast.outsider).get(f"/api/organizations/{getattr(cast, name).pk}/")
    assert response.status_code == 404
    assert getattr(cast, name).name not in response.content.decode()


def test_it_accepts_token_authentication(cast):
    token = Token.objects.create(user=cast.btv_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(f"/api/organizations/{cast.a.pk}/").status_code == 200
    assert client.get(f"/api/organizations/{cast.b.pk}/").status_code == 404


def test_it_publishes_an_openapi_schema(api, cast):
    response = api(cast.btv_a).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/organizations/{id}/" in schema["paths"]
    assert any(p["name"] == "parent" for p in schema["paths"]["/api/organizations/"]["get"]["parameters"])


def test_it_lists_in_a_constant_number_of_queries(api, cast, django_assert_num_queries):
    client = api(cast.superior_btv)
    with django_assert_num_queries(3):  # seats, count, page
        client.get("/api/organizations/")


def test_it_answers_errors_in_vietnamese(cast):
    response = APIClient().get("/api/organizations/")
    assert response.json() == {"detail": "Cần đăng nhập hoặc gửi mã truy cập (token)."}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token sai")
    assert client.get("/api/organizations/").json() == {"detail": "Thông tin đăng nhập hoặc mã truy cập không đúng."}
    client.force_authenticate(cast.btv_a)
    assert client.post("/api/organizations/", {}).json() == {"detail": "Phương thức “POST” không được chấp nhận."}


def test_the_total_is_kept_per_reader_and_follows_the_tree_and_the_grants(api, cast):
    """The list's total and rows are kept between requests (quyche.api); an organization added or renamed, or a
    right granted on one, shows at once."""
    outsider, btv = api(cast.outsider), api(cast.btv_a)
    assert outsider.get("/api/organizations/").json()["count"] == 1
    assert outsider.get("/api/organizations/").json()["count"] == 1  # kept
    assert btv.get("/api/organizations/").json()["count"] == 3
    factories.organization(kind=OrganizationKind.CELL, parent=cast.a_child, name="Chi bộ mới")
    page = btv.get("/api/organizations/").json()  # the page of rows is kept too (quyche.api.KeptListMixin)
    assert page["count"] == 4 and "Chi bộ mới" in {row["name"] for row in page["results"]}
    cast.a_child.name = "Chi bộ đổi tên"
    cast.a_child.save()
    assert "Chi bộ đổi tên" in {row["name"] for row in btv.get("/api/organizations/").json()["results"]}
    assign_perm("organizations.view_organization", cast.outsider, cast.a)
    page = outsider.get("/api/organizations/").json()
    assert page["count"] == 2 and "Đảng ủy Khối Cơ quan thử nghiệm" in {row["name"] for row in page["results"]}


@pytest.mark.parametrize("asked", ["?limit=500", "?limit=10", "?khong_doc=1"])
def test_only_ordinary_pages_are_kept(api, cast, asked):
    """A page of the default size among the first twenty, under the list's own parameters, is kept; a big page,
    one of another size or a parameter the list does not read is answered afresh, never filling the cache."""
    client = api(cast.btv_a)

    def repeat(url) -> int:
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).json() == first.json()
        return len(queries)

    kept = repeat("/api/organizations/?parent=" + str(cast.a.pk))
    assert repeat("/api/organizations/" + asked) > kept
