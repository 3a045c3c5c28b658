import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from regulations.models import Provision, RegulationKind
from tests.regulations import texts


@pytest.fixture
def api():
    def _api(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _api


def test_it_lists_regulations_of_an_organization(api, two_versions, cast):
    rows = api(cast.btv_a).get("/api/regulations/", {"organization": cast.a.pk}).json()["results"]
    assert [(row["title"], row["current_version"]["number"]) for row in rows] == [
        ("Quy chế làm việc của Ban Chấp hành Đảng bộ Khối nhiệm kỳ 2025 - 2030", "07-QC/ĐUK")
    ]
    assert api(cast.outsider).get("/api/regulations/").json()["results"] == []


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "committee_rules"},
        {"kind": "model"},
        {"status": "in_force"},
        {"kind": "model", "status": "in_force"},
    ],
)
def test_the_page_and_the_api_list_the_same_regulations(api, login, two_versions, import_text, cast, params):
    model = import_text(texts.regulation_text([texts.ARTICLES["scope"]], number="09-QC/ĐUK"))
    model.regulation.kind = RegulationKind.MODEL
    model.regulation.save()
    import_text(texts.regulation_text([texts.ARTICLES["scope"]], number="01-QC/HU"), organization=cast.b)
    page = login(cast.superior_btv).get(reverse("regulations:list", args=[cast.a.pk]), params)
    on_page = {regulation.pk for regulation in page.context["regulations"]}
    rows = api(cast.superior_btv).get("/api/regulations/", {"organization": cast.a.pk, **params}).json()["results"]
    assert on_page and {row["id"] for row in rows} == on_page


@pytest.mark.parametrize(
    "param, value, message",
    [
        ("organization", "abc", "Mã tổ chức phải là số."),
        ("kind", "zzz", "Hãy chọn một lựa chọn hợp lệ. zzz không phải là một trong các lựa chọn khả thi."),
    ],
)
def test_it_answers_400_in_vietnamese_to_a_filter_it_cannot_read(api, cast, param, value, message):
    response = api(cast.member_a).get("/api/regulations/", {param: value})
    assert response.status_code == 400 and response.json() == {param: [message]}


def test_it_returns_a_regulation_with_its_versions(api, two_versions, cast):
    regulation = two_versions[0].regulation
    data = api(cast.member_a).get(f"/api/regulations/{regulation.pk}/").json()
    assert [(v["number"], v["status"]) for v in data["versions"]] == [
        ("01-QC/ĐUK", "replaced"),
        ("07-QC/ĐUK", "in_force"),
    ]


def test_it_returns_a_version_with_its_provision_tree(api, two_versions, cast):
    first, second = two_versions
    data = api(cast.member_a).get(f"/api/versions/{second.pk}/").json()
    assert data["number"] == "07-QC/ĐUK" and data["replaces"] == first.pk and data["status"] == "in_force"
    chapter = data["provisions"][0]
    assert (chapter["kind"], chapter["label"], chapter["heading"]) == ("chapter", "I", "NHỮNG QUY ĐỊNH CHUNG")
    article = chapter["children"][1]
    assert (article["kind"], article["label"], article["heading"]) == ("article", "2", "Nguyên tắc làm việc")
    assert [c["label"] for c in article["children"]] == ["1", "2"]


def test_it_compares_two_versions(api, two_versions, cast):
    first, second = two_versions
    rows = api(cast.member_a).get(f"/api/versions/{first.pk}/compare/{second.pk}/").json()
    assert [(r["change"], r["old_label"], r["new_label"]) for r in rows] == [
        ("modified", "2", "2"),
        ("added", None, "3"),
        ("renumbered", "3", "4"),
        ("renumbered", "4", "5"),
        ("removed", "5", None),
    ]
    assert ["insert", ", đề cao trách nhiệm người đứng đầu"] in rows[0]["diff"]


def test_it_searches_what_the_user_may_read(api, two_versions, cast):
    hits = api(cast.member_a).get("/api/search/", {"q": "tai lieu hoi nghi"}).json()
    assert hits and hits[0]["place"] == "Điều 5, khoản 2" and "<mark>" in hits[0]["snippet"]
    assert hits[0]["version_number"] == "01-QC/ĐUK" and hits[0]["version_status"] == "replaced"
    assert api(cast.outsider).get("/api/search/", {"q": "tai lieu hoi nghi"}).json() == []
    assert api(cast.member_a).get("/api/search/", {"q": " "}).status_code == 400


@pytest.mark.parametrize(
    "url",
    ["/api/regulations/{regulation}/", "/api/versions/{version}/", "/api/versions/{first}/compare/{version}/"],
)
def test_it_gives_an_outsider_404(api, two_versions, cast, url):
    first, second = two_versions
    response = api(cast.outsider).get(url.format(regulation=first.regulation_id, version=second.pk, first=first.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("count", [10, 100])
def test_it_returns_a_version_in_a_constant_number_of_queries(api, import_text, cast, django_assert_num_queries, count):
    version = import_text(texts.regulation_text(texts.numbered_articles(count), number=f"{count}-QC/ĐUK"))
    client = api(cast.member_a)
    with django_assert_num_queries(3):  # version, seats, provisions
        data = client.get(f"/api/versions/{version.pk}/").json()
    assert sum(len(chapter["children"]) for chapter in data["provisions"]) == count
    assert Provision.objects.filter(version=version, kind="clause").count() == 2 * count
